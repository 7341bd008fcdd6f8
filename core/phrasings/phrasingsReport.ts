import type { Article } from '../articles/types.ts';
import type { EventStore } from '../storage/ports.ts';
import { periodOf, type PeriodInput } from '../reports/period.ts';
import { phrasingCandidates, type PhrasingsReport } from './phrasingCandidates.ts';

export interface PhrasingsQuery extends Pick<PeriodInput, 'from' | 'to'> {
  minCount?: number;
}

/**
 * The candidate phrasings of a period (default: the last 30 days, like the
 * other reports), read from the event log. It reads the events themselves,
 * not the reports' day caches: those keep neither picks nor the asker's name,
 * and the name is what lets it be removed from the question.
 */
export async function phrasingsReport(
  deps: { events: Pick<EventStore, 'read'>; articles: ReadonlyMap<string, Article>; now?: number },
  query: PhrasingsQuery,
): Promise<PhrasingsReport & { from: string; to: string }> {
  const period = periodOf(query, { windowDays: 0, now: deps.now ?? Date.now() });
  const events = [];
  for await (const e of deps.events.read(period.from, period.to)) events.push(e);
  return {
    from: period.from,
    to: period.to,
    ...phrasingCandidates(events, deps.articles, { minCount: query.minCount }),
  };
}
