import { expect } from 'chai';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { startReceiver, type Received } from './receiver.ts';

const AGENT = 'agent-key-0123456789';
const SECRET = 'webhook-secret-0123456789';
const agent = { Authorization: `Bearer ${AGENT}`, 'Content-Type': 'application/json' };

async function send(method: 'PATCH' | 'POST', url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).to.be.below(300);
  return res.json();
}

/**
 * Issue 17: the other systems a ticket is sent to (the webhook) follow its
 * life too — `ticket.updated`, `ticket.message` for public messages of either
 * side, `csat.responded` — through the same signed, queued deliveries as
 * `ticket.created`, and never see an internal note or the follow-up hash.
 */
describe('webhooks after the ticket: updates, public messages, satisfaction', function () {
  this.timeout(60_000);
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let s: TestServer;

  before(async () => {
    receiver = await startReceiver();
    s = await startTestServer({
      env: {
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_BACKOFF_MS: '20',
        DEFLECT_API_KEYS: `agent=${AGENT}`,
      },
    });
  });
  after(async () => {
    await s?.close();
    await receiver?.close();
  });

  it('tells the receiver each change in order, with what the customer may see of the ticket', async () => {
    const created = await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', description: 'Need a monitor' });
    expect(created.status).to.equal(201);
    const { id, followUp } = created.body as { id: string; followUp: { token: string } };
    const customer = { Authorization: `Bearer ${followUp.token}` };
    const received = async (n: number) => (await receiver.delivered(n)).map((r: Received) => JSON.parse(r.body));

    await received(1);
    await send('POST', `${s.url}/api/tickets/${id}/messages`, { text: 'secret triage note', internal: true }, agent);
    await send('POST', `${s.url}/api/tickets/${id}/messages`, { text: 'Which model do you need?' }, agent);
    await received(2);
    await send('POST', `${s.url}/api/my/tickets/${id}/messages`, { text: 'A 27-inch one' }, customer);
    await received(3);
    await send('PATCH', `${s.url}/api/tickets/${id}`, { status: 'solved', note: 'ordered, another secret' }, agent);
    await received(4);
    await send('POST', `${s.url}/api/my/tickets/${id}/rating`, { score: 'good', comment: 'fast' }, customer);

    const bodies = await received(5);
    expect(bodies.map((b) => b.event)).to.deep.equal([
      'ticket.created',
      'ticket.message',
      'ticket.message',
      'ticket.updated',
      'csat.responded',
    ]);
    expect(bodies.map((b) => b.ticket.id)).to.deep.equal([id, id, id, id, id]);
    expect(bodies[1].message).to.include({ from: 'agent', text: 'Which model do you need?' });
    expect(bodies[2].message).to.include({ from: 'customer', text: 'A 27-inch one' });
    expect(bodies[3].ticket.status).to.equal('solved');
    expect(bodies[4].rating).to.include({ score: 'good', comment: 'fast' });
    // Internal notes and the hash that opens the follow-up page stay here.
    const all = receiver.received.map((r) => r.body).join('\n');
    expect(all).to.not.contain('secret triage note').and.not.contain('another secret').and.not.contain('followUpHash');
    expect(new Set(bodies.map((b) => b.deliveryId)).size).to.equal(5);
  });
});
