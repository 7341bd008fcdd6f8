import type { TicketColumns } from '../reports/ticketColumns.ts';
import type { IdempotencyClaim } from '../tickets/idempotency.ts';
import type { Ticket } from '../tickets/types.ts';
import type { Owe } from './ports.ts';

/** The tickets port (re-exported by ports.ts, where the other ports and the deliveries a change owes are). */

/** A new ticket as openTicket builds it; the store gives it id, status and times. */
export type TicketDraft = Omit<Ticket, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'tags' | 'notes' | 'messages'> &
  Partial<Pick<Ticket, 'tags' | 'messages'>>;

export interface TicketQuery {
  status?: Ticket['status'];
  tag?: string;
  lang?: string;
  channel?: string;
  /** ISO time, inclusive. */
  from?: string;
  /** ISO time, exclusive. */
  to?: string;
  /** The verified user the tickets belong to (Ticket.verifiedUserId). */
  verifiedUserId?: string;
  /** ISO time, exclusive: last changed before it (the close job). */
  updatedBefore?: string;
  /** The agent it is assigned to (exactly as written), or null: assigned to no one. */
  assignee?: string | null;
  /** Words in the ticket's id, subject, description, failed question, e-mail or name (core/tickets/ticketText.ts). */
  text?: string;
  /** Triage (issue 18). */
  team?: string;
  priority?: Ticket['priority'];
  type?: Ticket['type'];
  category?: string;
  /** Queue order instead of newest first (core/triage/queueOrder.ts), over every ticket that matches: no cap. */
  queue?: QueueOrder;
  page?: number;
  pageSize?: number;
}

/**
 * A queue's order: by each ticket's key, ascending in code-unit order, or
 * first come first served (creation time, then id). A key is a function of
 * the ticket and the policy `policy` names, so a store may keep it beside
 * the ticket, written with each change, and make again those kept under
 * another policy before it orders by them.
 */
export interface QueueOrder {
  fifo: boolean;
  key(t: Ticket): string;
  /** A fingerprint of the policy the keys depend on. */
  policy: string;
}

export interface TicketPage {
  tickets: Ticket[];
  total: number;
  page: number;
  pageSize: number;
}

/** Tickets. Ids are `T-` and six or more digits, unique across instances. */
export interface TicketRepository {
  /** Persist a new ticket, and the deliveries `owe` says it owes (the outbox) with it; resolves once both are durable. */
  create(draft: TicketDraft, owe?: Owe): Promise<Ticket>;
  /** The ticket, or NotFoundError. */
  get(id: string): Promise<Ticket>;
  /** Newest first (or in `q.queue` order), filtered, one page. */
  list(q?: TicketQuery): Promise<TicketPage>;
  /**
   * Apply a change and persist it (no other writer interleaves); on failure nothing changes.
   * A change that returns `false` (exactly) leaves the ticket as it was, unwritten: a rule re-checked under the lock said no.
   * The deliveries `owe` says the changed ticket owes are written with the change, in the same transaction or file write.
   */
  update(id: string, change: (t: Ticket) => unknown, owe?: Owe): Promise<Ticket>;
  /** Delete the tickets the predicate matches; resolves with their ids once durable. */
  removeWhere(match: (t: Ticket) => boolean): Promise<string[]>;
  /** Every ticket (erasure, retention), in no particular order. */
  all(): Promise<Ticket[]>;
  /**
   * Create at most once per claim's key, from any instance: the ticket and its
   * claim are stored together, so a retry after a crash finds either both or
   * neither. A claimed key gives back its ticket (`replayed`, with the claim
   * kept first); with another request, IdempotencyKeyReusedError. Keys are
   * forgotten after IDEMPOTENCY_TTL_MS or with their ticket. A replay owes nothing: the first attempt's
   * deliveries were written with its ticket.
   */
  createOnce(claim: IdempotencyClaim, draft: TicketDraft, owe?: Owe): Promise<CreatedOnce>;
  /**
   * The tickets report's facts (core/reports/ticketFacts.ts) of every ticket a
   * period from–to (ISO) may count, for a store that keeps them compact
   * (PostgreSQL); absent: the report derives them from all().
   */
  reportFacts?(from: string, to: string): Promise<TicketColumns>;
  /**
   * Start decoding the recent report facts in the background (a store that
   * fetches them: PostgreSQL), so a server's first tickets report does not
   * wait for them; a report arriving meanwhile waits for this instead of
   * fetching them twice. Returns at once.
   */
  warmReportFacts?(): void;
}

/** What createOnce resolves with. */
export interface CreatedOnce {
  ticket: Ticket;
  /** The claim under which the ticket was made (a replay's salt is the first attempt's). */
  claim: IdempotencyClaim;
  replayed: boolean;
}
