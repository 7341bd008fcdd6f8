import { createHash } from 'node:crypto';
import type { WhatsAppConfig } from '../core/config/whatsapp.ts';
import { converse } from '../core/commands/converse.ts';
import { strings } from '../core/dialog/strings.ts';
import { log } from '../core/logger.ts';
import type { CoreServices } from '../core/services.ts';
import { claimMessage, readConversation, writeConversation } from '../core/whatsapp/channelState.ts';
import { GraphClient, type GraphMessage } from '../core/whatsapp/graphClient.ts';
import { messagesOf } from './render.ts';
import { failedDeliveries, inboundMessages, type InboundMessage } from './webhookPayload.ts';

export interface WhatsAppChannelOptions {
  config: WhatsAppConfig;
  /** Base of the articles' links. */
  publicUrl: string;
  /** The Graph client (tests give one with short backoffs). */
  graph?: GraphClient;
}

/**
 * The WhatsApp face of Deflect: each message of a verified webhook body is
 * claimed once (Meta delivers at least once), read as one turn of the
 * conversation every channel shares (core/commands/converse.ts), and its
 * replies sent through the Graph API. A person's messages are handled one
 * after the other, in the order they were sent; what the conversation
 * awaits, its language and the 24-hour window's start are kept in the
 * channels' shared state.
 */
export class WhatsAppChannel {
  private readonly graph: GraphClient;
  /** Per person, the turn under way: their next message waits for it. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly core: CoreServices,
    private readonly options: WhatsAppChannelOptions,
  ) {
    this.graph = options.graph ?? new GraphClient(options.config);
  }

  /** Handle a webhook body whose signature was checked; resolves once each new message is answered. */
  async receive(body: unknown): Promise<void> {
    // WhatsApp accepted these messages but could not deliver them: the operator's to know (no phone number logged).
    for (const failed of failedDeliveries(body, this.options.config.phoneNumberId))
      log.warn('whatsapp', 'message not delivered', { ...failed });
    const messages = inboundMessages(body, this.options.config.phoneNumberId);
    await Promise.all(messages.map((m) => this.enqueue(m)));
  }

  /** Every turn under way has finished (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.queues.size) await Promise.allSettled([...this.queues.values()]);
  }

  private enqueue(m: InboundMessage): Promise<void> {
    const previous = this.queues.get(m.from) ?? Promise.resolve();
    const turn = previous.then(() => this.turn(m));
    const tracked = turn.finally(() => {
      if (this.queues.get(m.from) === tracked) this.queues.delete(m.from);
    });
    this.queues.set(m.from, tracked);
    return tracked;
  }

  private async turn(m: InboundMessage): Promise<void> {
    const store = await this.core.channelState();
    if (!(await claimMessage(store, m.id, new Date()))) {
      log.info('whatsapp', 'duplicate delivery ignored', { messageId: m.id });
      return;
    }
    const { conversation, eTag } = await readConversation(store, m.from);
    const last = conversation.lastInboundAt;
    if (!last || m.at.toISOString() > last) conversation.lastInboundAt = m.at.toISOString();
    const conversationId = conversationIdOf(this.options.config.phoneNumberId, m.from);
    let outgoing: GraphMessage[];
    try {
      const { replies, state } = await converse(this.core, {
        conversationId,
        channel: 'whatsapp',
        // Meta vouches for the number the message came from: it is the person's verified id (their tickets are listed by it).
        user: { id: m.from, ...(m.name ? { name: m.name } : {}), verified: true },
        text: m.text,
        ...(m.pickedArticleId ? { pickedArticleId: m.pickedArticleId } : {}),
        state: { lang: conversation.lang, awaiting: conversation.awaiting },
        audiences: async () => ['public'],
        contactEmail: async () => undefined,
        repliesHere: true,
      });
      conversation.lang = state.lang;
      conversation.awaiting = state.awaiting;
      outgoing = replies.flatMap((r) => messagesOf(r, m.from, this.options.publicUrl));
    } catch (error) {
      // The state may be what broke the turn: forget what was awaited, and apologise.
      log.error('whatsapp', 'turn failed', { conversationId, messageId: m.id, error: error as Error });
      conversation.awaiting = undefined;
      const lang = conversation.lang ?? this.core.defaultLang;
      outgoing = [{ to: m.from, type: 'text', text: { body: strings(lang).error } }];
    }
    await writeConversation(store, conversation, eTag).catch((error: Error) =>
      log.warn('whatsapp', 'conversation state not kept', { conversationId, error }),
    );
    for (const message of outgoing) {
      try {
        await this.graph.send(message);
      } catch (error) {
        // Later replies would make no sense without this one.
        log.error('whatsapp', 'reply not sent', { conversationId, messageId: m.id, error: error as Error });
        break;
      }
    }
  }
}

/** The Deflect conversation of a person with our number: stable across messages and restarts, in the API's id format. */
export function conversationIdOf(phoneNumberId: string, waId: string): string {
  return `wa-${createHash('sha256').update(`${phoneNumberId}\n${waId}`).digest('hex').slice(0, 32)}`;
}
