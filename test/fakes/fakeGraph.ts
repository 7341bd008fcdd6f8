import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphRequest {
  method: string;
  path: string;
  authorization?: string;
  body: Record<string, unknown> & { to?: string; type?: string };
}

/**
 * A stand-in for the WhatsApp Cloud API's messages endpoint on loopback: it
 * records every request and answers like Graph (`{ messages: [{ id }] }`), or
 * with the failures a spec queues (`failNext(503, 429)`).
 */
export class FakeGraph {
  readonly requests: GraphRequest[] = [];
  private failures: number[] = [];
  private seq = 0;
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGraph> {
    let fake!: FakeGraph;
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => fake.handle(req, raw, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeGraph(server, `http://127.0.0.1:${port}/v21.0`);
    return fake;
  }

  /** The next requests fail with these statuses, one each (and are recorded all the same). */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** The messages sent to one person, in order. */
  to(waId: string): GraphRequest['body'][] {
    return this.requests.filter((r) => r.body.to === waId).map((r) => r.body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    let body: GraphRequest['body'] = {};
    try {
      body = JSON.parse(raw) as GraphRequest['body'];
    } catch {
      /* recorded as empty: the spec sees it */
    }
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    const status = this.failures.shift();
    res.setHeader('content-type', 'application/json');
    if (status) {
      res.statusCode = status;
      res.end(JSON.stringify({ error: { message: `fake failure ${status}`, code: status } }));
      return;
    }
    res.end(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.out${++this.seq}` }],
      }),
    );
  }
}
