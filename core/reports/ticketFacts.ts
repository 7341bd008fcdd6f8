import type { TicketStatus } from '../contracts/api.ts';
import type { Ticket } from '../tickets/types.ts';
import { TicketColumns } from './ticketColumns.ts';
import { ticketAgent, UNCATEGORISED, NONE } from './csat.ts';

/**
 * What the tickets report reads of a ticket, and nothing else: its times as
 * epoch ms, its status changes, how many public agent replies it had, its
 * rating and the keys it is grouped under. Derived from the ticket alone
 * (no period, no policy, no clock), so a store may keep it beside the ticket
 * (PostgreSQL's ticket_facts, migration 0011) and read millions of them
 * without the transcripts.
 */
export interface TicketFacts {
  id: string;
  createdMs: number;
  /** The first public agent reply (Ticket.firstResponseAt: a bot answer or an internal note never sets it). */
  firstResponseMs?: number;
  /** The last time it became solved. */
  solvedMs?: number;
  status: TicketStatus;
  /** Each status entered after `open` at creation, oldest first: [ms, status]. */
  history: [number, TicketStatus][];
  /** Public messages from agents (internal notes and Deflect's own messages left out). */
  publicReplies: number;
  rating?: 'good' | 'bad';
  priority?: Ticket['priority'];
  /** The verified `plan` attribute: which SLA targets apply. */
  plan?: string;
  keys: Record<TicketKeyName, string>;
}

export type TicketKeyName = 'category' | 'type' | 'priority' | 'team' | 'channel' | 'agent';

/** Bump when the facts' shape or derivation changes: stores that keep facts rebuild older ones. */
export const TICKET_FACTS_VERSION = 1;

/** The facts of one ticket. */
export function ticketFacts(t: Ticket): TicketFacts {
  const f: TicketFacts = {
    id: t.id,
    createdMs: Date.parse(t.createdAt),
    status: t.status,
    history: (t.statusHistory ?? []).map((h) => [Date.parse(h.at), h.status]),
    publicReplies: t.messages.reduce((n, m) => (m.from === 'agent' && !m.internal ? n + 1 : n), 0),
    keys: {
      category: t.category ?? UNCATEGORISED,
      type: t.type ?? NONE,
      priority: t.priority ?? NONE,
      team: t.team ?? NONE,
      channel: t.channel,
      agent: ticketAgent(t),
    },
  };
  if (t.firstResponseAt) f.firstResponseMs = Date.parse(t.firstResponseAt);
  if (t.solvedAt) f.solvedMs = Date.parse(t.solvedAt);
  if (t.rating) f.rating = t.rating.score;
  if (t.priority) f.priority = t.priority;
  if (t.attributes?.plan) f.plan = t.attributes.plan;
  return f;
}

/**
 * What the facts read of a ticket, to tell whether it changed: updatedAt
 * alone could repeat within a millisecond. Plain values compared one by one,
 * so checking 100,000 tickets allocates nothing.
 */
type Stamp = [string, string, number, number, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown];
const stampOf = (t: Ticket): Stamp => [
  t.updatedAt,
  t.status,
  t.messages.length,
  t.statusHistory?.length ?? 0,
  t.rating?.score,
  t.assignee,
  t.category,
  t.type,
  t.priority,
  t.team,
  t.attributes?.plan,
  t.firstResponseAt,
];
const unchanged = (s: Stamp, t: Ticket): boolean =>
  s[0] === t.updatedAt &&
  s[1] === t.status &&
  s[2] === t.messages.length &&
  s[3] === (t.statusHistory?.length ?? 0) &&
  s[4] === t.rating?.score &&
  s[5] === t.assignee &&
  s[6] === t.category &&
  s[7] === t.type &&
  s[8] === t.priority &&
  s[9] === t.team &&
  s[10] === t.attributes?.plan &&
  s[11] === t.firstResponseAt;
const memo = new WeakMap<Ticket, { stamp: Stamp; facts: TicketFacts }>();

/** The embedded store's facts as columns: each facts object written once, into a slot of one table. */
let table = new TicketColumns();
let slotOf = new WeakMap<TicketFacts, number>();

/**
 * The facts of tickets an embedded store holds in memory, as a report's
 * columns (memoisedFacts, then each unchanged ticket's row copied from the
 * table it was written into at an earlier report rather than written again:
 * that cost a 140,000-ticket report ~0.5 s of CPU). Rows of facts no longer
 * current pile up in the table until it holds twice what a report asks;
 * then it is made anew.
 */
export function memoisedColumns(tickets: readonly Ticket[]): TicketColumns {
  const facts = memoisedFacts(tickets);
  if (table.size > 2 * facts.length + 1024) {
    table = new TicketColumns(undefined, facts.length);
    slotOf = new WeakMap();
  }
  const slots = new Uint32Array(facts.length);
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i]!;
    let slot = slotOf.get(f);
    if (slot === undefined) {
      slot = table.size;
      table.set(slot, f);
      slotOf.set(f, slot);
    }
    slots[i] = slot;
  }
  return table.select(slots);
}

/**
 * The facts of tickets an embedded store holds in memory: each ticket's are
 * kept until it changes, so a report over a large
 * store re-derives only what changed since the last one.
 */
export function memoisedFacts(tickets: readonly Ticket[]): TicketFacts[] {
  return tickets.map((t) => {
    const hit = memo.get(t);
    if (hit && unchanged(hit.stamp, t)) return hit.facts;
    const facts = ticketFacts(t);
    memo.set(t, { stamp: stampOf(t), facts });
    return facts;
  });
}

/**
 * One ticket's facts as PostgreSQL's ticket_facts stores them since migration
 * 0017 (core/storage/postgres/packedTicketFacts.ts): a positional array,
 * times relative to creation, absent values null. Defined here so a table
 * can take it without making the TicketFacts object (TicketColumns.setPacked).
 */
export type PackedFacts = [
  id: string,
  createdMs: number,
  firstResponse: number | null,
  solved: number | null,
  status: TicketStatus,
  history: Array<number | TicketStatus>,
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
