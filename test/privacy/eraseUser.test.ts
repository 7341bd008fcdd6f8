import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { hashSubject } from '../../core/privacy/erasePersonalData.ts';
import { Reports } from '../../core/reports/reports.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { runKb } from '../tickets/cli.ts';
import { activity } from '../bot/fakeChannel.ts';

const ADMIN = 'admin-key-0123456789';
const LEAD = 'lead-key-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };

function eventText(dataDir: string): string {
  const dir = path.join(dataDir, 'events');
  return readdirSync(dir)
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('');
}

/** Ana asks twice (identified by id, then by e-mail), writes her address in a question, and opens a ticket; Bob opens one too. */
async function seed(s: TestServer) {
  const first = await postJson(`${s.url}/api/ask`, {
    question: 'how do I set up the VPN?',
    user: { id: 'u-ana', email: 'Ana.Garcia@example.com', name: 'Ana García' },
  });
  await postJson(`${s.url}/api/ask`, {
    question: 'please write to ana.garcia@example.com about the VPN',
    conversationId: first.body.conversationId,
  });
  const ticket = await postJson(`${s.url}/api/tickets`, {
    conversationId: first.body.conversationId,
    email: 'ana.garcia@example.com',
    name: 'Ana García',
  });
  await postJson(`${s.url}/api/ask`, {
    question: 'olvidé mi contraseña',
    user: { email: 'bob@example.com', name: 'Bob' },
  });
  const bob = await postJson(`${s.url}/api/tickets`, { email: 'bob@example.com', name: 'Bob', description: 'monitor' });
  return {
    anaTicket: ticket.body.id as string,
    bobTicket: bob.body.id as string,
    conversationId: first.body.conversationId as string,
  };
}

describe('erasing a person on request', function () {
  this.timeout(60_000);
  let s: TestServer;
  afterEach(async () => s?.close().catch(() => undefined));

  it('POST /api/admin/erase-user removes the e-mail and name everywhere, keeps the counts, and records the erasure', async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `admin=${ADMIN},lead=${LEAD}` } });
    const { anaTicket, bobTicket, conversationId } = await seed(s);
    // Her ticket's thread and rating, and the id and attributes she was verified with, are hers too.
    await s.deps.tickets.update(anaTicket, (t) => {
      t.verifiedUserId = 'u-ana';
      t.attributes = { plan: 'paid', company: 'Acme Ana SL' };
      t.messages.push({
        id: 'm',
        from: 'customer',
        text: 'write to ana.garcia@example.com',
        internal: false,
        at: t.createdAt,
      });
      t.rating = { score: 'bad', comment: 'ana.garcia@example.com never got a reply', at: t.createdAt };
    });
    const reportBefore = (await getJson(`${s.url}/api/reports/deflection`, { Authorization: `Bearer ${LEAD}` })).body
      .totals;

    const r = await postJson(`${s.url}/api/admin/erase-user`, { email: 'ANA.GARCIA@example.com' }, admin);
    expect(r.status).to.equal(200);
    expect(r.body.subjectHash).to.equal(hashSubject('ana.garcia@example.com'));
    expect(r.body.counts).to.include({ tickets: 1, conversations: 1 });
    expect(r.body.counts.events).to.be.at.least(3);

    const log = eventText(s.config.dataDir);
    expect(log.toLowerCase()).to.not.contain('ana.garcia@example.com');
    expect(log).to.not.contain('Ana García');
    expect(log).to.not.contain('u-ana');
    expect(log).to.contain('please write to [erased] about the VPN');
    expect(log).to.contain('bob@example.com');
    const erasure = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'erasure');
    expect(erasure).to.include({ subjectHash: r.body.subjectHash });

    const ticket = await s.deps.tickets.get(anaTicket);
    expect(ticket).to.include({ email: '' });
    expect(ticket.name).to.equal(undefined);
    expect(ticket.userId).to.match(/^erased-/);
    expect(ticket).to.not.have.property('verifiedUserId');
    expect(ticket).to.not.have.property('attributes');
    expect(JSON.stringify(ticket).toLowerCase()).to.not.contain('ana.garcia@example.com');
    expect((await s.deps.tickets.get(bobTicket)).email).to.equal('bob@example.com');
    expect(readFileSync(path.join(s.config.dataDir, 'tickets.json'), 'utf8').toLowerCase()).to.not.contain(
      'ana.garcia',
    );
    expect((await s.core.conversations.get(conversationId))?.user).to.equal(undefined);

    // The questions still count, and still link to her ticket through the pseudonym.
    const reportAfter = (await getJson(`${s.url}/api/reports/deflection`, { Authorization: `Bearer ${LEAD}` })).body
      .totals;
    expect(reportAfter).to.deep.equal(reportBefore);
  });

  it('the report cache of an erased day is rebuilt without the address', async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `admin=${ADMIN}` } });
    await seed(s);
    // The server's own fact store (its cache is what an erasure must reach), read as if two days later.
    const reports = new Reports({
      store: s.core.facts,
      articles: () => s.core.index.get().articles,
      kbDir: s.config.kbDir,
      windowDays: 7,
      clarifyThreshold: 0.4,
      now: () => Date.now() + 2 * 86_400_000,
    });
    // Two days later today's file is closed, so its facts are cached.
    await reports.deflection({}, 'day');
    const cacheDir = path.join(s.config.dataDir, 'reports', 'facts');
    expect(
      readdirSync(cacheDir)
        .map((f) => readFileSync(path.join(cacheDir, f), 'utf8'))
        .join(''),
    ).to.contain('ana.garcia@example.com');
    await postJson(`${s.url}/api/admin/erase-user`, { email: 'ana.garcia@example.com' }, admin);
    expect(
      readdirSync(cacheDir)
        .map((f) => readFileSync(path.join(cacheDir, f), 'utf8'))
        .join(''),
    ).to.not.contain('ana.garcia');
  });

  it('drops the bot state that holds the person (a ticket flow left half-way), and the bot starts afresh', async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `admin=${ADMIN}` } });
    const conversation = { id: 'erase-bot-flow' };
    const say = async (text: string) =>
      (await postJson(`${s.url}/api/messages`, activity({ deliveryMode: 'expectReplies', conversation, text }))).body
        .activities[0];
    await say('How do I reset my password?');
    await say('Talk to a person');
    expect((await say('carla.ruiz@example.com'))?.text).to.match(/^I'll open a ticket/);
    const stateFile = path.join(s.config.dataDir, 'bot-state.json');
    expect(readFileSync(stateFile, 'utf8')).to.contain('carla.ruiz@example.com');

    const r = await postJson(`${s.url}/api/admin/erase-user`, { email: 'carla.ruiz@example.com' }, admin);
    expect(r.body.counts.channelStates).to.be.at.least(1);
    expect(readFileSync(stateFile, 'utf8')).to.not.contain('carla.ruiz');
    // The confirmation step is gone with the state: "Open the ticket" is now a question like any other.
    await say('Open the ticket');
    expect(await s.core.tickets.all()).to.have.length(0);
  });

  it("drops a Teams user's remembered language too, though its key holds their Teams id and the events their AAD id", async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `admin=${ADMIN}` } });
    const from = { id: '29:1erase-me', name: 'Carla Ruiz', aadObjectId: '3f2e1d0c-0000-4000-8000-00000000e7a5' };
    const conversation = { id: 'a:erase-teams', conversationType: 'personal' };
    const say = async (text: string) =>
      (
        await postJson(
          `${s.url}/api/messages`,
          activity({ channelId: 'msteams', deliveryMode: 'expectReplies', conversation, from, text }),
        )
      ).body.activities[0];
    await say('How do I reset my password?');
    await say('Talk to a person');
    await say('carla.ruiz@example.com');
    await say('yes');
    expect((await s.core.tickets.all())[0]).to.include({ userId: from.aadObjectId, email: 'carla.ruiz@example.com' });
    const stateFile = path.join(s.config.dataDir, 'bot-state.json');
    expect(readFileSync(stateFile, 'utf8')).to.contain('29:1erase-me');

    await postJson(`${s.url}/api/admin/erase-user`, { email: 'carla.ruiz@example.com' }, admin);
    const state = readFileSync(stateFile, 'utf8');
    expect(state).to.not.contain('29:1erase-me');
    expect(state).to.not.contain(from.aadObjectId);
  });

  it('validates the address', async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `admin=${ADMIN}` } });
    const r = await postJson(`${s.url}/api/admin/erase-user`, { email: 'not an address' }, admin);
    expect(r.status).to.equal(400);
  });

  it('npm run kb -- erase-user refuses while the server owns the data, and erases once it is stopped', async () => {
    s = await startTestServer();
    await seed(s);
    const env = { DATA_DIR: s.config.dataDir, KB_DIR: FIXTURE_KB };
    const refused = await runKb(['erase-user', 'ana.garcia@example.com'], env);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain('/api/admin/erase-user');

    await s.core.close();
    const r = await runKb(['erase-user', 'ana.garcia@example.com'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Erased: \d+ events on 1 days, 1 tickets/);
    expect(eventText(s.config.dataDir).toLowerCase()).to.not.contain('ana.garcia@example.com');
    expect(readFileSync(path.join(s.config.dataDir, 'tickets.json'), 'utf8').toLowerCase()).to.not.contain(
      'ana.garcia',
    );
  });
});
