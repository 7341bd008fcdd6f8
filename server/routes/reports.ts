import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { DraftResponse, TicketReportResponse } from '../../core/contracts/reports.ts';
import { draftFromGap } from '../../core/commands/draftFromGap.ts';
import { readDashboard } from '../../core/commands/readDashboard.ts';
import { reportArticles } from '../../core/commands/reportArticles.ts';
import { reportCsat } from '../../core/commands/reportCsat.ts';
import { reportDeflection } from '../../core/commands/reportDeflection.ts';
import { reportGaps } from '../../core/commands/reportGaps.ts';
import { reportTickets } from '../../core/commands/reportTickets.ts';
import { CSAT_GROUP_BY } from '../../core/reports/csat.ts';
import { toCsv } from '../../core/reports/csv.ts';
import { GROUP_BY } from '../../core/reports/deflection.ts';
import { TICKET_GROUP_BY } from '../../core/reports/tickets.ts';
import type { CoreServices } from '../../core/services.ts';
import type { authenticator } from '../auth.ts';
import { dashboardData } from '../presenters/dashboard.ts';
import { csatRows } from '../presenters/csatRows.ts';
import { gapRows } from '../presenters/gapRows.ts';
import { validate } from '../validate.ts';

const period = {
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  windowDays: z.coerce.number().int().min(0).max(365).optional(),
  format: z.enum(['json', 'csv']).optional(),
};
const deflectionSchema = z.strictObject({ ...period, groupBy: z.enum(GROUP_BY).default('day') });
const periodSchema = z.strictObject(period);
// Only the charts' text depends on it; the CSV reports stay in machine names.
const dashboardSchema = z.strictObject({ ...period, lang: z.enum(['es', 'en']).default('en') });
const gapsSchema = z.strictObject({ ...period, limit: z.coerce.number().int().min(1).max(500).default(50) });
const draftSchema = z.strictObject({ from: period.from, to: period.to, windowDays: period.windowDays });
const csatSchema = z.strictObject({
  from: period.from,
  to: period.to,
  format: period.format,
  groupBy: z.enum(CSAT_GROUP_BY).default('category'),
});
const ticketsSchema = z.strictObject({
  from: period.from,
  to: period.to,
  format: period.format,
  groupBy: z.enum(TICKET_GROUP_BY).default('day'),
});
const gapId = z.string().regex(/^gap-[0-9a-f]{10}$/, 'must be a gap id such as gap-0123456789');

/** Leads' reports (JSON or CSV), drafts from gaps, and the dashboard's data. */
export function reportRoutes(core: CoreServices, requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  const lead = requireRole('lead');

  router.get('/api/reports/deflection', lead, async (req, res) => {
    const q = validate(deflectionSchema, req.query);
    const r = await reportDeflection(core, q);
    send(req, res, q.format, r, () => toCsv([...r.rows, r.totals]), `deflection-by-${q.groupBy}`);
  });

  router.get('/api/reports/csat', lead, async (req, res) => {
    const q = validate(csatSchema, req.query);
    const r = await reportCsat(core, q);
    send(req, res, q.format, r, () => toCsv(csatRows(r)), `csat-by-${q.groupBy}`);
  });

  router.get('/api/reports/tickets', lead, async (req, res) => {
    const q = validate(ticketsSchema, req.query);
    const r: TicketReportResponse = await reportTickets(core, q);
    send(req, res, q.format, r, () => toCsv([...r.rows, r.totals]), `tickets-by-${q.groupBy}`);
  });

  router.get('/api/reports/articles', lead, async (req, res) => {
    const q = validate(periodSchema, req.query);
    const r = await reportArticles(core, q);
    send(req, res, q.format, r, () => toCsv(r.rows), 'articles');
  });

  router.get('/api/reports/gaps', lead, async (req, res) => {
    const q = validate(gapsSchema, req.query);
    const r = await reportGaps(core, q);
    send(req, res, q.format, r, () => toCsv(gapRows(r.clusters)), 'gaps');
  });

  router.post('/api/reports/gaps/:id/draft', lead, async (req, res) => {
    const id = validate(gapId, req.params.id);
    const body = validate(draftSchema, req.body);
    const draft = await draftFromGap(core, { ...body, gapId: id });
    const written: DraftResponse = {
      ...draft,
      file: path.relative(process.cwd(), draft.file).split(path.sep).join('/'),
    };
    res.status(201).json(written);
  });

  router.get('/api/reports/dashboard', lead, async (req, res) => {
    const q = validate(dashboardSchema, req.query);
    res.json(dashboardData(await readDashboard(core, q), q.lang));
  });
  return router;
}

/** JSON by default; CSV for ?format=csv or an Accept header asking for text/csv. */
function send(
  req: Request,
  res: Response,
  format: string | undefined,
  json: unknown,
  csv: () => string,
  name: string,
): void {
  const wantsCsv =
    format === 'csv' ||
    (format !== 'json' &&
      (req.get('accept') ?? '').split(',').some((p) => p.trim().toLowerCase().startsWith('text/csv')));
  if (!wantsCsv) {
    res.json(json);
    return;
  }
  res.type('text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${name}.csv"`);
  res.send(csv());
}
