import { DeflectError } from '../errors.ts';
import type { CoreServices } from '../services.ts';
import { webhookSinkOf } from '../tickets/createSinks.ts';

/** Resend the tickets in the webhook's dead-letter file; what still fails stays there. */
export function retryWebhooks(
  core: Pick<CoreServices, 'sinks'>,
): Promise<{ resent: number; remaining: number; errors: { ticketId: string; error: string }[] }> {
  const sink = webhookSinkOf(core.sinks);
  if (!sink) throw new DeflectError('conflict', 'No webhook is configured: set WEBHOOK_URL and WEBHOOK_SECRET');
  return sink.retryDeadLetters();
}
