import type { AddressInfo } from 'node:net';
import type { CoreServices } from '../../core/services.ts';
import { createApp } from '../../server/app.ts';
import { withDecisions, type Decision } from '../bot/chat.ts';
import { FakeGraph } from '../fakes/fakeGraph.ts';
import { eventually } from '../helpers/eventually.ts';
import { openTestCore, type TestCore } from '../helpers/core.ts';
import { inbound, postWebhook, whatsappEnv } from './payloads.ts';

export const PUBLIC_URL = 'https://help.example.com';

export interface WhatsAppHarness {
  url: string;
  graph: FakeGraph;
  /** The core the app serves (some questions' decisions fixed). */
  core: CoreServices;
  h: TestCore;
  /** A person writes (or presses, or picks); resolves with the `expect` messages (1 by default) sent back for it. */
  say(
    from: string,
    said: Parameters<typeof inbound>[1],
    opts?: Parameters<typeof inbound>[2] & { expect?: number },
  ): Promise<Sent[]>;
  close(): Promise<void>;
}

export type Sent = Record<string, any>;

/**
 * The real server with WhatsApp on, replying through a fake Graph API on
 * loopback, over the fixture KB. `say` waits until the replies to that
 * message have arrived: webhook handling happens after the 200, so specs
 * poll the fake instead of sleeping.
 */
export async function startWhatsApp(
  opts: { decisions?: Record<string, Decision>; env?: Record<string, string> } = {},
): Promise<WhatsAppHarness> {
  const graph = await FakeGraph.start();
  const h = await openTestCore({ env: { PUBLIC_URL, ...whatsappEnv(graph.url), ...opts.env } });
  const core = opts.decisions ? withDecisions(h.core, opts.decisions) : h.core;
  const app = createApp({ core, config: h.config });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    graph,
    core,
    h,
    async say(from, said, o) {
      const before = graph.to(from).length;
      const res = await postWebhook(url, inbound(from, said, o).body);
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      // Counted, not timed: a reply too many shows up at the start of the next `say` and fails its spec.
      const n = o?.expect ?? 1;
      await eventually(() => graph.to(from).length >= before + n, { what: `${n} replies` });
      return graph.to(from).slice(before);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await h.close();
      await graph.close();
    },
  };
}

/** The text of a message: a text's body, an interactive's body. */
export const textOf = (m: Sent | undefined): string => m?.text?.body ?? m?.interactive?.body?.text ?? '';
/** Reply button titles of an interactive button message. */
export const buttonTitles = (m: Sent | undefined): string[] =>
  (m?.interactive?.action?.buttons ?? []).map((b: Sent) => b.reply.title);
/** The rows of a list message. */
export const rowsOf = (m: Sent | undefined): { id: string; title: string; description?: string }[] =>
  (m?.interactive?.action?.sections ?? []).flatMap((s: Sent) => s.rows);
