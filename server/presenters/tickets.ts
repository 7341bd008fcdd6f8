import type { TicketWithSla } from '../../core/sla/ticketSla.ts';
import { versionOf } from '../../core/tickets/ticketVersion.ts';

/** A ticket in a list: enough to triage, without the transcript. */
export function ticketSummary(t: TicketWithSla) {
  return {
    id: t.id,
    status: t.status,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    /** What a PATCH names (body `version` or If-Match) so it is refused if the ticket changed since: opaque. */
    version: versionOf(t),
    channel: t.channel,
    lang: t.lang,
    email: t.email,
    name: t.name,
    subject: t.subject,
    reason: t.reason,
    assignee: t.assignee,
    solvedWith: t.solvedWith,
    tags: t.tags,
    failedQuestion: t.failedQuestion,
    notes: t.notes.length,
    messages: (t.messages ?? []).length,
    reopens: t.reopens ?? 0,
    firstResponseAt: t.firstResponseAt,
    solvedAt: t.solvedAt,
    closedAt: t.closedAt,
    rating: t.rating,
    followUpOf: t.followUpOf,
    followUps: t.followUps,
    type: t.type,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    category: t.category,
    team: t.team,
    triage: t.triage,
    /** Under the KB's _sla.yml, computed now: when the first response and the resolution are due, and how it stands. */
    ...(t.slaStatus ? { due: t.slaStatus.due, sla: t.slaStatus.sla } : {}),
  };
}

/** One ticket for the agent: where the bot stopped — transcript, articles shown with scores, feedback, the question that failed. */
export function ticketDetail(t: TicketWithSla) {
  return {
    ...ticketSummary(t),
    userId: t.userId,
    description: t.description,
    conversationId: t.conversationId,
    transcript: t.transcript,
    articlesShown: t.shown.map((s) => ({
      articleId: s.articleId,
      title: s.title,
      confidence: s.confidence,
      helpful: s.helpful ?? null,
    })),
    feedback: t.shown
      .filter((s) => s.helpful !== undefined)
      .map((s) => ({ articleId: s.articleId, title: s.title, helpful: s.helpful! })),
    notes: t.notes,
    /** The whole thread, internal notes included (marked `internal`): the agent side only. */
    messages: t.messages ?? [],
  };
}
