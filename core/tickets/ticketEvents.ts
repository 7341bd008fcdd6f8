import type { NewEvent } from '../events/types.ts';
import type { EventStore } from '../storage/ports.ts';
import type { Milestones } from './lifecycle.ts';
import type { Ticket } from './types.ts';

/**
 * Record a step's milestones in the event log, where reports read them
 * (first response and resolution times, reopens). Appended after the ticket
 * is stored: an event never tells of a change that did not last.
 */
export async function recordMilestones(events: EventStore, t: Ticket, m: Milestones): Promise<void> {
  const base = {
    conversationId: t.conversationId ?? `ticket:${t.id}`,
    channel: t.channel,
    lang: t.lang,
    user: { id: t.userId, email: t.email || undefined, name: t.name },
    ticketId: t.id,
  };
  const list: NewEvent[] = [];
  if (m.firstResponse)
    list.push({
      ...base,
      type: 'ticket_first_response',
      afterMs: m.firstResponse.afterMs,
      agent: m.firstResponse.author,
    });
  if (m.resolved)
    list.push({
      ...base,
      type: 'ticket_resolved',
      afterMs: m.resolved.afterMs,
      reopens: t.reopens ?? 0,
      agent: m.resolved.author,
    });
  if (m.reopened && m.reopened.from !== 'open')
    list.push({ ...base, type: 'ticket_reopened', from: m.reopened.from === 'solved' ? 'solved' : 'pending' });
  for (const e of list) await events.append(e);
}
