import { expect } from 'chai';
import path from 'node:path';
import { identityHash } from '../../core/identity/verifyUser.ts';
import { startServerProcess, type ServerProcess } from '../helpers/child.ts';
import { eventually } from '../helpers/eventually.ts';
import { tempDir } from '../helpers/tempDir.ts';

const SECRETS = {
  DEFLECT_API_KEYS: 'lead=lead-key-7f3a9c2e51,agent=agent-key-b81d0e6f42,admin=admin-key-c9e2a7b3d0',
  WEBHOOK_SECRET: 'webhook-secret-5e1f9a7c3b',
  IDENTITY_SECRET: 'identity-secret-2d8b6f0a4e',
  MICROSOFT_APP_ID: '00000000-1111-2222-3333-444444444444',
  MICROSOFT_APP_PASSWORD: 'bot-password-a4c8e2f6b0',
  MICROSOFT_APP_TYPE: 'SingleTenant',
  MICROSOFT_APP_TENANT_ID: '55555555-6666-7777-8888-999999999999',
  LLM_API_KEY: 'llm-key-0b9d7f5e3c',
  EMBEDDINGS_API_KEY: 'embeddings-key-8e6c4a2f0d',
};
const values = [
  'lead-key-7f3a9c2e51',
  'agent-key-b81d0e6f42',
  'admin-key-c9e2a7b3d0',
  ...Object.values(SECRETS).filter((v) => !v.includes('=') && /key|secret|password/.test(v)),
];
const EMAIL = 'ana.lopez@example.com';

/** Secrets never reach logs, responses or the widget; e-mails are masked in logs. */
describe('secrets', function () {
  this.timeout(90_000);
  let tmp: ReturnType<typeof tempDir>;
  let server: ServerProcess;
  const bodies: string[] = [];
  const call = async (p: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}${p}`, init);
    const text = await res.text();
    bodies.push(`${p} ${res.status} ${JSON.stringify([...res.headers])} ${text}`);
    return { status: res.status, text };
  };
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    call(p, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  before(async () => {
    tmp = tempDir();
    // A closed port: the webhook fails and retries, which is logged.
    server = await startServerProcess({
      ...SECRETS,
      DATA_DIR: path.join(tmp.dir, 'data'),
      LOG_LEVEL: 'debug',
      WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      WEBHOOK_MAX_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '50',
    });
  });
  after(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    tmp?.cleanup();
  });

  it('appear in no log line, no response and no widget file', async () => {
    const user = { id: 'u-1', email: EMAIL, name: 'Ana López', hash: identityHash(SECRETS.IDENTITY_SECRET, 'u-1') };
    const ask = await post('/api/ask', { question: 'how do I set up the VPN?', user });
    const cid = JSON.parse(ask.text).conversationId;
    await post('/api/tickets', { conversationId: cid, email: EMAIL, name: 'Ana López', user });
    await post('/api/ask', { question: 'vpn', user: { ...user, hash: 'bad' } });
    await call('/api/tickets', { headers: { Authorization: 'Bearer agent-key-b81d0e6f42' } });
    await call('/api/tickets', { headers: { Authorization: 'Bearer agent-key-b81d0e6f4' } });
    await call('/api/reports/deflection', { headers: { Authorization: 'Bearer agent-key-b81d0e6f42' } });
    await call('/api/reports/deflection', { headers: { Authorization: 'Bearer lead-key-7f3a9c2e51' } });
    await post('/api/messages', { type: 'message', text: 'hi' }, { Authorization: 'Bearer not-a-token' });
    for (const p of ['/healthz', '/', '/widget.js', '/widget/playground', '/reports', '/api/nothing']) await call(p);
    const widgetFiles = await Promise.all(['/widget/widget-app.js'].map((p) => call(p)));
    expect(widgetFiles[0]!.status).to.equal(200);
    // The webhook retries in the background: wait until its last attempt is logged, so every retry's log line is checked.
    await eventually(() => /delivery kept as dead/.test(server.output()), {
      timeoutMs: 20_000,
      what: 'the webhook to give up and log it',
    });

    const logs = server.output();
    expect(logs, 'the server did log (webhook failures, unauthenticated bot calls)').to.match(/webhook/i);
    for (const v of values) {
      expect(logs, `logs contain ${v}`).to.not.include(v);
      for (const b of bodies) expect(b, `a response contains ${v}`).to.not.include(v);
    }
    expect(logs, 'e-mails are masked in logs').to.not.include(EMAIL);
  });
});
