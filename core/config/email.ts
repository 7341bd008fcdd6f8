import { z } from 'zod';
import { num } from './shared.ts';

/** E-mail in (issue 19): the support mailbox read over IMAP; off unless IMAP_URL is set. */
export const emailEnv = z.object({
  /** The support mailbox: imap://user:password@host:143 or imaps://…:993 (user and password URL-encoded). Holds a password: never echoed or logged. */
  IMAP_URL: z.url({ protocol: /^imaps?$/, error: 'must be an imap:// or imaps:// URL' }).optional(),
  /** The folder new mail arrives in. */
  IMAP_MAILBOX: z.string().min(1).max(200).default('INBOX'),
  /** The address customers write to (the mailbox's); replies ask to be answered at its +token form. Default: MAIL_FROM's address. */
  EMAIL_ADDRESS: z
    .string()
    .regex(/^[^\s<>@+]+@[^\s<>@]+$/, 'must be a plain address without +')
    .optional(),
  /** Automatic replies one sender may get per hour; more mail from them still becomes tickets, silently. */
  EMAIL_AUTOREPLIES_PER_HOUR: num(5, 0, 1000),
  /** First wait before reconnecting to the IMAP server after a failure, in ms; doubles on each failure in a row. */
  IMAP_RECONNECT_MS: num(1000, 10, 600_000),
  /** Longest wait between reconnection attempts, in ms. */
  IMAP_RECONNECT_MAX_MS: num(300_000, 10, 3_600_000),
});

type EmailEnv = z.infer<typeof emailEnv>;

export interface EmailConfig {
  /** Kept only to connect: never logged. */
  imap: { host: string; port: number; secure: boolean; user: string; pass: string };
  mailbox: string;
  /** The support address, lower-case: its +token form is the Reply-To of every customer mail. */
  address: string;
  autoRepliesPerHour: number;
  reconnectMs: number;
  reconnectMaxMs: number;
}

/** IMAP_URL needs a user and a password: a URL without them could never log in. */
export function checkEmailEnv(env: EmailEnv, ctx: z.RefinementCtx): void {
  if (!env.IMAP_URL) {
    if (env.EMAIL_ADDRESS)
      ctx.addIssue({
        code: 'custom',
        path: ['EMAIL_ADDRESS'],
        message: 'needs IMAP_URL (e-mail in is off without it)',
      });
    return;
  }
  const url = new URL(env.IMAP_URL);
  if (!url.username || !url.password)
    ctx.addIssue({
      code: 'custom',
      path: ['IMAP_URL'],
      message: 'must name the user and password (imap://user:password@host)',
    });
}

/** The channel's settings, or undefined when it is off. `fromAddress`: MAIL_FROM's address, the default support address. */
export function emailConfig(env: EmailEnv, fromAddress: string): EmailConfig | undefined {
  if (!env.IMAP_URL) return undefined;
  const url = new URL(env.IMAP_URL);
  const secure = url.protocol === 'imaps:';
  return {
    imap: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : secure ? 993 : 143,
      secure,
      user: decodeURIComponent(url.username),
      pass: decodeURIComponent(url.password),
    },
    mailbox: env.IMAP_MAILBOX,
    address: (env.EMAIL_ADDRESS ?? fromAddress).toLowerCase(),
    autoRepliesPerHour: env.EMAIL_AUTOREPLIES_PER_HOUR,
    reconnectMs: env.IMAP_RECONNECT_MS,
    reconnectMaxMs: Math.max(env.IMAP_RECONNECT_MAX_MS, env.IMAP_RECONNECT_MS),
  };
}
