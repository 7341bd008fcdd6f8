import { z } from 'zod';
import { bool, num } from './shared.ts';

/** Public-route protection: widget identity verification and rate limits. */
export const securityEnv = z.object({
  /** Shared secret for widget identity: the host site sends hash = HMAC-SHA256(secret, user id), hex. */
  IDENTITY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Refuse widget requests that carry a user without a valid hash (needs IDENTITY_SECRET). */
  IDENTITY_REQUIRED: bool.default(false),
  /** Questions per minute from one client address. */
  RATE_LIMIT_ASK_PER_MINUTE: num(60, 1, 100_000),
  /** Questions per minute within one conversation. */
  RATE_LIMIT_CONVERSATION_PER_MINUTE: num(20, 1, 100_000),
  /** Tickets per hour from one client address. */
  RATE_LIMIT_TICKETS_PER_HOUR: num(20, 1, 100_000),
});

export interface SecurityConfig {
  identitySecret?: string;
  identityRequired: boolean;
  rateLimits: { askPerMinute: number; conversationPerMinute: number; ticketsPerHour: number };
}

export function securityConfig(env: z.infer<typeof securityEnv>): SecurityConfig {
  return {
    identitySecret: env.IDENTITY_SECRET,
    identityRequired: env.IDENTITY_REQUIRED,
    rateLimits: {
      askPerMinute: env.RATE_LIMIT_ASK_PER_MINUTE,
      conversationPerMinute: env.RATE_LIMIT_CONVERSATION_PER_MINUTE,
      ticketsPerHour: env.RATE_LIMIT_TICKETS_PER_HOUR,
    },
  };
}

export function checkSecurityEnv(env: z.infer<typeof securityEnv>, ctx: z.RefinementCtx): void {
  if (env.IDENTITY_REQUIRED && !env.IDENTITY_SECRET)
    ctx.addIssue({ code: 'custom', path: ['IDENTITY_REQUIRED'], message: 'needs IDENTITY_SECRET' });
}
