import type { Article } from '../articles/types.ts';
import { NotFoundError } from '../errors.ts';
import { articleDates } from './articleDates.ts';
import { articlesReport, type ArticlesReport } from './articles.ts';
import { articleTalliesOf } from './articleTallies.ts';
import {
  articleGroupKeys,
  deflectionFromCounts,
  deflectionReport,
  NONE,
  NOT_IN_KB,
  type DeflectionReport,
  type GroupBy,
} from './deflection.ts';
import type { FactStore } from './factStore.ts';
import { GAP_TEXTS, gapQuestionsOf } from './gapQuestions.ts';
import { gapsReport, type GapCluster, type GapOptions, type GapsReport } from './gaps.ts';
import { DAY_MS, scanOutcomes, type Outcomes, type Period } from './outcomes.ts';
import { periodOf, type PeriodInput } from './period.ts';

export interface ReportsDeps {
  store: FactStore;
  /** The articles currently indexed (titles, tags, categories, review dates). */
  articles: () => ReadonlyMap<string, Article>;
  kbDir: string;
  windowDays: number;
  /** The operator's CLARIFY_THRESHOLD: from this confidence an article is close enough to lend a gap its tags. */
  clarifyThreshold: number;
  now?: () => number;
}

const MEMO_MS = 60_000;

/**
 * The reports a lead reads, over the event log. Each report is a pure
 * function of the period's outcomes; the outcomes are computed once per
 * period and reused while no event file of that period changes (the
 * dashboard asks for several reports of the same period at once).
 */
export class Reports {
  private readonly memo = new Map<string, { at: number; value: Promise<Outcomes> }>();

  constructor(private readonly deps: ReportsDeps) {}

  deflection(input: PeriodInput, groupBy: GroupBy): Promise<DeflectionReport> {
    if (this.deps.store.figures) return this.deflectionCounted(input, groupBy);
    return this.outcomes(input).then((o) => deflectionReport(o, groupBy, this.deps.articles()));
  }

  /** The same report from counts the event store computes (PostgreSQL): nothing is memoised here, so every instance agrees. */
  private async deflectionCounted(input: PeriodInput, groupBy: GroupBy): Promise<DeflectionReport> {
    const { period, now } = this.periodNow(input);
    const articles = this.deps.articles();
    const byArticle = groupBy === 'tag' || groupBy === 'category';
    const counted = await this.deps.store.figures!.deflection({
      period,
      now,
      groupBy: byArticle ? 'articleGroups' : groupBy,
      ...(byArticle
        ? {
            articleGroups: [...articles.keys()].flatMap((article) =>
              articleGroupKeys(article, groupBy, articles).map((key) => ({ article, key })),
            ),
          }
        : {}),
      none: NONE,
      notInKb: NOT_IN_KB,
    });
    return deflectionFromCounts(period, groupBy, counted);
  }

  async articles(input: PeriodInput): Promise<ArticlesReport> {
    const articles = this.deps.articles();
    const dates = articleDates(this.deps.kbDir, articles.values());
    const figures = this.deps.store.figures;
    let counted: Parameters<typeof articlesReport>[0];
    if (figures) {
      // Counted by the event store (PostgreSQL): nothing is memoised here, so every instance agrees.
      const { period, now } = this.periodNow(input);
      counted = { period, now, tallies: await figures.articles({ period }) };
    } else {
      const o = await this.outcomes(input);
      counted = { period: o.period, now: o.now, tallies: articleTalliesOf(o) };
    }
    return articlesReport(counted, articles, await dates);
  }

  async gaps(input: PeriodInput, options?: GapOptions): Promise<GapsReport> {
    const figures = this.deps.store.figures;
    let counted: Parameters<typeof gapsReport>[0];
    if (figures) {
      const { period } = this.periodNow(input);
      counted = { period, questions: await figures.gapQuestions({ period, limit: GAP_TEXTS }) };
    } else {
      const o = await this.outcomes(input);
      counted = { period: o.period, questions: gapQuestionsOf(o) };
    }
    return gapsReport(counted, this.deps.articles(), { related: this.deps.clarifyThreshold, ...options });
  }

  /** One gap cluster by id, from the same period the gaps report used. */
  async gap(id: string, input: PeriodInput): Promise<GapCluster> {
    const found = (await this.gaps(input, { limit: Number.MAX_SAFE_INTEGER })).clusters.find((c) => c.id === id);
    if (!found) throw new NotFoundError('gap', id);
    return found;
  }

  private periodNow(input: PeriodInput): { period: Period; now: number } {
    const now = this.deps.now?.() ?? Date.now();
    return { period: periodOf(input, { windowDays: this.deps.windowDays, now }), now };
  }

  /** The settled questions of a period (memoised while its event files are unchanged). */
  async outcomes(input: PeriodInput): Promise<Outcomes> {
    const now = this.deps.now?.() ?? Date.now();
    const period = periodOf(input, { windowDays: this.deps.windowDays, now });
    const first = period.from.slice(0, 10);
    const last = new Date(Date.parse(period.to) + period.windowDays * DAY_MS).toISOString().slice(0, 10);
    const days = (await this.deps.store.days()).filter((d) => d >= first && d <= last);
    const key = `${period.from}|${period.to}|${period.windowDays}|${await this.deps.store.fingerprint(days)}`;
    for (const [k, v] of this.memo) if (now - v.at > MEMO_MS) this.memo.delete(k);
    const hit = this.memo.get(key);
    if (hit) return hit.value;
    const value = scanOutcomes(this.deps.store, period, now);
    this.memo.set(key, { at: now, value });
    value.catch(() => this.memo.delete(key));
    if (this.memo.size > 8) this.memo.delete(this.memo.keys().next().value!);
    return value;
  }
}
