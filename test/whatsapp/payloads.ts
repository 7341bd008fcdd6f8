import { signBody } from '../../whatsapp/signature.ts';

/**
 * Webhook bodies shaped like the ones Meta sends
 * (developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples):
 * one entry of the business account, one `messages` change carrying our
 * number's metadata, the sender's contact and their message, or a status.
 */

export const PHONE_NUMBER_ID = '106540352242922';
export const APP_SECRET = 'test-app-secret-0123456789';
export const VERIFY_TOKEN = 'test-verify-token-42';
export const TOKEN = 'EAAG-test-access-token';

let seq = 0;
/** A fresh message id, as Meta's wamid…. */
export const messageId = () => `wamid.HBgLMzQ2MDAxMTEyMjIVAgASGBQz${Date.now().toString(36)}${++seq}`;

function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

type Said =
  | { text: string }
  | { buttonReply: { id: string; title: string } }
  | { listReply: { id: string; title: string; description?: string } }
  | { image: true };

/** A person's message: text, a pressed reply button, a picked list row, or an image. */
export function inbound(
  from: string,
  said: Said,
  opts: { id?: string; name?: string; at?: Date } = {},
): { body: Record<string, unknown>; id: string } {
  const id = opts.id ?? messageId();
  const timestamp = String(Math.floor((opts.at ?? new Date()).getTime() / 1000));
  const content =
    'text' in said
      ? { type: 'text', text: { body: said.text } }
      : 'buttonReply' in said
        ? { type: 'interactive', interactive: { type: 'button_reply', button_reply: said.buttonReply } }
        : 'listReply' in said
          ? { type: 'interactive', interactive: { type: 'list_reply', list_reply: said.listReply } }
          : { type: 'image', image: { mime_type: 'image/jpeg', sha256: 'abc', id: '1234567890' } };
  const body = envelope({
    contacts: [{ profile: { name: opts.name ?? 'Ana Pérez' }, wa_id: from }],
    messages: [{ from, id, timestamp, ...content }],
  });
  return { body, id };
}

/** A delivery status of a message we sent (no one said anything); a failed one carries WhatsApp's error. */
export function status(recipient: string, state: 'sent' | 'delivered' | 'read' | 'failed' = 'delivered') {
  return envelope({
    statuses: [
      {
        id: messageId(),
        status: state,
        ...(state === 'failed'
          ? { errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message' }] }
          : {}),
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: recipient,
        conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
        pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
      },
    ],
  });
}

/** POST a body to the webhook, signed with the app secret (or with `secret`, or a given header). */
export async function postWebhook(
  url: string,
  body: unknown,
  opts: { secret?: string; signature?: string } = {},
): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(`${url}/api/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': opts.signature ?? signBody(raw, opts.secret ?? APP_SECRET),
    },
    body: raw,
  });
}

/** The environment that turns the channel on, replying through `graphUrl`. */
export function whatsappEnv(graphUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_GRAPH_URL: graphUrl,
    ...extra,
  };
}
