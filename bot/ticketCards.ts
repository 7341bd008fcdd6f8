import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import type { MyTicketResponse, PublicTicketMessage } from '../core/contracts/api.ts';
import type { ChannelTicket } from '../core/commands/listChannelTickets.ts';
import type { DialogStrings } from '../core/dialog/strings.ts';

/** What a card's reply box posts back (Action.Submit): the activity's `value`, with the text typed as `reply`. */
export const REPLY_ACTION = 'ticketReply';

/** How many tickets one "my tickets" answer shows (Teams limits an activity's size). */
export const MAX_CARDS = 10;

/**
 * A person's tickets as Adaptive Cards, one per ticket: subject, id and
 * status in words, the expected reply time when known, the last public
 * message, and a reply box. Adaptive Cards 1.4 render in Teams, Web Chat
 * and the Emulator alike.
 */
export function myTicketsReply(list: { tickets: ChannelTicket[]; total: number }, s: DialogStrings): Partial<Activity> {
  if (!list.tickets.length) return MessageFactory.text(s.noTickets);
  const text = list.total > list.tickets.length ? s.moreTickets(list.tickets.length, list.total) : s.myTickets;
  return MessageFactory.list(
    list.tickets.map((t) => CardFactory.adaptiveCard(ticketCard(t, t.lastMessage, s))),
    text,
  );
}

/** An agent's reply, written to the person first: the ticket's card with that message and the reply box. */
export function agentReplyActivity(
  t: MyTicketResponse,
  message: PublicTicketMessage,
  s: DialogStrings,
): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(ticketCard(t, message, s)), s.agentReplied(t.id));
}

function ticketCard(t: Omit<MyTicketResponse, 'messages'>, last: PublicTicketMessage | undefined, s: DialogStrings) {
  const who = (m: PublicTicketMessage) =>
    m.from === 'customer'
      ? s.fromYou
      : m.from === 'agent'
        ? m.author
          ? `${s.fromSupport} · ${m.author}`
          : s.fromSupport
        : s.fromDesk;
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: t.subject, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: `${t.id} · ${t.statusLabel}`, isSubtle: true, spacing: 'None', wrap: true },
  ];
  if (t.expectedReplyAt)
    body.push({
      type: 'TextBlock',
      text: `${s.expectedReply} ${localTime(t.expectedReplyAt)}`,
      wrap: true,
      spacing: 'Small',
    });
  if (last)
    body.push(
      { type: 'TextBlock', text: `${who(last)} · ${localTime(last.at)}`, isSubtle: true, size: 'Small', wrap: true },
      { type: 'TextBlock', text: last.text, wrap: true, maxLines: 6, spacing: 'None' },
    );
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    actions: [
      {
        type: 'Action.ShowCard',
        title: s.replyAction,
        card: {
          type: 'AdaptiveCard',
          body: [{ type: 'Input.Text', id: 'reply', label: s.replyPlaceholder, isMultiline: true, maxLength: 5000 }],
          actions: [{ type: 'Action.Submit', title: s.sendReply, data: { deflect: REPLY_ACTION, ticketId: t.id } }],
        },
      },
    ],
  };
}

/**
 * The card's own date and time functions show a time in the reader's time
 * zone and language; they take RFC 3339 without fractions of a second.
 */
function localTime(iso: string): string {
  const at = iso.replace(/\.\d+Z$/, 'Z');
  return `{{DATE(${at}, SHORT)}} {{TIME(${at})}}`;
}
