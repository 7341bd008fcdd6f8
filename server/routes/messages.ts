import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Config } from '../../core/config/index.ts';
import type { CoreServices } from '../../core/services.ts';
import { createBotEndpoint } from '../../bot/botEndpoint.ts';
import { requireJson } from '../errors.ts';
import { validate } from '../validate.ts';

/** The fields the bot relies on; the rest of the activity passes through to botbuilder untouched. */
const activitySchema = z.looseObject({
  type: z.string().min(1).max(100),
  channelId: z.string().min(1).max(100),
  serviceUrl: z.string().min(1).max(2000),
  conversation: z.looseObject({ id: z.string().min(1).max(2000) }),
  from: z.looseObject({ id: z.string().min(1).max(2000) }),
  deliveryMode: z.string().max(50).optional(),
});

/**
 * Bot Framework endpoint (Teams, Web Chat, Emulator). It parses its own body:
 * activities are larger than widget requests, so it is mounted before the
 * /api JSON parser with its own limit (BOT_MAX_BODY_BYTES).
 */
export function messagesRoutes(core: CoreServices, config: Config, limits: RequestHandler[] = []): Router {
  const router = Router();
  const bot = createBotEndpoint(core, config);
  router.post(
    '/api/messages',
    requireJson,
    express.json({ limit: config.bot.maxBodyBytes, strict: true }),
    ...limits,
    async (req, res) => {
      const activity = validate(activitySchema, req.body);
      const result = await bot.handle({ activity, authorization: req.get('authorization') });
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    },
  );
  return router;
}
