import type { Lang } from '../../contracts/api.ts';
import { log } from '../../logger.ts';
import { kbWordLang } from '../language/kbLanguage.ts';
import { AnswerEngine, type EngineIndex } from './answerEngine.ts';

/**
 * Answers one question on `index` and forgets the answer, before the index
 * is served. An index's first answer makes what every later one reuses —
 * the classifier's kernels and their copies of its weights, the scoring
 * scratch and columns, the vector scan's scratch and filter —: 1.55 s at
 * 100k articles and 0.24 s at 10k, against 12–40 ms and 8–15 ms for the
 * next questions. Warmed here, it is not the first asker's wait (on a new
 * engine thread, the questions it was handed waited for it). The question
 * is an article's own title, so it has words the KB knows; answering has
 * no effect but those memos (no event, no conversation). A failure is only
 * logged: the first real question then makes them, or fails as it would have.
 */
export async function warmUp(index: EngineIndex, defaultLang: Lang): Promise<void> {
  const first = index.articles.values().next();
  const question = first.done ? 'help' : first.value.title || 'help';
  try {
    // What that answer makes, made first in steps with the event loop let go of between them: a server warms a newly
    // published index up while it answers on the one before, and in one go it held every request up (0.44 s at 10k
    // articles, seconds at 100k). The KB's vocabulary by language, then the term model's columns (the same memos).
    for (const step of [() => kbWordLang('', index.articles), () => index.terms.sharedColumns()]) {
      step();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new AnswerEngine(() => index, { defaultLang }).answer({ question });
  } catch (error) {
    log.warn('index', 'answering a first question to warm the index up failed', { error });
  }
}
