import type { Config } from '../config/index.ts';
import type { Stores } from '../storage/ports.ts';
import { GraphClient } from '../whatsapp/graphClient.ts';
import { WhatsAppSink } from '../whatsapp/whatsAppSink.ts';
import type { TicketSink } from './types.ts';
import { WebhookSink } from './webhookSink.ts';

/**
 * The sinks configured besides the built-in store (which always keeps every ticket); a webhook enqueues into
 * `deliveries`; WhatsApp owes agents' replies to its tickets into the `whatsapp` queue (the 24-hour
 * window read from `channelState` when each is sent).
 */
export function createSinks(
  config: Pick<Config, 'tickets'> & Partial<Pick<Config, 'whatsapp'>>,
  stores: Pick<Stores, 'deliveries' | 'whatsapp' | 'channelState'>,
): TicketSink[] {
  const sinks: TicketSink[] = [];
  if (config.tickets.webhook) sinks.push(new WebhookSink(config.tickets.webhook, stores.deliveries));
  if (config.whatsapp) {
    const { whatsapp } = config;
    // One attempt per claim: the delivery worker retries, on its own backoff, and keeps the dead.
    const graph = new GraphClient(whatsapp, { attempts: 1, timeoutMs: whatsapp.timeoutMs });
    sinks.push(
      new WhatsAppSink({ graph, channelState: stores.channelState, queue: stores.whatsapp, config: whatsapp }),
    );
  }
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
