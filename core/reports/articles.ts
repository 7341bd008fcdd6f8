import type { Article } from '../articles/types.ts';
import type { CountedArticle } from './articleTallies.ts';
import { rate } from './deflection.ts';
import type { Period } from './outcomes.ts';

export interface ArticleRow {
  articleId: string;
  title: string;
  lang: string;
  category: string;
  status: string;
  /** Times it was displayed (as the answer, an option or a suggestion after a "No"). */
  shown: number;
  answered: number;
  confirmed: number;
  notHelpful: number;
  /** Share of verdicts that were "helpful"; 0 with no verdicts. */
  helpfulRate: number;
  /** Tickets that followed it (same conversation or person, within the window). */
  ticketsAfterShown: number;
  /** When its file last changed (YYYY-MM-DD), when known. */
  lastUpdated: string;
  reviewBy: string;
  reviewOverdue: boolean;
  /** Still shown to users but no longer in the knowledge base. */
  removed: boolean;
}

export interface ArticlesReport {
  from: string;
  to: string;
  rows: ArticleRow[];
}

/**
 * Per article: how it did in the period (its tallies, from the in-process
 * scan or counted by the store), and whether its content needs attention.
 */
export function articlesReport(
  counted: { period: Period; now: number; tallies: readonly CountedArticle[] },
  articles: ReadonlyMap<string, Article>,
  updatedAt: ReadonlyMap<string, string>,
  today = new Date(counted.now).toISOString().slice(0, 10),
): ArticlesReport {
  const byId = new Map<string, ArticleRow>();
  for (const a of articles.values()) {
    byId.set(a.id, {
      articleId: a.id,
      title: a.title,
      lang: a.lang,
      category: a.category ?? '',
      status: a.status,
      shown: 0,
      answered: 0,
      confirmed: 0,
      notHelpful: 0,
      helpfulRate: 0,
      ticketsAfterShown: 0,
      lastUpdated: updatedAt.get(a.id) ?? '',
      reviewBy: a.reviewBy ?? '',
      reviewOverdue: !!a.reviewBy && a.status === 'published' && a.reviewBy < today,
      removed: false,
    });
  }
  for (const { articleId: id, tally: t } of counted.tallies) {
    let row = byId.get(id);
    if (!row) {
      row = {
        articleId: id,
        title: '',
        lang: '',
        category: '',
        status: '',
        shown: 0,
        answered: 0,
        confirmed: 0,
        notHelpful: 0,
        helpfulRate: 0,
        ticketsAfterShown: 0,
        lastUpdated: '',
        reviewBy: '',
        reviewOverdue: false,
        removed: true,
      };
      byId.set(id, row);
    }
    row.shown = t.shown;
    row.answered = t.answered;
    row.confirmed = t.confirmed;
    row.notHelpful = t.notHelpful;
    row.helpfulRate = rate(t.confirmed, t.confirmed + t.notHelpful);
    row.ticketsAfterShown = t.ticketsAfter;
  }
  const rows = [...byId.values()].sort((a, b) => b.shown - a.shown || a.articleId.localeCompare(b.articleId));
  return { from: counted.period.from, to: counted.period.to, rows };
}

/** Articles that need a writer: more "No" than "Yes", tickets after most showings, or an overdue review. */
export function needsAttention(row: ArticleRow): boolean {
  return (
    row.reviewOverdue ||
    (row.notHelpful > 0 && row.notHelpful >= row.confirmed) ||
    (row.shown >= 5 && row.ticketsAfterShown * 2 >= row.shown)
  );
}
