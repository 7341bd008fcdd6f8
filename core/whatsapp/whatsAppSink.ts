import type { WhatsAppConfig } from '../config/whatsapp.ts';
import type { Lang } from '../contracts/api.ts';
import { log } from '../logger.ts';
import type { KeyValueRepository } from '../storage/ports.ts';
import type { Ticket, TicketChangeEvent, TicketMessage, TicketSink } from '../tickets/types.ts';
import { readConversation } from './channelState.ts';
import type { GraphClient, GraphMessage } from './graphClient.ts';
import { insideServiceWindow } from './serviceWindow.ts';

const REPLY: Record<Lang, (id: string, text: string) => string> = {
  es: (id, text) => `Respuesta a tu solicitud ${id}:\n\n${text}`,
  en: (id, text) => `Reply to your request ${id}:\n\n${text}`,
};

/** Template parameters may not hold new lines, tabs or more than four spaces in a row, and are kept short. */
const MAX_PARAMETER = 1000;
const asParameter = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, MAX_PARAMETER) || '-';

/**
 * Takes agents' public replies on WhatsApp tickets back to the customer's
 * WhatsApp: as a free-form text inside the 24-hour customer-service window
 * (opened by their last message), otherwise as the approved reply template,
 * the only kind WhatsApp delivers then. Sent in the background with the
 * Graph client's retries, so an agent's reply is not held up by WhatsApp;
 * the reply is on the ticket whatever happens to the message.
 */
export class WhatsAppSink implements TicketSink {
  readonly name = 'whatsapp';
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly graph: GraphClient,
    private readonly channelState: () => Promise<KeyValueRepository<Record<string, unknown>>>,
    private readonly config: Pick<WhatsAppConfig, 'replyTemplate'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new ticket: the customer was told in the chat itself. */
  async deliver(): Promise<void> {}

  async announce(event: TicketChangeEvent, ticket: Ticket, detail?: Record<string, unknown>): Promise<void> {
    const message = detail?.message as TicketMessage | undefined;
    if (event !== 'ticket.message' || ticket.channel !== 'whatsapp' || !message) return;
    if (message.from !== 'agent' || message.internal || !ticket.userId) return;
    const sending = this.send(ticket, message, ticket.userId)
      .catch((error: Error) =>
        log.error('whatsapp', 'agent reply not sent', { ticketId: ticket.id, messageId: message.id, error }),
      )
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Wait for the replies being sent (shutdown, tests). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async send(ticket: Ticket, message: TicketMessage, to: string): Promise<void> {
    const { conversation } = await readConversation(await this.channelState(), to);
    const inside = insideServiceWindow(conversation.lastInboundAt, this.now());
    const outgoing = inside ? this.text(ticket, message, to) : this.template(ticket, message, to);
    if (!outgoing) {
      log.warn('whatsapp', 'agent reply outside the 24-hour window and no WHATSAPP_REPLY_TEMPLATE: not sent', {
        ticketId: ticket.id,
        messageId: message.id,
      });
      return;
    }
    await this.graph.send(outgoing);
    log.info('whatsapp', 'agent reply sent', { ticketId: ticket.id, messageId: message.id, as: outgoing.type });
  }

  private text(ticket: Ticket, message: TicketMessage, to: string): GraphMessage {
    return { to, type: 'text', text: { body: REPLY[ticket.lang](ticket.id, message.text).slice(0, 4096) } };
  }

  private template(ticket: Ticket, message: TicketMessage, to: string): GraphMessage | undefined {
    const t = this.config.replyTemplate;
    if (!t) return undefined;
    return {
      to,
      type: 'template',
      template: {
        name: t.name,
        language: { code: t.lang ?? ticket.lang },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: ticket.id },
              { type: 'text', text: asParameter(message.text) },
            ],
          },
        ],
      },
    };
  }
}
