import type { Config } from '../config/index.ts';
import type { DeadLetterFile } from './deadLetter.ts';
import type { TicketSink } from './types.ts';
import { WebhookSink } from './webhookSink.ts';

/** The sinks configured besides the built-in store (which always keeps every ticket); a webhook parks what it cannot deliver in `deadLetters`. */
export function createSinks(config: Pick<Config, 'tickets'>, deadLetters: DeadLetterFile): TicketSink[] {
  const sinks: TicketSink[] = [];
  if (config.tickets.webhook) sinks.push(new WebhookSink(config.tickets.webhook, deadLetters));
  return sinks;
}

/** Let sinks finish or park what they hold (a webhook moves pending retries to its dead-letter file). */
export async function closeSinks(sinks: TicketSink[]): Promise<void> {
  await Promise.allSettled(sinks.map((s) => (s as TicketSink & { close?: () => Promise<void> }).close?.()));
}

/** The webhook sink, when one is configured. */
export function webhookSinkOf(sinks: TicketSink[]): WebhookSink | undefined {
  return sinks.find((s): s is WebhookSink => s instanceof WebhookSink);
}
