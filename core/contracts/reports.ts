/**
 * The HTTP contract of the leads' reports, shared by the server and the
 * dashboard (dashboard/). Types only: the dashboard's bundle imports this file.
 * The server's presenters are declared to return these shapes, so renaming a
 * field on either side breaks `tsc --noEmit` instead of the page.
 */
import type { ArticleRow } from '../reports/articles.ts';
import type { CsatReport } from '../reports/csat.ts';
import type { DeflectionRow } from '../reports/deflection.ts';
import type { TicketReport } from '../reports/tickets.ts';
import type { Lang } from './api.ts';

/**
 * Counts of one group (a day, a week, a tag, a language…) or of the whole
 * period, and how one article did: the reports' own rows, sent as they are
 * (definitions in docs/reports.md), so a renamed field breaks the dashboard's
 * build as well as the server's.
 */
export type DeflectionRowResponse = DeflectionRow;
export type ArticleRowResponse = ArticleRow;

/** A cluster of similar questions the KB did not answer well, as one flat row (also the gaps CSV). */
export interface GapRowResponse {
  id: string;
  lang: Lang;
  count: number;
  unanswered: number;
  notHelpful: number;
  ticket: number;
  /** Up to three phrasings as users typed them. */
  examples: string[];
  phrasings: number;
  /** The closest article, or empty strings and 0 when none came near. */
  nearestArticle: string;
  nearestTitle: string;
  nearestConfidence: number;
  suggestedTags: string[];
  keywords: string[];
  firstSeen: string;
  lastSeen: string;
}

/** The charts the server draws, by the name the page shows them under (`#chart-<name>`). */
export type DashboardChart = 'trend' | 'volume' | 'tags' | 'langs' | 'articles';

/** `GET /api/reports/dashboard`: everything the /reports page shows for a period. */
export interface DashboardResponse {
  /** The language of the charts' text; the rest is data the page words itself. */
  lang: Lang;
  period: { from: string; to: string; windowDays: number; unit: 'day' | 'week' };
  totals: DeflectionRowResponse;
  trend: DeflectionRowResponse[];
  byTag: DeflectionRowResponse[];
  byLang: DeflectionRowResponse[];
  topArticles: ArticleRowResponse[];
  /** Articles that need attention (overdue review, more "not helpful" than "helped", tickets after them). */
  health: ArticleRowResponse[];
  gaps: GapRowResponse[];
  /**
   * Where listed questions would help most: the articles whose own probes the
   * engine was least sure of when the index was built (weakest first, at most 10).
   */
  weakest: { articleId: string; title: string }[];
  /** The KB's estimated self-service coverage, shown beside `weakest`; null when the served index predates it. */
  coverage: CoverageEstimate | null;
  /** Standalone SVG documents, their text in `lang`. */
  charts: Record<DashboardChart, string>;
}

/**
 * Estimated self-service coverage (docs/quality.md#estimated-self-service-coverage):
 * the calibration's probes — questions drawn from the articles themselves —
 * replayed through the engine when the index was built. Shares of questions
 * the KB has an article for, 0..1, rounded to three decimals.
 */
export interface CoverageEstimate {
  /** Answered outright with the right article. */
  answered: number;
  /** Answered with it, or offered it among options. */
  offered: number;
  /** Probes replayed, and the articles they were drawn from. */
  probes: number;
  articles: number;
  /** When that index was built. */
  builtAt: string;
}

/** How a candidate phrasing resolved its article. */
export type PhrasingSourceName = 'helpful' | 'picked' | 'ticket';

/** `GET /api/reports/phrasings`: questions each article resolved, proposed as new `questions:` for it. */
export interface PhrasingsResponse {
  from: string;
  to: string;
  articles: Array<{
    articleId: string;
    title: string;
    lang: Lang;
    /** Path relative to the KB root. */
    file: string;
    candidates: Array<{ text: string; count: number; sources: Record<PhrasingSourceName, number>; lastSeen: string }>;
  }>;
  /** Resolved questions left out because nothing but personal data remained. */
  droppedPersonal: number;
}

/** `POST /api/reports/gaps/:id/draft` (201): the draft article written from a gap. */
export interface DraftResponse {
  gapId: string;
  articleId: string;
  /** Path relative to the server's working directory, with forward slashes. */
  file: string;
  /** Phrasings of the gap listed as the draft's questions. */
  questions: number;
}

/** `GET /api/access`: whether this client needs an API key (no key in local mode). */
export interface AccessResponse {
  keyRequired: boolean;
}

/** `GET /api/reports/csat`: ticket ratings (top level) and bot-answer ratings (`answers`), apart. */
export type CsatResponse = CsatReport;

/**
 * `GET /api/reports/tickets`: volume, backlog by age, response and resolution
 * times, SLA compliance, reopens, first-contact resolution and CSAT, per group
 * and in total (definitions in docs/reports.md, "Tickets").
 */
export type TicketReportResponse = TicketReport;
