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
 * as it is (unpackFacts).
 */
export type PackedFacts = [
  id: string,
  createdMs: number,
  firstResponse: number | null,
  solved: number | null,
  status: TicketFacts['status'],
  history: Array<number | TicketFacts['status']>,
  publicReplies: number,
  rating: TicketFacts['rating'] | null,
  priority: TicketFacts['priority'] | null,
  plan: string | null,
  category: string,
  type: string,
  priorityKey: string,
  team: string,
  channel: string,
  agent: string,
];

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

/** The facts of a stored value: the packed form, or the keyed object stored before migration 0017. */
export function unpackFacts(stored: PackedFacts | TicketFacts): TicketFacts {
  if (!Array.isArray(stored)) return stored;
  const p = stored;
  const c = p[1];
  const packed = p[5];
  const history: TicketFacts['history'] = [];
  for (let i = 0; i < packed.length; i += 2)
    history.push([(packed[i] as number) + c, packed[i + 1] as TicketFacts['status']]);
  // The keys in ticketFacts' order: every ticket's facts share one object shape.
  const f: TicketFacts = {
    id: p[0],
    createdMs: c,
    status: p[4],
    history,
    publicReplies: p[6],
    keys: { category: p[10], type: p[11], priority: p[12], team: p[13], channel: p[14], agent: p[15] },
  };
  if (p[2] !== null) f.firstResponseMs = p[2] + c;
  if (p[3] !== null) f.solvedMs = p[3] + c;
  if (p[7] !== null) f.rating = p[7];
  if (p[8] !== null) f.priority = p[8];
  if (p[9] !== null) f.plan = p[9];
  return f;
}
