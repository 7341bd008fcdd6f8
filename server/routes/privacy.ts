import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../core/config/index.ts';
import { DeflectError } from '../../core/errors.ts';
import { eraseUser } from '../../core/privacy/eraseUser.ts';
import type { FactStore } from '../../core/reports/factStore.ts';
import type { CoreServices } from '../../core/services.ts';
import { webhookSinkOf } from '../../core/tickets/createSinks.ts';
import { DeadLetterFile } from '../../core/tickets/deadLetter.ts';
import type { authenticator } from '../auth.ts';
import { validate } from '../validate.ts';
import { emailField } from './fields.ts';

const eraseSchema = z.strictObject({ email: emailField });

/** Admin operations: erase a person's data on request, resend undelivered webhooks. */
export function privacyRoutes(core: CoreServices, config: Config, facts: FactStore, requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  const admin = requireRole('admin');
  router.post('/api/admin/erase-user', admin, async (req, res) => {
    const { email } = validate(eraseSchema, req.body);
    const deadLetters = webhookSinkOf(core.sinks)?.deadLetters ?? DeadLetterFile.forDataDir(config.dataDir);
    const channelState = await core.channelState?.();
    const result = await eraseUser({ events: core.events, tickets: core.tickets, conversations: core.conversations, deadLetters, facts, channelState, defaultLang: core.defaultLang }, email);
    res.json(result);
  });
  router.post('/api/admin/webhooks/retry', admin, async (_req, res) => {
    const sink = webhookSinkOf(core.sinks);
    if (!sink) throw new DeflectError('conflict', 'No webhook is configured: set WEBHOOK_URL and WEBHOOK_SECRET');
    res.json(await sink.retryDeadLetters());
  });
  return router;
}
