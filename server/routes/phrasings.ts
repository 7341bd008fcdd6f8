import { Router } from 'express';
import { z } from 'zod';
import { reportPhrasings } from '../../core/commands/reportPhrasings.ts';
import type { PhrasingsResponse } from '../../core/contracts/reports.ts';
import type { CoreServices } from '../../core/services.ts';
import type { authenticator } from '../auth.ts';
import { validate } from '../validate.ts';

const schema = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  minCount: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** Leads see the questions articles resolved, as candidate phrasings to add (written by `npm run kb -- phrasings --apply`). */
export function phrasingRoutes(core: CoreServices, requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  router.get('/api/reports/phrasings', requireRole('lead'), async (req, res) => {
    const q = validate(schema, req.query);
    const body: PhrasingsResponse = await reportPhrasings(core, q);
    res.json(body);
  });
  return router;
}
