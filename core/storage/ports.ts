import type { Channel, Lang, UserIdentity } from '../contracts/api.ts';
import type { Conversation } from '../conversations/types.ts';
import type { DeflectEvent, NewEvent } from '../events/types.ts';
import type { Ticket } from '../tickets/types.ts';

/**
 * What must last, or be shared by every instance, as ports: the embedded
 * adapters (JSON Lines, lowdb, memory) serve one process; the PostgreSQL
 * adapters (core/storage/postgres/) serve any number. The contract suites in
 * test/storage/ run the same cases against both.
 */

/** A new ticket as openTicket builds it; the store gives it id, status and times. */
export type TicketDraft = Omit<Ticket, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'tags' | 'notes'> &
  Partial<Pick<Ticket, 'tags'>>;

export interface TicketQuery {
  status?: Ticket['status'];
  tag?: string;
  lang?: string;
  channel?: string;
  /** ISO time, inclusive. */
  from?: string;
  /** ISO time, exclusive. */
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface TicketPage {
  tickets: Ticket[];
  total: number;
  page: number;
  pageSize: number;
}

/** Tickets. Ids are `T-` and six or more digits, unique across instances. */
export interface TicketRepository {
  /** Persist a new ticket; resolves once it is durable. */
  create(draft: TicketDraft): Promise<Ticket>;
  /** The ticket, or NotFoundError. */
  get(id: string): Promise<Ticket>;
  /** Newest first, filtered, one page. */
  list(q?: TicketQuery): Promise<TicketPage>;
  /** Apply a change and persist it (no other writer interleaves); on failure nothing changes. */
  update(id: string, change: (t: Ticket) => void): Promise<Ticket>;
  /** Delete the tickets the predicate matches; resolves with their ids once durable. */
  removeWhere(match: (t: Ticket) => boolean): Promise<string[]>;
  /** Every ticket (erasure, retention), in no particular order. */
  all(): Promise<Ticket[]>;
}

/** The append-only event log: every question, feedback, ticket and erasure. */
export interface EventStore {
  init(): Promise<void>;
  /** Resolves with the stored event once it is durable (fsynced, or committed). */
  append(event: NewEvent): Promise<DeflectEvent>;
  /** Every event between two ISO times (inclusive from, exclusive to), oldest first. */
  read(from?: string, to?: string): AsyncGenerator<DeflectEvent>;
  /** The UTC days (YYYY-MM-DD) that hold events, oldest first. */
  days(): Promise<string[]>;
  /** One day's events in the order they were appended. */
  readDay(day: string): Promise<DeflectEvent[]>;
  /** Run `fn` (a read then a rewrite of a day) without losing an event appended meanwhile. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Replace the events of a day that were read by readDay with these (retention, erasure). */
  rewriteDay(day: string, events: DeflectEvent[]): Promise<void>;
  removeDay(day: string): Promise<void>;
  /** A string that changes whenever one of these days' events change (memoised reports); absent = the embedded day files are asked. */
  fingerprint?(days: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Live conversations: what askQuestion, giveFeedback and openTicket continue. */
export interface ConversationRepository {
  /** Get ready to serve: the embedded store replays the recent events; a shared one reads them on demand. */
  restore(events: EventStore, titleOf: (articleId: string) => string): Promise<number>;
  get(id: string): Promise<Conversation | undefined>;
  /** The conversation with this id, or a new one (not stored until its first event is applied). */
  open(id: string | undefined, init: { channel: Channel; lang: Lang; user?: UserIdentity }): Promise<Conversation>;
  /** Fold an event, already appended to the event log, into its conversation. */
  apply(e: DeflectEvent, titleOf: (articleId: string) => string): Promise<void>;
  /** Forget personal data of the conversations this store holds apart from the event log; resolves with how many. */
  eraseUser(match: (c: Conversation) => boolean): Promise<number>;
  /** Conversations held in memory (health), or null when they are read from a shared store. */
  size(): number | null;
}

/** One write of a key-value entry: `ifMatch` is the eTag it expects; unset or '*' overwrites. */
export interface KeyValueChange<T> {
  key: string;
  value: T;
  ifMatch?: string;
}

/**
 * Small records with optimistic concurrency (eTags), as botbuilder's Storage
 * expects: a write with a stale eTag fails with ETagConflictError and changes
 * nothing; a missing entry accepts any write.
 */
export interface KeyValueRepository<T> {
  get(key: string): Promise<{ value: T; eTag: string } | undefined>;
  /** Write all changes or none; resolves with the new eTags once durable. */
  put(changes: KeyValueChange<T>[]): Promise<Record<string, string>>;
  delete(keys: string[]): Promise<void>;
  /** Delete every entry the predicate matches; resolves with how many. */
  eraseWhere(match: (key: string, value: T) => boolean): Promise<number>;
}

/** The stores one deployment uses, opened together by openStores. */
export interface Stores {
  kind: 'embedded' | 'postgres';
  events: EventStore;
  tickets: TicketRepository;
  conversations: ConversationRepository;
  /** The channels' state (bot), opened on first use. */
  channelState: () => Promise<KeyValueRepository<Record<string, unknown>>>;
  /** Redis commands for shared rate limits, when REDIS_URL is set. */
  redis?: RedisCommands;
  /** A data-directory lock is needed (the embedded stores, or any file still kept there). */
  needsDataDirLock: boolean;
  /** Where things are kept, and whether the shared servers answer now (for /healthz). */
  health(): Promise<StorageHealth>;
  close(): Promise<void>;
}

/**
 * What /healthz says about storage. Public: it names no host, user or URL,
 * only the kind of store and whether the database and Redis answer.
 */
export interface StorageHealth {
  kind: 'embedded' | 'postgres';
  /** Where live conversations are read from: this process's memory, or the shared event log. */
  conversations: 'memory' | 'database';
  /** PostgreSQL answered a query within the health check's time limit (DATABASE_URL set). */
  database?: 'reachable' | 'unreachable';
  /** Redis answered PING within the time limit (REDIS_URL set). */
  redis?: 'reachable' | 'unreachable';
}

/** The one Redis call shared rate limits need, with the deployment's key prefix. */
export interface RedisCommands {
  prefix: string;
  sendCommand(args: string[]): Promise<unknown>;
}
