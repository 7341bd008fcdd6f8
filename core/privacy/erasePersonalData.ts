import { createHash, randomUUID } from 'node:crypto';
import type { Lang } from '../contracts/api.ts';
import { ValidationError } from '../errors.ts';
import type { DeflectEvent } from '../events/types.ts';
import { log } from '../logger.ts';
import type { FactStore } from '../reports/factStore.ts';
import type {
  ConversationRepository,
  DeliveryQueue,
  EventStore,
  KeyValueRepository,
  TicketRepository,
} from '../storage/ports.ts';
import type { Ticket } from '../tickets/types.ts';

export interface EraseDeps {
  events: EventStore;
  tickets: TicketRepository;
  /** Live conversations of a running server (absent in the CLI). */
  conversations?: ConversationRepository;
  /** Webhook deliveries not yet taken (pending or dead): they carry the ticket. */
  deliveries?: DeliveryQueue;
  /** The customer's e-mails not yet sent (pending or dead): addressed to them, so dropped, never rewritten. */
  mail?: DeliveryQueue;
  /** Agents' WhatsApp replies not yet sent: addressed to a number, so dropped like the mails. */
  whatsapp?: DeliveryQueue;
  /** The channels' durable state (the bot's ticket flows hold names and addresses). */
  channelState?: KeyValueRepository<Record<string, unknown>>;
  facts?: FactStore;
  defaultLang: Lang;
}

export interface EraseResult {
  subjectHash: string;
  counts: {
    events: number;
    tickets: number;
    conversations: number;
    deadLetters: number;
    channelStates: number;
    days: number;
  };
}

const EPOCH = new Date(0).toISOString();
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** A WhatsApp id as the channel stores it (wa_id: the number's digits, country code first); a leading + is allowed. */
const PHONE = /^\+?\d{6,15}$/;

/**
 * Erase one person's personal data on request. Everywhere the e-mail address
 * appears — events, tickets, live conversations, undelivered webhooks — the
 * address and the name are removed, the user id (and every id seen with that
 * address) becomes one random pseudonym, and the address is cut out of
 * question and transcript texts. What remains still counts in reports (the
 * pseudonym keeps the person's questions and tickets linked) but no longer
 * says who asked. The erasure itself is recorded as an event holding only a
 * hash of the address, so it can later be shown that the request was met.
 */
export async function erasePersonalData(deps: EraseDeps, subject: string): Promise<EraseResult> {
  const given = subject.trim().toLowerCase();
  // A person known only on WhatsApp has no address: their number is their user id everywhere (tickets, events, state).
  const phone = PHONE.test(given.replace(/[\s-]/g, '')) ? given.replace(/[\s+-]/g, '') : undefined;
  if (!phone && !EMAIL.test(given))
    throw new ValidationError('email: must be an e-mail address (or phone: a WhatsApp number)', [
      { field: 'email', message: 'must be an e-mail address' },
    ]);
  const target = phone ?? given;
  const pseudonym = `erased-${randomUUID().slice(0, 8)}`;
  const ids = phone ? new Set([phone]) : await idsOf(deps, target);
  const isSubject = (u?: { id?: string; email?: string }) =>
    !!u && ((!!u.email && u.email.trim().toLowerCase() === target) || (!!u.id && ids.has(u.id)));
  const scrub = phone ? numberScrubber(phone) : scrubber(target);
  const counts = { events: 0, tickets: 0, conversations: 0, deadLetters: 0, channelStates: 0, days: 0 };

  for (const day of await deps.events.days()) {
    // Today's file is still being appended to: read and rewrite it with appends held back.
    const changed = await deps.events.exclusive(async () => {
      const events = await deps.events.readDay(day);
      let n = 0;
      const out = events.map((e) => {
        const next = eraseInEvent(e, isSubject, pseudonym, scrub);
        if (next !== e) n++;
        return next;
      });
      if (n) await deps.events.rewriteDay(day, out);
      return n;
    });
    if (changed) {
      counts.events += changed;
      counts.days++;
      await deps.facts?.invalidate(day);
    }
  }

  for (const t of await deps.tickets.all()) {
    if (!isSubject({ id: t.userId, email: t.email }) && !JSON.stringify(t).toLowerCase().includes(target)) continue;
    await deps.tickets.update(t.id, (x) =>
      eraseInTicket(x, isSubject({ id: x.userId, email: x.email }), pseudonym, scrub),
    );
    counts.tickets++;
  }
  // A store that keeps the tickets report's facts beside the tickets (PostgreSQL) would keep her plan there
  // until the next report: reading an empty period makes every changed ticket's facts again now.
  if (counts.tickets) await deps.tickets.reportFacts?.(EPOCH, EPOCH);

  counts.conversations =
    (await deps.conversations?.eraseUser((c) => {
      if (!isSubject(c.user)) return false;
      // The predicate is the only way into the live conversations: scrub their transcripts on the way.
      for (const turn of c.turns) turn.text = scrub(turn.text);
      if (c.lastQuestion) c.lastQuestion = scrub(c.lastQuestion);
      return true;
    })) ?? 0;

  // Counted as `deadLetters`, the name erasure events have always recorded.
  if (deps.deliveries) {
    counts.deadLetters = await deps.deliveries.rewrite((d) => {
      const ticket = d.payload.ticket as Ticket | undefined;
      const subject = !!ticket && isSubject({ id: ticket.userId, email: ticket.email });
      if (!subject && !JSON.stringify(d.payload).toLowerCase().includes(target)) return undefined;
      if (!ticket) return JSON.parse(scrub(JSON.stringify(d.payload))) as Record<string, unknown>;
      eraseInTicket(ticket, subject, pseudonym, scrub);
      // A change's detail (the message, the rating) repeats text of the ticket: scrubbed alike.
      const { ticket: _ticket, ...detail } = d.payload;
      return { ...(JSON.parse(scrub(JSON.stringify(detail))) as Record<string, unknown>), ticket };
    });
  }

  // A mail to the person must not go out after they asked to be forgotten: dropped, and counted with the deliveries.
  if (deps.mail) {
    for (const d of await deps.mail.all()) {
      if (!JSON.stringify(d.payload).toLowerCase().includes(target)) continue;
      await deps.mail.delivered(d.id);
      counts.deadLetters++;
    }
  }

  if (deps.whatsapp) {
    for (const d of await deps.whatsapp.all()) {
      if (!isSubject({ id: d.payload.to as string | undefined }) && !JSON.stringify(d.payload).includes(target))
        continue;
      await deps.whatsapp.delivered(d.id);
      counts.deadLetters++;
    }
  }

  // Channel state is working memory (a half-finished ticket flow, a language):
  // an entry that names the person, or is keyed by one of their ids, is dropped whole.
  if (deps.channelState) {
    const idList = [...ids];
    counts.channelStates = await deps.channelState.eraseWhere((key, value) => {
      const text = JSON.stringify(value).toLowerCase();
      return (
        text.includes(target) ||
        idList.some((id) => key.includes(id) || text.includes(JSON.stringify(id).toLowerCase()))
      );
    });
  }

  const subjectHash = hashSubject(target);
  await deps.events.append({
    type: 'erasure',
    conversationId: `erasure:${randomUUID()}`,
    channel: 'api',
    lang: deps.defaultLang,
    subjectHash,
    counts,
  });
  log.info('privacy', 'personal data erased', { subjectHash, ...counts });
  return { subjectHash, counts };
}

/** The hash recorded for an erasure: the same address always gives the same hash, and the hash does not give the address back. */
export function hashSubject(email: string): string {
  return createHash('sha256').update(`deflect-erasure:${email.trim().toLowerCase()}`).digest('hex');
}

/** Every user id that appeared with this address, in events and tickets. */
async function idsOf(deps: EraseDeps, target: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const e of deps.events.read()) {
    if (e.type !== 'erasure' && e.user?.id && e.user.email?.trim().toLowerCase() === target) ids.add(e.user.id);
  }
  for (const t of await deps.tickets.all()) if (t.userId && t.email.trim().toLowerCase() === target) ids.add(t.userId);
  return ids;
}

/** A number cut out of texts with or without its +, never out of a longer number. */
function numberScrubber(digits: string): (text: string) => string {
  const pattern = new RegExp(`(?<!\\d)\\+?${digits}(?!\\d)`, 'g');
  return (text) => text.replace(pattern, '[erased]');
}

function scrubber(target: string): (text: string) => string {
  const pattern = new RegExp(target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return (text) => text.replace(pattern, '[erased]');
}

function eraseInEvent(
  e: DeflectEvent,
  isSubject: (u?: { id?: string; email?: string }) => boolean,
  pseudonym: string,
  scrub: (s: string) => string,
): DeflectEvent {
  if (e.type === 'erasure') return e;
  const subject = isSubject(e.user);
  const question = e.type === 'question' ? scrub(e.question) : undefined;
  const reply = 'reply' in e ? scrub(e.reply) : undefined;
  const questions = e.type === 'solved' ? e.questions.map(scrub) : undefined;
  const textChanged =
    (e.type === 'question' && question !== e.question) ||
    ('reply' in e && reply !== e.reply) ||
    (e.type === 'solved' && questions!.some((q, i) => q !== e.questions[i]));
  if (!subject && !textChanged) return e;
  const next = { ...e } as Exclude<DeflectEvent, { type: 'erasure' }> & {
    question?: string;
    reply?: string;
    questions?: string[];
  };
  if (subject) next.user = { id: pseudonym };
  if (e.type === 'question') next.question = question;
  if (e.type === 'solved') next.questions = questions;
  if ('reply' in e) next.reply = reply;
  return next;
}

function eraseInTicket(t: Ticket, subject: boolean, pseudonym: string, scrub: (s: string) => string): Ticket {
  if (subject) {
    t.email = '';
    t.name = undefined;
    t.userId = pseudonym;
    // The id her tickets were listed by ("my tickets") is hers: the ticket no longer lists under it.
    delete t.verifiedUserId;
    // Her verified attributes (plan, …) describe her, not the ticket; routing read them when it was opened.
    delete t.attributes;
  }
  t.subject = scrub(t.subject);
  if (t.description) t.description = scrub(t.description);
  if (t.failedQuestion) t.failedQuestion = scrub(t.failedQuestion);
  for (const turn of t.transcript) turn.text = scrub(turn.text);
  for (const n of t.notes) n.text = scrub(n.text);
  for (const m of t.messages ?? []) m.text = scrub(m.text);
  if (t.rating?.comment) t.rating.comment = scrub(t.rating.comment);
  return t;
}
