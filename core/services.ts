import type { Channel, Lang } from './contracts/api.ts';
import type { AnswerEngine, EngineIndex } from './answers/answerEngine.ts';
import type { ConversationStore } from './conversations/conversationStore.ts';
import type { EventLog } from './events/eventLog.ts';
import type { TicketStore } from './tickets/ticketStore.ts';
import type { TicketSink } from './tickets/types.ts';
import type { KbIndex } from './indexing/kbIndex.ts';

/** The core, wired: what transports (server, bot, CLI) call into. */
export interface CoreServices {
  engine: AnswerEngine;
  index: IndexHolder;
  events: EventLog;
  conversations: ConversationStore;
  tickets: TicketStore;
  sinks: TicketSink[];
  defaultLang: Lang;
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
