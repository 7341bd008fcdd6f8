import type { Channel, Lang, UserIdentity } from '../contracts/api.ts';
import type { Conversation } from '../conversations/types.ts';
import type { DeflectEvent, NewEvent } from '../events/types.ts';
import type { CountedDeflection, DeflectionQuery } from '../reports/deflectionCounts.ts';
import type { ArticleTalliesQuery, CountedArticle } from '../reports/articleTallies.ts';
import type { GapQuestion, GapQuestionsQuery } from '../reports/gapQuestions.ts';
import type { CountedCsat, CsatQuery } from '../reports/csat.ts';
import type { Ticket } from '../tickets/types.ts';
import type { TicketRepository } from './ticketPorts.ts';

export type { CreatedOnce, QueueOrder, TicketDraft, TicketPage, TicketQuery, TicketRepository } from './ticketPorts.ts';

/**
 * What must last, or be shared by every instance, as ports: the embedded
 * adapters (JSON Lines, lowdb, memory) serve one process; the PostgreSQL
 * adapters (core/storage/postgres/) serve any number. The contract suites in
 * test/storage/ run the same cases against both.
 */

/** The queues a ticket change can owe deliveries to: the webhooks, the customer's e-mails, and agents' replies on WhatsApp. */
export type QueueName = 'webhook' | 'mail' | 'whatsapp';

/**
 * A delivery a ticket change owes, written in the change's own transaction
 * (PostgreSQL) or file write (embedded) — the transactional outbox — so an
 * acknowledged change never lacks its webhook or mail, whenever the process
 * dies. Its id is derived from the ticket and the change
 * (core/tickets/outbox.ts): written twice, it is queued once.
 */
export interface OwedDelivery extends Delivery {
  queue: QueueName;
}

/**
 * What a ticket change owes, computed from the ticket as it is being stored
 * (its id, times and the change applied), under the store's lock: synchronous,
 * and it may record on the ticket what it claims (the mail sink's sealed link).
 */
export type Owe = (ticket: Ticket) => OwedDelivery[];

/**
 * Where the embedded ticket store hands the deliveries its changes owed once
 * they are on disk with the change (the queues' own journals): `hold` journals
 * them, skipping ids already queued, and keeps them from the workers;
 * `release` lets the workers have them, once the store has durably forgotten
 * them — so a delivery is never both sent and still owed by the ticket file.
 */
export interface DeliveryOutlet {
  hold(owed: OwedDelivery[]): Promise<void>;
  release(owed: OwedDelivery[]): void;
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

/**
 * Report counts computed where the events are kept (PostgreSQL), so a report
 * over millions of events does not stream them into this process. The
 * embedded log has none: its facts are scanned in process (core/reports).
 */
export interface ReportFigures {
  /** The deflection counts of a period, per group and in total, by the definitions in docs/reports.md. */
  deflection(query: DeflectionQuery): Promise<CountedDeflection>;
  /** The CSAT counts of a period (ticket ratings and answers' verdicts), by the definitions in core/reports/csat.ts. */
  csat(query: CsatQuery): Promise<CountedCsat>;
  /** Per article: displays, answers, verdicts and tickets after it in a period (core/reports/articleTallies.ts). */
  articles(query: ArticleTalliesQuery): Promise<CountedArticle[]>;
  /** The period's failed questions counted per language and text, for the gaps report (core/reports/gapQuestions.ts). */
  gapQuestions(query: GapQuestionsQuery): Promise<GapQuestion[]>;
}

/** Only the CSAT counts: what the embedded stores have (core/reports/scannedCsat.ts), beside PostgreSQL's ReportFigures. */
export type CsatFigures = Pick<ReportFigures, 'csat'>;

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
  /** Outgoing webhook deliveries, waiting or dead. */
  deliveries: DeliveryQueue;
  /** The customer's e-mails waiting to be sent, or dead (core/mail/): the same kind of queue, apart from the webhooks. */
  mail: DeliveryQueue;
  /** Agents' replies waiting to go to the customer's WhatsApp, or dead (core/whatsapp/whatsAppSink.ts): the same kind of queue. */
  whatsapp: DeliveryQueue;
  /** The key that seals follow-up links for later e-mails, made on first use and shared by every instance. */
  mailLinkKey: () => Promise<Buffer>;
  /** Where the published index snapshot lives and how new ones reach this instance. */
  snapshots: SnapshotPublication;
  /** Report counts in the database, when it can compute them. */
  reportFigures?: ReportFigures;
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

/** A published index snapshot: its folder's name, the KB revision it was built from, when it was published. */
export interface PublishedSnapshot {
  id: string;
  revision: string;
  publishedAt: string;
}

export interface FollowOptions {
  /** How often to look for a publication whose notification was missed. */
  pollMs?: number;
  /** false: poll only, as when every notification is lost. */
  listen?: boolean;
}

/**
 * Which index snapshot every instance serves. Snapshots are built into this
 * instance's DATA_DIR/index (core/indexing/snapshot.ts). Embedded: the
 * CURRENT pointer there is the publication, and a running server follows it.
 * PostgreSQL: the snapshot's files are stored in the database, followers are
 * notified and download it into their own DATA_DIR.
 */
export interface SnapshotPublication {
  kind: 'embedded' | 'postgres';
  /** Make the complete snapshot folder `dir` (under this DATA_DIR/index) the one every instance serves. */
  publish(dir: string): Promise<PublishedSnapshot>;
  /** The snapshot being served, or null when none was ever published. */
  current(): Promise<PublishedSnapshot | null>;
  /** The snapshots still kept, newest first (older ones are pruned). */
  kept(): Promise<PublishedSnapshot[]>;
  /** Bring the current snapshot into this DATA_DIR/index and point CURRENT at it; its folder, or null when none. */
  pull(): Promise<string | null>;
  /** Call `onChange` with the folder of each newly published snapshot once it is in this DATA_DIR; resolves the stop function. */
  follow(
    initial: string | null,
    onChange: (dir: string) => Promise<void>,
    options?: FollowOptions,
  ): () => Promise<void>;
  /** Run `fn` while no other instance runs its own (so instances starting together build once). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** The one Redis call shared rate limits need, with the deployment's key prefix. */
export interface RedisCommands {
  prefix: string;
  sendCommand(args: string[]): Promise<unknown>;
}

/** What to deliver: an event name (`ticket.created`, …) and the JSON sent with it. */
export interface NewDelivery {
  event: string;
  /** Merged into the body after `event` and `deliveryId` (`{ ticket }` for ticket.created). */
  payload: Record<string, unknown>;
}

/** A delivery still owed to the receiver: waiting for an attempt (`pending`) or given up (`dead`). */
export interface Delivery extends NewDelivery {
  /** Stable across attempts and resends: receivers de-duplicate on it. */
  id: string;
  status: 'pending' | 'dead';
  /** Attempts made, counting one under way. */
  attempts: number;
  /** ISO time of the next attempt (pending), or when it was given up (dead). */
  dueAt: string;
  createdAt: string;
  lastError?: string;
}

/** How an attempt ended when it did not deliver: try again after `retryInMs`, or (unset) give up. */
export interface DeliveryFailure {
  error: string;
  retryInMs?: number;
}

/**
 * Webhook deliveries owed, shared by every worker: a claim leases a delivery
 * to one worker (another may take it once the lease runs out, as when an
 * instance is killed mid-attempt); a delivered one is forgotten; a failed one
 * is rescheduled or kept dead until an operator resends it.
 */
export interface DeliveryQueue {
  /** Keep a new delivery, due now; resolves once it is durable. */
  enqueue(d: NewDelivery): Promise<Delivery>;
  /** Lease up to `limit` due pending deliveries to `worker` for `leaseMs`, counting an attempt on each. */
  claim(worker: string, opts: { limit: number; leaseMs: number }): Promise<Delivery[]>;
  /** Lease dead deliveries to `worker` for one resend, counting an attempt on each. */
  claimDead(worker: string, opts: { limit: number; leaseMs: number }): Promise<Delivery[]>;
  /** The receiver took it: forget it, whoever holds the lease. */
  delivered(id: string): Promise<void>;
  /** The attempt failed: reschedule or bury, unless `worker` lost the lease meanwhile (another worker has it). */
  failed(id: string, worker: string, failure: DeliveryFailure): Promise<void>;
  /** The dead deliveries, oldest first. */
  dead(): Promise<Delivery[]>;
  /** Every delivery owed (pending and dead), oldest first. */
  all(): Promise<Delivery[]>;
  /** Replace the payloads `change` returns a new one for (erasure); resolves with how many changed. */
  rewrite(change: (d: Delivery) => Record<string, unknown> | undefined): Promise<number>;
  /** Take in deliveries kept elsewhere (an old dead-letter file), skipping ids already here; resolves with how many were new. */
  adopt(deliveries: Delivery[]): Promise<number>;
  /** Call `listener` when a delivery may be due sooner than the next poll (enqueued here, or on another instance); returns the unsubscribe. */
  onEnqueued(listener: () => void): () => void;
}
