import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../core/config/index.ts';
import type { Lang } from '../../core/contracts/api.ts';
import type { CoreServices } from '../../core/services.ts';
import { DeflectError, NotFoundError } from '../../core/errors.ts';
import { rateMyTicket } from '../../core/commands/rateMyTicket.ts';
import { showMyTicket } from '../../core/commands/showMyTicket.ts';
import { writeToMyTicket } from '../../core/commands/writeToMyTicket.ts';
import { followUpPath } from '../../core/tickets/followUpToken.ts';
import { statusOf } from '../errors.ts';
import { followUpNotFoundPage, followUpPage, type PageNotice } from '../presenters/followUpPage.ts';
import { validate } from '../validate.ts';
import { userText } from './fields.ts';
import { ratingSchema, TICKET_ID } from './myTickets.ts';

const query = z.object({
  lang: z.enum(['es', 'en']).optional(),
  done: z.enum(['sent', 'rated', 'follow_up']).optional(),
});
const replyForm = z.object({ text: userText(5000).pipe(z.string().min(1, 'must not be empty')) });
const ratingForm = ratingSchema.extend({ comment: userText(2000).optional() }).strip();

/**
 * The page behind the follow-up link (`/follow/:id/:token`): server-rendered,
 * so it works with JavaScript off; its forms POST here and are answered with
 * a redirect back (post/redirect/get). The token in the path is the only key:
 * the page is never cached and never sends a referrer.
 */
export function followUpPageRoutes(core: CoreServices, config: Pick<Config, 'defaultLang' | 'maxBodyBytes'>): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: config.maxBodyBytes, parameterLimit: 10 });
  const base = '/follow/:id/:token';

  router.get(base, async (req, res) => {
    const q = validate(query, req.query);
    await render(req, res, q.lang, { notice: q.done });
  });
  router.post(`${base}/messages`, form, async (req, res) => {
    await act(req, res, async ({ id, token }) => {
      const { text } = validate(replyForm, req.body);
      const r = await writeToMyTicket(core, { id, token, text });
      return r.followUpToken
        ? `${followUpPath(r.ticketId, r.followUpToken)}?done=follow_up`
        : `${followUpPath(id, token)}?done=sent`;
    });
  });
  router.post(`${base}/rating`, form, async (req, res) => {
    await act(req, res, async ({ id, token }) => {
      const rating = validate(ratingForm, { ...req.body, comment: req.body?.comment || undefined });
      await rateMyTicket(core, { id, token, ...rating });
      return `${followUpPath(id, token)}?done=rated`;
    });
  });

  async function render(
    req: Request,
    res: Response,
    lang?: Lang,
    extra: { notice?: PageNotice; error?: string } = {},
    status = 200,
  ) {
    const { id, token } = keyOf(req);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    try {
      const t = await showMyTicket(core, { id, token, lang });
      res
        .status(status)
        .type('html')
        .send(followUpPage(t, { lang: lang ?? t.lang, action: followUpPath(id, token), ...extra }));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      res
        .status(404)
        .type('html')
        .send(followUpNotFoundPage(lang ?? pageLang(req, config.defaultLang)));
    }
  }

  /** Run a form's action and redirect; a refused one (empty text, not solved yet) shows the page with the reason. */
  async function act(req: Request, res: Response, run: (key: { id: string; token: string }) => Promise<string>) {
    try {
      res.redirect(303, await run(keyOf(req)));
    } catch (error) {
      if (!(error instanceof DeflectError)) throw error;
      if (error instanceof NotFoundError) return render(req, res);
      await render(req, res, undefined, { error: error.code }, statusOf(error.code));
    }
  }
  return router;
}

/** A malformed id is handled as an unknown one: the same 404 page. */
function keyOf(req: Request): { id: string; token: string } {
  const id = String(req.params.id);
  return { id: TICKET_ID.test(id) ? id : 'T-000000', token: String(req.params.token) };
}

function pageLang(req: Request, fallback: Lang): Lang {
  // "*" or no header says nothing: DEFAULT_LANG rather than whichever language is listed first here.
  if (!/\b(es|en)\b/i.test(req.get('accept-language') ?? '')) return fallback;
  const accepted = req.acceptsLanguages('es', 'en');
  return accepted === 'es' || accepted === 'en' ? accepted : fallback;
}
