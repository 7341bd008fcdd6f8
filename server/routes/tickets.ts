import { Router } from 'express';
import { z } from 'zod';
import type { SecurityConfig } from '../../core/config/security.ts';
import type { CoreServices } from '../../core/services.ts';
import { verifyUser } from '../../core/identity/verifyUser.ts';
import { openTicket } from '../../core/commands/openTicket.ts';
import { validate } from '../validate.ts';
import { conversationId, emailField, userField, userText } from './fields.ts';

const createSchema = z.strictObject({
  conversationId: conversationId.optional(),
  email: emailField,
  name: userText(200).optional(),
  subject: userText(200).optional(),
  description: userText(5000).optional(),
  user: userField.optional(),
});

/** Public ticket creation (the widget's "talk to a person"). */
export function ticketRoutes(core: CoreServices, security: SecurityConfig): Router {
  const router = Router();
  router.post('/api/tickets', async (req, res) => {
    const { user, ...body } = validate(createSchema, req.body);
    const asker = verifyUser(user, { secret: security.identitySecret, required: security.identityRequired }).user;
    const created = await openTicket(core, {
      ...body,
      userId: asker?.verified ? asker.id : undefined,
      asker,
      channel: 'widget',
    });
    res.status(201).json({ id: created.id, status: created.status });
  });
  return router;
}
