import type { Config } from '../config/index.ts';
import type { DeliveryQueue, KeyValueRepository } from '../storage/ports.ts';
import { GraphClient } from '../whatsapp/graphClient.ts';
import { WhatsAppSink } from '../whatsapp/whatsAppSink.ts';
import type { TicketSink } from './types.ts';
import { WebhookSink } from './webhookSink.ts';

/**
 * The sinks configured besides the built-in store (which always keeps every ticket); a webhook enqueues into
 * `deliveries`; WhatsApp takes agents' replies to its tickets back to the customer (reading the 24-hour
 * window from `channelState`).
 */
export function createSinks(
  config: Pick<Config, 'tickets'> & Partial<Pick<Config, 'whatsapp'>>,
  deliveries: DeliveryQueue,
  channelState?: () => Promise<KeyValueRepository<Record<string, unknown>>>,
): TicketSink[] {
  const sinks: TicketSink[] = [];
  if (config.tickets.webhook) sinks.push(new WebhookSink(config.tickets.webhook, deliveries));
  if (config.whatsapp && channelState)
    sinks.push(new WhatsAppSink(new GraphClient(config.whatsapp), channelState, config.whatsapp));
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
