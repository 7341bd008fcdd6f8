import type { PackedFacts } from '../../reports/ticketColumns.ts';
import type { TicketFacts } from '../../reports/ticketFacts.ts';

/**
 * One ticket's facts as ticket_facts stores them since migration 0017: a
 * positional JSON array, times relative to creation, absent values null:
 *
 *   [id, createdMs, firstResponse - created, solved - created, status,
 *    [at - created, status, at - created, status, …], publicReplies,
 *    rating, priority, plan, category, type, priority key, team, channel, agent]
 *
 * Half the bytes of the keyed object (no key names, short numbers), so a
 * process's first report receives and parses half as much. Migration 0017
 * packs the rows stored before it in SQL, in this same order; a row still
 * holding the keyed object (written by an older instance meanwhile) is read
 * as it is. A reader writes either into its columns (TicketColumns.setPacked,
 * .set) without making the keyed object from the packed one.
 */
export type { PackedFacts };

/** The stored form of one ticket's facts. */
export function packFacts(f: TicketFacts): PackedFacts {
  const c = f.createdMs;
  const history: PackedFacts[5] = [];
  for (const [ms, status] of f.history) history.push(ms - c, status);
  const k = f.keys;
  return [
    f.id,
    c,
    f.firstResponseMs === undefined ? null : f.firstResponseMs - c,
    f.solvedMs === undefined ? null : f.solvedMs - c,
    f.status,
    history,
    f.publicReplies,
    f.rating ?? null,
    f.priority ?? null,
    f.plan ?? null,
    k.category,
    k.type,
    k.priority,
    k.team,
    k.channel,
    k.agent,
  ];
}
