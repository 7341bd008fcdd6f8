import { Router } from 'express';
import { z } from 'zod';
import type { CoreServices } from '../../core/services.ts';
import { search } from '../../core/commands/search.ts';
import { validate } from '../validate.ts';
import { langField } from './fields.ts';

const searchSchema = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(200),
  lang: langField.optional(),
  tags: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

/** Search-as-you-type for the widget. */
export function searchRoutes(core: CoreServices): Router {
  const router = Router();
  router.get('/api/search', async (req, res) => {
    const q = validate(searchSchema, req.query);
    const tags = q.tags
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    res.json(await search(core, { q: q.q, lang: q.lang, tags, limit: q.limit }));
  });
  return router;
}
