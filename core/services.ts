import type { Channel, Lang } from './contracts/api.ts';
import type { AnswerEngine, EngineIndex } from './answers/answerEngine.ts';
import type { TicketSink } from './tickets/types.ts';
import type { KbIndex } from './indexing/kbIndex.ts';
import type { ConversationRepository, EventStore, KeyValueRepository, RedisCommands, TicketRepository } from './storage/ports.ts';

/** The core, wired: what transports (server, bot, CLI) call into. */
export interface CoreServices {
  engine: AnswerEngine;
  index: IndexHolder;
  events: EventStore;
  conversations: ConversationRepository;
  tickets: TicketRepository;
  sinks: TicketSink[];
  defaultLang: Lang;
  /**
   * The channels' durable state (the bot's half-finished ticket flows), opened
   * on first use and shared, so an erasure reaches the same store the bot
   * writes. Absent where a test wires the core by hand: the bot opens its own.
   */
  channelState?: () => Promise<KeyValueRepository<Record<string, unknown>>>;
  /** Redis, when REDIS_URL is set: the rate limits are then one count across instances. */
  redis?: RedisCommands;
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
