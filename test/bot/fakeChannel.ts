import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

export interface ReceivedRequest {
  method: string;
  path: string;
  body: any;
}

/**
 * A stand-in for the channel's connector service (the activity's serviceUrl)
 * on 127.0.0.1: records the replies botbuilder posts to it and answers the
 * Teams member lookup from `members`.
 */
export async function startFakeConnector(options: { members?: Record<string, object> } = {}) {
  const received: ReceivedRequest[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const path = decodeURIComponent(req.url ?? '');
      received.push({ method: req.method ?? '', path, body: text ? JSON.parse(text) : undefined });
      const member = /\/v3\/conversations\/[^/]+\/members\/(.+)$/.exec(path);
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'GET' && member) {
        const found = options.members?.[member[1]!];
        res.statusCode = found ? 200 : 404;
        res.end(JSON.stringify(found ?? { error: { code: 'NotFound', message: 'member not found' } }));
        return;
      }
      res.end(JSON.stringify({ id: `reply-${++n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The serviceUrl to put in activities. */
    url: `http://127.0.0.1:${port}/`,
    received,
    /** Activities the bot posted, oldest first. */
    replies(): Partial<Activity>[] {
      return received.filter((r) => r.method === 'POST' && r.path.includes('/activities')).map((r) => r.body);
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let ids = 0;

/** An incoming activity as a channel would post it; override any field. */
export function activity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `activity-${++ids}`,
    timestamp: new Date().toISOString(),
    channelId: 'emulator',
    serviceUrl: 'http://localhost:1/',
    conversation: { id: 'conversation-http' },
    from: { id: 'user-1', name: 'Ana García' },
    recipient: { id: 'bot-1', name: 'Deflect' },
    locale: 'en-US',
    ...overrides,
  };
}
