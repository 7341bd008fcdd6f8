import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runProcess, startServerProcess, type ServerProcess } from '../test/helpers/child.ts';
import { freshDatabase } from '../test/helpers/services.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { writeSyntheticKb } from './synthKb.ts';

export interface SpreadFigures {
  articles: number;
  instances: number;
  /** From spawning all instances together to each being ready (one builds, the others download). */
  startSeconds: number[];
  /** `npm run index` of an edited KB, start to exit (publication committed). */
  publishSeconds: number;
  /** From the publication to each instance answering with the new article. */
  servedSeconds: number[];
  /** Of which downloading and unpacking the archive (the rest is loading it, as in the embedded mode). */
  downloadMs: number[];
  /** Of which loading the unpacked snapshot into memory (openSnapshot). */
  loadMs: number[];
  archiveBytes: number;
  chunks: number;
}

/**
 * Issue 15's "a new index snapshot served by all within 10 s": instances on
 * loopback sharing one PostgreSQL database (needs the server on 127.0.0.1, or
 * TEST_DATABASE_URL), each with its own empty DATA_DIR; an article added and
 * published by `npm run index`; how long until every instance answers with it.
 */
export async function benchSnapshotSpread(articles = 1000, instances = 3): Promise<SpreadFigures> {
  const kb = tempDir('deflect-bench-kb-');
  writeSyntheticKb(kb.dir, articles);
  const db = await freshDatabase();
  const dirs = Array.from({ length: instances + 1 }, () => tempDir('deflect-bench-data-'));
  const env = { KB_DIR: kb.dir, DATABASE_URL: db.url, WORD_VECTORS: 'off', LOG_LEVEL: 'info' };
  const servers: ServerProcess[] = [];
  try {
    const t0 = performance.now();
    const startSeconds = await Promise.all(
      dirs.slice(0, instances).map(async (d) => {
        servers.push(await startServerProcess({ ...env, DATA_DIR: d.dir }, 600_000));
        return (performance.now() - t0) / 1000;
      }),
    );
    writeFileSync(
      path.join(kb.dir, 'new-article.md'),
      `---\nid: bench-new\ntitle: Book the rooftop terrace for a team event\nlang: en\nquestions:\n  - how do I book the rooftop terrace\nanswer: Use the Spaces app and pick Rooftop.\n---\n# Book the rooftop terrace\n\nUse the Spaces app.\n`,
    );
    const t1 = performance.now();
    const { code, output } = await runProcess(['indexer/cli.ts', 'index'], { ...env, DATA_DIR: dirs[instances]!.dir })
      .done;
    if (code !== 0) throw new Error(`npm run index failed:\n${output}`);
    const t2 = performance.now();
    const servedSeconds = await Promise.all(servers.map((s) => answeredAfter(s, t2)));
    const downloadMs = servers.map((s) => lastLogged(s, 'downloaded the published index snapshot', 'ms'));
    const loadMs = servers.map((s) => lastLogged(s, 'serving a new index snapshot', 'loadMs'));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client
      .query<{ bytes: string; chunks: number }>(
        'SELECT bytes, chunks FROM snapshots JOIN current_snapshot ON snapshot_id = id',
      )
      .finally(() => client.end());
    return {
      articles,
      instances,
      startSeconds,
      publishSeconds: (t2 - t1) / 1000,
      servedSeconds,
      downloadMs,
      loadMs,
      archiveBytes: Number(rows[0]!.bytes),
      chunks: rows[0]!.chunks,
    };
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    await db.drop();
    for (const d of [kb, ...dirs]) d.cleanup();
  }
}

/** A number field of the last log line with this message (LOG_LEVEL info), NaN when none. */
export function lastLogged(server: ServerProcess, message: string, field: string): number {
  const lines = server
    .output()
    .split('\n')
    .filter((l) => l.includes(`"message":"${message}"`));
  const last = lines.at(-1);
  return Number(last ? (JSON.parse(last.slice(last.indexOf('{'))) as Record<string, unknown>)[field] : NaN);
}

let polls = 0;

/** Seconds from `since` until `server` answers with the article the bench added (bench-new). */
export async function answeredAfter(server: ServerProcess, since: number): Promise<number> {
  for (;;) {
    // A reset keep-alive connection (the server's event loop busy loading the new snapshot) is "not yet", not a failure.
    const res = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      // A new client address each time (trusted from loopback): polling from one address hit the ask rate limit,
      // and the 429s until its minute was over were counted as "not served yet" (the ~60 s measured before).
      headers: { 'content-type': 'application/json', 'X-Forwarded-For': `10.9.${(polls >> 8) & 255}.${polls++ & 255}` },
      body: JSON.stringify({ question: 'how do I book the rooftop terrace?' }),
    }).catch(() => null);
    if (res?.status === 429) throw new Error('the poll itself was rate-limited: the figure would measure the limit');
    const body = res ? ((await res.json()) as { answer?: { articleId: string } }) : null;
    if (body?.answer?.articleId === 'bench-new') return (performance.now() - since) / 1000;
    if (performance.now() - since > 120_000)
      throw new Error(`${server.url} never served the new snapshot\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await benchSnapshotSpread(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 3));
  const s = (xs: number[]) => xs.map((x) => `${x.toFixed(2)} s`).join(', ');
  console.log(`${f.articles} articles, ${f.instances} instances on one PostgreSQL database`);
  console.log(`ready after start (together, empty DATA_DIRs): ${s(f.startSeconds)}`);
  console.log(`npm run index of an added article: ${f.publishSeconds.toFixed(2)} s`);
  console.log(
    `archive: ${(f.archiveBytes / 1048576).toFixed(1)} MiB in ${f.chunks} chunk(s); new article answered by each instance after: ${s(f.servedSeconds)} (goal ≤ 10 s)`,
  );
  console.log(`of which downloading and unpacking: ${f.downloadMs.map((ms) => `${ms} ms`).join(', ')}`);
  console.log(`of which loading: ${f.loadMs.map((ms) => `${ms} ms`).join(', ')}`);
}
