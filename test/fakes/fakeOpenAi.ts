import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';

/**
 * A fake OpenAI-compatible server on 127.0.0.1: embeddings (OpenAI and Azure
 * paths) with deterministic vectors, and chat completions as JSON or as a
 * Server-Sent-Events stream. `script` makes the next requests fail in a
 * chosen way (one entry per request), so retries, timeouts and broken streams
 * can be tested without a network.
 */
export type Failure = 500 | 429 | 401 | 400 | 'hang' | 'drop' | 'garbage' | 'cut-stream';

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeOpenAi {
  url: string;
  /** Base URL for OpenAI clients (…/v1). */
  baseUrl: string;
  dimensions: number;
  requests: FakeRequest[];
  script: Failure[];
  /** Answer with this many dimensions whatever is asked (a model swapped under us). */
  forceDimensions?: number;
  /** What the chat model says, given the messages it received. */
  reply: (messages: { role: string; content: string }[]) => string;
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: { dimensions?: number } = {}): Promise<FakeOpenAi> {
  const dimensions = options.dimensions ?? 32;
  const sockets = new Set<Socket>();
  const fake: FakeOpenAi = {
    url: '',
    baseUrl: '',
    dimensions,
    requests: [],
    script: [],
    reply: () => 'You can reset it from the sign-in page [1].',
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://fake');
      const r: FakeRequest = {
        method: req.method!,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      fake.requests.push(r);
      const failure = fake.script.shift();
      if (failure === 'hang') return;
      if (failure === 'drop') return void req.socket.destroy();
      if (typeof failure === 'number')
        return json(res, failure, { error: { message: `scripted ${failure}`, type: 'fake', code: String(failure) } });
      if (failure === 'garbage') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end('{"data": [{"embedding": "AAAA"}');
      }
      if (r.path.endsWith('/embeddings')) {
        const input: string[] = Array.isArray(r.body.input) ? r.body.input : [r.body.input];
        const dims = fake.forceDimensions ?? r.body.dimensions ?? dimensions;
        const data = input.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: Array.from(new HashingEmbedder(dims).embedOne(text, 'en')),
        }));
        return json(res, 200, {
          object: 'list',
          data,
          model: r.body.model,
          usage: { prompt_tokens: input.length, total_tokens: input.length },
        });
      }
      if (r.path.endsWith('/chat/completions')) {
        const text = fake.reply(r.body.messages);
        if (!r.body.stream) {
          return json(res, 200, {
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            created: 0,
            model: r.body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          });
        }
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        const pieces = text.match(/.{1,12}/gs) ?? [];
        const chunk = (delta: object, finish: string | null = null) =>
          `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: r.body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.write(chunk({ role: 'assistant', content: '' }));
        // Piece by piece, as a model does; 'cut-stream' drops the connection after two pieces were sent.
        void (async () => {
          for (const [i, p] of pieces.entries()) {
            if (failure === 'cut-stream' && i === 2) return void req.socket.destroy();
            res.write(chunk({ content: p }));
            await new Promise((r) => setImmediate(r));
          }
          res.write(chunk({}, 'stop'));
          res.end('data: [DONE]\n\n');
        })();
        return;
      }
      json(res, 404, { error: { message: `no route ${r.path}` } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.baseUrl = `${fake.url}/v1`;
  return fake;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Fail the test run on any fetch to a host other than loopback (tiktoken's
 * rank files, a real OpenAI): returns the list of such attempts and a restore.
 */
export function guardNetwork(): { attempts: string[]; restore: () => void } {
  const original = globalThis.fetch;
  const attempts: string[] = [];
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      attempts.push(url.href);
      throw new TypeError(`network guard: ${url.hostname} is not loopback`);
    }
    return original(input, init);
  }) as typeof fetch;
  return { attempts, restore: () => (globalThis.fetch = original) };
}
