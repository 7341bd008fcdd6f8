import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { loadGloveWordVectors } from '../../core/search/gloveWordVectors.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { runKb } from '../tickets/cli.ts';
import { smallKb } from './smallKb.ts';

const KEYS = { agent: 'agent-key-0123456789', lead: 'lead-key-0123456789', admin: 'admin-key-0123456789' };
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function patch(url: string, body: unknown, key = KEYS.agent) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...bearer(key) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('the phrasings loop: traffic → candidates → reviewed change → answered', function () {
  this.timeout(180_000);
  let s: TestServer;
  let kb: { dir: string; cleanup: () => void };
  let ticketId: string;

  before(async () => {
    kb = smallKb();
    s = await startTestServer({
      kbDir: kb.dir,
      env: { DEFLECT_API_KEYS: `agent=${KEYS.agent},lead=${KEYS.lead},admin=${KEYS.admin}` },
    });
    // 1. Answered, and the user said it helped.
    const a = await postJson(`${s.url}/api/ask`, {
      question: 'I forgot my password yesterday',
      user: { id: 'u-1', name: 'Laura Gómez' },
    });
    expect(a.body.action, JSON.stringify(a.body)).to.equal('answer');
    await postJson(`${s.url}/api/feedback`, {
      conversationId: a.body.conversationId,
      articleId: a.body.answer.articleId,
      helpful: true,
    });
    // 2. Picked from the list, then confirmed; the question carries personal data.
    const b = await postJson(`${s.url}/api/ask`, {
      question: 'Laura here, sheets crumpled inside the copier, call me at 600 123 456',
      user: { id: 'u-1', name: 'Laura Gómez' },
    });
    const picked = await postJson(`${s.url}/api/ask`, {
      conversationId: b.body.conversationId,
      question: 'Clear a printer jam',
      articleId: 'printer-jam',
      user: { id: 'u-1', name: 'Laura Gómez' },
    });
    await postJson(`${s.url}/api/feedback`, {
      conversationId: picked.body.conversationId,
      articleId: 'printer-jam',
      helpful: true,
    });
    // 3. Not helpful: no candidate.
    const c = await postJson(`${s.url}/api/ask`, { question: 'how do I connect to the VPN from home please' });
    await postJson(`${s.url}/api/feedback`, {
      conversationId: c.body.conversationId,
      articleId: c.body.answer?.articleId ?? 'vpn-setup',
      helpful: false,
    });
    // 4. Nothing fitted: a ticket, which an agent solves with an article.
    const d = await postJson(`${s.url}/api/ask`, { question: 'the tunnel will not come up' });
    ticketId = (
      await postJson(`${s.url}/api/tickets`, {
        conversationId: d.body.conversationId,
        email: 'pat@example.com',
        name: 'Pat Lee',
      })
    ).body.id;
  });
  after(async () => {
    await s?.close();
    kb?.cleanup();
  });

  it('an agent solves a ticket naming the article; an unknown article is a 400 with a stable code', async () => {
    const unknown = await patch(`${s.url}/api/tickets/${ticketId}`, {
      status: 'solved',
      solvedWith: 'no-such-article',
    });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error).to.include({ code: 'invalid_request' });
    expect(unknown.body.error.details).to.deep.equal([{ field: 'solvedWith', message: 'unknown article id' }]);
    const notSolved = await patch(`${s.url}/api/tickets/${ticketId}`, { status: 'pending', solvedWith: 'vpn-setup' });
    expect(notSolved.status).to.equal(400);
    expect(
      (await getJson(`${s.url}/api/tickets/${ticketId}`, bearer(KEYS.agent))).body.status,
      'nothing changed on a refusal',
    ).to.equal('open');
    expect(
      (await patch(`${s.url}/api/tickets/T-999999`, { status: 'solved', solvedWith: 'vpn-setup' })).status,
    ).to.equal(404);

    const ok = await patch(`${s.url}/api/tickets/${ticketId}`, { status: 'solved', solvedWith: 'vpn-setup' });
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ status: 'solved', solvedWith: 'vpn-setup' });
  });

  it('GET /api/reports/phrasings lists the candidates per article with counts and sources (lead role)', async () => {
    expect((await getJson(`${s.url}/api/reports/phrasings`, bearer(KEYS.agent))).status).to.equal(403);
    expect((await getJson(`${s.url}/api/reports/phrasings?minCount=0`, bearer(KEYS.lead))).status).to.equal(400);
    const r = await getJson(`${s.url}/api/reports/phrasings`, bearer(KEYS.lead));
    expect(r.status).to.equal(200);
    const got = Object.fromEntries(
      r.body.articles.map(
        (a: { articleId: string; candidates: { text: string; count: number; sources: object }[] }) => [
          a.articleId,
          a.candidates.map((c) => [c.text, c.count, c.sources]),
        ],
      ),
    );
    expect(got).to.deep.equal({
      'reset-password': [['I forgot my password yesterday', 1, { helpful: 1, picked: 0, ticket: 0 }]],
      'printer-jam': [['here, sheets crumpled inside the copier', 1, { helpful: 0, picked: 1, ticket: 0 }]],
      'vpn-setup': [['the tunnel will not come up', 1, { helpful: 0, picked: 0, ticket: 1 }]],
    });
    expect(JSON.stringify(r.body)).not.to.match(/laura|600 123|pat@/i);
  });

  it('npm run kb -- phrasings lists them; --apply writes them into the articles, lint passes, and re-indexed they are answered', async () => {
    const env = { DATA_DIR: s.config.dataDir, KB_DIR: kb.dir };
    const list = await runKb(['phrasings'], env);
    expect(list.code, list.stderr).to.equal(0);
    expect(list.stdout).to.contain('3 candidate phrasing(s) for 3 article(s)');
    expect(list.stdout).to.match(/vpn-setup .*\n\s+1 {2}"the tunnel will not come up" {2}\[ticket 1\]/);

    const json = JSON.parse((await runKb(['phrasings', '--json', '--min-count', '2'], env)).stdout);
    expect(json.articles).to.deep.equal([]);

    const before = readFileSync(path.join(kb.dir, 'network/vpn-setup.md'), 'utf8');
    const applied = await runKb(['phrasings', '--apply'], env);
    expect(applied.code, applied.stderr).to.equal(0);
    expect(applied.stdout).to.contain('Added 3 question(s) to 3 article(s)');
    const after = readFileSync(path.join(kb.dir, 'network/vpn-setup.md'), 'utf8');
    expect(after).to.equal(
      before.replace('install the VPN client]', 'install the VPN client, "the tunnel will not come up"]'),
    );

    const lint = await runKb(['lint'], env);
    expect(lint.code, lint.stderr).to.equal(0);
    // Applied once: a second run finds them listed and has nothing left to offer.
    expect((await runKb(['phrasings'], env)).stdout).to.contain('0 candidate phrasing(s)');

    const { index } = await buildIndex({
      kbDir: kb.dir,
      embedder: new HashingEmbedder(),
      wordVectors: await loadGloveWordVectors(),
      defaultLang: 'en',
    });
    const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
    for (const [question, articleId] of [
      ['the tunnel will not come up', 'vpn-setup'],
      ['I forgot my password yesterday', 'reset-password'],
      ['sheets crumpled inside the copier', 'printer-jam'],
    ]) {
      const r = await engine.answer({ question: question! });
      expect([r.action, r.answer?.article.id], question).to.deep.equal(['answer', articleId]);
    }
  });

  it('erasing the asker also erases them from the solved record (its questions included)', async () => {
    const asked = await postJson(`${s.url}/api/ask`, { question: 'the copier rejects pat@example.com as a user' });
    const second = (
      await postJson(`${s.url}/api/tickets`, {
        conversationId: asked.body.conversationId,
        email: 'pat@example.com',
        name: 'Pat Lee',
      })
    ).body.id;
    expect(
      (await patch(`${s.url}/api/tickets/${second}`, { status: 'solved', solvedWith: 'printer-jam' })).status,
    ).to.equal(200);

    const erased = await postJson(`${s.url}/api/admin/erase-user`, { email: 'pat@example.com' }, bearer(KEYS.admin));
    expect(erased.status).to.equal(200);
    const records = [];
    for await (const e of s.core.events.read()) if (e.type === 'solved') records.push(e);
    expect(records.map((r) => [r.ticketId, r.articleId, r.questions])).to.deep.equal([
      [ticketId, 'vpn-setup', ['the tunnel will not come up']],
      [second, 'printer-jam', ['the copier rejects [erased] as a user']],
    ]);
    expect(JSON.stringify(records)).not.to.match(/pat@example\.com|Pat Lee/);
    expect(
      (await getJson(`${s.url}/api/reports/phrasings`, bearer(KEYS.lead))).body.articles.map(
        (a: { articleId: string }) => a.articleId,
      ),
    ).to.include('vpn-setup');
  });
});
