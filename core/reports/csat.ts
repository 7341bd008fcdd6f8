import type { Article } from '../articles/types.ts';
import type { DeflectEvent } from '../events/types.ts';
import type { Ticket } from '../tickets/types.ts';
import type { Period } from './outcomes.ts';

export const CSAT_GROUP_BY = ['category', 'article', 'agent', 'channel'] as const;
export type CsatGroupBy = (typeof CSAT_GROUP_BY)[number];

/** Below this many responses a group's score says more about luck than about the group: it is not shown. */
export const MIN_RESPONSES_FOR_SCORE = 5;
/** The group of tickets with no category (triage may not have set one). */
export const UNCATEGORISED = '(uncategorised)';
/** The group of what has no article, or no agent. */
export const NONE = '(none)';
/** The "agent" of bot answers: no person answered them. */
export const BOT = '(bot)';
/** The newest comments a report lists. */
export const CSAT_COMMENTS = 20;

export interface CsatCounts {
  /** Tickets solved in the period (each was offered a rating), or answers shown ("did this help?" asked). */
  offered: number;
  responded: number;
  good: number;
  bad: number;
  /** good ÷ responded, four decimals; null without responses (and, for a group, under MIN_RESPONSES_FOR_SCORE). */
  score: number | null;
  /** responded ÷ offered, four decimals; null when nothing was offered. */
  responseRate: number | null;
}

export interface CsatGroup extends CsatCounts {
  key: string;
}

/** A customer's comment on a ticket rating, newest first. */
export interface CsatComment {
  ticketId: string;
  score: 'good' | 'bad';
  comment: string;
  at: string;
  /** The ticket's group under the report's groupBy. */
  key: string;
}

/**
 * Satisfaction in a period, ticket ratings and bot-answer ratings apart: the
 * top-level counts are the tickets'; `answers` holds the "did this help?"
 * verdicts on the bot's answers, grouped the same way.
 */
export interface CsatReport extends CsatCounts {
  from: string;
  to: string;
  groupBy: CsatGroupBy;
  groups: CsatGroup[];
  comments: CsatComment[];
  answers: CsatCounts & { groups: CsatGroup[] };
}

/** What a CSAT count is asked for: the period, the grouping and, for a bot answer's category, the indexed articles'. */
export interface CsatQuery {
  period: Pick<Period, 'from' | 'to'>;
  groupBy: CsatGroupBy;
  /** The articles that have a category (a bot answer about any other article is UNCATEGORISED). */
  categories: { article: string; category: string }[];
}

/** One group's raw counts, before scores and rates. */
export interface CsatTally {
  key: string;
  offered: number;
  good: number;
  bad: number;
}

/** What a store counts (ReportFigures.csat): tallies per group for tickets and answers, and the newest comments. */
export interface CountedCsat {
  tickets: CsatTally[];
  answers: CsatTally[];
  /** Newest rating first (ties: the ticket made first), at most CSAT_COMMENTS. */
  comments: CsatComment[];
}

/** The query for a period and grouping over these articles. */
export function csatQuery(
  period: Pick<Period, 'from' | 'to'>,
  groupBy: CsatGroupBy,
  articles: ReadonlyMap<string, Pick<Article, 'category'>>,
): CsatQuery {
  const categories: CsatQuery['categories'] = [];
  if (groupBy === 'category')
    for (const [article, a] of articles) if (a.category) categories.push({ article, category: a.category });
  return { period: { from: period.from, to: period.to }, groupBy, categories };
}

/**
 * The CSAT report. A ticket counts in the period in which it was (last)
 * solved — when the customer was asked to rate it — and as responded when it
 * carries a rating; a bot answer counts when it was shown in the period, and
 * each "did this help?" verdict in the period as a response.
 */
export function csatReport(
  tickets: readonly Ticket[],
  events: readonly DeflectEvent[],
  period: Pick<Period, 'from' | 'to'>,
  groupBy: CsatGroupBy,
  articles: ReadonlyMap<string, Pick<Article, 'category'>>,
): CsatReport {
  const query = csatQuery(period, groupBy, articles);
  return csatFromCounts(query, countCsat(tickets, events, query));
}

/** The counts of a CSAT report, in process: what the embedded stores give (PostgreSQL sums the same in SQL). */
export function countCsat(tickets: readonly Ticket[], events: readonly DeflectEvent[], q: CsatQuery): CountedCsat {
  const { period, groupBy } = q;
  const categories = new Map(q.categories.map((c) => [c.article, c.category]));
  const inPeriod = (at: string | undefined) => !!at && at >= period.from && at < period.to;
  const ticketTally = new Tally();
  const comments: CsatComment[] = [];
  for (const t of tickets) {
    if (!inPeriod(t.solvedAt)) continue;
    const key = ticketKey(t, groupBy);
    const score = t.rating?.score;
    ticketTally.add(key, { offered: 1, good: score === 'good' ? 1 : 0, bad: score === 'bad' ? 1 : 0 });
    if (t.rating?.comment)
      comments.push({ ticketId: t.id, score: t.rating.score, comment: t.rating.comment, at: t.rating.at, key });
  }
  const answerTally = new Tally();
  for (const e of events) {
    if (!inPeriod(e.at)) continue;
    if (e.type === 'question' && e.action === 'answer')
      answerTally.add(answerKey(e.articleId, e.channel, groupBy, categories), { offered: 1, good: 0, bad: 0 });
    else if (e.type === 'feedback')
      answerTally.add(answerKey(e.articleId, e.channel, groupBy, categories), {
        offered: 0,
        good: e.helpful ? 1 : 0,
        bad: e.helpful ? 0 : 1,
      });
  }
  // Stable: ratings of the same time keep the tickets' order (the order they were made).
  comments.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { tickets: ticketTally.list(), answers: answerTally.list(), comments: comments.slice(0, CSAT_COMMENTS) };
}

/** The report from its counts: scores, rates and the groups' order are decided here, for every store alike. */
export function csatFromCounts(q: CsatQuery, counted: CountedCsat): CsatReport {
  return {
    from: q.period.from,
    to: q.period.to,
    groupBy: q.groupBy,
    ...totalsOf(counted.tickets),
    groups: groupsOf(counted.tickets),
    comments: counted.comments,
    answers: { ...totalsOf(counted.answers), groups: groupsOf(counted.answers) },
  };
}

/** The ticket's group: its category, the article that solved it (else the first one shown), who answered it, its channel. */
function ticketKey(t: Ticket, groupBy: CsatGroupBy): string {
  switch (groupBy) {
    case 'category':
      return t.category ?? UNCATEGORISED;
    case 'article':
      return t.solvedWith ?? t.shown[0]?.articleId ?? NONE;
    case 'agent':
      return ticketAgent(t);
    case 'channel':
      return t.channel;
  }
}

/** Who a ticket's figures belong to: its assignee, else the author of its first public agent reply, else (none). */
export function ticketAgent(t: Pick<Ticket, 'assignee' | 'messages'>): string {
  return t.assignee ?? t.messages.find((m) => m.from === 'agent' && !m.internal)?.author ?? NONE;
}

function answerKey(
  articleId: string | undefined,
  channel: string,
  groupBy: CsatGroupBy,
  categories: ReadonlyMap<string, string>,
): string {
  switch (groupBy) {
    case 'category':
      return (articleId && categories.get(articleId)) || UNCATEGORISED;
    case 'article':
      return articleId ?? NONE;
    case 'agent':
      return BOT;
    case 'channel':
      return channel;
  }
}

class Tally {
  private readonly byKey = new Map<string, CsatTally>();

  add(key: string, n: Omit<CsatTally, 'key'>): void {
    const c = this.byKey.get(key) ?? { key, offered: 0, good: 0, bad: 0 };
    c.offered += n.offered;
    c.good += n.good;
    c.bad += n.bad;
    this.byKey.set(key, c);
  }

  list(): CsatTally[] {
    return [...this.byKey.values()];
  }
}

function totalsOf(tallies: readonly CsatTally[]): CsatCounts {
  const sum = { offered: 0, good: 0, bad: 0 };
  for (const c of tallies) {
    sum.offered += c.offered;
    sum.good += c.good;
    sum.bad += c.bad;
  }
  return counts(sum, 1);
}

/** Most responses first, then most offered, then by key. */
function groupsOf(tallies: readonly CsatTally[]): CsatGroup[] {
  return tallies
    .map(({ key, ...c }) => ({ key, ...counts(c, MIN_RESPONSES_FOR_SCORE) }))
    .sort((a, b) => b.responded - a.responded || b.offered - a.offered || (a.key < b.key ? -1 : 1));
}

function counts(c: { offered: number; good: number; bad: number }, minResponses: number): CsatCounts {
  const responded = c.good + c.bad;
  return {
    offered: c.offered,
    responded,
    good: c.good,
    bad: c.bad,
    score: responded >= minResponses ? ratio(c.good, responded) : null,
    responseRate: c.offered ? ratio(responded, c.offered) : null,
  };
}

function ratio(part: number, whole: number): number {
  return Math.round((part / whole) * 10_000) / 10_000;
}
