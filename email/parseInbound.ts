import { createHash } from 'node:crypto';
import PostalMime, { type Address } from 'postal-mime';
import type { InboundMail } from '../core/email/types.ts';

const MAX_TEXT = 20_000;

/**
 * A raw message from the mailbox, parsed with postal-mime into what the
 * channel reads: threading headers, sender and recipients, the text the
 * person wrote (the plain part, else the HTML's text), and attachments as
 * metadata only (name, size, type).
 */
export async function parseInbound(raw: Buffer): Promise<InboundMail> {
  const m = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const headers: Record<string, string> = {};
  for (const h of m.headers) if (!(h.key in headers)) headers[h.key] = h.value;
  const from = mailboxes(m.from ? [m.from] : [])[0];
  const recipients = [
    ...mailboxes([...(m.to ?? []), ...(m.cc ?? [])]).map((a) => a.address),
    ...['delivered-to', 'x-original-to'].flatMap((k) =>
      m.headers.filter((h) => h.key === k).map((h) => h.value.replace(/[<>\s]/g, '')),
    ),
  ].map((a) => a.toLowerCase());
  const messageId = idOf(m.messageId);
  return {
    key: messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    ...(messageId ? { messageId } : {}),
    ...(idOf(m.inReplyTo) ? { inReplyTo: idOf(m.inReplyTo) } : {}),
    references: (m.references ?? '').match(/<[^<>\s]+>/g) ?? [],
    ...(from ? { from: { address: from.address.toLowerCase(), ...(from.name ? { name: from.name } : {}) } } : {}),
    recipients: [...new Set(recipients)],
    subject: (m.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: (m.text ?? htmlText(m.html ?? '')).slice(0, MAX_TEXT),
    headers,
    contentType: (headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase(),
    attachments: m.attachments
      .filter((a) => a.disposition !== 'inline' || a.filename)
      .map((a) => ({
        name: a.filename ?? '(unnamed)',
        size: typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.byteLength,
        type: a.mimeType,
      })),
  };
}

/** The first `<id>` of a header value, as written. */
function idOf(value: string | undefined): string | undefined {
  return value?.match(/<[^<>\s]+>/)?.[0];
}

function mailboxes(list: Address[]): { address: string; name?: string }[] {
  return list
    .flatMap((a) => (a.group ? a.group : [a]))
    .filter((a): a is { address: string; name: string } => !!a.address);
}

/** An HTML-only message's words, for the engine and the agent (never rendered). */
function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
