import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { currentSnapshotDir, indexRoot } from '../../core/indexing/snapshot.ts';
import { LISTENER_NAME } from '../../core/storage/postgres/listen.ts';
import { eventually } from '../helpers/eventually.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

/** Never reached in a spec: a follower given this hears only notifications. */
const NO_POLL = 3_600_000;

/** A snapshot folder as buildIndex leaves it (the publication only moves files): a manifest, JSON and binary files. */
function fakeSnapshot(dataDir: string, n: number): string {
  const dir = path.join(indexRoot(dataDir), `snap-2026-01-01T00-00-${String(n).padStart(2, '0')}-000Z-test-1`);
  mkdirSync(dir, { recursive: true });
  const manifest = { format: 1, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() };
  writeFileSync(path.join(dir, 'articles.json'), JSON.stringify([{ id: `article-${n}`, title: `Article ${n}` }]));
  writeFileSync(path.join(dir, 'vectors.f32'), randomBytes(64 * 1024));
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ ...manifest, hashes: { [`article-${n}`]: `h${n}` }, synonyms: [] }),
  );
  return dir;
}

/** Every file of a snapshot folder, by name. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]),
  );
}

describeStorageContract('SnapshotPublication (index snapshots)', (pair) => {
  const followers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of followers.splice(0)) await stop();
  });

  /** Follow on instance b; the folders it was handed, in order. */
  const follow = (options: { pollMs?: number; listen?: boolean }) => {
    const seen: string[] = [];
    followers.push(
      pair().b.snapshots.follow(
        null,
        async (dir) => {
          seen.push(dir);
        },
        options,
      ),
    );
    return seen;
  };

  it('a snapshot published on one instance reaches a follower on the other, whole, without waiting for a poll', async () => {
    const { a, b } = pair();
    const seen = follow({ pollMs: NO_POLL });
    const built = fakeSnapshot(pair().dataDirs.a, 1);
    const published = await a.snapshots.publish(built);
    expect(published.id).to.equal(path.basename(built));
    const dir = await eventually(() => seen.at(-1), { timeoutMs: 20_000, what: 'the follower to be handed it' });
    expect(path.basename(dir)).to.equal(published.id);
    expect(path.dirname(dir)).to.equal(indexRoot(pair().dataDirs.b));
    expect(filesOf(dir)).to.deep.equal(filesOf(built));
    expect(await currentSnapshotDir(pair().dataDirs.b)).to.equal(dir);
    expect(await b.snapshots.current()).to.deep.equal(published);
  });

  it('a follower that hears no notification finds the publication by polling', async () => {
    const seen = follow({ listen: false, pollMs: 100 });
    const published = await pair().a.snapshots.publish(fakeSnapshot(pair().dataDirs.a, 1));
    const dir = await eventually(() => seen.at(-1), { timeoutMs: 20_000, what: 'the poll to find it' });
    expect(path.basename(dir)).to.equal(published.id);
  });

  it('a snapshot the follower cannot load leaves it on the previous one, and the next publication is taken', async () => {
    const { a, b, dataDirs } = pair();
    const loaded: string[] = [];
    const bad = fakeSnapshot(dataDirs.a, 1);
    followers.push(
      b.snapshots.follow(
        null,
        async (dir) => {
          if (path.basename(dir) === path.basename(bad)) throw new Error('built with another embedder');
          loaded.push(path.basename(dir));
        },
        { pollMs: 100 },
      ),
    );
    await a.snapshots.publish(bad);
    const good = await a.snapshots.publish(fakeSnapshot(dataDirs.a, 2));
    await eventually(() => loaded.includes(good.id), { timeoutMs: 20_000, what: 'the next snapshot to be loaded' });
    expect(loaded).to.deep.equal([good.id]);
  });

  it('an instance starting later pulls the current snapshot into its own DATA_DIR', async () => {
    const { a, b, dataDirs } = pair();
    expect(await b.snapshots.pull()).to.equal(null);
    expect(await b.snapshots.current()).to.equal(null);
    await a.snapshots.publish(fakeSnapshot(dataDirs.a, 1));
    const second = fakeSnapshot(dataDirs.a, 2);
    await a.snapshots.publish(second);
    const dir = await b.snapshots.pull();
    expect(dir).to.equal(path.join(indexRoot(dataDirs.b), path.basename(second)));
    expect(filesOf(dir!)).to.deep.equal(filesOf(second));
    expect(await currentSnapshotDir(dataDirs.b)).to.equal(dir);
  });

  it('keeps only the newest few snapshots, the current one first', async () => {
    const { a, b, dataDirs } = pair();
    const ids: string[] = [];
    for (let n = 1; n <= 6; n++) ids.push((await a.snapshots.publish(fakeSnapshot(dataDirs.a, n))).id);
    const kept = (await b.snapshots.kept()).map((s) => s.id);
    expect(kept[0]).to.equal(ids[5]);
    expect(kept.length).to.be.within(2, 3);
    expect(kept).to.deep.equal(ids.slice(6 - kept.length).reverse());
  });

  it("a follower's DATA_DIR keeps the snapshot it serves and at most the one before it", async () => {
    const { a, dataDirs } = pair();
    const seen = follow({ pollMs: 100 });
    let last = '';
    for (let n = 1; n <= 4; n++) last = (await a.snapshots.publish(fakeSnapshot(dataDirs.a, n))).id;
    await eventually(() => seen.length && path.basename(seen.at(-1)!) === last, {
      timeoutMs: 20_000,
      what: 'the follower to serve the newest',
    });
    const local = readdirSync(indexRoot(dataDirs.b)).filter((f) => f.startsWith('snap-'));
    expect(local).to.include(last);
    expect(local.length).to.be.at.most(2);
    expect(await currentSnapshotDir(dataDirs.b)).to.equal(path.join(indexRoot(dataDirs.b), last));
  });

  it('a follower whose listening connection drops reconnects and hears the next publication', async function () {
    const url = pair().databaseUrl;
    if (!url) this.skip(); // the embedded publication has no connection to lose
    const seen = follow({ pollMs: NO_POLL });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const listeners = `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`;
      // Its first row, not the rows: an empty list is truthy, and the follower may not have connected yet.
      const first = await eventually(async () => (await db.query(listeners, [LISTENER_NAME])).rows[0], {
        timeoutMs: 20_000,
        what: 'the follower to listen',
      });
      await db.query('SELECT pg_terminate_backend($1)', [first.pid]);
      await eventually(
        async () => (await db.query(listeners, [LISTENER_NAME])).rows.some((r: { pid: number }) => r.pid !== first.pid),
        { timeoutMs: 20_000, what: 'the follower to listen again' },
      );
      const published = await pair().a.snapshots.publish(fakeSnapshot(pair().dataDirs.a, 1));
      const dir = await eventually(() => seen.at(-1), { timeoutMs: 20_000, what: 'the follower to be handed it' });
      expect(path.basename(dir)).to.equal(published.id);
    } finally {
      await db.end();
    }
  });
});
