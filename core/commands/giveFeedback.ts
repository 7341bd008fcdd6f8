import type { FeedbackResponse } from '../contracts/api.ts';
import { NotFoundError } from '../errors.ts';
import { replies } from '../answers/pipeline/replies.ts';
import type { Audience } from '../articles/types.ts';
import { isVisible, PUBLIC } from '../articles/visibility.ts';
import type { CoreServices } from '../services.ts';
import { suggestion } from '../conversations/presentArticle.ts';
import { assertOwner } from '../conversations/assertOwner.ts';

export interface FeedbackInput {
  conversationId: string;
  articleId: string;
  helpful: boolean;
  user?: { id?: string; verified?: boolean };
  /** What the user may see, as for the question: the next articles offered must be visible to them. */
  audiences?: readonly Audience[];
}

/**
 * "Did this help?" Yes ends the conversation well. No offers the next
 * articles the engine ranked for the same question (those not yet rejected,
 * still above the clarify threshold and still visible), and when none is left, a ticket.
 */
export async function giveFeedback(
  core: Pick<CoreServices, 'conversations' | 'index' | 'engine' | 'events'>,
  input: FeedbackInput,
): Promise<FeedbackResponse> {
  const conversation = await core.conversations.get(input.conversationId);
  if (!conversation) throw new NotFoundError('conversation', input.conversationId);
  assertOwner(conversation, input.user);
  const index = core.index.get();
  if (!index.articles.has(input.articleId)) throw new NotFoundError('article', input.articleId);
  const t = replies(conversation.lang);

  let next: FeedbackResponse['next'] = 'resolved';
  let offered: { articleId: string; confidence: number }[] = [];
  if (!input.helpful) {
    const rejected = new Set(conversation.shown.filter((s) => s.helpful === false).map((s) => s.articleId));
    rejected.add(input.articleId);
    const family = (id: string) => [id, ...Object.values(index.articles.get(id)?.translations ?? {})];
    offered = conversation.lastRanked
      .filter(
        (r) =>
          !family(r.articleId).some((id) => rejected.has(id)) &&
          r.confidence >= core.engine.thresholds.clarify &&
          isVisible(index.articles.get(r.articleId), input.audiences ?? PUBLIC),
      )
      .slice(0, 3);
    next = offered.length ? 'suggestions' : 'offer_ticket';
  }
  const suggestions = offered.map((o) => suggestion(index.articles.get(o.articleId)!, o.confidence));
  const reply =
    next === 'resolved'
      ? t.resolved
      : next === 'suggestions'
        ? t.suggestions(suggestions.map((s) => s.title))
        : t.offerTicket;
  const event = await core.events.append({
    type: 'feedback',
    conversationId: conversation.id,
    channel: conversation.channel,
    lang: conversation.lang,
    user: conversation.user,
    articleId: input.articleId,
    helpful: input.helpful,
    next,
    shown: offered,
    reply,
  });
  await core.conversations.apply(event, (id) => index.articles.get(id)?.title ?? id);
  return { conversationId: conversation.id, next, suggestions, lang: conversation.lang };
}
