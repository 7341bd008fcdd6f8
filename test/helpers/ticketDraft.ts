import type { TicketDraft } from '../../core/storage/ports.ts';

/** A ticket as the storage specs open one: from the widget, in English, by ana@example.com; `over` sets any field. */
export function ticketDraft(over: Partial<TicketDraft> = {}): TicketDraft {
  return {
    channel: 'widget',
    lang: 'en',
    email: 'ana@example.com',
    subject: 'Help',
    reason: 'user',
    transcript: [],
    shown: [],
    ...over,
  };
}
