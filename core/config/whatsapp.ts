import { z } from 'zod';
import { num } from './shared.ts';

/** WhatsApp Cloud API channel (Meta): off unless its four credentials are set. */
export const whatsappEnv = z.object({
  /** The Meta app's secret: the key of the X-Hub-Signature-256 HMAC on every webhook POST. */
  WHATSAPP_APP_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  /** The token typed into Meta's webhook settings; GET /api/whatsapp echoes hub.challenge only to it. */
  WHATSAPP_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Access token (a system user's) for the Graph API's messages endpoint. */
  WHATSAPP_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  /** The business phone number's id in the Graph API (digits, not the number itself). */
  WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,30}$/, 'must be the phone number id (digits)')
    .optional(),
  /** Base of the Graph API, with its version; overridable for tests and proxies. */
  WHATSAPP_GRAPH_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://graph.facebook.com/v21.0'),
  /**
   * Approved template for agents' replies outside the 24-hour customer-service window:
   * `name` (sent in the ticket's language, es or en) or `name:language_code` (always that one).
   * Its body takes two parameters: the ticket id and the reply. Unset: such replies stay on the ticket only.
   */
  WHATSAPP_REPLY_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}(:[A-Za-z_]{2,10})?$/, 'must be a template name, optionally with :language_code')
    .optional(),
  /** Largest webhook body accepted on /api/whatsapp, in bytes. */
  WHATSAPP_MAX_BODY_BYTES: num(262_144, 1024, 10_000_000),
  /** Attempts per agent reply before it is kept as dead (a Graph outage that outlasts them). */
  WHATSAPP_MAX_ATTEMPTS: num(8, 1, 30),
  /** Wait before an agent reply's first retry, in ms; doubles on each further attempt. */
  WHATSAPP_BACKOFF_MS: num(5_000, 0, 3_600_000),
  /** Time allowed for one Graph API attempt, in ms. */
  WHATSAPP_TIMEOUT_MS: num(10_000, 100, 300_000),
});

type WhatsAppEnv = z.infer<typeof whatsappEnv>;

const REQUIRED = [
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
] as const;

/** Some credentials without the others would leave a channel that cannot verify or cannot reply: refuse to start. */
export function checkWhatsAppEnv(env: WhatsAppEnv, ctx: z.RefinementCtx): void {
  const set = REQUIRED.filter((k) => env[k]);
  if (!set.length || set.length === REQUIRED.length) {
    if (env.WHATSAPP_REPLY_TEMPLATE && !set.length)
      ctx.addIssue({
        code: 'custom',
        path: ['WHATSAPP_REPLY_TEMPLATE'],
        message: `needs ${REQUIRED.join(', ')} (the WhatsApp channel is off without them)`,
      });
    return;
  }
  for (const k of REQUIRED)
    if (!env[k])
      ctx.addIssue({
        code: 'custom',
        path: [k],
        message: `is required when ${set.join(', ')} is set (WhatsApp channel)`,
      });
}

export interface WhatsAppConfig {
  appSecret: string;
  verifyToken: string;
  token: string;
  phoneNumberId: string;
  /** Without a trailing slash. */
  graphUrl: string;
  /** The template for replies outside the 24-hour window; `lang` unset = the ticket's language. */
  replyTemplate?: { name: string; lang?: string };
  maxBodyBytes: number;
  /** How the queued agent replies are retried (the delivery worker's policy). */
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

/** The channel's settings, or undefined when it is off. */
export function whatsappConfig(env: WhatsAppEnv): WhatsAppConfig | undefined {
  const { WHATSAPP_APP_SECRET: appSecret, WHATSAPP_VERIFY_TOKEN: verifyToken, WHATSAPP_TOKEN: token } = env;
  const phoneNumberId = env.WHATSAPP_PHONE_NUMBER_ID;
  if (!appSecret || !verifyToken || !token || !phoneNumberId) return undefined;
  const [name, lang] = env.WHATSAPP_REPLY_TEMPLATE?.split(':') ?? [];
  return {
    appSecret,
    verifyToken,
    token,
    phoneNumberId,
    graphUrl: env.WHATSAPP_GRAPH_URL.replace(/\/+$/, ''),
    ...(name ? { replyTemplate: { name, ...(lang ? { lang } : {}) } } : {}),
    maxBodyBytes: env.WHATSAPP_MAX_BODY_BYTES,
    maxAttempts: env.WHATSAPP_MAX_ATTEMPTS,
    backoffMs: env.WHATSAPP_BACKOFF_MS,
    timeoutMs: env.WHATSAPP_TIMEOUT_MS,
  };
}
