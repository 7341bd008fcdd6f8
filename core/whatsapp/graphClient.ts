import { setTimeout as delay } from 'node:timers/promises';
import type { WhatsAppConfig } from '../config/whatsapp.ts';
import { DeflectError } from '../errors.ts';

/** A message for the Graph API's messages endpoint, without `messaging_product` (added on sending). */
export type GraphMessage = { to: string } & (
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'interactive'; interactive: Record<string, unknown> }
  | { type: 'template'; template: { name: string; language: { code: string }; components?: unknown[] } }
);

/** The Graph API refused a message, or kept failing until the attempts ran out. */
export class WhatsAppSendError extends DeflectError {
  override name = 'WhatsAppSendError';
  constructor(message: string, details?: unknown) {
    super('whatsapp_send_failed', message, details);
  }
}

/** How one attempt at a message ended. */
export type GraphAttempt =
  { ok: true; id?: string } | { ok: false; retry: boolean; error: string; retryAfterMs?: number };

export interface GraphClientOptions {
  /** Attempts per message (the first and the retries). */
  attempts?: number;
  /** Wait before the first retry, doubled after each; a Retry-After header, when longer, wins (capped). */
  backoffMs?: number;
  timeoutMs?: number;
}

const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Sends messages through the WhatsApp Cloud API: POST {graph}/{phone-number-id}/messages
 * with the bearer token. Rate limits (429), server errors and network failures
 * are retried with backoff; another 4xx (a bad recipient, a message outside
 * the 24-hour window) is the message's fault and fails at once. The token is
 * never put in an error or a log.
 */
export class GraphClient {
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: Pick<WhatsAppConfig, 'graphUrl' | 'token' | 'phoneNumberId'>,
    options: GraphClientOptions = {},
  ) {
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Send one message; resolves with the id WhatsApp gave it. */
  async send(message: GraphMessage): Promise<string | undefined> {
    const url = `${this.config.graphUrl}/${this.config.phoneNumberId}/messages`;
    const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...message });
    let wait = this.backoffMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, body);
      if (outcome.ok) return outcome.id;
      if (!outcome.retry || attempt >= this.attempts)
        throw new WhatsAppSendError(`WhatsApp refused the message: ${outcome.error}`, {
          attempts: attempt,
          type: message.type,
        });
      await delay(Math.max(wait, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)));
      wait *= 2;
    }
  }

  /**
   * One attempt, without retrying: for a caller that retries on its own
   * schedule (the delivery worker, for agents' replies). `retry` says whether
   * the failure may pass (429, 5xx, the network) or is the message's fault.
   */
  sendOnce(message: GraphMessage, signal?: AbortSignal): Promise<GraphAttempt> {
    const url = `${this.config.graphUrl}/${this.config.phoneNumberId}/messages`;
    const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...message });
    return this.attempt(url, body, signal);
  }

  private async attempt(url: string, body: string, signal?: AbortSignal): Promise<GraphAttempt> {
    try {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.config.token}` },
        body,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const json = (await res.json().catch(() => undefined)) as
        { messages?: { id?: string }[]; error?: { message?: string; code?: number } } | undefined;
      if (res.ok) return { ok: true, id: json?.messages?.[0]?.id };
      const retry = res.status === 429 || res.status >= 500;
      const retryAfter = Number(res.headers.get('retry-after'));
      const reason = json?.error?.message ? `: ${json.error.message.slice(0, 300)}` : '';
      return {
        ok: false,
        retry,
        error: `HTTP ${res.status}${reason}`,
        ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      return { ok: false, retry: true, error: e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message) };
    }
  }
}
