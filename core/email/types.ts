import type { TicketAttachment } from '../tickets/types.ts';

/** One message read from the support mailbox, as the e-mail channel needs it (parsed at the edge: email/parseInbound.ts). */
export interface InboundMail {
  /** What it is processed once under: its Message-ID, else a hash of the whole message. */
  key: string;
  messageId?: string;
  inReplyTo?: string;
  /** The References header's ids, oldest first. */
  references: string[];
  from?: { address: string; name?: string };
  /** Every address it was written or delivered to: To, Cc, Delivered-To, X-Original-To (lower-case). */
  recipients: string[];
  subject: string;
  /** The text the person wrote: the plain part, else the HTML's text. */
  text: string;
  /** Headers by lower-case name, the first value of each. */
  headers: Record<string, string>;
  /** The top-level content type, lower-case (`multipart/report` for a delivery report). */
  contentType: string;
  /** Kept as metadata only: the files themselves are not stored. */
  attachments: AttachmentInfo[];
}

/** What a ticket message keeps of an attached file. */
export type AttachmentInfo = TicketAttachment;
