import type { Ticket, TicketMessage } from '../tickets/types.ts';
import { followUpPath } from '../tickets/followUpToken.ts';
import { MAIL_TEXT } from './mailText.ts';

/** A mail as it is queued: everything the sender needs, fixed at the change it tells, so a retry sends the same mail. */
export interface OutgoingMail {
  ticketId: string;
  to: { name?: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /** `support+<token>@domain` when e-mail in is on: a reply finds its ticket even without threading headers (core/mail/replyToken.ts). */
  replyTo?: string;
}

export type MailKind = 'created' | 'reply' | 'solved';

/** A paragraph, a quoted message, or a labelled link: rendered once as text and once as HTML. */
export type Block = { p: string } | { quote: string } | { link: string; label?: string };

export interface ComposeInput {
  kind: MailKind;
  ticket: Ticket;
  /** The public agent reply a `reply` mail carries. */
  message?: TicketMessage;
  /** The customer's follow-up token, when it is known (always at creation; later, when its seal opens). */
  token: string | null;
  publicUrl: string;
  /** The address mails come from: its domain names the Message-IDs. */
  fromAddress: string;
  /** The Reply-To, when replies are read (e-mail in): the support address with the ticket's +token. */
  replyTo?: string;
}

/**
 * One e-mail to the customer, in the ticket's language, as text and HTML.
 * Message-IDs are derived from the ticket (its id and creation time) and
 * from what the mail tells, so every mail of a ticket names the creation
 * mail in In-Reply-To and References and mail clients thread them.
 */
export function composeMail(input: ComposeInput): OutgoingMail {
  const { kind, ticket: t, message, token } = input;
  const s = MAIL_TEXT[t.lang];
  const follow = token ? `${input.publicUrl}${followUpPath(t.id, token)}` : null;
  const blocks: Block[] = [{ p: s.hello(t.name) }];
  let subject: string;
  if (kind === 'created') {
    subject = s.createdSubject(t.id, t.subject);
    blocks.push({ p: s.created(t.id) });
    if (follow) blocks.push({ p: s.follow }, { link: follow }, { p: s.keepLink });
  } else if (kind === 'reply') {
    subject = s.replySubject(t.id, t.subject);
    blocks.push({ p: s.replied(message?.author) }, { quote: message?.text ?? '' });
    blocks.push(...(follow ? [{ p: s.answer }, { link: follow }] : [{ p: s.noLink }]));
  } else {
    subject = s.solvedSubject(t.id, t.subject);
    blocks.push({ p: s.solved(t.id) });
    if (follow) {
      blocks.push(
        { p: s.rate },
        { link: `${follow}/rate?score=good`, label: s.good },
        { link: `${follow}/rate?score=bad`, label: s.bad },
        { p: s.notSolved },
        { link: follow },
      );
    } else blocks.push({ p: s.noLink });
  }
  blocks.push({ p: s.footer });

  const domain = input.fromAddress.split('@')[1] ?? 'localhost';
  const root = rootOf(t);
  const own =
    kind === 'created'
      ? root
      : kind === 'reply'
        ? `${root}.m.${message?.id ?? 'reply'}`
        : `${root}.solved.${Date.parse(t.solvedAt ?? t.updatedAt).toString(36)}`;
  const rootId = `<${root}@${domain}>`;
  return {
    ticketId: t.id,
    to: { ...(t.name ? { name: t.name } : {}), address: t.email },
    subject: subject.replace(/[\r\n]+/g, ' '),
    text: blocksAsText(blocks),
    html: asHtml(blocks, t.lang),
    messageId: `<${own}@${domain}>`,
    ...(kind === 'created' ? {} : { inReplyTo: rootId, references: [rootId] }),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
  };
}

/** The Message-ID of a ticket's first mail (the creation mail, or the e-mail channel's answer): every later mail names it. */
export function rootMessageId(t: Pick<Ticket, 'id' | 'createdAt'>, fromAddress: string): string {
  return `<${rootOf(t)}@${fromAddress.split('@')[1] ?? 'localhost'}>`;
}

function rootOf(t: Pick<Ticket, 'id' | 'createdAt'>): string {
  return `deflect.${t.id}.${Date.parse(t.createdAt).toString(36)}`;
}

/** The ticket a Message-ID of ours names (`<deflect.T-000042.…@domain>`), or null for anyone else's. */
export function ticketOfMessageId(messageId: string, fromAddress: string): string | null {
  const domain = (fromAddress.split('@')[1] ?? 'localhost').toLowerCase();
  const m = /^<?deflect\.(T-\d{1,12})\.[a-z0-9.\-]+@([^>]+)>?$/i.exec(messageId.trim());
  return m && m[2]!.toLowerCase() === domain ? m[1]! : null;
}

/** Blocks as the mail's text part. */
export function blocksAsText(blocks: Block[]): string {
  return blocks.map(asText).join('\n\n') + '\n';
}

function asText(b: Block): string {
  if ('p' in b) return b.p;
  if ('quote' in b)
    return b.quote
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
  return b.label ? `${b.label}: ${b.link}` : b.link;
}

/** Blocks as the mail's HTML part, every text escaped. */
export function asHtml(blocks: Block[], lang: string): string {
  const body = blocks
    .map((b) => {
      if ('p' in b) return `<p>${escapeHtml(b.p)}</p>`;
      if ('quote' in b)
        return `<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:12px">${escapeHtml(b.quote).replace(/\n/g, '<br>')}</blockquote>`;
      return `<p><a href="${escapeHtml(b.link)}">${escapeHtml(b.label ?? b.link)}</a></p>`;
    })
    .join('\n');
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>\n`;
}

/** Every text in a mail comes from a ticket or an agent: escaped, so none of it becomes markup. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
