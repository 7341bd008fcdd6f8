import type { Article } from '../articles/types.ts';
import type { EventStore } from '../storage/ports.ts';
import { periodOf, type PeriodInput } from '../reports/period.ts';
import { phrasingCandidates, type PhrasingsReport } from '../phrasings/phrasingCandidates.ts';

export interface PhrasingsQuery extends Pick<PeriodInput, 'from' | 'to'> {
  minCount?: number;
  /** The clock the default period is counted back from (ms); defaults to now. */
  now?: number;
}

/**
 * What the report reads: the event log and the articles (CoreServices has
 * both; the CLI, which runs without a server, gives the KB folder's articles).
 */
export interface PhrasingsSources {
  events: Pick<EventStore, 'read'>;
  index: { get(): { articles: ReadonlyMap<string, Article> } };
}

/**
 * The candidate phrasings of a period (default: the last 30 days, like the
 * other reports), read from the event log. It reads the events themselves,
 * not the reports' day caches: those keep neither picks nor the asker's name,
 * and the name is what lets it be removed from the question.
 */
export async function reportPhrasings(
  core: PhrasingsSources,
  input: PhrasingsQuery,
): Promise<PhrasingsReport & { from: string; to: string }> {
  const period = periodOf(input, { windowDays: 0, now: input.now ?? Date.now() });
  const events = [];
  for await (const e of core.events.read(period.from, period.to)) events.push(e);
  return {
    from: period.from,
    to: period.to,
    ...phrasingCandidates(events, core.index.get().articles, { minCount: input.minCount }),
  };
}
