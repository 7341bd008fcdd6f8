import type { InboundMail } from './types.ts';

/**
 * Why a message must get no automatic reply, or null when it may:
 * - `bounce`: a delivery report (multipart/report, an empty Return-Path, MAILER-DAEMON or postmaster);
 * - `own`: we sent it (our From address, or one of our `<deflect.…@domain>` Message-IDs): answering would loop;
 * - `auto_submitted`: RFC 3834's Auto-Submitted with any value but `no` (out-of-office replies, notifications);
 * - `bulk`: Precedence bulk, list or junk;
 * - `list`: a mailing list's message (List-Id, List-Unsubscribe).
 * Bounces and our own messages are dropped; the others still become tickets,
 * silently (email/emailChannel.ts), so nothing written to support is lost.
 */
export type NoReplyReason = 'bounce' | 'own' | 'auto_submitted' | 'bulk' | 'list';

export function noAutoReplyReason(
  mail: Pick<InboundMail, 'headers' | 'contentType' | 'from' | 'messageId'>,
  ours: { addresses: string[]; messageIdDomain: string },
): NoReplyReason | null {
  const h = mail.headers;
  const from = mail.from?.address.toLowerCase() ?? '';
  const returnPath = h['return-path'];
  if (
    mail.contentType === 'multipart/report' ||
    (returnPath !== undefined && /^\s*<?\s*>?\s*$/.test(returnPath)) ||
    /^(mailer-daemon|postmaster)@/.test(from)
  )
    return 'bounce';
  // Only our own pattern: colleagues on the same domain (an IT help desk) write from it too.
  const id = mail.messageId?.toLowerCase() ?? '';
  const ownId = id.startsWith('<deflect.') && id.endsWith(`@${ours.messageIdDomain.toLowerCase()}>`);
  if (ownId || ours.addresses.some((a) => a.toLowerCase() === from)) return 'own';
  const auto = h['auto-submitted']?.trim().toLowerCase();
  if (auto && !/^no\b/.test(auto)) return 'auto_submitted';
  if (/^\s*(bulk|list|junk)\b/i.test(h['precedence'] ?? '')) return 'bulk';
  if (h['list-id'] !== undefined || h['list-unsubscribe'] !== undefined) return 'list';
  return null;
}
