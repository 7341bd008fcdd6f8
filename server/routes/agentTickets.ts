import { Router } from 'express';
import { z } from 'zod';
import type { CoreServices } from '../../core/services.ts';
import { listTickets } from '../../core/commands/listTickets.ts';
import { showTicket } from '../../core/commands/showTicket.ts';
import { solveWithArticle } from '../../core/commands/solveWithArticle.ts';
import { updateTicket } from '../../core/commands/updateTicket.ts';
import { replyToTicket } from '../../core/commands/replyToTicket.ts';
import type { authenticator } from '../auth.ts';
import { ticketDetail, ticketSummary } from '../presenters/tickets.ts';
import { validate } from '../validate.ts';
import { teamName } from '../../core/triage/routingRules.ts';

const status = z.enum(['open', 'pending', 'on_hold', 'solved', 'closed']);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'must be a date (YYYY-MM-DD) or an ISO time (UTC)');

const ticketType = z.enum(['incident', 'service_request', 'question']);
const priority = z.enum(['P1', 'P2', 'P3', 'P4']);
const level = z.enum(['high', 'medium', 'low']);

export const listSchema = z.strictObject({
  status: status.optional(),
  tag: z.string().trim().min(1).max(60).optional(),
  lang: z.enum(['es', 'en']).optional(),
  channel: z.enum(['widget', 'msteams', 'emulator', 'webchat', 'api', 'email', 'whatsapp']).optional(),
  from: day.optional(),
  to: day.optional(),
  team: teamName.optional(),
  priority: priority.optional(),
  type: ticketType.optional(),
  category: z.string().trim().min(1).max(100).optional(),
  /** queue: the team's queue order (priority, due time, age; or first come first served), open tickets unless a status is given. */
  sort: z.enum(['newest', 'queue']).default('newest'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** An agent's name as assigned, or `none`: tickets assigned to no one. */
  assignee: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .transform((a) => (a === 'none' ? null : a))
    .optional(),
  /** Words in the id, subject, description, failed question, e-mail or name (core/tickets/ticketText.ts). */
  text: z.string().trim().min(1).max(200).optional(),
});

const patchSchema = z
  .strictObject({
    status: status.optional(),
    assignee: z.string().trim().min(1).max(200).nullable().optional(),
    tags: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
    note: z.string().trim().min(1).max(5000).optional(),
    /** Who wrote the note; defaults to the key's role. */
    author: z.string().trim().min(1).max(200).optional(),
    /** The article that solved it (with status solved): its questions become candidate phrasings. */
    solvedWith: z.string().trim().min(1).max(300).optional(),
    type: ticketType.optional(),
    priority: priority.optional(),
    /** Instead of priority: the impact × urgency matrix decides it (core/triage/priorityMatrix.ts). */
    impact: level.optional(),
    urgency: level.optional(),
    category: z.string().trim().min(1).max(100).nullable().optional(),
    team: teamName.nullable().optional(),
  })
  .refine(
    (b) =>
      b.status !== undefined ||
      b.assignee !== undefined ||
      b.tags !== undefined ||
      b.note !== undefined ||
      b.type !== undefined ||
      b.priority !== undefined ||
      b.impact !== undefined ||
      b.urgency !== undefined ||
      b.category !== undefined ||
      b.team !== undefined,
    'give at least one of status, assignee, tags, note, type, priority, impact, urgency, category, team',
  )
  .refine((b) => !(b.priority && (b.impact || b.urgency)), {
    message: 'give priority, or impact and urgency, not both',
    path: ['priority'],
  });

const messageSchema = z.strictObject({
  text: z.string().trim().min(1).max(10_000),
  /** An agents-only note: never shown to the customer, moves no status. */
  internal: z.boolean().default(false),
  /** The status after a public reply; pending (waiting for the customer) when unset. */
  status: status.optional(),
  /** Who wrote it; defaults to the key's role. */
  author: z.string().trim().min(1).max(200).optional(),
});

const ticketId = z.string().regex(/^T-\d{6,}$/, 'must be a ticket id such as T-000001');

/** Agents work tickets: list with filters, open one with its context, reply or note, change status, assignee, tags. */
export function agentTicketRoutes(core: CoreServices, requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  router.get('/api/tickets', requireRole('agent'), async (req, res) => {
    const page = await listTickets(core, validate(listSchema, req.query));
    res.json({ tickets: page.tickets.map(ticketSummary), total: page.total, page: page.page, pageSize: page.pageSize });
  });
  router.get('/api/tickets/:id', requireRole('agent'), async (req, res) => {
    const id = validate(ticketId, req.params.id);
    res.json(ticketDetail(await showTicket(core, { id })));
  });
  router.patch('/api/tickets/:id', requireRole('agent'), async (req, res) => {
    const id = validate(ticketId, req.params.id);
    const body = validate(patchSchema, req.body);
    const author = body.author ?? String(res.locals.role);
    const t = body.solvedWith
      ? await solveWithArticle(core, { id, change: { ...body, solvedWith: body.solvedWith }, author })
      : await updateTicket(core, { id, change: body, author });
    res.json(ticketDetail(t));
  });
  router.post('/api/tickets/:id/messages', requireRole('agent'), async (req, res) => {
    const id = validate(ticketId, req.params.id);
    const body = validate(messageSchema, req.body);
    const r = await replyToTicket(core, { id, ...body, author: body.author ?? String(res.locals.role) });
    res.status(201).json({ message: r.message, ticket: ticketDetail(r.ticket) });
  });
  return router;
}
