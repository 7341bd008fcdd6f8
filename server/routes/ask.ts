import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { SecurityConfig } from '../../core/config/security.ts';
import type { CoreServices } from '../../core/services.ts';
import { askQuestion } from '../../core/commands/askQuestion.ts';
import { giveFeedback } from '../../core/commands/giveFeedback.ts';
import { verifyUser } from '../../core/identity/verifyUser.ts';
import { postReply } from '../presenters/postReply.ts';
import { validate } from '../validate.ts';
import { conversationId, langField, userField, userText } from './fields.ts';

/** Exported for bench/requestProfile.ts, which times validation. */
export const askSchema = z.strictObject({
  question: userText(2000).pipe(z.string().min(1, 'must not be empty')),
  conversationId: conversationId.optional(),
  lang: langField.optional(),
  tags: z.array(z.string().trim().min(1).max(60)).max(10).optional(),
  user: userField.optional(),
  articleId: z.string().min(1).max(300).optional(),
});

const feedbackSchema = z.strictObject({
  conversationId,
  articleId: z.string().min(1).max(300),
  helpful: z.boolean(),
  user: userField.optional(),
});

/**
 * The public conversation routes used by the widget. `before` runs ahead of
 * each handler, on these two routes only (the app's JSON body and rate
 * limits), so the app can mount them ahead of the routers they would
 * otherwise have to pass.
 */
export function askRoutes(core: CoreServices, security: SecurityConfig, before: RequestHandler[] = []): Router {
  const router = Router();
  const identify = (user: z.infer<typeof userField> | undefined) =>
    verifyUser(user, { secret: security.identitySecret, required: security.identityRequired });
  router.post('/api/ask', ...before, async (req, res) => {
    const { user, ...body } = validate(askSchema, req.body);
    const asker = identify(user);
    postReply(
      res,
      await askQuestion(core, { ...body, user: asker.user, audiences: asker.audiences, channel: 'widget' }),
    );
  });
  router.post('/api/feedback', ...before, async (req, res) => {
    const { user, ...body } = validate(feedbackSchema, req.body);
    const asker = identify(user);
    postReply(res, await giveFeedback(core, { ...body, user: asker.user, audiences: asker.audiences }));
  });
  return router;
}
