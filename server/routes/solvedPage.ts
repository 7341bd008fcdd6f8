import express, { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../core/config/index.ts';
import type { CoreServices } from '../../core/services.ts';
import { NotFoundError } from '../../core/errors.ts';
import { confirmSolvedByEmail } from '../../core/commands/confirmSolvedByEmail.ts';
import { showMyTicket } from '../../core/commands/showMyTicket.ts';
import { followUpPath } from '../../core/tickets/followUpToken.ts';
import { followUpNotFoundPage } from '../presenters/followUpPage.ts';
import { solvedPage } from '../presenters/solvedPage.ts';
import { validate } from '../validate.ts';
import { TICKET_ID } from './myTickets.ts';

const query = z.object({ lang: z.enum(['es', 'en']).optional() });

/**
 * The "Yes, it is solved" link of an e-mail answer (`/follow/:id/:token/solved`):
 * GET shows a confirmation form and changes nothing; its POST solves the
 * ticket and confirms the answer (confirmSolvedByEmail). A wrong token is
 * the follow-up page's 404.
 */
export function solvedPageRoutes(core: CoreServices, config: Pick<Config, 'defaultLang' | 'maxBodyBytes'>): Router {
  const router = Router();
  const path = '/follow/:id/:token/solved';
  const form = express.urlencoded({ extended: false, limit: config.maxBodyBytes, parameterLimit: 10 });
  const keyOf = (params: Record<string, string>) => ({
    id: TICKET_ID.test(String(params.id)) ? String(params.id) : 'T-000000',
    token: String(params.token),
  });

  for (const method of ['get', 'post'] as const)
    router[method](path, form, async (req, res) => {
      const q = validate(query, req.query);
      const { id, token } = keyOf(req.params as Record<string, string>);
      res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      try {
        const done = method === 'post' ? await confirmSolvedByEmail(core, { id, token }) : undefined;
        const t = done?.ticket ?? (await showMyTicket(core, { id, token, lang: q.lang }));
        const followUp = followUpPath(id, token);
        res
          .type('html')
          .send(
            solvedPage(t, { lang: q.lang ?? t.lang, action: `${followUp}/solved`, followUp, done: !!done?.changed }),
          );
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
