import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, ipKeyGenerator, type Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { SecurityConfig } from '../core/config/security.ts';
import type { RedisCommands } from '../core/storage/ports.ts';

/**
 * Rate limits of the public routes (express-rate-limit). In memory when one
 * process owns the data directory; with REDIS_URL, counted in Redis, so a
 * limit holds across every instance behind a load balancer.
 * Per client address for asking and for tickets, and per conversation so one
 * chat cannot flood the engine from many addresses.
 */
export function rateLimits(
  limits: SecurityConfig['rateLimits'],
  redis?: RedisCommands,
): { ask: RequestHandler[]; tickets: RequestHandler; bot: (authenticated: boolean) => RequestHandler[] } {
  const base: Partial<Options> = {
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: tooMany,
    // The check that a limiter is not made inside a request handler reads a new Error's stack, and the first stack
    // of a process started with --enable-source-maps (npm start) parses the bundle's source map: 0.1-0.2 s of every
    // start. Every limiter here is made once, when the app is (createApp).
    validate: { creationStack: false },
  };
  // One store per limiter (express-rate-limit refuses a shared one), each under its own key prefix.
  const shared = (name: string): Partial<Options> =>
    redis
      ? {
          ...base,
          store: new RedisStore({
            sendCommand: (...args: string[]) => redis.sendCommand(args) as Promise<RedisReply>,
            prefix: `${redis.prefix}rl:${name}:`,
          }),
        }
      : base;
  return {
    ask: [
      rateLimit({ ...shared('ask-ip'), windowMs: 60_000, limit: limits.askPerMinute, keyGenerator: byAddress('ip') }),
      rateLimit({
        ...shared('ask-conversation'),
        windowMs: 60_000,
        limit: limits.conversationPerMinute,
        skip: (req) => typeof req.body?.conversationId !== 'string',
        keyGenerator: (req) => `conversation:${String(req.body.conversationId)}`,
      }),
    ],
    tickets: rateLimit({
      ...shared('tickets-ip'),
      windowMs: 3_600_000,
      limit: limits.ticketsPerHour,
      keyGenerator: byAddress('ip'),
    }),
    // Bot activities: per person and conversation always (a Teams channel is one
    // conversation shared by many people). Per address only when unauthenticated:
    // with an app id every activity comes, signed, from the Bot Framework's own
    // few addresses, and limiting those would throttle every Teams user at once.
    bot: (authenticated) => [
      ...(authenticated
        ? []
        : [
            rateLimit({
              ...shared('bot-ip'),
              windowMs: 60_000,
              limit: limits.askPerMinute,
              keyGenerator: byAddress('bot-ip'),
            }),
          ]),
      rateLimit({
        ...shared('bot-conversation'),
        windowMs: 60_000,
        limit: limits.conversationPerMinute,
        keyGenerator: (req) =>
          `bot:${String(req.body?.channelId)}:${String(req.body?.conversation?.id)}:${String(req.body?.from?.id)}`,
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
