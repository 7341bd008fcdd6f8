import { Router } from 'express';
import { z } from 'zod';
import type { CoreServices } from '../../core/services.ts';
import { openTicket } from '../../core/tickets/openTicket.ts';
import { validate } from '../validate.ts';
import { conversationId, emailField } from './fields.ts';

const createSchema = z.strictObject({
  conversationId: conversationId.optional(),
  email: emailField,
  name: z.string().trim().max(200).optional(),
  subject: z.string().trim().max(200).optional(),
  description: z.string().trim().max(5000).optional(),
});

/** Public ticket creation (the widget's "talk to a person"). */
export function ticketRoutes(core: CoreServices): Router {
  const router = Router();
  router.post('/api/tickets', async (req, res) => {
    const body = validate(createSchema, req.body);
    const created = await openTicket(core, { ...body, channel: 'widget' });
    res.status(201).json({ id: created.id, status: created.status });
  });
  return router;
}
