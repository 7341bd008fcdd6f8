import type { Lang } from '../../contracts/api.ts';
import type { GenerativeConfig } from '../../config/search.ts';
import { log } from '../../logger.ts';
import { articlePath } from '../../conversations/presentArticle.ts';
import type { Conversation } from '../../conversations/types.ts';
import type { AnswerEngine } from '../pipeline/answerEngine.ts';
import { composePrompt } from './composePrompt.ts';
import type { LanguageModel } from './languageModel.ts';
import { OutputGuard } from './outputGuard.ts';

export interface GeneratedSource {
  n: number;
  articleId: string;
  title: string;
  url: string;
}

/** What the stream carries, in order: sources, deltas, then done — or none, or error. */
export type GenerationEvent =
  | { type: 'sources'; label: string; sources: GeneratedSource[] }
  | { type: 'delta'; text: string }
  | { type: 'done'; generated: true; text: string; citations: string[] }
  | { type: 'none'; reason: 'answered' | 'no_related' | 'already_generated' }
  | { type: 'error'; code: 'withheld' | 'unavailable'; message: string };

const MAX_SOURCES = 3;
const LABEL: Record<Lang, string> = {
  es: 'Respuesta generada automáticamente a partir de estos artículos; puede contener errores.',
  en: 'Answer generated automatically from these articles; it may contain mistakes.',
};

/**
 * The generative fallback: for the last question of a conversation that no
 * article answered, compose a short answer from the related articles only,
 * cite them, label it as generated, and stream it. It never changes the
 * answer/ticket decision and records nothing: the ask already did.
 */
export class GenerativeFallback {
  private readonly done = new Map<string, string>();

  constructor(
    private readonly model: LanguageModel,
    private readonly config: Pick<GenerativeConfig, 'minConfidence' | 'maxTokens' | 'timeoutMs'>,
    /** Strings that must never reach a user (keys, passwords from the config). */
    private readonly secrets: string[],
  ) {}

  /**
   * The fallback for a conversation's last question. `engine` ranks the
   * related articles (public ones only) and says whether an article answered
   * it after all.
   */
  async *generate(
    input: { conversation: Pick<Conversation, 'id' | 'lang'>; question: string; signal: AbortSignal },
    engine: Pick<AnswerEngine, 'answer'>,
  ): AsyncGenerator<GenerationEvent> {
    const { conversation, question } = input;
    // One generation per question: the endpoint is no free proxy to a paid model.
    if (this.done.get(conversation.id) === question) return yield { type: 'none', reason: 'already_generated' };

    const result = await engine.answer({
      question,
      conversationLang: conversation.lang,
      lang: conversation.lang,
      audiences: ['public'],
    });
    if (result.action === 'answer') return yield { type: 'none', reason: 'answered' };
    const related = result.ranked
      .filter((r) => r.confidence >= this.config.minConfidence)
      .slice(0, MAX_SOURCES)
      .map((r) => r.article);
    if (!related.length) return yield { type: 'none', reason: 'no_related' };
    this.remember(conversation.id, question);

    const sources = related.map((a, i) => ({ n: i + 1, articleId: a.id, title: a.title, url: articlePath(a.id) }));
    yield { type: 'sources', label: LABEL[result.lang], sources };

    const prompt = composePrompt(question, related, result.lang);
    const guard = new OutputGuard(
      [...this.secrets, prompt.canary, ...prompt.messages[0]!.content.split('\n').map((l) => l.slice(0, 48))],
      sources.length,
      prompt.messages[1]!.content,
    );
    const signal = AbortSignal.any([input.signal, AbortSignal.timeout(this.config.timeoutMs)]);
    let shown = '';
    try {
      for await (const piece of this.model.stream(prompt.messages, { signal, maxTokens: this.config.maxTokens })) {
        const out = guard.push(piece);
        if (out === null) return yield withheld(conversation.id);
        if (out) {
          shown += out;
          yield { type: 'delta', text: out };
        }
      }
    } catch (error) {
      log.warn('generative', 'generation failed', { conversationId: conversation.id, error: error as Error });
      return yield { type: 'error', code: 'unavailable', message: 'The generated answer is not available right now.' };
    }
    const rest = guard.finish();
    if (rest === null) return yield withheld(conversation.id);
    if (rest) {
      shown += rest;
      yield { type: 'delta', text: rest };
    }
    yield {
      type: 'done',
      generated: true,
      text: shown.trim(),
      citations: [...guard.cited].sort().map((n) => sources[n - 1]!.articleId),
    };
  }

  private remember(conversationId: string, question: string): void {
    this.done.set(conversationId, question);
    if (this.done.size > 10_000) this.done.delete(this.done.keys().next().value!);
  }
}

function withheld(conversationId: string): GenerationEvent {
  log.warn('generative', 'generated answer withheld: it repeated instructions or a secret', { conversationId });
  return { type: 'error', code: 'withheld', message: 'The generated answer was withheld.' };
}

/** Every configured string that looks secret (keys, passwords, tokens), to keep out of generated text. */
export function secretsIn(value: unknown, name = '', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (/key|secret|password|token/i.test(name) && value.length >= 8) out.push(value);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) secretsIn(v, Array.isArray(value) ? name : k, out);
  }
  return out;
}
