import type { Ticket } from '../tickets/types.ts';
import { followUpPath } from '../tickets/followUpToken.ts';
import { asHtml, blocksAsText, rootMessageId, type Block, type OutgoingMail } from './composeMail.ts';
import { MAIL_TEXT } from './mailText.ts';

export interface EmailReplyInput {
  ticket: Ticket;
  /** The canned answer, when the engine was confident. */
  answer?: { title: string; text: string; url: string | null };
  /** Up to three articles, when it was not. */
  suggestions: { title: string; url: string }[];
  /** The ticket's follow-up token (just created: openTicket returns it once). */
  token: string;
  publicUrl: string;
  fromAddress: string;
  replyTo?: string;
  /** The customer's message: the reply names it, so their client threads it. */
  customer: { subject: string; messageId?: string; references: string[] };
}

/**
 * The automatic reply to a customer's new e-mail, in the ticket's language:
 * the canned answer with "Did this solve it?" and a "Yes, it is solved" link
 * (its GET only shows a confirmation form: mail scanners follow links), or
 * the suggested articles; always the ticket id and its follow-up link.
 * Its Message-ID is the ticket's root id, so the later mails (agent replies,
 * solved) thread under it as under a creation mail.
 */
export function composeEmailReply(input: EmailReplyInput): OutgoingMail {
  const { ticket: t, answer, customer } = input;
  const s = MAIL_TEXT[t.lang];
  const follow = `${input.publicUrl}${followUpPath(t.id, input.token)}`;
  const blocks: Block[] = [{ p: s.hello(t.name) }];
  if (answer) {
    blocks.push({ p: s.answerIntro }, { quote: `${answer.title}\n\n${answer.text}` });
    if (answer.url) blocks.push({ link: answer.url, label: s.fullArticle });
    blocks.push({ p: s.didItSolve }, { link: `${follow}/solved`, label: s.yesSolved }, { p: s.replyIfNot(t.id) });
  } else {
    blocks.push({ p: s.created(t.id) });
    if (input.suggestions.length)
      blocks.push({ p: s.suggestions }, ...input.suggestions.slice(0, 3).map((a) => ({ link: a.url, label: a.title })));
  }
  blocks.push({ p: s.follow }, { link: follow }, { p: s.keepLink }, { p: s.footer });
  const references = [...customer.references, ...(customer.messageId ? [customer.messageId] : [])].slice(-20);
  return {
    ticketId: t.id,
    to: { ...(t.name ? { name: t.name } : {}), address: t.email },
    subject: s.answerSubject(t.id, customer.subject.replace(/^(re|aw|sv|fwd?):\s*/i, '')).replace(/[\r\n]+/g, ' '),
    text: blocksAsText(blocks),
    html: asHtml(blocks, t.lang),
    messageId: rootMessageId(t, input.fromAddress),
    ...(customer.messageId ? { inReplyTo: customer.messageId } : {}),
    ...(references.length ? { references } : {}),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
  };
}
