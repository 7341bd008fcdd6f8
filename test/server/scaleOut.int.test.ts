import { expect } from 'chai';
import {
  freshDatabase,
  freshRedisPrefix,
  postgresUnavailable,
  redisUnavailable,
  skipWhen,
} from '../helpers/services.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { runKb } from '../tickets/cli.ts';

const KEYS = { agent: 'agent-key-0123456789', lead: 'lead-key-0123456789' };
const ASK_LIMIT = 5;

/**
 * Issue 15's acceptance contract: two real server instances, each with its
 * own DATA_DIR and port, on one PostgreSQL database and one Redis prefix.
 * Each case speaks for its own client address (X-Forwarded-For from
 * loopback is trusted), so their rate-limit counts do not mix.
 */
describe('two instances on PostgreSQL and Redis', function () {
  this.timeout(300_000);
  let one: TestServer | undefined;
  let two: TestServer | undefined;
  let drop: (() => Promise<void>)[] = [];
  const from = (address: string) => ({ 'X-Forwarded-For': address });
  const agent = { Authorization: `Bearer ${KEYS.agent}` };

  before(async function () {
    const reason = (await postgresUnavailable()) ?? (await redisUnavailable());
    skipWhen(reason, this);
    const db = await freshDatabase();
    const redis = freshRedisPrefix();
    drop = [db.drop, redis.drop];
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      DEFLECT_API_KEYS: `agent=${KEYS.agent},lead=${KEYS.lead}`,
      RATE_LIMIT_ASK_PER_MINUTE: String(ASK_LIMIT),
    };
    // Started together: both run the migrations at once.
    [one, two] = await Promise.all([startTestServer({ env }), startTestServer({ env })]);
  });

  after(async () => {
    await one?.close();
    await two?.close();
    for (const d of drop) await d();
  });

  it('holds no data-directory lock', () => {
    expect(one!.config.dataDir).to.not.equal(two!.config.dataDir);
    expect(one!.core.tickets.constructor.name).to.equal('PgTicketStore');
  });

  it('a ticket created on one instance is returned by GET /api/tickets/:id on the other', async () => {
    const created = await postJson(
      `${one!.url}/api/tickets`,
      { email: 'ana@example.com', description: 'My card never arrived' },
      from('198.51.100.1'),
    );
    expect(created.status).to.equal(201);
    const read = await getJson(`${two!.url}/api/tickets/${created.body.id}`, agent);
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.include({ id: created.body.id, email: 'ana@example.com' });
  });

  it('a ticket creation retried on the other instance with its Idempotency-Key gives the same ticket', async () => {
    const body = { email: 'dan@example.com', description: 'My badge does not open the door' };
    const key = { 'Idempotency-Key': '5b3f0e52-9a8d-4f7c-8e21-0d6a4c9b1e77' };
    const [x, y] = await Promise.all([
      postJson(`${one!.url}/api/tickets`, body, { ...from('198.51.100.9'), ...key }),
      postJson(`${two!.url}/api/tickets`, body, { ...from('198.51.100.9'), ...key }),
    ]);
    expect([x.status, y.status]).to.deep.equal([201, 201]);
    expect(y.body).to.deep.equal(x.body);
    const listed = await getJson(`${one!.url}/api/tickets?pageSize=100`, agent);
    expect(listed.body.tickets.filter((t: { email: string }) => t.email === 'dan@example.com')).to.have.length(1);
  });

  it('a conversation started on one instance continues on the other, and its ticket holds the turns of both', async () => {
    const address = from('198.51.100.2');
    const first = await postJson(`${one!.url}/api/ask`, { question: 'How do I reset my password?' }, address);
    expect(first.status).to.equal(200);
    const cid = first.body.conversationId;
    const second = await postJson(
      `${two!.url}/api/ask`,
      { question: 'how do I set up the VPN?', conversationId: cid },
      address,
    );
    expect(second.status).to.equal(200);
    expect(second.body.conversationId).to.equal(cid);
    const third = await postJson(
      `${one!.url}/api/ask`,
      { question: 'and my printer does not print', conversationId: cid },
      address,
    );
    expect(third.status).to.equal(200);
    const ticket = await postJson(
      `${two!.url}/api/tickets`,
      { conversationId: cid, email: 'ana@example.com' },
      address,
    );
    expect(ticket.status).to.equal(201);
    const detail = await getJson(`${one!.url}/api/tickets/${ticket.body.id}`, agent);
    const questions = (detail.body.transcript as { role: string; text: string }[])
      .filter((t) => t.role === 'user')
      .map((t) => t.text);
    expect(questions).to.deep.equal([
      'How do I reset my password?',
      'how do I set up the VPN?',
      'and my printer does not print',
    ]);
    expect(detail.body.transcript).to.have.length(6);
  });

  it('RATE_LIMIT_ASK_PER_MINUTE is one limit per client address across both instances', async () => {
    const address = from('198.51.100.3');
    const statuses: number[] = [];
    for (let i = 0; i < ASK_LIMIT + 2; i++)
      statuses.push(
        (await postJson(`${(i % 2 ? two : one)!.url}/api/ask`, { question: 'How do I reset my password?' }, address))
          .status,
      );
    expect(statuses.filter((s) => s === 200)).to.have.length(ASK_LIMIT);
    expect(statuses.slice(ASK_LIMIT)).to.deep.equal([429, 429]);
    // Another address still has its own allowance.
    expect(
      (await postJson(`${two!.url}/api/ask`, { question: 'How do I reset my password?' }, from('198.51.100.4'))).status,
    ).to.equal(200);
  });

  it('GET /api/reports/deflection gives the same figures on both', async () => {
    const lead = { Authorization: `Bearer ${KEYS.lead}` };
    // A fixed period: the default one ends "now", a few milliseconds apart on the two.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const query = `from=${day(-1)}&to=${day(1)}`;
    const [a, b] = await Promise.all([
      getJson(`${one!.url}/api/reports/deflection?${query}`, lead),
      getJson(`${two!.url}/api/reports/deflection?${query}`, lead),
    ]);
    expect(a.status).to.equal(200);
    expect(a.body).to.deep.equal(b.body);
    // The questions asked on both instances in the cases above are all counted.
    expect((a.body.rows as { questions: number }[]).reduce((n, r) => n + r.questions, 0)).to.be.at.least(ASK_LIMIT + 4);
  });

  it('a question asked on one instance is in the next report of the other: no instance serves cached figures', async () => {
    const lead = { Authorization: `Bearer ${KEYS.lead}` };
    expect(one!.core.facts.figures?.constructor.name, 'counted in SQL').to.equal('PgReportFigures');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const report = async (server: TestServer) =>
      (await getJson(`${server.url}/api/reports/deflection?from=${day(-1)}&to=${day(1)}&groupBy=channel`, lead)).body;
    const before = await report(one!);
    const asked = await postJson(
      `${two!.url}/api/ask`,
      { question: 'How do I reset my password?' },
      from('198.51.100.9'),
    );
    expect(asked.status).to.equal(200);
    const [a, b] = await Promise.all([report(one!), report(two!)]);
    expect(a.totals.questions).to.equal(before.totals.questions + 1);
    expect(a).to.deep.equal(b);
  });

  it('npm run kb -- draft-from-gap lists the gaps asked on every instance, from a data directory of its own', async () => {
    for (const [server, question] of [
      [one!, 'where can I park my bike at the office?'],
      [two!, 'is there bike parking at the office?'],
    ] as const)
      expect((await postJson(`${server.url}/api/ask`, { question }, from('198.51.100.20'))).status).to.equal(200);
    const data = tempDir('deflect-cli-');
    try {
      const list = await runKb(['draft-from-gap'], {
        DATA_DIR: data.dir,
        KB_DIR: FIXTURE_KB,
        DATABASE_URL: one!.config.storage!.databaseUrl!,
      });
      expect(list.code, list.stderr).to.equal(0);
      expect(list.stdout).to.match(/^gap-[0-9a-f]{10}\s+2\s+en\s.*bike/m);
    } finally {
      data.cleanup();
    }
  });
});
