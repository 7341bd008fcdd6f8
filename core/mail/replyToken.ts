import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `+token` of the Reply-To address every customer mail carries
 * (`support+t000042-3f9a0c1b2d7e@help.example.com`): the ticket's number and
 * a MAC of it under the mail link key, so a reply that lost its threading
 * headers still finds its ticket, and a made-up token finds none. It names a
 * ticket, not a person: the e-mail channel accepts it only from the ticket's
 * requester (email/emailChannel.ts).
 */
export function replyTokenOf(key: Buffer, ticketId: string): string {
  return `${ticketId.replace(/-/g, '').toLowerCase()}-${mac(key, ticketId)}`;
}

/** The ticket a token names, or null when it is not one of ours (wrong MAC, wrong shape). */
export function ticketOfReplyToken(key: Buffer, token: string): string | null {
  const m = /^t(\d{1,12})-([0-9a-f]{12})$/i.exec(token);
  if (!m) return null;
  const ticketId = `T-${m[1]}`;
  const want = Buffer.from(mac(key, ticketId));
  const got = Buffer.from(m[2]!.toLowerCase());
  return want.length === got.length && timingSafeEqual(want, got) ? ticketId : null;
}

/** `support@x` and a token → `support+token@x`. */
export function replyAddressOf(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

/** The token of a `support+token@x` address written to our `address`, or null. */
export function tokenInAddress(recipient: string, address: string): string | null {
  const [local, domain] = splitAddress(address.toLowerCase());
  const [rLocal, rDomain] = splitAddress(recipient.toLowerCase());
  if (rDomain !== domain || !rLocal.startsWith(`${local}+`)) return null;
  return rLocal.slice(local.length + 1) || null;
}

function splitAddress(a: string): [string, string] {
  const at = a.lastIndexOf('@');
  return [a.slice(0, at), a.slice(at + 1)];
}

function mac(key: Buffer, ticketId: string): string {
  return createHmac('sha256', key).update(`deflect-reply-to\n${ticketId}`).digest('hex').slice(0, 12);
}
