import type { Conversation } from '../conversations/types.ts';
import type { Shown } from '../events/types.ts';
import type { CoreServices } from '../services.ts';
import type { TicketDraft } from '../storage/ports.ts';
import { NO_ROUTING } from './routingRules.ts';
import { triageTicket, type ArticleTriage, type TriageFacts, type TriageOutcome } from './triageTicket.ts';

/**
 * Triage for a ticket being opened: the best-ranked article for the failed
 * question, the routing rules the served snapshot was published with, and
 * the user's verified attributes.
 */
export function triageNewTicket(
  core: Pick<CoreServices, 'index' | 'engine'>,
  input: {
    conversation?: Conversation;
    draft: Pick<TicketDraft, 'channel' | 'lang' | 'subject' | 'description'>;
    attributes?: Record<string, string>;
  },
): TriageOutcome {
  const c = input.conversation;
  const { draft } = input;
  return triageWithIndex(core, c?.lastRanked ?? [], {
    question: c?.lastQuestion ?? [draft.subject, draft.description].filter(Boolean).join('\n'),
    channel: draft.channel,
    lang: draft.lang,
    attributes: input.attributes,
  });
}

/**
 * Triage from a ranking of the question: its best article counts only when
 * the engine thought it likely right (at least the clarify threshold), so a
 * stray match does not pick the team. One rule for tickets and for `route`.
 */
export function triageWithIndex(
  core: Pick<CoreServices, 'index' | 'engine'>,
  ranked: readonly Shown[],
  facts: TriageFacts,
): TriageOutcome & { best?: Shown } {
  const index = core.index.get();
  const best = [...ranked].sort((a, b) => b.confidence - a.confidence)[0];
  const a = best && best.confidence >= core.engine.thresholds.clarify ? index.articles.get(best.articleId) : undefined;
  const article: ArticleTriage | undefined = a && {
    id: a.id,
    ticketType: a.ticketType,
    priority: a.priority,
    impact: a.impact,
    urgency: a.urgency,
    team: a.team,
    category: a.category,
    tags: a.tags,
  };
  const outcome = triageTicket({ article, routing: index.manifest.routing ?? NO_ROUTING, facts });
  return { ...outcome, ...(best ? { best } : {}) };
}
