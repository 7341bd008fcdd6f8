import { DeflectError } from '../errors.ts';
import { mailSinkOf } from '../mail/customerMailSink.ts';
import type { CoreServices } from '../services.ts';
import type { RetryResult } from '../tickets/deliveryWorker.ts';

/** Resend each dead e-mail to a customer once, with its Message-ID; what still fails stays dead. */
export function retryMails(core: Pick<CoreServices, 'sinks'>): Promise<RetryResult> {
  const sink = mailSinkOf(core.sinks);
  if (!sink) throw new DeflectError('conflict', 'No customer mail is configured here');
  return sink.retryDeadMail();
}
