import { DeflectError } from '../errors.ts';
import type { CoreServices } from '../services.ts';
import type { RetryResult } from '../tickets/deliveryWorker.ts';
import { whatsAppSinkOf } from '../whatsapp/whatsAppSink.ts';

/**
 * Resend each dead WhatsApp reply once (after a Graph outage outlasted
 * WHATSAPP_MAX_ATTEMPTS); the 24-hour window is read again at this send, so
 * a reply whose window closed meanwhile goes out as the template. What still
 * fails stays dead.
 */
export function retryWhatsAppReplies(core: Pick<CoreServices, 'sinks'>): Promise<RetryResult> {
  const sink = whatsAppSinkOf(core.sinks);
  if (!sink) throw new DeflectError('conflict', 'WhatsApp is not configured here');
  return sink.retryDeadReplies();
}
