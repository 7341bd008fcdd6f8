import { Router } from 'express';
import { z } from 'zod';
import type { CoreServices } from '../../core/services.ts';
import { askQuestion } from '../../core/conversations/askQuestion.ts';
import { giveFeedback } from '../../core/conversations/giveFeedback.ts';
import { validate } from '../validate.ts';
import { conversationId, langField, userField } from './fields.ts';

const askSchema = z.strictObject({
  question: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
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
});

/** The public conversation routes used by the widget. */
export function askRoutes(core: CoreServices): Router {
  const router = Router();
  router.post('/api/ask', async (req, res) => {
    const body = validate(askSchema, req.body);
    res.json(await askQuestion(core, { ...body, channel: 'widget' }));
  });
  router.post('/api/feedback', async (req, res) => {
    const body = validate(feedbackSchema, req.body);
    res.json(await giveFeedback(core, body));
  });
  return router;
}
