import { DeflectError } from '../errors.ts';
import type { CoreServices } from '../services.ts';
import { webhookSinkOf } from '../tickets/createSinks.ts';

/** Resend each dead webhook delivery once, under its delivery id; what still fails stays dead. */
export function retryWebhooks(
  core: Pick<CoreServices, 'sinks'>,
): Promise<{ resent: number; remaining: number; errors: { ticketId: string; error: string }[] }> {
  const sink = webhookSinkOf(core.sinks);
  if (!sink) throw new DeflectError('conflict', 'No webhook is configured: set WEBHOOK_URL and WEBHOOK_SECRET');
  return sink.retryDeadLetters();
}
