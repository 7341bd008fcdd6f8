import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../core/config/index.ts';
import type { CoreServices } from '../../core/services.ts';
import { NotFoundError } from '../../core/errors.ts';
import { showMyTicket } from '../../core/commands/showMyTicket.ts';
import { followUpPath } from '../../core/tickets/followUpToken.ts';
import { followUpNotFoundPage } from '../presenters/followUpPage.ts';
import { satisfactionPage } from '../presenters/satisfactionPage.ts';
import { validate } from '../validate.ts';
import { TICKET_ID } from './myTickets.ts';

const query = z.object({ score: z.enum(['good', 'bad']), lang: z.enum(['es', 'en']).optional() });

/**
 * The satisfaction link of the solved e-mail (`/follow/:id/:token/rate?score=good`):
 * GET only shows a confirmation form, so a mail scanner following the link
 * records nothing; the form posts to the follow-up page's rating route,
 * which rates through rateMyTicket. A wrong token is the follow-up page's 404.
 */
export function satisfactionPageRoutes(core: CoreServices, config: Pick<Config, 'defaultLang'>): Router {
  const router = Router();
  router.get('/follow/:id/:token/rate', async (req, res) => {
    const q = validate(query, req.query);
    const id = TICKET_ID.test(String(req.params.id)) ? String(req.params.id) : 'T-000000';
    const token = String(req.params.token);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    try {
      const t = await showMyTicket(core, { id, token, lang: q.lang });
      const lang = q.lang ?? t.lang;
      res.type('html').send(satisfactionPage(t, { lang, action: followUpPath(id, token), score: q.score }));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      res
        .status(404)
        .type('html')
        .send(followUpNotFoundPage(q.lang ?? config.defaultLang));
    }
  });
  return router;
}
