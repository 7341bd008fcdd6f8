import { createHash } from 'node:crypto';
import { ETagConflictError } from '../storage/keyValueStore.ts';
import type { KeyValueRepository } from '../storage/ports.ts';

/**
 * What the e-mail channel keeps in the channels' shared state (the store
 * the bot and WhatsApp use: durable, shared by every instance):
 * - `email/cursor/<mailbox>`: the mailbox's UIDVALIDITY and the last UID processed;
 * - `email/messages/<hash>`: each message, claimed before anything is done with it and marked done after;
 * - `email/threads/<hash>`: a customer's Message-ID → the ticket it went to (In-Reply-To and References find it);
 * - `email/tickets/<id>`: what the channel knows of a ticket it opened (its conversation, the article answered, whether it escalated);
 * - `email/rate/<hash>`: automatic replies sent to one sender in the current hour.
 * Addresses and Message-IDs are hashed in keys: an erasure's scan of values never has to parse keys.
 */
type Store = KeyValueRepository<Record<string, unknown>>;

/** An eTag no entry has (eTags are numbers): a write naming it only creates. */
const NEW_ONLY = 'claim';
/** A claim older than this, never marked done, is taken over: its instance died mid-message. */
const CLAIM_LEASE_MS = 10 * 60_000;
/** Attempts at one message before it is set aside, so one message that always fails cannot stop the mailbox. */
export const MAX_ATTEMPTS = 3;

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 40);

export interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
}

export async function readCursor(store: Store, mailbox: string): Promise<MailboxCursor | undefined> {
  const e = await store.get(`email/cursor/${hash(mailbox)}`);
  return e ? (e.value as unknown as MailboxCursor) : undefined;
}

/** Last write wins: one reader per mailbox moves it, and only forwards within a UIDVALIDITY. */
export async function writeCursor(store: Store, mailbox: string, cursor: MailboxCursor): Promise<void> {
  const key = `email/cursor/${hash(mailbox)}`;
  const e = await store.get(key);
  await store.put([{ key, value: { ...cursor }, ifMatch: e?.eTag ?? NEW_ONLY }]);
}

/** A message's record: claimed (with the steps done so far), done, or set aside after MAX_ATTEMPTS. */
export interface MessageRecord {
  state: 'claimed' | 'done';
  at: string;
  attempts: number;
  ticketId?: string;
  /** The automatic reply is queued: a resumed message does not queue it again. */
  replied?: boolean;
  /** Written into its ticket: a resumed message does not write it again. */
  written?: boolean;
  /** Set aside after MAX_ATTEMPTS failures (logged): done, without effect. */
  failed?: boolean;
  /** The last attempt failed and released it: the next one may take it at once. */
  retry?: boolean;
}

export type Claim =
  | { kind: 'new' | 'resume'; record: MessageRecord; eTag: string }
  | { kind: 'done' }
  | { kind: 'busy' }
  | { kind: 'gave_up'; record: MessageRecord };

/**
 * Claim a message before acting on it, once across instances and restarts:
 * the first claim creates its record; a done record is never processed
 * again; a claim left by a process that died is resumed (its steps are
 * idempotent or recorded), one held by a live instance is left to it.
 */
export async function claimMessage(store: Store, key: string, now: Date): Promise<Claim> {
  const k = `email/messages/${hash(key)}`;
  const fresh: MessageRecord = { state: 'claimed', at: now.toISOString(), attempts: 1 };
  try {
    const tags = await store.put([{ key: k, value: { ...fresh }, ifMatch: NEW_ONLY }]);
    return { kind: 'new', record: fresh, eTag: tags[k]! };
  } catch (error) {
    if (!(error instanceof ETagConflictError)) throw error;
  }
  const e = await store.get(k);
  if (!e) return { kind: 'busy' };
  const record = e.value as unknown as MessageRecord;
  if (record.state === 'done') return { kind: 'done' };
  // Held by a live attempt (this instance's or another's): left to it.
  if (!record.retry && now.getTime() - Date.parse(record.at) < CLAIM_LEASE_MS) return { kind: 'busy' };
  const gaveUp = record.attempts >= MAX_ATTEMPTS;
  const next: MessageRecord = gaveUp
    ? { ...record, state: 'done', failed: true, retry: false, at: now.toISOString() }
    : { ...record, retry: false, at: now.toISOString(), attempts: record.attempts + 1 };
  try {
    const tags = await store.put([{ key: k, value: { ...next }, ifMatch: e.eTag }]);
    return gaveUp ? { kind: 'gave_up', record: next } : { kind: 'resume', record: next, eTag: tags[k]! };
  } catch (error) {
    if (error instanceof ETagConflictError) return { kind: 'busy' };
    throw error;
  }
}

/** Keep the record's progress (or mark it done); resolves with the new eTag. */
export async function saveMessage(store: Store, key: string, record: MessageRecord, eTag: string): Promise<string> {
  const k = `email/messages/${hash(key)}`;
  const tags = await store.put([{ key: k, value: { ...record }, ifMatch: eTag }]);
  return tags[k]!;
}

/** A message failed: counted, released for the next attempt (a reconnection retries it). */
export async function releaseMessage(store: Store, key: string, record: MessageRecord, eTag: string): Promise<void> {
  await saveMessage(store, key, { ...record, retry: true }, eTag);
}

export async function threadOf(store: Store, messageId: string): Promise<string | undefined> {
  const e = await store.get(`email/threads/${hash(messageId.toLowerCase())}`);
  return e ? (e.value.ticketId as string) : undefined;
}

export async function rememberThread(store: Store, messageId: string, ticketId: string): Promise<void> {
  const key = `email/threads/${hash(messageId.toLowerCase())}`;
  const e = await store.get(key);
  await store.put([{ key, value: { ticketId }, ifMatch: e?.eTag ?? NEW_ONLY }]).catch((error: Error) => {
    if (!(error instanceof ETagConflictError)) throw error;
  });
}

/** What the channel knows of a ticket it opened from an answered e-mail. */
export interface EmailTicket {
  conversationId?: string;
  /** The article the reply answered with: the "yes, solved" link confirms it. */
  articleId?: string;
  /** The ticket's `ticket` event is written (it counts as an escalation in the reports). */
  escalated: boolean;
  /** The customer confirmed the answer: its feedback event is written. */
  confirmed?: boolean;
}

export async function readEmailTicket(
  store: Store,
  ticketId: string,
): Promise<{ value: EmailTicket; eTag: string } | undefined> {
  const e = await store.get(`email/tickets/${ticketId}`);
  return e ? { value: e.value as unknown as EmailTicket, eTag: e.eTag } : undefined;
}

/** Write it; another instance's write since `eTag` wins (ETagConflictError). */
export async function writeEmailTicket(
  store: Store,
  ticketId: string,
  value: EmailTicket,
  eTag?: string,
): Promise<void> {
  await store.put([{ key: `email/tickets/${ticketId}`, value: { ...value }, ifMatch: eTag ?? NEW_ONLY }]);
}

/**
 * Count one automatic reply to `sender` in the current hour; false when the
 * limit is reached (nothing counted). A per-sender limit: a loop with another
 * robot, or one person's flood, gets at most `perHour` replies.
 */
export async function takeAutoReply(store: Store, sender: string, perHour: number, now: Date): Promise<boolean> {
  const key = `email/rate/${hash(sender.toLowerCase())}`;
  const hour = now.toISOString().slice(0, 13);
  for (let attempt = 0; attempt < 5; attempt++) {
    const e = await store.get(key);
    const count = e && e.value.hour === hour ? (e.value.count as number) : 0;
    if (count >= perHour) return false;
    try {
      await store.put([{ key, value: { hour, count: count + 1 }, ifMatch: e?.eTag ?? NEW_ONLY }]);
      return true;
    } catch (error) {
      if (!(error instanceof ETagConflictError)) throw error;
    }
  }
  return false;
}
