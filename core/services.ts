import type { Channel, Lang } from './contracts/api.ts';
import type { AnswerEngine, EngineIndex } from './answers/answerEngine.ts';
import type { ConversationStore } from './conversations/conversationStore.ts';
import type { EventLog } from './events/eventLog.ts';
import type { TicketStore } from './tickets/ticketStore.ts';
import type { TicketSink } from './tickets/types.ts';
import type { KbIndex } from './indexing/kbIndex.ts';
import type { KeyValueStore } from './storage/keyValueStore.ts';

/** The core, wired: what transports (server, bot, CLI) call into. */
export interface CoreServices {
  engine: AnswerEngine;
  index: IndexHolder;
  events: EventLog;
  conversations: ConversationStore;
  tickets: TicketStore;
  sinks: TicketSink[];
  defaultLang: Lang;
  /**
   * The channels' durable state (the bot's half-finished ticket flows), opened
   * on first use and shared, so an erasure reaches the same store the bot
   * writes. Absent where a test wires the core by hand: the bot opens its own.
   */
  channelState?: () => Promise<KeyValueStore<Record<string, unknown>>>;
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
