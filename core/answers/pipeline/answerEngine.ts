import type { Action, Lang } from '../../contracts/api.ts';
import type { Article, Audience } from '../../articles/types.ts';
import { isVisible, PUBLIC, visibleFilter } from '../../articles/visibility.ts';
import { NotFoundError } from '../../errors.ts';
import { decide, DEFAULT_THRESHOLDS, type Decision, type ScoredCandidate, type Thresholds } from './decide.ts';
import { chooseLanguage } from '../language/chooseLanguage.ts';
import { retrieve, type Candidate, type RetrievalIndex } from './retrieve.ts';
import type { Calibration } from './calibration.ts';
import { versionNamed } from './titleVariants.ts';

export interface EngineIndex extends RetrievalIndex {
  manifest: { calibration: Calibration };
}

export interface EngineQuery {
  question: string;
  /** The page's or channel's language (widget option, channel locale): a clear sentence in the other language overrides it. */
  lang?: string;
  /** The conversation's language so far: kept when the question does not clearly say another. */
  conversationLang?: Lang;
  tags?: string[];
  /** Who may see what: anonymous users get public articles only. */
  audiences?: readonly Audience[];
}

export interface RankedArticle {
  article: Article;
  confidence: number;
  score: number;
}

export interface EngineResult {
  action: Action;
  lang: Lang;
  /** The article answered, in the user's language when a translation exists. */
  answer?: RankedArticle;
  /** Best first, one per translation family, each shown in the user's language when possible. */
  ranked: RankedArticle[];
  /** For clarify: the options. */
  options: RankedArticle[];
  /** The answer exists only in another language than the user's. */
  otherLanguage: boolean;
}

/**
 * The answer engine: question → retrieval → calibrated confidence → answer,
 * clarify or ticket. Pure: it reads the index and records nothing; callers
 * (API, bot, eval) record what they need.
 */
export class AnswerEngine {
  constructor(
    protected readonly getIndex: () => EngineIndex,
    private readonly options: { thresholds?: Thresholds; defaultLang: Lang },
  ) {}

  get thresholds(): Thresholds {
    return this.options.thresholds ?? DEFAULT_THRESHOLDS;
  }

  pick(articleId: string, q: EngineQuery, confidence: number): EngineResult {
    return chosenArticle(this.getIndex(), articleId, q, this.options.defaultLang, confidence);
  }

  async answer(q: EngineQuery): Promise<EngineResult> {
    const index = this.getIndex();
    const lang = chooseLanguage(
      { text: q.question, requested: q.lang, conversation: q.conversationLang },
      { articles: index.articles, defaultLang: this.options.defaultLang },
    );
    const candidates = await retrieve(index, q.question, {
      lang,
      filter: { ...visibleFilter(q.audiences ?? PUBLIC), tags: q.tags },
    });
    const decision = decideQuestion(index, q.question, candidates, index.manifest.calibration, this.thresholds);
    const present = (c: ScoredCandidate): RankedArticle => ({
      article: inLanguage(index.articles.get(c.articleId)!, lang, index.articles, q.audiences ?? PUBLIC),
      confidence: c.confidence,
      score: c.score,
    });
    const ranked = decision.ranked.slice(0, 10).map(present);
    const answer = decision.action === 'answer' ? ranked[0] : undefined;
    return {
      action: decision.action,
      lang,
      answer,
      ranked,
      options: decision.options.map(present),
      otherLanguage: !!answer && answer.article.lang !== lang,
    };
  }
}

/**
 * The user picked an article from a list we showed: answer with it (in the
 * user's language when a translation exists). Unknown, draft or hidden
 * articles are not found, whatever the client sends.
 */
export function chosenArticle(
  index: EngineIndex,
  articleId: string,
  q: EngineQuery,
  defaultLang: Lang,
  confidence: number,
): EngineResult {
  // The question of a pick is the article's title: it says nothing about who picked it.
  const lang = chooseLanguage({ requested: q.lang, conversation: q.conversationLang }, { defaultLang });
  const audiences = q.audiences ?? PUBLIC;
  const a = index.articles.get(articleId);
  if (!isVisible(a, audiences)) throw new NotFoundError('article', articleId);
  const answer = { article: inLanguage(a, lang, index.articles, audiences), confidence, score: 0 };
  return { action: 'answer', lang, answer, ranked: [answer], options: [], otherLanguage: answer.article.lang !== lang };
}

/**
 * Answer, clarify or ticket for `question`, from what it retrieved: the
 * engine's decision, which the coverage estimate (coverage.ts) replays on the
 * calibration's probes, so the two cannot drift apart.
 */
export function decideQuestion(
  index: RetrievalIndex,
  question: string,
  candidates: Candidate[],
  calibration: Partial<Calibration> | undefined,
  thresholds: Thresholds,
): Decision {
  return decide(
    collapseFamilies(candidates, index.articles),
    calibration,
    thresholds,
    (a, b) => documentationSimilarity(index, a, b),
    (best, rival) => versionNamed(index.articles, question, best, rival),
  );
}

/**
 * How alike two articles are, when both are documentation (they list no
 * questions): articles that list questions were told apart by the
 * classifier trained on them, so their likeness is no reason to ask.
 */
function documentationSimilarity(index: RetrievalIndex, a: string, b: string): number {
  const documentation = (id: string) => index.articles.get(id)?.questions.length === 0;
  return documentation(a) && documentation(b) ? index.terms.articleSimilarity(a, b) : 0;
}

/** Translations are one answer: keep the best-scoring member of each family. */
function collapseFamilies<T extends { articleId: string }>(
  candidates: T[],
  articles: ReadonlyMap<string, Article>,
): T[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const family = familyOf(c.articleId, articles.get(c.articleId));
    if (seen.has(family)) return false;
    seen.add(family);
    return true;
  });
}

const families = new WeakMap<Article, string>();

/** An article's family: the first of its id and its translations' ids (remembered per article: 50 sorts a question). */
function familyOf(articleId: string, a: Article | undefined): string {
  if (!a) return articleId;
  let family = families.get(a);
  if (family === undefined) families.set(a, (family = [articleId, ...Object.values(a.translations ?? {})].sort()[0]!));
  return family;
}

/** The translation of `a` in `lang` when one exists and may be shown; else `a`. */
function inLanguage(
  a: Article,
  lang: Lang,
  articles: ReadonlyMap<string, Article>,
  audiences: readonly Audience[],
): Article {
  if (a.lang === lang) return a;
  const t = a.translations[lang] ? articles.get(a.translations[lang]!) : undefined;
  return isVisible(t, audiences) ? t : a;
}
