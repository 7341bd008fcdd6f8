import { ImapFlow } from 'imapflow';
import type { EmailConfig } from '../core/config/email.ts';
import { readCursor, writeCursor, type MailboxCursor } from '../core/email/emailState.ts';
import { log } from '../core/logger.ts';
import type { KeyValueRepository } from '../core/storage/ports.ts';

export interface ImapMailboxOptions {
  config: EmailConfig;
  /** Where the cursor is kept: the channels' shared state. */
  state: () => Promise<KeyValueRepository<Record<string, unknown>>>;
  /** Handle one message; a rejection leaves it (and those after it) for the next connection. */
  onMessage: (raw: Buffer, uid: number) => Promise<unknown>;
}

/** Polls as a safety net even while IDLE: a server that drops an EXISTS notification delays mail by at most this. */
const POLL_MS = 60_000;

/**
 * The support mailbox over IMAP (imapflow): connects, processes every
 * message after the last one processed, then IDLEs and processes each new
 * one as the server announces it; reconnects with exponential backoff
 * (IMAP_RECONNECT_MS doubling up to IMAP_RECONNECT_MAX_MS) after any failure.
 *
 * The cursor (core/email/emailState.ts) is the mailbox's UIDVALIDITY and the
 * last UID processed, moved after each message is handled. UIDs mean
 * nothing under another UIDVALIDITY (the mailbox was rebuilt or replaced),
 * and so on the first start: then the unseen messages are processed and the
 * cursor starts at the newest message; messages already handled are known
 * by their Message-ID (claimed once each), so none is processed twice. Each
 * handled message is flagged \Seen.
 */
export class ImapMailbox {
  private stopped = false;
  private client: ImapFlow | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Another pass is wanted: the server announced mail since the last drain began (it may do so during any command, not only IDLE), or nextPass asked. */
  private passWanted = false;
  private readonly processed = new Set<() => void>();
  /** Messages handled since start (tests wait on it). */
  handled = 0;

  constructor(private readonly options: ImapMailboxOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Log out and stop reconnecting; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const client = this.client;
    if (client?.usable) await client.logout().catch(() => client.close());
    else client?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { config } = this.options;
    let failures = 0;
    while (!this.stopped) {
      const client = new ImapFlow({
        host: config.imap.host,
        port: config.imap.port,
        secure: config.imap.secure,
        auth: { user: config.imap.user, pass: config.imap.pass },
        // imapflow's own log lines may carry the user name: ours are enough.
        logger: false,
        // IDLE is started by nextChange, inside the mailbox lock, where auto-IDLE does not start.
        disableAutoIdle: true,
        connectionTimeout: 30_000,
      });
      // Without a listener an 'error' would end the process; the loop below reconnects instead.
      client.on('error', (error: Error) => log.warn('email', 'IMAP connection error', { error: cleanError(error) }));
      client.on('exists', () => {
        this.passWanted = true;
        this.wake?.();
      });
      this.client = client;
      try {
        await client.connect();
        const lock = await client.getMailboxLock(config.mailbox);
        try {
          failures = 0;
          log.info('email', 'reading the support mailbox', { mailbox: config.mailbox });
          while (!this.stopped && client.usable) {
            await this.drain(client);
            await this.nextChange(client);
          }
        } finally {
          lock.release();
        }
      } catch (error) {
        if (!this.stopped) log.warn('email', 'IMAP session ended', { error: cleanError(error as Error) });
      } finally {
        client.close();
      }
      if (this.stopped) break;
      const wait = Math.min(config.reconnectMaxMs, config.reconnectMs * 2 ** failures);
      failures++;
      log.info('email', 'reconnecting to the IMAP server', { inMs: wait });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Every message after the cursor, oldest first, each handled before the cursor moves past it. */
  private async drain(client: ImapFlow): Promise<void> {
    this.passWanted = false;
    const mailbox = client.mailbox;
    if (!mailbox) throw new Error('no mailbox selected');
    const state = await this.options.state();
    const uidValidity = String(mailbox.uidValidity);
    const saved = await readCursor(state, this.options.config.mailbox);
    let cursor: MailboxCursor;
    let uids: number[];
    if (!saved || saved.uidValidity !== uidValidity) {
      if (saved) log.warn('email', 'the mailbox UIDVALIDITY changed: rescanning its unseen messages', {});
      // Start over: the unseen messages; those handled before are known by their Message-ID.
      cursor = { uidValidity, lastUid: Math.max(0, (mailbox.uidNext ?? 1) - 1) };
      uids = ((await client.search({ seen: false }, { uid: true })) || []).filter((u) => u <= cursor.lastUid);
      uids.push(...(await this.after(client, cursor.lastUid)));
    } else {
      cursor = saved;
      uids = await this.after(client, cursor.lastUid);
    }
    for (const uid of [...new Set(uids)].sort((a, b) => a - b)) {
      if (this.stopped) return;
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (message && message.source) {
        await this.options.onMessage(message.source, uid);
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
      this.handled++;
      cursor = { uidValidity, lastUid: Math.max(cursor.lastUid, uid) };
      await writeCursor(state, this.options.config.mailbox, cursor);
    }
    if (!saved || saved.uidValidity !== uidValidity || saved.lastUid !== cursor.lastUid)
      await writeCursor(state, this.options.config.mailbox, cursor);
    for (const notify of this.processed) notify();
  }

  /** UIDs above `lastUid` ("n:*" also matches the newest message when none is above n). */
  private async after(client: ImapFlow, lastUid: number): Promise<number[]> {
    const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
    return found.filter((u) => u > lastUid);
  }

  /** Until the server announces new mail (during IDLE), the connection ends, a poll is due, or stop(). */
  private nextChange(client: ImapFlow): Promise<void> {
    if (this.passWanted || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('close', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      client.on('close', done);
      this.wake = done;
      // The next command (the drain's search) ends the IDLE; a failed one ends the session through 'close'.
      client.idle().catch(() => undefined);
    });
  }

  /** Resolves after the next pass over the mailbox ends (tests). */
  nextPass(): Promise<void> {
    return new Promise<void>((resolve) => {
      const once = () => {
        this.processed.delete(once);
        resolve();
      };
      this.processed.add(once);
      this.passWanted = true;
      this.wake?.();
    });
  }
}

/** An imapflow error names the server's response, never the password; URLs in it are masked by the logger anyway. */
function cleanError(error: Error): Error {
  const e = error as Error & { responseText?: string; code?: string };
  return Object.assign(new Error(e.responseText ?? e.message), { name: e.code ?? e.name });
}
