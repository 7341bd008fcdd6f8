import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../core/config/index.ts';
import type { CreateTicketResponse } from '../../core/contracts/api.ts';
import type { CoreServices } from '../../core/services.ts';
import { verifyUser } from '../../core/identity/verifyUser.ts';
import { openTicket } from '../../core/commands/openTicket.ts';
import { followUpLink } from '../presenters/followUpLink.ts';
import { validate } from '../validate.ts';
import { followUpPageRoutes } from './followUpPage.ts';
import { myTicketRoutes } from './myTickets.ts';
import { conversationId, emailField, userField, userText } from './fields.ts';

const createSchema = z.strictObject({
  conversationId: conversationId.optional(),
  email: emailField,
  name: userText(200).optional(),
  subject: userText(200).optional(),
  description: userText(5000).optional(),
  user: userField.optional(),
  lang: z.enum(['es', 'en']).optional(),
});

/** The IETF draft's header: printable ASCII; 16+ characters so that it is unguessable (a UUID is 36). */
const idempotencySchema = z.strictObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{16,255}$/, 'from 16 to 255 printable ASCII characters, such as a random UUID')
    .optional(),
});

/** Public ticket routes: creation (the widget's "talk to a person"), and the customer following it (JSON and page). */
export function ticketRoutes(
  core: CoreServices,
  config: Pick<Config, 'security' | 'publicUrl' | 'defaultLang' | 'maxBodyBytes'>,
): Router {
  const { security } = config;
  const router = Router();
  router.post('/api/tickets', async (req, res) => {
    const { user, ...body } = validate(createSchema, req.body);
    const idempotencyKey = validate(idempotencySchema, {
      'idempotency-key': req.get('Idempotency-Key'),
    })['idempotency-key'];
    const asker = verifyUser(user, { secret: security.identitySecret, required: security.identityRequired }).user;
    const created = await openTicket(core, {
      ...body,
      userId: asker?.verified ? asker.id : undefined,
      asker,
      channel: 'widget',
      idempotencyKey,
    });
    const response: CreateTicketResponse = {
      id: created.id,
      status: created.status,
      followUp: followUpLink(config.publicUrl, created.id, created.followUpToken),
    };
    // A replay answers as the first attempt did (201, the same body), and says it is one.
    if (created.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).json(response);
  });
  router.use(myTicketRoutes(core, config));
  router.use(followUpPageRoutes(core, config));
  return router;
}
