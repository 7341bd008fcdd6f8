import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../helpers/eventually.ts';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 standing in for a help desk: it answers
 * the first `failures` requests with `failStatus`, the rest with 200, and
 * records everything it got.
 */
export async function startReceiver(opts: { failures?: number; failStatus?: number } = {}) {
  const received: Received[] = [];
  let failures = opts.failures ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failures > 0 ? (opts.failStatus ?? 503) : 200;
      if (failures > 0) failures--;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/tickets`,
    received,
    /** From now on, fail this many more requests. */
    failNext(n: number) {
      failures = n;
    },
    /** Resolve once `n` requests have been answered 200. */
    async delivered(n: number, timeoutMs = 10_000): Promise<Received[]> {
      const ok = () => received.filter((r) => r.status === 200);
      try {
        await eventually(() => ok().length >= n, { timeoutMs });
      } catch {
        throw new Error(`expected ${n} successful deliveries, got ${ok().length} (of ${received.length} requests)`);
      }
      return ok();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
