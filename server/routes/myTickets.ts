import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Config } from '../../core/config/index.ts';
import type { CoreServices } from '../../core/services.ts';
import type { Lang, MyTicketMessageResponse } from '../../core/contracts/api.ts';
import { NotFoundError } from '../../core/errors.ts';
import { IdentityError, verifyUser } from '../../core/identity/verifyUser.ts';
import { listMyTickets } from '../../core/commands/listMyTickets.ts';
import { rateMyTicket } from '../../core/commands/rateMyTicket.ts';
import { showMyTicket } from '../../core/commands/showMyTicket.ts';
import { writeToMyTicket } from '../../core/commands/writeToMyTicket.ts';
import { followUpLink } from '../presenters/followUpLink.ts';
import { validate } from '../validate.ts';
import { userText } from './fields.ts';

export const TICKET_ID = /^T-\d{6,}$/;
const messageSchema = z.strictObject({ text: userText(5000).pipe(z.string().min(1, 'must not be empty')) });
export const ratingSchema = z.strictObject({
  score: z.enum(['good', 'bad']),
  comment: userText(2000).optional(),
});
const langQuery = z.object({ lang: z.enum(['es', 'en']).optional() });

/**
 * The customer follows their ticket (issue 17): with the ticket's follow-up
 * token as `Authorization: Bearer`, or as the verified widget user it
 * belongs to (the same identity HMAC as /api/ask, in X-Deflect-User and
 * X-Deflect-User-Hash), who also lists their tickets. A missing or wrong key
 * is 404, as a missing ticket.
 */
export function myTicketRoutes(core: CoreServices, config: Pick<Config, 'publicUrl' | 'security'>): Router {
  const router = Router();
  /** The verified user the identity headers vouch for, if any (the same HMAC as /api/ask's user). */
  const verifiedIdOf = (req: Request): string | undefined => {
    const asker = verifyUser(
      { id: req.get('x-deflect-user') || undefined, hash: req.get('x-deflect-user-hash') || undefined },
      { secret: config.security.identitySecret, required: false },
    ).user;
    return asker?.verified && asker.id ? asker.id : undefined;
  };
  // A ticket opens with its token, or for the verified user it belongs to (the widget's "My requests").
  const keyOf = (req: Request) => ({ token: tokenOf(req), verifiedUserId: verifiedIdOf(req) });
  router.get('/api/my/tickets', async (req, res) => {
    const verifiedUserId = verifiedIdOf(req);
    if (!verifiedUserId)
      throw new IdentityError('send a verified user: X-Deflect-User and X-Deflect-User-Hash = HMAC-SHA256(secret, id)');
    res.set('Cache-Control', 'no-store');
    res.json(await listMyTickets(core, { verifiedUserId, lang: langOf(req) }));
  });
  router.get('/api/my/tickets/:id', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await showMyTicket(core, { id: idOf(req), ...keyOf(req), lang: langOf(req) }));
  });
  router.post('/api/my/tickets/:id/messages', async (req, res) => {
    const id = idOf(req);
    const { text } = validate(messageSchema, req.body);
    const r = await writeToMyTicket(core, { id, ...keyOf(req), text });
    const body: MyTicketMessageResponse = {
      ticketId: r.ticketId,
      status: r.status,
      message: r.message,
      ...(r.followUpToken ? { followUp: followUpLink(config.publicUrl, r.ticketId, r.followUpToken) } : {}),
    };
    res.status(201).json(body);
  });
  router.post('/api/my/tickets/:id/rating', async (req, res) => {
    const id = idOf(req);
    const rating = validate(ratingSchema, req.body);
    const r = await rateMyTicket(core, { id, ...keyOf(req), ...rating });
    res.status(r.changed ? 200 : 201).json(r.ticket);
  });
  return router;
}

/** A malformed id is as unknown as a missing one: 404, never a hint about the format of real ones. */
function idOf(req: Request): string {
  const id = String(req.params.id);
  if (!TICKET_ID.test(id)) throw new NotFoundError('ticket', id.slice(0, 40));
  return id;
}

function tokenOf(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
}

function langOf(req: Request): Lang | undefined {
  return validate(langQuery, req.query).lang;
}
