/**
 * A deterministic stand-in for the Deflect server, for the widget's failure
 * tests (500s, a server that is down) and for content the real server would
 * never send (hostile HTML in an answer). It follows core/contracts/api.ts and
 * serves the built widget like the real server does.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type {
  AnswerCard,
  AskRequest,
  AskResponse,
  CreateTicketRequest,
  FeedbackResponse,
  Lang,
  SearchResponse,
  Suggestion,
} from '../../core/contracts/api.ts';
import { DIST_DIR } from '../../widget/build.ts';

export type FakeMode = 'ok' | 'error500' | 'rateLimited' | 'down';

export interface FakeApi {
  url: string;
  /** ok: normal answers; error500: every /api call fails with 500; rateLimited: 429 as the server's limits answer; down: connections are dropped. */
  setMode(mode: FakeMode): void;
  requests: Array<{ method: string; path: string; body: unknown }>;
  tickets: Array<CreateTicketRequest & { id: string }>;
  close(): Promise<void>;
}

/** An answer whose HTML tries every trick; the widget must show it as harmless text. */
export const HOSTILE_HTML =
  '<p>Try <script>window.__pwned = "script"</script> this</p>' +
  '<p><img src="x" onerror="window.__pwned = \'img\'"> and <a href="javascript:window.__pwned=\'link\'">click me</a></p>' +
  '<svg onload="window.__pwned=\'svg\'"><text>svg text</text></svg><iframe src="javascript:alert(1)"></iframe>' +
  '<p><a href="https://example.com/ok">safe link</a></p>';

const card = (articleId: string, title: string, lang: Lang, html: string): AnswerCard => ({
  articleId,
  title,
  text: html.replace(/<[^>]+>/g, ''),
  html,
  url: `/articles/${articleId}`,
  confidence: 0.9,
  lang,
});
const suggestion = (articleId: string, title: string): Suggestion => ({ articleId, title, score: 0.5 });

/** Starts the fake on 127.0.0.1 and a random port. */
export async function startFakeApi(): Promise<FakeApi> {
  let mode: FakeMode = 'ok';
  const requests: FakeApi['requests'] = [];
  const tickets: FakeApi['tickets'] = [];
  // Like the server, a conversation keeps the language it was answered in (here: the page's, which the widget sends).
  const conversationLangs = new Map<string, Lang>();
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { error: { code: 'internal', message: 'fake failed' } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url || '/', 'http://fake');
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (url.pathname === '/widget.js' || url.pathname.startsWith('/widget/')) {
      const file = url.pathname === '/widget.js' ? 'widget.js' : url.pathname.slice('/widget/'.length);
      if (!/^[\w.-]+\.js$/.test(file)) return send(res, 404, { error: { code: 'not_found', message: 'no' } });
      res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      return res.end(await readFile(join(DIST_DIR, file)));
    }
    if (mode === 'down' && url.pathname.startsWith('/api/')) return req.socket.destroy();
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET,POST',
        'Access-Control-Allow-Headers': 'Content-Type',
      });
      return res.end();
    }
    const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : undefined;
    requests.push({ method: req.method || 'GET', path: url.pathname + url.search, body });
    if (mode === 'error500' && url.pathname.startsWith('/api/'))
      return send(res, 500, { error: { code: 'internal', message: 'Internal error' } });
    if (mode === 'rateLimited' && url.pathname.startsWith('/api/')) {
      res.setHeader('Retry-After', '5');
      return send(res, 429, { error: { code: 'rate_limited', message: 'Too many requests; try again in 5 s' } });
    }
    if (url.pathname === '/api/ask') {
      const answer = ask(body as AskRequest);
      conversationLangs.set(answer.conversationId, answer.lang);
      return send(res, 200, answer);
    }
    if (url.pathname === '/api/feedback') {
      const lang = conversationLangs.get(body.conversationId) ?? 'en';
      const next: FeedbackResponse = body.helpful
        ? { conversationId: body.conversationId, next: 'resolved', suggestions: [], lang }
        : {
            conversationId: body.conversationId,
            next: 'suggestions',
            suggestions: [suggestion('vpn-setup-en', 'Set up the VPN')],
            lang,
          };
      return send(res, 200, next);
    }
    if (url.pathname === '/api/tickets') {
      const t = body as CreateTicketRequest;
      if (!t.email || !t.email.includes('@'))
        return send(res, 400, { error: { code: 'invalid_request', message: 'email' } });
      const id = 'T-' + String(tickets.length + 1).padStart(6, '0');
      tickets.push({ ...t, id });
      return send(res, 201, { id, status: 'open' });
    }
    if (url.pathname === '/api/search') {
      const q = (url.searchParams.get('q') || '').toLowerCase();
      const all = [
        suggestion('reset-password-en', 'Reset your password'),
        suggestion('vpn-setup-en', 'Set up the VPN'),
      ];
      const hits: SearchResponse = {
        hits: all
          .filter((s) =>
            s.title
              .toLowerCase()
              .split(' ')
              .some((w) => w.length > 2 && q.includes(w.slice(0, 4))),
          )
          .map((s) => ({ ...s, snippet: '', tags: [], lang: 'en' as Lang })),
      };
      return send(res, 200, hits);
    }
    if (url.pathname.startsWith('/articles/')) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return res.end('<!doctype html><title>Article</title><h1>Article</h1>');
    }
    send(res, 404, { error: { code: 'not_found', message: 'Not found' } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setMode: (m) => (mode = m),
    requests,
    tickets,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function ask(body: AskRequest): AskResponse {
  const q = body.question.toLowerCase();
  const base = {
    conversationId: body.conversationId || 'c-fake-1',
    suggestions: [],
    lang: (body.lang === 'es' ? 'es' : 'en') as Lang,
  };
  if (q.includes('hostile'))
    return {
      ...base,
      action: 'answer',
      answer: card('hostile', 'Hostile <b>title</b> <img src=x onerror="window.__pwned=1">', 'en', HOSTILE_HTML),
    };
  if (q.includes('password'))
    return {
      ...base,
      action: 'answer',
      answer: card(
        'reset-password-en',
        'Reset your password',
        'en',
        '<p>Go to <strong>id.example</strong> and follow the link.</p>',
      ),
    };
  if (q.includes('vpn'))
    return {
      ...base,
      action: 'answer',
      answer: card('vpn-setup-en', 'Set up the VPN', 'en', '<p>Install the client.</p>'),
    };
  if (q.includes('impresora'))
    return {
      ...base,
      action: 'answer',
      notice: 'other_language',
      answer: card('add-printer-en', 'Add a printer', 'en', '<p>Open Settings.</p>'),
    };
  if (q.includes('printer'))
    return {
      ...base,
      action: 'clarify',
      suggestions: [suggestion('printer-en', 'Add a printer'), suggestion('printer-jam-en', 'Clear a paper jam')],
    };
  return { ...base, action: 'ticket' };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
