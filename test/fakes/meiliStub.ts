import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local HTTP STUB of the Meilisearch API, on 127.0.0.1. It records every
 * request and answers with the shapes the client expects, keeping just enough
 * state (which indexes exist, each document's key and rev) to follow an
 * indexing run. It does not search: `onSearch` decides the hits. It is a
 * stand-in for protocol tests, not a substitute for the real server — the
 * contract suite runs against a real Meilisearch (*.int.test.ts).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  authorization?: string;
}

export type StubMode = 'ok' | 'down' | 'hang';
type Hit = { articleId: string; _rankingScore: number };

export interface MeiliStub {
  url: string;
  requests: RecordedRequest[];
  /** ok: answer; down: drop every connection; hang: accept and never answer. */
  mode: StubMode;
  /** Documents per index uid: key → document. */
  indexes: Map<string, Map<string, any>>;
  /** Keys returned by GET /keys. */
  keys: { key: string; actions: string[]; indexes: string[]; expiresAt: string | null; name?: string }[];
  /** Make the next task with this type fail with that Meilisearch error. */
  failNextTask?: { type: string; code: string; message: string };
  onSearch: (uid: string, body: any) => Hit[] | Promise<Hit[]>;
  /** Requests whose path matches, since the stub started (or `since`). */
  calls(match: RegExp | string, method?: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startMeiliStub(): Promise<MeiliStub> {
  const sockets = new Set<Socket>();
  const tasks = new Map<number, any>();
  let nextTask = 1;
  const stub: MeiliStub = {
    url: '',
    requests: [],
    mode: 'ok',
    indexes: new Map(),
    keys: [],
    onSearch: () => [],
    calls: (match, method) =>
      stub.requests.filter(
        (r) => (typeof match === 'string' ? r.path === match : match.test(r.path)) && (!method || r.method === method),
      ),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const enqueue = (type: string, indexUid: string | null, apply: () => void) => {
    const uid = nextTask++;
    const failure = stub.failNextTask?.type === type ? stub.failNextTask : undefined;
    if (failure) stub.failNextTask = undefined;
    else apply();
    tasks.set(uid, {
      uid,
      batchUid: uid,
      indexUid,
      type,
      canceledBy: null,
      details: {},
      duration: 'PT0S',
      status: failure ? 'failed' : 'succeeded',
      error: failure
        ? {
            code: failure.code,
            message: failure.message,
            type: 'invalid_request',
            link: `https://docs.meilisearch.com/errors#${failure.code}`,
          }
        : null,
      enqueuedAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    });
    return {
      status: 202,
      body: { taskUid: uid, indexUid, status: 'enqueued', type, enqueuedAt: new Date().toISOString() },
    };
  };
  const notFound = (uid: string) => ({
    status: 404,
    body: {
      message: `Index \`${uid}\` not found.`,
      code: 'index_not_found',
      type: 'invalid_request',
      link: 'https://docs.meilisearch.com/errors#index_not_found',
    },
  });

  const route = async (r: RecordedRequest): Promise<{ status: number; body: unknown }> => {
    const p = r.path;
    let m: RegExpMatchArray | null;
    if (p === '/health') return { status: 200, body: { status: 'available' } };
    if (p === '/keys' && r.method === 'GET')
      return {
        status: 200,
        body: {
          results: stub.keys.map((k) => ({
            uid: k.key,
            description: '',
            name: k.name ?? null,
            createdAt: '',
            updatedAt: '',
            ...k,
          })),
          offset: 0,
          limit: 1000,
          total: stub.keys.length,
        },
      };
    if (p === '/keys' && r.method === 'POST') {
      const key = { key: `created-search-key-${stub.keys.length + 1}`, ...r.body };
      stub.keys.push(key);
      return { status: 201, body: { uid: key.key, createdAt: '', updatedAt: '', description: '', ...key } };
    }
    if ((m = p.match(/^\/tasks\/(\d+)$/)))
      return tasks.has(Number(m[1]))
        ? { status: 200, body: tasks.get(Number(m[1])) }
        : { status: 404, body: { code: 'task_not_found', message: 'no task' } };
    if (p === '/swap-indexes') {
      return enqueue('indexSwap', null, () => {
        for (const {
          indexes: [a, b],
        } of r.body as { indexes: [string, string] }[]) {
          const da = stub.indexes.get(a)!;
          stub.indexes.set(a, stub.indexes.get(b)!);
          stub.indexes.set(b, da);
        }
      });
    }
    if (p === '/indexes' && r.method === 'POST')
      return enqueue('indexCreation', r.body.uid, () => stub.indexes.set(r.body.uid, new Map()));
    if (!(m = p.match(/^\/indexes\/([^/]+)(\/.*)?$/)))
      return { status: 404, body: { code: 'not_found', message: 'no route' } };
    const uid = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const docs = stub.indexes.get(uid);
    if (rest === '' && r.method === 'GET')
      return docs ? { status: 200, body: { uid, primaryKey: 'key', createdAt: '', updatedAt: '' } } : notFound(uid);
    if (rest === '' && r.method === 'DELETE') return enqueue('indexDeletion', uid, () => stub.indexes.delete(uid));
    if (rest === '/settings' && r.method === 'GET')
      return docs ? { status: 200, body: { embedders: {} } } : notFound(uid);
    if (rest === '/settings' && r.method === 'PATCH') return enqueue('settingsUpdate', uid, () => undefined);
    if (rest === '/stats')
      return docs
        ? { status: 200, body: { numberOfDocuments: docs.size, isIndexing: false, fieldDistribution: {} } }
        : notFound(uid);
    if (rest === '/documents' && r.method === 'POST') {
      return enqueue('documentAdditionOrUpdate', uid, () => {
        const target = stub.indexes.get(uid) ?? new Map();
        stub.indexes.set(uid, target);
        for (const d of r.body as any[]) target.set(String(d.key), d);
      });
    }
    if ((rest === '/documents' && r.method === 'GET') || rest === '/documents/fetch') {
      if (!docs) return notFound(uid);
      const q = r.method === 'GET' ? r.query : r.body;
      const offset = Number(q.offset ?? 0);
      const limit = Number(q.limit ?? 20);
      const all = [...docs.values()].map((d) => ({ key: d.key, rev: d.rev }));
      return { status: 200, body: { results: all.slice(offset, offset + limit), offset, limit, total: all.length } };
    }
    if (rest === '/documents/delete-batch')
      return enqueue('documentDeletion', uid, () => (r.body as string[]).forEach((k) => docs?.delete(k)));
    if (rest === '/search') {
      if (!docs) return notFound(uid);
      const hits = (await stub.onSearch(uid, r.body)).slice(0, r.body.limit ?? 20);
      return {
        status: 200,
        body: {
          hits,
          query: r.body.q ?? '',
          processingTimeMs: 0,
          limit: r.body.limit ?? 20,
          offset: 0,
          estimatedTotalHits: hits.length,
        },
      };
    }
    return { status: 404, body: { code: 'not_found', message: `stub has no route for ${r.method} ${p}` } };
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (stub.mode === 'down') return void req.socket.destroy();
      if (stub.mode === 'hang') return;
      const url = new URL(req.url!, 'http://stub');
      const r: RecordedRequest = {
        method: req.method!,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: raw ? JSON.parse(raw) : undefined,
        authorization: req.headers.authorization,
      };
      stub.requests.push(r);
      void route(r).then(({ status, body }) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    if (stub.mode === 'down') s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
