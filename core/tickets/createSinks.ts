import type { Config } from '../config/index.ts';
import type { DeliveryQueue } from '../storage/ports.ts';
import type { TicketSink } from './types.ts';
import { WebhookSink } from './webhookSink.ts';

/** The sinks configured besides the built-in store (which always keeps every ticket); a webhook enqueues into `deliveries`. */
export function createSinks(config: Pick<Config, 'tickets'>, deliveries: DeliveryQueue): TicketSink[] {
  const sinks: TicketSink[] = [];
  if (config.tickets.webhook) sinks.push(new WebhookSink(config.tickets.webhook, deliveries));
  return sinks;
}

/** Let sinks finish what they hold. */
export async function closeSinks(sinks: TicketSink[]): Promise<void> {
  await Promise.allSettled(sinks.map((s) => (s as TicketSink & { close?: () => Promise<void> }).close?.()));
}

/** The webhook sink, when one is configured. */
export function webhookSinkOf(sinks: TicketSink[]): WebhookSink | undefined {
  return sinks.find((s): s is WebhookSink => s instanceof WebhookSink);
}
