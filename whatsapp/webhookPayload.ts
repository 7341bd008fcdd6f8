import { z } from 'zod';

/**
 * Meta's webhook vocabulary → what the conversation needs. Only the fields
 * read here are checked; the rest of Meta's payload passes untouched, so a
 * field Meta adds tomorrow does not break the channel.
 */

const message = z.looseObject({
  id: z.string().min(1).max(300),
  from: z.string().regex(/^\d{5,20}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().max(50),
  text: z.looseObject({ body: z.string().max(65_536) }).optional(),
  button: z.looseObject({ text: z.string().max(1000).optional(), payload: z.string().max(1000).optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string().max(50),
      button_reply: z.looseObject({ id: z.string().max(300), title: z.string().max(100) }).optional(),
      list_reply: z.looseObject({ id: z.string().max(300), title: z.string().max(100) }).optional(),
    })
    .optional(),
});

const payload = z.looseObject({
  object: z.string(),
  entry: z
    .array(
      z.looseObject({
        changes: z
          .array(
            z.looseObject({
              field: z.string(),
              value: z.looseObject({
                metadata: z.looseObject({ phone_number_id: z.string() }).optional(),
                contacts: z
                  .array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string() }).optional() }))
                  .optional(),
                messages: z.array(z.unknown()).optional(),
                statuses: z.array(z.unknown()).optional(),
              }),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});

/** A person's message, as the conversation reads it. */
export interface InboundMessage {
  /** WhatsApp's message id (wamid…): the same on every redelivery. */
  id: string;
  /** The sender's WhatsApp id: their phone number. */
  from: string;
  /** Their WhatsApp profile name, when Meta sends it. */
  name?: string;
  /** When they sent it (WhatsApp's clock): the 24-hour window starts here. */
  at: Date;
  /** What they wrote, or the reply id of the button they pressed ('' for media: the conversation asks for text). */
  text: string;
  /** An article picked from a list message. */
  pickedArticleId?: string;
}

/** List rows that pick an article carry its id behind this prefix. */
export const ARTICLE_ROW = 'article:';

/** Kinds that are not something the person said to us: nothing to answer. */
const SILENT = new Set(['reaction', 'system', 'unsupported', 'errors', 'request_welcome']);

/**
 * The people's messages in a webhook body for our phone number, oldest
 * first; delivery statuses and other numbers' messages are left out, and a
 * malformed message is skipped rather than failing its neighbours.
 */
export function inboundMessages(body: unknown, phoneNumberId: string): InboundMessage[] {
  const parsed = payload.safeParse(body);
  if (!parsed.success || parsed.data.object !== 'whatsapp_business_account') return [];
  const out: InboundMessage[] = [];
  for (const entry of parsed.data.entry)
    for (const change of entry.changes) {
      const value = change.value;
      if (change.field !== 'messages' || value.metadata?.phone_number_id !== phoneNumberId) continue;
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name?.trim()]));
      for (const raw of value.messages ?? []) {
        const m = message.safeParse(raw);
        if (!m.success || SILENT.has(m.data.type)) continue;
        const name = names.get(m.data.from);
        out.push({
          id: m.data.id,
          from: m.data.from,
          ...(name ? { name } : {}),
          at: new Date(Number(m.data.timestamp) * 1000),
          ...said(m.data),
        });
      }
    }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function said(m: z.infer<typeof message>): Pick<InboundMessage, 'text' | 'pickedArticleId'> {
  if (m.type === 'text') return { text: m.text?.body ?? '' };
  // A template's quick-reply button: its text is what the person means.
  if (m.type === 'button') return { text: m.button?.text ?? m.button?.payload ?? '' };
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  if (m.type === 'interactive' && reply) {
    if (reply.id.startsWith(ARTICLE_ROW))
      return { text: reply.title, pickedArticleId: reply.id.slice(ARTICLE_ROW.length) };
    // Our buttons' ids are their full labels, which the conversation's intents know (titles may be shortened).
    return { text: reply.id };
  }
  return { text: '' };
}

const failedStatus = z.looseObject({
  id: z.string().max(300),
  status: z.literal('failed'),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().max(500).optional() })).optional(),
});

/** A message of ours WhatsApp could not deliver: its id and why (131047: outside the 24-hour window, …). */
export interface FailedDelivery {
  messageId: string;
  code?: number;
  title?: string;
}

/** The delivery statuses in a webhook body that say one of our messages failed (the others need nothing). */
export function failedDeliveries(body: unknown, phoneNumberId: string): FailedDelivery[] {
  const parsed = payload.safeParse(body);
  if (!parsed.success) return [];
  return parsed.data.entry.flatMap((entry) =>
    entry.changes
      .filter((c) => c.field === 'messages' && c.value.metadata?.phone_number_id === phoneNumberId)
      .flatMap((c) => c.value.statuses ?? [])
      .flatMap((raw) => {
        const s = failedStatus.safeParse(raw);
        if (!s.success) return [];
        const error = s.data.errors?.[0];
        return [
          {
            messageId: s.data.id,
            ...(error?.code ? { code: error.code } : {}),
            ...(error?.title ? { title: error.title } : {}),
          },
        ];
      }),
  );
}
