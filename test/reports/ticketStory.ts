import type { TicketScore, TicketStatus } from '../../core/contracts/api.ts';
import { addAgentMessage, addCustomerMessage, addSystemMessage, moveTo, rate } from '../../core/tickets/lifecycle.ts';
import type { Ticket } from '../../core/tickets/types.ts';

/**
 * A ticket's life told step by step at given times, through the lifecycle
 * rules themselves (core/tickets/lifecycle.ts), so a report spec reads as
 * what happened: opened Friday 16:30, answered Monday 09:30, solved…
 */
export class TicketStory {
  readonly ticket: Ticket;

  constructor(at: string, over: Partial<Ticket> = {}) {
    this.ticket = {
      id: over.id ?? `T-${String(++seq).padStart(6, '0')}`,
      status: 'open',
      createdAt: new Date(at).toISOString(),
      updatedAt: new Date(at).toISOString(),
      channel: 'widget',
      lang: 'en',
      email: 'ana@example.com',
      subject: 'VPN',
      reason: 'user',
      transcript: [],
      shown: [],
      tags: [],
      notes: [],
      messages: [],
      ...over,
    };
  }

  /** A public agent reply (pending unless another status is given). */
  reply(at: string, options: { author?: string; status?: TicketStatus } = {}): this {
    addAgentMessage(this.ticket, { text: 'Try this', author: options.author ?? 'marta', ...options }, this.clock(at));
    return this;
  }

  /** An internal note: never a first response. */
  note(at: string): this {
    addAgentMessage(this.ticket, { text: 'checking', internal: true, author: 'marta' }, this.clock(at));
    return this;
  }

  /** Deflect's own message (a bot answer): never a first response. */
  bot(at: string): this {
    addSystemMessage(this.ticket, 'Maybe this article helps', this.clock(at));
    return this;
  }

  customer(at: string): this {
    addCustomerMessage(this.ticket, 'Still broken', this.clock(at));
    return this;
  }

  status(at: string, status: TicketStatus): this {
    moveTo(this.ticket, status, this.clock(at), 'marta');
    return this;
  }

  solve(at: string): this {
    return this.status(at, 'solved');
  }

  rate(at: string, score: TicketScore): this {
    rate(this.ticket, { score }, this.clock(at));
    return this;
  }

  private clock(at: string): Date {
    const now = new Date(at);
    this.ticket.updatedAt = now.toISOString();
    return now;
  }
}

let seq = 0;

/** A ticket opened at `at`. */
export function opened(at: string, over: Partial<Ticket> = {}): TicketStory {
  return new TicketStory(at, over);
}
