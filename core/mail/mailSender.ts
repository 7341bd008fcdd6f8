import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { MailConfig } from '../config/mail.ts';
import { writeFileAtomic } from '../storage/atomicFile.ts';
import type { Delivery } from '../storage/ports.ts';
import type { DeliverySender } from '../tickets/deliveryWorker.ts';
import type { Attempt } from '../tickets/postWebhook.ts';
import type { OutgoingMail } from './composeMail.ts';

/**
 * Headers on every mail: it was written by a machine in answer to something
 * (RFC 3834), so well-behaved autoresponders do not answer it and loops end.
 */
const AUTOMATIC = { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' };

/**
 * What the mail worker sends each queued mail with: the SMTP server of
 * SMTP_URL, or, without it, an .eml file in DATA_DIR/outbox (named by the
 * delivery, so a retry rewrites the same file) that the demo can show.
 * nodemailer builds the MIME message either way.
 */
export function createMailSender(config: MailConfig, dataDir: string): DeliverySender {
  const policy = {
    category: 'mail',
    maxAttempts: config.maxAttempts,
    backoffMs: config.backoffMs,
    timeoutMs: config.timeoutMs,
  };
  if (!config.smtpUrl) {
    const outbox = path.join(dataDir, 'outbox');
    const transport = onFirstUse((nodemailer) =>
      nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
    );
    return {
      ...policy,
      async send(d) {
        try {
          const info = await (await transport()).sendMail(messageOf(config, d));
          await fs.mkdir(outbox, { recursive: true });
          await writeFileAtomic(path.join(outbox, outboxName(d)), info.message as Buffer);
          return { ok: true };
        } catch (error) {
          return { ok: false, retry: true, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
        }
      },
    };
  }
  const smtpUrl = config.smtpUrl;
  const transport = onFirstUse((nodemailer) =>
    nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
    }),
  );
  return {
    ...policy,
    async send(d, signal) {
      try {
        // A signal of its own per send: the worker's one is shared by a whole batch, and nodemailer listens on it.
        await (await transport()).sendMail({ ...messageOf(config, d), signal: AbortSignal.any([signal]) });
        return { ok: true };
      } catch (error) {
        return smtpFailure(error as Error & { responseCode?: number; code?: string });
      }
    },
  };
}

/**
 * The transport, made on the first mail: nodemailer is loaded then, not at
 * start, as most servers send no mail for a long while (or ever).
 */
function onFirstUse(
  make: (nodemailer: (typeof import('nodemailer'))['default']) => Transporter,
): () => Promise<Transporter> {
  let transport: Promise<Transporter> | undefined;
  return () => (transport ??= import('nodemailer').then((m) => make(m.default)));
}

/** The queued mail as nodemailer's message: the From is the configured one, whatever the queue holds. */
function messageOf(config: MailConfig, d: Delivery) {
  const mail = d.payload.mail as OutgoingMail;
  return {
    from: config.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references ? { references: mail.references } : {}),
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    headers: AUTOMATIC,
  };
}

/**
 * A 5xx reply is the server refusing this mail as it is (no such mailbox):
 * kept dead for an operator rather than retried. Anything else (4xx,
 * connection refused, timeout) may pass later. Only the code is kept: the
 * server's reply text may echo the address.
 */
function smtpFailure(error: Error & { responseCode?: number; code?: string }): Attempt {
  const status = error.responseCode;
  if (status && status >= 500) return { ok: false, retry: false, error: `SMTP ${status}` };
  return { ok: false, retry: true, error: status ? `SMTP ${status}` : (error.code ?? error.name) };
}

/** Oldest first when listed, one file per delivery: `2026-12-06T00-00-00-000Z-T-000001-created-1a2b3c4d.eml`. */
function outboxName(d: Delivery): string {
  const ticketId = String(d.payload.ticketId ?? 'ticket').replace(/[^\w-]/g, '');
  return `${d.createdAt.replace(/[:.]/g, '-')}-${ticketId}-${d.event.replace(/^mail\./, '')}-${d.id.slice(0, 8)}.eml`;
}
