import type { AskResponse, Lang } from '../contracts/api.ts';
import type { Audience } from '../articles/types.ts';
import { replies } from '../answers/pipeline/replies.ts';
import type { Asker, CoreServices } from '../services.ts';
import { answerCard, round, suggestion } from '../conversations/presentArticle.ts';
import { assertOwner } from '../conversations/assertOwner.ts';

export interface AskInput extends Asker {
  question: string;
  lang?: string;
  tags?: string[];
  /** Verified staff may see internal articles; everyone else sees public ones. */
  audiences?: Audience[];
  /** The user picked this article from a list we showed. */
  articleId?: string;
}

const MAX_SUGGESTIONS = 3;

/**
 * Answer a question within a conversation: run the engine, record the
 * question and the decision (persisted before we reply), and present it.
 */
export async function askQuestion(core: CoreServices, input: AskInput): Promise<AskResponse> {
  const question = input.question.trim();
  const previous = input.conversationId ? await core.conversations.get(input.conversationId) : undefined;
  if (previous) assertOwner(previous, input.user);
  const query = {
    question,
    lang: input.lang,
    conversationLang: previous?.lang,
    tags: input.tags,
    audiences: input.audiences,
  };
  // A pick keeps the confidence the engine gave the article when it offered it.
  const result = input.articleId
    ? core.engine.pick(
        input.articleId,
        query,
        previous?.lastRanked.find((r) => r.articleId === input.articleId)?.confidence ?? 1,
      )
    : await core.engine.answer(query);
  const lang: Lang = result.lang;
  const conversation = await core.conversations.open(input.conversationId, {
    channel: input.channel,
    lang,
    user: input.user,
  });
  const t = replies(lang);

  const offered =
    result.action === 'clarify'
      ? result.options
      : result.ranked
          .slice(result.action === 'answer' ? 1 : 0)
          .filter((r) => r.confidence >= core.engine.thresholds.clarify);
  const suggestions = offered.slice(0, MAX_SUGGESTIONS).map((r) => suggestion(r.article, r.confidence));
  const reply =
    result.action === 'answer'
      ? `${result.answer!.article.title}: ${result.answer!.article.answer}`
      : result.action === 'clarify'
        ? t.clarify(suggestions.map((s) => s.title))
        : t.noAnswer;

  const event = await core.events.append({
    type: 'question',
    conversationId: conversation.id,
    channel: conversation.channel,
    lang,
    user: input.user ?? conversation.user,
    question,
    ...(input.articleId ? { selected: true as const } : {}),
    action: result.action,
    articleId: result.answer?.article.id,
    shown: [...(result.answer ? [result.answer] : []), ...offered.slice(0, MAX_SUGGESTIONS)].map(shownOf),
    ranked: result.ranked.slice(0, 5).map(shownOf),
    reply,
  });
  await core.conversations.apply(event, (id) => core.index.get().articles.get(id)?.title ?? id);

  return {
    conversationId: conversation.id,
    action: result.action,
    answer: result.answer ? answerCard(result.answer.article, result.answer.confidence) : undefined,
    suggestions,
    lang,
    ...(result.otherLanguage ? { notice: 'other_language' as const } : {}),
  };
}

function shownOf(r: { article: { id: string }; confidence: number }) {
  return { articleId: r.article.id, confidence: round(r.confidence) };
}
