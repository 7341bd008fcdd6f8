import type { Channel, Lang } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { triageWithIndex } from '../triage/triageNewTicket.ts';
import type { TriageOutcome } from '../triage/triageTicket.ts';

export interface RouteQuestionInput {
  question: string;
  channel: Channel;
  lang?: Lang;
  /** Attributes of a verified user, as the host site would sign them. */
  attributes?: Record<string, string>;
}

export interface RouteQuestionResult extends TriageOutcome {
  lang: Lang;
  /** What the bot would do with the question before any ticket. */
  action: 'answer' | 'clarify' | 'ticket';
  /** The best-ranked article and its confidence, whether or not it was close enough to count. */
  best?: { articleId: string; title: string; confidence: number };
}

/**
 * What would happen to a ticket opened after this question (`npm run kb --
 * route`): the engine ranks the KB as for a user, then triage runs exactly
 * as when a ticket is opened. Records nothing.
 */
export async function routeQuestion(
  core: Pick<CoreServices, 'index' | 'engine'>,
  input: RouteQuestionInput,
): Promise<RouteQuestionResult> {
  const result = await core.engine.answer({ question: input.question, lang: input.lang });
  const ranked = result.ranked.map((r) => ({ articleId: r.article.id, confidence: r.confidence }));
  const { best: _best, ...outcome } = triageWithIndex(core, ranked, {
    question: input.question,
    channel: input.channel,
    lang: result.lang,
    attributes: input.attributes,
  });
  const top = result.ranked[0];
  return {
    ...outcome,
    lang: result.lang,
    action: result.action,
    ...(top ? { best: { articleId: top.article.id, title: top.article.title, confidence: top.confidence } } : {}),
  };
}
