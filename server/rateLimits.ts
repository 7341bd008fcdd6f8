import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, ipKeyGenerator, type Options } from 'express-rate-limit';
import type { SecurityConfig } from '../core/config/security.ts';

/**
 * Rate limits of the public routes (express-rate-limit, in memory: one
 * process owns a data directory, so one process sees all its traffic).
 * Per client address for asking and for tickets, and per conversation so one
 * chat cannot flood the engine from many addresses.
 */
export function rateLimits(limits: SecurityConfig['rateLimits']): { ask: RequestHandler[]; tickets: RequestHandler; bot: (authenticated: boolean) => RequestHandler[] } {
  const common: Partial<Options> = { standardHeaders: 'draft-7', legacyHeaders: false, handler: tooMany };
  return {
    ask: [
      rateLimit({ ...common, windowMs: 60_000, limit: limits.askPerMinute, keyGenerator: byAddress('ip') }),
      rateLimit({
        ...common,
        windowMs: 60_000,
        limit: limits.conversationPerMinute,
        skip: (req) => typeof req.body?.conversationId !== 'string',
        keyGenerator: (req) => `conversation:${String(req.body.conversationId)}`,
      }),
    ],
    tickets: rateLimit({ ...common, windowMs: 3_600_000, limit: limits.ticketsPerHour, keyGenerator: byAddress('ip') }),
    // Bot activities: per person and conversation always (a Teams channel is one
    // conversation shared by many people). Per address only when unauthenticated:
    // with an app id every activity comes, signed, from the Bot Framework's own
    // few addresses, and limiting those would throttle every Teams user at once.
    bot: (authenticated) => [
      ...(authenticated ? [] : [rateLimit({ ...common, windowMs: 60_000, limit: limits.askPerMinute, keyGenerator: byAddress('bot-ip') })]),
      rateLimit({
        ...common,
        windowMs: 60_000,
        limit: limits.conversationPerMinute,
        keyGenerator: (req) => `bot:${String(req.body?.channelId)}:${String(req.body?.conversation?.id)}:${String(req.body?.from?.id)}`,
      }),
    ],
  };
}

/** A limiter key per client address (IPv6 grouped by prefix, as express-rate-limit advises). */
function byAddress(prefix: string): (req: Request) => string {
  return (req) => `${prefix}:${ipKeyGenerator(req.ip ?? 'unknown')}`;
}

function tooMany(req: Request, res: Response): void {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
  res.set('Retry-After', String(seconds));
  res.status(429).json({ error: { code: 'rate_limited', message: `Too many requests; try again in ${seconds} s` } });
}
