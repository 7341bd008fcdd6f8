import type { MyTicketResponse } from '../contracts/api.ts';
import { readEmailTicket, writeEmailTicket } from '../email/emailState.ts';
import { ETagConflictError } from '../storage/keyValueStore.ts';
import type { CoreServices } from '../services.ts';
import { customerView, ticketForCustomer } from '../tickets/customerView.ts';
import { announceToSinks } from '../tickets/handToSinks.ts';
import { moveTo, type Milestones } from '../tickets/lifecycle.ts';
import { recordMilestones } from '../tickets/ticketEvents.ts';

/**
 * "Yes, it is solved": the customer confirms the answer an e-mail reply
 * carried (the POST behind the link; its GET only asks). The ticket becomes
 * solved (a resolution, as the lifecycle records it) and the answer gets the
 * "helpful" feedback the widget's Yes gives — so the question counts as
 * confirmed and, its ticket never escalated, as self-served (a deflection)
 * in every report. A second confirmation changes nothing; a closed ticket
 * stays closed. The follow-up token is the key, as on the follow-up page.
 */
export async function confirmSolvedByEmail(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks' | 'channelState' | 'conversations'>,
  input: { id: string; token: string; now?: Date },
): Promise<{ changed: boolean; ticket: MyTicketResponse }> {
  const now = input.now ?? new Date();
  await ticketForCustomer(core.tickets, input.id, { token: input.token });
  let milestones: Milestones = {};
  let changed = false;
  const t = await core.tickets.update(input.id, (t) => {
    if (t.status === 'solved' || t.status === 'closed') return false;
    milestones = moveTo(t, 'solved', now).milestones;
    changed = true;
  });
  const store = await core.channelState();
  const known = await readEmailTicket(store, t.id);
  if (known?.value.articleId && known.value.conversationId && !known.value.confirmed && !known.value.escalated) {
    try {
      // Claimed first: two clicks (or two instances) write one feedback event.
      await writeEmailTicket(store, t.id, { ...known.value, confirmed: true }, known.eTag);
      const event = await core.events.append({
        type: 'feedback',
        conversationId: known.value.conversationId,
        channel: t.channel,
        lang: t.lang,
        user: { email: t.email, ...(t.name ? { name: t.name } : {}) },
        articleId: known.value.articleId,
        helpful: true,
        next: 'resolved',
        shown: [],
        reply: '',
      });
      await core.conversations.apply(event, (id) => id);
    } catch (error) {
      if (!(error instanceof ETagConflictError)) throw error;
    }
  }
  if (changed) {
    await recordMilestones(core.events, t, milestones);
    await announceToSinks(core.sinks, 'ticket.updated', t);
  }
  return { changed, ticket: customerView(t) };
}
