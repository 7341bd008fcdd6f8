import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { writeSyntheticKb } from '../../bench/synthKb.ts';
import { currentSnapshotDir } from '../../core/indexing/snapshot.ts';
import { runProcess, startServerProcess } from '../helpers/child.ts';
import { postJson } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Kill -9 at random points and check that nothing acknowledged is lost and the old index keeps serving. */
describe('crashes', function () {
  this.timeout(180_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('kill -9 during indexing leaves the previous index serving after restart', async () => {
    const kb = path.join(tmp.dir, 'kb');
    const data = path.join(tmp.dir, 'data');
    writeSyntheticKb(kb, 200);
    const env = { KB_DIR: kb, DATA_DIR: data };
    const first = await runProcess(['indexer/cli.ts', 'index'], env).done;
    expect(first.code, first.output).to.equal(0);
    const good = await currentSnapshotDir(data);
    // Change every article, so the next build has real work to do, then kill it at random points.
    writeSyntheticKb(kb, 200, 99);
    for (const delay of [50, 300, 900, 1500].map((d) => d + Math.floor(Math.random() * 200))) {
      const run = runProcess(['indexer/cli.ts', 'index'], env);
      // A deliberate sleep: the kill must land at an arbitrary point of the build, not after a condition.
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill('SIGKILL');
      await run.done;
      const current = await currentSnapshotDir(data);
      expect(
        existsSync(path.join(current!, 'manifest.json')),
        `CURRENT names a complete snapshot after a kill at ${delay} ms`,
      ).to.equal(true);
    }
    // Restore the KB the good snapshot was built from: the server must serve it as is (no rebuild needed).
    writeSyntheticKb(kb, 200);
    const server = await startServerProcess(env);
    try {
      const health = await (await fetch(`${server.url}/healthz`)).json();
      expect(health.articles).to.equal(200);
      const ask = await postJson(`${server.url}/api/ask`, { question: 'hello' });
      expect(ask.status).to.equal(200);
      // Unless a killed build got as far as publishing, the first snapshot is still the one served.
      const served = await currentSnapshotDir(data);
      if (served !== good)
        expect(JSON.parse(readFileSync(path.join(served!, 'manifest.json'), 'utf8')).articleCount).to.equal(200);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('kill -9 during ticket and event writes loses no acknowledged ticket and leaves files that parse', async () => {
    const data = path.join(tmp.dir, 'data');
    const env = { DATA_DIR: data };
    let server = await startServerProcess(env);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const ask = await postJson(`${server.url}/api/ask`, { question: 'how do I set up the VPN?' });
          const t = await postJson(`${server.url}/api/tickets`, {
            conversationId: ask.body.conversationId,
            email: `user${n}-${i}@example.com`,
          });
          if (t.status === 201) acknowledged.push(t.body.id);
        } catch {
          return; // the server died mid-request: that one was never acknowledged
        }
      }
    };
    const writers = [1, 2, 3, 4].map(writer);
    // A deliberate sleep: let the writers run for a while, then kill at an arbitrary point of their writes.
    await new Promise((r) => setTimeout(r, 1500 + Math.floor(Math.random() * 1000)));
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await server.exited;
    expect(acknowledged.length, 'some tickets were acknowledged before the kill').to.be.greaterThan(0);

    const stored = JSON.parse(readFileSync(path.join(data, 'tickets.json'), 'utf8')) as { tickets: { id: string }[] };
    const ids = new Set(stored.tickets.map((t) => t.id));
    for (const id of acknowledged) expect(ids.has(id), `acknowledged ${id} is on disk`).to.equal(true);
    for (const f of readdirSync(path.join(data, 'events'))) {
      const lines = readFileSync(path.join(data, 'events', f), 'utf8')
        .split('\n')
        .filter(Boolean);
      // Every line but possibly a torn last one parses.
      lines.slice(0, -1).forEach((l) => JSON.parse(l));
    }

    server = await startServerProcess(env);
    try {
      const again = await postJson(`${server.url}/api/tickets`, { email: 'after@example.com' });
      expect(again.status).to.equal(201);
      expect(acknowledged).to.not.include(again.body.id);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  for (const [kind, content] of [
    ['truncated', '{"seq":3,"tickets":[{"id":"T-0000'],
    ['empty', ''],
    ['garbage', '\u0000\u0001 not json at all'],
  ] as const) {
    it(`moves a ${kind} ticket database aside at start, reports it, and serves`, async () => {
      const data = path.join(tmp.dir, 'data');
      const first = await startServerProcess({ DATA_DIR: data });
      first.child.kill('SIGTERM');
      await first.exited;
      writeFileSync(path.join(data, 'tickets.json'), content);
      const server = await startServerProcess({ DATA_DIR: data });
      try {
        const aside = readdirSync(data).filter((f) => f.startsWith('tickets.json.corrupt-'));
        expect(aside, 'the bad file is kept for inspection').to.have.length(1);
        expect(readFileSync(path.join(data, aside[0]!), 'utf8')).to.equal(content);
        expect(server.output()).to.match(/database file did not parse; moved aside/);
        expect((await postJson(`${server.url}/api/tickets`, { email: 'a@example.com' })).status).to.equal(201);
      } finally {
        server.child.kill('SIGKILL');
      }
    });
  }

  it('rebuilds a truncated vector index from the KB instead of crashing', async () => {
    const data = path.join(tmp.dir, 'data');
    const first = await startServerProcess({ DATA_DIR: data });
    first.child.kill('SIGTERM');
    await first.exited;
    const dir = (await currentSnapshotDir(data))!;
    const graph = path.join(dir, 'vectors.scan');
    writeFileSync(graph, readFileSync(graph).subarray(0, 1000));
    const server = await startServerProcess({ DATA_DIR: data });
    try {
      expect(server.output()).to.match(/unreadable; rebuilding/);
      const ask = await postJson(`${server.url}/api/ask`, { question: 'how do I set up the VPN?' });
      expect(ask.body.answer.articleId).to.equal('vpn-setup-en');
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('serves a damaged full-text index rebuilt from the articles after "ready", not a whole new index', async () => {
    const data = path.join(tmp.dir, 'data');
    const search = (url: string) => fetch(`${url}/api/search?q=vpn`).then((r) => r.json());
    const first = await startServerProcess({ DATA_DIR: data });
    const hits = await search(first.url);
    first.child.kill('SIGTERM');
    await first.exited;
    const dir = (await currentSnapshotDir(data))!;
    const file = path.join(dir, 'fulltext.json');
    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    const server = await startServerProcess({ DATA_DIR: data, LOG_LEVEL: 'info' });
    try {
      expect(await search(server.url)).to.deep.equal(hits);
      expect(server.output()).to.match(
        /full-text index of the snapshot is unreadable; rebuilding it from the articles/,
      );
      expect(server.output()).to.not.match(/rebuilding from the KB|index is out of date/);
      expect(await currentSnapshotDir(data)).to.equal(dir);
      const health = await fetch(`${server.url}/healthz`).then((r) => r.json());
      expect([health.status, health.index.fullTextLoad]).to.deep.equal(['ok', 'rebuilt']);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('refuses a second server on the same data directory with a clear message', async () => {
    const data = path.join(tmp.dir, 'data');
    const first = await startServerProcess({ DATA_DIR: data });
    try {
      const second = runProcess(['server/main.ts'], { DATA_DIR: data, PORT: '0', HOST: '127.0.0.1' });
      const r = await second.done;
      expect(r.code).to.equal(1);
      expect(r.output).to.match(/in use by another Deflect process \(pid \d+\)/);
    } finally {
      first.child.kill('SIGKILL');
    }
  });
});
