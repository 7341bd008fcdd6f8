import type { Channel, Lang } from './contracts/api.ts';
import type { Article } from './articles/types.ts';
import type { AnswerEngine, EngineIndex } from './answers/pipeline/answerEngine.ts';
import type { GenerativeFallback } from './answers/generative/generateAnswer.ts';
import type { FactStore } from './reports/factStore.ts';
import type { Reports } from './reports/reports.ts';
import type { TicketSink } from './tickets/types.ts';
import type { KbIndex } from './indexing/kbIndex.ts';
import type {
  ConversationRepository,
  DeliveryQueue,
  EventStore,
  KeyValueRepository,
  RedisCommands,
  ReportFigures,
  StorageHealth,
  TicketRepository,
} from './storage/ports.ts';

/**
 * The core, wired once by createCore: the service bag that only
 * core/commands/ reads. Transports (server, bot, CLI) hand it to commands.
 */
export interface CoreServices {
  engine: AnswerEngine;
  index: IndexHolder;
  events: EventStore;
  conversations: ConversationRepository;
  tickets: TicketRepository;
  sinks: TicketSink[];
  /** Undelivered webhooks (pending and dead): the one queue the webhook sink fills and an erasure scrubs. */
  deliveries: DeliveryQueue;
  /** The customer's e-mails waiting to be sent (core/mail/): what an erasure drops for the person. */
  mail?: DeliveryQueue;
  /** Agents' replies waiting to go to the customer's WhatsApp (core/whatsapp/whatsAppSink.ts). */
  whatsapp?: DeliveryQueue;
  /** Report facts per day, with the data directory's cache: one writer for requests and background warming. */
  facts: FactStore;
  reports: Reports;
  /** Report counts the database computes (DATABASE_URL); absent, the embedded stores are scanned in process. */
  reportFigures?: ReportFigures;
  drafts: DraftSettings;
  /** The generative fallback (GENERATIVE_FALLBACK), or null when off. */
  generative: GenerativeFallback | null;
  defaultLang: Lang;
  /**
   * The channels' durable state (the bot's half-finished ticket flows),
   * opened on first use and shared, so an erasure reaches the same store the
   * bot writes.
   */
  channelState: () => Promise<KeyValueRepository<Record<string, unknown>>>;
  /** Redis, when REDIS_URL is set: the rate limits are then one count across instances. */
  redis?: RedisCommands;
  /** Where things are kept and whether the shared servers answer (/healthz). */
  storageHealth: () => Promise<StorageHealth>;
}

/** Where draft articles made from gaps go, and the articles they must not collide with. */
export interface DraftSettings {
  dir: string;
  kbDir: string;
  articles: () => ReadonlyMap<string, Article>;
}

/** Holds the current index; a rebuild swaps it in without a restart. */
export class IndexHolder {
  constructor(private current: KbIndex) {}
  get(): KbIndex & EngineIndex {
    return this.current;
  }
  swap(next: KbIndex): void {
    this.current = next;
  }
}

export interface Asker {
  conversationId?: string;
  channel: Channel;
  /** `verified` when the channel or the host site vouched for the id. */
  user?: { id?: string; email?: string; name?: string; verified?: boolean };
}
