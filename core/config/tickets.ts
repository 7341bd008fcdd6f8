import { z } from 'zod';
import { num } from './shared.ts';

/** Where new tickets go besides the built-in store: a signed webhook to a help desk or an automation. */
export const ticketsEnv = z.object({
  /** POST each new ticket as JSON to this URL (http or https). Unset: tickets stay in the built-in store only. */
  WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Key for the X-Deflect-Signature HMAC-SHA256 header; required with WEBHOOK_URL, at least 16 characters. */
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Attempts per delivery before it is kept as dead (resent by `npm run kb -- retry-webhooks` or the admin API). */
  WEBHOOK_MAX_ATTEMPTS: num(5, 1, 20),
  /** Wait before the first retry, in ms; doubles on each further attempt. */
  WEBHOOK_BACKOFF_MS: num(2000, 0, 600_000),
  /** Time allowed for one attempt, in ms. */
  WEBHOOK_TIMEOUT_MS: num(10_000, 100, 120_000),
  /** Days a solved ticket stays solved, untouched, before it is closed (a later message opens a follow-up ticket). */
  TICKET_CLOSE_DAYS: num(4, 1, 365),
});

/** WEBHOOK_URL without WEBHOOK_SECRET would send unsigned tickets: refuse to start. */
export function checkTicketsEnv(env: { WEBHOOK_URL?: string; WEBHOOK_SECRET?: string }, ctx: z.RefinementCtx): void {
  if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET)
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required when WEBHOOK_URL is set' });
}

export interface WebhookConfig {
  url: string;
  secret: string;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

export interface TicketsConfig {
  webhook?: WebhookConfig;
  /** TICKET_CLOSE_DAYS. */
  closeDays: number;
}

export function ticketsConfig(env: z.infer<typeof ticketsEnv>): TicketsConfig {
  const closeDays = env.TICKET_CLOSE_DAYS;
  if (!env.WEBHOOK_URL || !env.WEBHOOK_SECRET) return { closeDays };
  return {
    closeDays,
    webhook: {
      url: env.WEBHOOK_URL,
      secret: env.WEBHOOK_SECRET,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    },
  };
}
