import type { Conversation } from '../conversations/types.ts';
import type { CoreServices } from '../services.ts';
import type { TicketDraft } from '../storage/ports.ts';
import { NO_ROUTING } from './routingRules.ts';
import { triageTicket, type ArticleTriage, type TriageOutcome } from './triageTicket.ts';

/**
 * Triage for a ticket being opened: the best-ranked article for the failed
 * question (when the engine thought it likely right: at least the clarify
 * threshold, so a stray match does not pick the team), the routing rules the
 * served snapshot was published with, and the user's verified attributes.
 */
export function triageNewTicket(
  core: Pick<CoreServices, 'index' | 'engine'>,
  input: {
    conversation?: Conversation;
    draft: Pick<TicketDraft, 'channel' | 'lang' | 'subject' | 'description'>;
    attributes?: Record<string, string>;
  },
): TriageOutcome {
  const index = core.index.get();
  const c = input.conversation;
  const best = [...(c?.lastRanked ?? [])].sort((a, b) => b.confidence - a.confidence)[0];
  const a = best && best.confidence >= core.engine.thresholds.clarify ? index.articles.get(best.articleId) : undefined;
  const article: ArticleTriage | undefined = a && {
    id: a.id,
    ticketType: a.ticketType,
    priority: a.priority,
    team: a.team,
    category: a.category,
    tags: a.tags,
  };
  const { draft } = input;
  return triageTicket({
    article,
    routing: index.manifest.routing ?? NO_ROUTING,
    facts: {
      question: c?.lastQuestion ?? [draft.subject, draft.description].filter(Boolean).join('\n'),
      channel: draft.channel,
      lang: draft.lang,
      attributes: input.attributes,
    },
  });
}
