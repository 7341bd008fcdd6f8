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
import { TicketChangedError, ValidationError } from '../../core/errors.ts';
import type { TicketWithSla } from '../../core/sla/ticketSla.ts';

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
    /** The ticket's version the change was made against (GET's `version`): refused with 409 when it has changed since. */
    version: z.string().min(1).max(100).optional(),
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

/**
 * The version a PATCH was made against: `If-Match` with one entity tag (GET's
 * ETag) or the body's `version`, the same if both are given; `*` and neither
 * mean no condition (API clients and scripts that never sent one keep working).
 * A version that no longer matches is 409 ticket_changed, not 412: one
 * refusal, with the current ticket in it, whichever way the version came.
 */
function expectedVersion(ifMatch: string | undefined, inBody: string | undefined): string | undefined {
  const header = ifMatch?.trim();
  let tag: string | undefined;
  if (header && header !== '*') {
    const m = /^"([^"]+)"$/.exec(header);
    if (!m)
      throw new ValidationError('If-Match: give one entity tag as GET /api/tickets/:id returns it in ETag', [
        { field: 'If-Match', message: 'one strong entity tag, such as "2026-12-06T14:00:00.000Z"' },
      ]);
    tag = m[1];
  }
  if (tag !== undefined && inBody !== undefined && tag !== inBody)
    throw new ValidationError('If-Match and version name different versions', [
      { field: 'version', message: 'must equal If-Match' },
    ]);
  return tag ?? inBody;
}

/**
 * The ticket's version as an ETag. no-store: the body's SLA figures are
 * computed at each request, so a copy must not be revalidated by the version alone.
 */
function versionHeaders(version: string): Record<string, string> {
  return { ETag: `"${version}"`, 'Cache-Control': 'no-store' };
}

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
    const t = ticketDetail(await showTicket(core, { id }));
    res.set(versionHeaders(t.version)).json(t);
  });
  router.patch('/api/tickets/:id', requireRole('agent'), async (req, res) => {
    const id = validate(ticketId, req.params.id);
    const { version: inBody, ...change } = validate(patchSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), inBody);
    const author = change.author ?? String(res.locals.role);
    try {
      const t = ticketDetail(
        change.solvedWith
          ? await solveWithArticle(core, { id, change: { ...change, solvedWith: change.solvedWith }, author, version })
          : await updateTicket(core, { id, change, author, version }),
      );
      res.set(versionHeaders(t.version)).json(t);
    } catch (error) {
      // The refusal carries the ticket as GET shows it now, so the inbox redraws from it without asking again.
      if (error instanceof TicketChangedError) {
        const now = ticketDetail(error.current as TicketWithSla);
        throw new TicketChangedError(id, String(version), null, { version: now.version, ticket: now });
      }
      throw error;
    }
  });
  router.post('/api/tickets/:id/messages', requireRole('agent'), async (req, res) => {
    const id = validate(ticketId, req.params.id);
    const body = validate(messageSchema, req.body);
    const r = await replyToTicket(core, { id, ...body, author: body.author ?? String(res.locals.role) });
    res.status(201).json({ message: r.message, ticket: ticketDetail(r.ticket) });
  });
  return router;
}
