import { Router } from 'express';
import { z } from 'zod';
import { eraseUser } from '../../core/commands/eraseUser.ts';
import { retryWebhooks } from '../../core/commands/retryWebhooks.ts';
import { retryWhatsAppReplies } from '../../core/commands/retryWhatsAppReplies.ts';
import { retryMails } from '../../core/commands/retryMails.ts';
import type { CoreServices } from '../../core/services.ts';
import type { authenticator } from '../auth.ts';
import { validate } from '../validate.ts';
import { emailField } from './fields.ts';

/** A person is named by their e-mail address, or (known only on WhatsApp) by their number as WhatsApp gives it. */
const eraseSchema = z.union([
  z.strictObject({ email: emailField }),
  z.strictObject({ phone: z.string().regex(/^\+?\d{6,15}$/, 'must be a WhatsApp number: digits, country code first') }),
]);

/** Admin operations: erase a person's data on request, resend undelivered webhooks and e-mails. */
export function privacyRoutes(core: CoreServices, requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  const admin = requireRole('admin');
  router.post('/api/admin/erase-user', admin, async (req, res) => {
    res.json(await eraseUser(core, validate(eraseSchema, req.body)));
  });
  router.post('/api/admin/webhooks/retry', admin, async (_req, res) => {
    res.json(await retryWebhooks(core));
  });
  router.post('/api/admin/mail/retry', admin, async (_req, res) => {
    res.json(await retryMails(core));
  });
  router.post('/api/admin/whatsapp/retry', admin, async (_req, res) => {
    res.json(await retryWhatsAppReplies(core));
  });
  return router;
}
