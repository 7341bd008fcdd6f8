import { z } from 'zod';
import { num } from './shared.ts';

/** E-mail to the customer (issue 17): on a new ticket, each public agent reply, and when it is solved. */
export const mailEnv = z.object({
  /** SMTP server for the customer's e-mails, e.g. smtp://user:pass@mail:587 or smtps://…:465; unset = each mail is written to DATA_DIR/outbox as an .eml file instead. May hold a password: never echoed. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** The From of the customer's e-mails: an address, or `Name <address>`. */
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be an address or "Name <address>"')
    .default('Deflect <deflect@localhost>'),
  /** Key (at least 32 characters) that seals each ticket's follow-up link for the mails after the first; unset = a random key kept in the data directory or the database. */
  MAIL_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Attempts per e-mail before it is kept as dead. */
  MAIL_MAX_ATTEMPTS: num(8, 1, 30),
  /** Wait before the first retry of an e-mail, in ms; doubles on each further attempt. */
  MAIL_BACKOFF_MS: num(30_000, 0, 3_600_000),
  /** Time allowed for one SMTP attempt, in ms. */
  MAIL_TIMEOUT_MS: num(30_000, 100, 300_000),
});

export interface MailConfig {
  /** Unset: the outbox in DATA_DIR/outbox. */
  smtpUrl?: string;
  from: string;
  /** The address part of MAIL_FROM: its domain names the Message-IDs. */
  fromAddress: string;
  linkSecret?: string;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

export function mailConfig(env: z.infer<typeof mailEnv>): MailConfig {
  const from = env.MAIL_FROM;
  return {
    ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
    from,
    fromAddress: /<([^<>]+)>/.exec(from)?.[1] ?? from,
    ...(env.MAIL_LINK_SECRET ? { linkSecret: env.MAIL_LINK_SECRET } : {}),
    maxAttempts: env.MAIL_MAX_ATTEMPTS,
    backoffMs: env.MAIL_BACKOFF_MS,
    timeoutMs: env.MAIL_TIMEOUT_MS,
  };
}
