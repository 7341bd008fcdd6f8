import { cpSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runProcess, startServerProcess, type ServerProcess } from '../test/helpers/child.ts';
import { freshDatabase, freshRedisPrefix, postgresUnavailable, redisUnavailable } from '../test/helpers/services.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { machineLine, writeSection } from './resultsSection.ts';
import { answeredAfter } from './snapshotSpread.ts';

/**
 * `npm run bench:scale-out`: three instances on loopback (child processes,
 * each its own DATA_DIR and port) on one scratch PostgreSQL database and
 * one Redis key prefix, driven by a round-robin client, as a load balancer
 * without sticky sessions would. It checks what issue 15 promises and
 * prints figures; it asserts nothing (specs do that). Writes its table into
 * bench/RESULTS.md under "## Scale-out".
 */
const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '2000' },
    asks: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '8' },
    conversations: { type: 'string', default: '30' },
  },
});
const TICKETS = Number(values.tickets);
const ASKS = Number(values.asks);
const CONCURRENCY = Number(values.concurrency);
const CONVERSATIONS = Number(values.conversations);
const ASK_LIMIT = 30;
const KEYS = { agent: 'bench-agent-key-0123', lead: 'bench-lead-key-01234' };
/** The webhook receiver refuses each delivery's first attempts, so retries (and instances' leases) are part of the run. */
const WEBHOOK_FAILS = 2;
const QUESTIONS = [
  'How do I reset my password?',
  'olvidé mi contraseña',
  'the VPN does not connect',
  'no me llega la factura',
  'where is my order?',
  '¿cómo devuelvo un producto?',
  'my printer does not print',
  'how do I set up e-mail on my phone',
];

const rows: string[] = [];
const row = (measure: string, figure: string, goal = '', met = '') =>
  rows.push(`| ${measure} | ${figure} | ${goal} | ${met} |`);
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

/** A distinct client address per request (trusted from loopback), so only the rate-limit check shares one. */
let nextAddress = 0;
const freshAddress = () => {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

async function call(
  url: string,
  method: 'GET' | 'POST',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; ms: number; replayed: boolean }> {
  const t = performance.now();
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': freshAddress(), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : null,
    ms: performance.now() - t,
    replayed: res.headers.get('idempotent-replayed') === 'true',
  };
}
const agent = { Authorization: `Bearer ${KEYS.agent}` };
const lead = { Authorization: `Bearer ${KEYS.lead}` };

/** Run `task(i)` for i < n with at most `limit` at once. */
async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** POST /api/ask `n` times, instance chosen by `pick(i)`; latencies per instance and the run's throughput. */
async function askLoad(urls: string[], n: number, pick: (i: number) => number) {
  const per = urls.map(() => [] as number[]);
  let errors = 0;
  const t = performance.now();
  await pool(n, CONCURRENCY, async (i) => {
    const k = pick(i);
    const r = await call(`${urls[k]}/api/ask`, 'POST', { question: QUESTIONS[i % QUESTIONS.length] });
    if (r.status === 200) per[k]!.push(r.ms);
    else errors++;
  });
  return { per, errors, rps: n / ((performance.now() - t) / 1000) };
}

async function conversationsHop(urls: string[]) {
  let inOrder = 0;
  const turns = 4;
  const tickets: string[] = [];
  await pool(CONVERSATIONS, CONVERSATIONS, async (c) => {
    let conversationId: string | undefined;
    const asked: string[] = [];
    for (let turn = 0; turn < turns; turn++) {
      const question = `${QUESTIONS[(c + turn) % QUESTIONS.length]} (${c}.${turn})`;
      const r = await call(`${urls[(c + turn) % urls.length]}/api/ask`, 'POST', { question, conversationId });
      conversationId = r.body.conversationId;
      asked.push(question);
    }
    const ticket = await call(`${urls[(c + turns) % urls.length]}/api/tickets`, 'POST', {
      conversationId,
      email: `hop${c}@example.com`,
    });
    tickets.push(ticket.body.id as string);
    const detail = await call(
      `${urls[(c + turns + 1) % urls.length]}/api/tickets/${ticket.body.id}`,
      'GET',
      undefined,
      agent,
    );
    const said = (detail.body.transcript as { role: string; text: string }[])
      .filter((t) => t.role === 'user')
      .map((t) => t.text);
    if (JSON.stringify(said) === JSON.stringify(asked)) inOrder++;
  });
  return { inOrder, turns, tickets };
}

async function sharedRateLimit(urls: string[]) {
  const address = '203.0.113.7';
  const statuses = await pool(ASK_LIMIT * 3, ASK_LIMIT * 3, (i) =>
    call(
      `${urls[i % urls.length]}/api/ask`,
      'POST',
      { question: 'How do I reset my password?' },
      {
        'X-Forwarded-For': address,
      },
    ).then((r) => r.status),
  );
  return { passed: statuses.filter((s) => s === 200).length, limited: statuses.filter((s) => s === 429).length };
}

async function reportsAgree(urls: string[]) {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const bodies = await Promise.all(
    urls.map((u) =>
      call(`${u}/api/reports/deflection?from=${day(-1)}&to=${day(1)}&groupBy=day`, 'GET', undefined, lead),
    ),
  );
  const texts = bodies.map((b) => JSON.stringify(b.body));
  return { same: texts.every((t) => t === texts[0]), questions: bodies[0]!.body.totals?.questions as number };
}

const ticketBody = (i: number) => ({ email: `t${i}@example.com`, description: `Ticket ${i}` });
/** One Idempotency-Key per ticket creation of the run (16+ characters). */
const keyOf = (i: number) => `bench-ticket-${String(i).padStart(8, '0')}`;

/**
 * 2,000 ticket creations at once, round-robin, each with its Idempotency-Key;
 * the last instance is killed -9 once half are acknowledged, and the requests
 * it cut off are retried on the survivors with their keys.
 */
async function ticketsThroughAKill(servers: ServerProcess[]) {
  const urls = servers.map((s) => s.url);
  const victim = servers[servers.length - 1]!;
  const acknowledged: string[] = [];
  let killedAt = -1;
  let settled = 0;
  // Half-way through the requests (answered or failed), whatever the machine's load makes of them.
  const maybeKill = () => {
    if (killedAt < 0 && ++settled >= TICKETS / 2) {
      killedAt = acknowledged.length;
      victim.child.kill('SIGKILL');
    }
  };
  const atStart = (await call(`${urls[0]}/api/tickets?pageSize=1`, 'GET', undefined, agent)).body.total as number;
  const t = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: TICKETS }, (_, i) =>
      call(`${urls[i % urls.length]}/api/tickets`, 'POST', ticketBody(i), { 'Idempotency-Key': keyOf(i) })
        .then((r) => {
          if (r.status !== 201) return `http ${r.status}`;
          acknowledged.push(r.body.id as string);
          return 'ok';
        })
        .catch(() => 'connection lost')
        .finally(maybeKill),
    ),
  );
  const seconds = (performance.now() - t) / 1000;
  const survivors = urls.slice(0, -1);
  const survivorsTotal = async () =>
    (await call(`${survivors[0]}/api/tickets?pageSize=1`, 'GET', undefined, agent)).body.total as number;
  const totalBefore = await survivorsTotal();
  const readable = (
    await pool(acknowledged.length, 32, (i) =>
      call(`${survivors[i % survivors.length]}/api/tickets/${acknowledged[i]}`, 'GET', undefined, agent),
    )
  ).filter((r) => r.status === 200).length;
  const lost = outcomes.filter((o) => o !== 'ok').length;
  // A client whose request died with the instance retries on another with the same key: the ticket it may already have.
  const retried = { replayed: 0, created: 0, failed: 0 };
  const again: string[] = [];
  await pool(TICKETS, 32, async (i) => {
    if (outcomes[i] === 'ok') return;
    const r = await call(`${survivors[i % survivors.length]}/api/tickets`, 'POST', ticketBody(i), {
      'Idempotency-Key': keyOf(i),
    }).catch(() => null);
    if (r?.status !== 201) return void retried.failed++;
    again.push(r.body.id as string);
    if (r.replayed) retried.replayed++;
    else retried.created++;
  });
  const allAcknowledged = [...new Set([...acknowledged, ...again])];
  return {
    total: totalBefore - atStart,
    // Tickets this run added (the conversations' tickets were there before it).
    finalTotal: (await survivorsTotal()) - atStart,
    finalAcknowledged: allAcknowledged.length,
    allAcknowledged,
    retried,
    acknowledged: acknowledged.length,
    unique: new Set(acknowledged).size,
    readable,
    lost,
    killedAt,
    seconds,
  };
}

/**
 * A webhook receiver on loopback that answers 503 to each delivery's first
 * WEBHOOK_FAILS attempts and 200 after, counting per ticket the deliveries
 * of ticket.created it took (answered 200): once each is the goal.
 */
async function webhookReceiver() {
  const attempts = new Map<string, number>();
  /** Per ticket, the deliveries of ticket.created taken (answered 200), and how many times each. */
  const taken = new Map<string, Map<string, number>>();
  let requests = 0;
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      requests++;
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as {
        event: string;
        deliveryId: string;
        ticket?: { id: string };
      };
      const n = (attempts.get(body.deliveryId) ?? 0) + 1;
      attempts.set(body.deliveryId, n);
      if (n <= WEBHOOK_FAILS) return res.writeHead(503).end();
      if (body.event === 'ticket.created' && body.ticket) {
        const byDelivery = taken.get(body.ticket.id) ?? new Map<string, number>();
        byDelivery.set(body.deliveryId, (byDelivery.get(body.deliveryId) ?? 0) + 1);
        taken.set(body.ticket.id, byDelivery);
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    taken,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Wait (up to `limitMs`) until every ticket in `ids` was taken by the receiver; what was taken once, twice, never. */
async function webhooksOnce(receiver: Awaited<ReturnType<typeof webhookReceiver>>, ids: string[], limitMs: number) {
  const t = performance.now();
  while (performance.now() - t < limitMs && ids.some((id) => !receiver.taken.has(id)))
    await new Promise((r) => setTimeout(r, 250));
  const seconds = (performance.now() - t) / 1000;
  const deliveries = (id: string) => receiver.taken.get(id)?.size ?? 0;
  const resent = (id: string) => [...(receiver.taken.get(id)?.values() ?? [])].some((n) => n > 1);
  return {
    // One delivery (one X-Deflect-Delivery id) per ticket: what a receiver that de-duplicates on it sees.
    once: ids.filter((id) => deliveries(id) === 1).length,
    twice: ids.filter((id) => deliveries(id) > 1).length,
    never: ids.filter((id) => deliveries(id) === 0).length,
    // The same delivery taken again: the sender did not hear the 200 in time (timeout, a kill) and retried.
    resent: ids.filter(resent).length,
    seconds,
    requests: receiver.requests(),
  };
}

/** An article added to a copy of the KB and published by `npm run index` (its own DATA_DIR): seconds until each instance answers with it. */
async function snapshotSpread(servers: ServerProcess[], env: Record<string, string>, kbDir: string) {
  writeFileSync(
    path.join(kbDir, 'bench-new.md'),
    `---\nid: bench-new\ntitle: Book the rooftop terrace for a team event\nlang: en\nquestions:\n  - how do I book the rooftop terrace\nanswer: Use the Spaces app and pick Rooftop.\n---\n# Book the rooftop terrace\n\nUse the Spaces app.\n`,
  );
  const t1 = performance.now();
  const { code, output } = await runProcess(['indexer/cli.ts', 'index'], env).done;
  if (code !== 0) throw new Error(`npm run index failed:\n${output}`);
  const published = performance.now();
  const served = await Promise.all(servers.map((s) => answeredAfter(s, published)));
  return { publishSeconds: (published - t1) / 1000, served };
}

async function main(): Promise<void> {
  const reason = (await postgresUnavailable()) ?? (await redisUnavailable());
  if (reason) {
    process.stderr.write(`bench:scale-out needs PostgreSQL and Redis: ${reason}\n`);
    process.exitCode = 1;
    return;
  }
  const db = await freshDatabase();
  const redis = freshRedisPrefix();
  const dirs = [tempDir('deflect-scale-a-'), tempDir('deflect-scale-b-'), tempDir('deflect-scale-c-')];
  // The KB is copied: the snapshot check adds an article to it. The indexer publishes from a DATA_DIR of its own.
  const kb = tempDir('deflect-scale-kb-');
  const indexer = tempDir('deflect-scale-indexer-');
  cpSync('kb-content', kb.dir, { recursive: true });
  const receiver = await webhookReceiver();
  const servers: ServerProcess[] = [];
  const env = (dir: string) => ({
    KB_DIR: kb.dir,
    WEBHOOK_URL: receiver.url,
    WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
    WEBHOOK_BACKOFF_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: '10',
    DATA_DIR: dir,
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    DEFLECT_API_KEYS: `agent=${KEYS.agent},lead=${KEYS.lead}`,
    RATE_LIMIT_ASK_PER_MINUTE: String(ASK_LIMIT),
    LOG_LEVEL: 'error',
  });
  try {
    // The first instance builds the index; the others start from a copy of it (each keeps its own, as in production).
    servers.push(await startServerProcess(env(dirs[0]!.dir), 600_000));
    for (const d of dirs.slice(1))
      cpSync(path.join(dirs[0]!.dir, 'index'), path.join(d.dir, 'index'), { recursive: true });
    servers.push(...(await Promise.all(dirs.slice(1).map((d) => startServerProcess(env(d.dir), 600_000)))));
    const urls = servers.map((s) => s.url);
    process.stderr.write(`instances: ${urls.join(' ')}\n`);

    await askLoad(urls, 60, (i) => i % urls.length); // warm-up: first requests pay for lazy loading
    const single = await askLoad(urls, ASKS, () => 0);
    const spread = await askLoad(urls, ASKS, (i) => i % urls.length);
    row(
      `/api/ask, one instance alone (baseline), ${ASKS} requests, ${CONCURRENCY} at a time`,
      `p50 ${percentile(single.per[0]!, 50).toFixed(1)} ms, p95 ${percentile(single.per[0]!, 95).toFixed(1)} ms, ${single.rps.toFixed(0)} req/s, ${single.errors} errors`,
    );
    spread.per.forEach((ms, k) =>
      row(
        `/api/ask, round-robin over 3, instance ${'abc'[k]}`,
        `p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms (${ms.length} requests)`,
      ),
    );
    row(
      '/api/ask, round-robin over 3, all',
      `p95 ${percentile(spread.per.flat(), 95).toFixed(1)} ms, ${spread.rps.toFixed(0)} req/s, ${spread.errors} errors`,
    );

    const hop = await conversationsHop(urls);
    row(
      `conversations hopping instance on every turn (${hop.turns} turns, ticket on another)`,
      `${hop.inOrder} of ${CONVERSATIONS} transcripts with every turn in order`,
      'all',
      yes(hop.inOrder === CONVERSATIONS),
    );

    const limit = await sharedRateLimit(urls);
    row(
      `shared rate limit: ${ASK_LIMIT * 3} asks from one address over 3 instances, limit ${ASK_LIMIT}/min`,
      `${limit.passed} passed, ${limit.limited} refused (429)`,
      `exactly ${ASK_LIMIT}`,
      yes(limit.passed === ASK_LIMIT),
    );

    const reports = await reportsAgree(urls);
    row(
      'deflection report on every instance',
      `${reports.same ? 'identical' : 'different'} on 3 (${reports.questions} questions)`,
      'identical',
      yes(reports.same),
    );

    const spreadOut = await snapshotSpread(servers, env(indexer.dir), kb.dir);
    const slowest = Math.max(...spreadOut.served);
    row(
      `new index snapshot served by every instance (an article added, \`npm run index\` ${spreadOut.publishSeconds.toFixed(1)} s)`,
      `answered with it after ${spreadOut.served.map((x, k) => `${'abc'[k]} ${x.toFixed(2)} s`).join(', ')} from the publication`,
      '≤ 10 s',
      yes(slowest <= 10),
    );

    const kill = await ticketsThroughAKill(servers);
    row(
      `${TICKETS} concurrent ticket creations, round-robin, instance c killed -9 half-way (${kill.killedAt} acknowledged by then)`,
      `${kill.acknowledged} acknowledged (${kill.lost} cut off by the kill) in ${kill.seconds.toFixed(1)} s; ${kill.readable} readable from the survivors; ${kill.unique} unique ids; ${kill.total} in the database`,
      'every acknowledged one readable, ids unique',
      yes(kill.readable === kill.acknowledged && kill.unique === kill.acknowledged && kill.total >= kill.acknowledged),
    );
    row(
      `the ${kill.lost} cut off retried on the survivors with their Idempotency-Key`,
      `${kill.retried.replayed} replayed (stored before the kill), ${kill.retried.created} created, ${kill.retried.failed} failed; ${kill.finalTotal} tickets in the database for ${kill.finalAcknowledged} acknowledged`,
      'one ticket per request',
      yes(kill.retried.failed === 0 && kill.finalTotal === kill.finalAcknowledged),
    );

    // Every acknowledged ticket, from the hopping conversations and the kill run (what instance c had leased comes back after its lease).
    // The lease (WEBHOOK_TIMEOUT_MS + 30 s) is how long a delivery leased by the killed instance waits for a survivor.
    const hooks = await webhooksOnce(receiver, [...hop.tickets, ...kill.allAcknowledged], 300_000);
    row(
      `ticket.created webhook per acknowledged ticket, receiver refusing each delivery's first ${WEBHOOK_FAILS} attempts, one instance killed -9`,
      `${hooks.once} delivered once, ${hooks.twice} by two deliveries, ${hooks.never} never, within ${hooks.seconds.toFixed(1)} s of the last creation (${hooks.requests} requests); ${hooks.resent} of them taken again under the same delivery id (a 200 the sender did not hear)`,
      'once each',
      yes(hooks.twice === 0 && hooks.never === 0),
    );
  } finally {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    await db.drop();
    await redis.drop();
    await receiver.close();
    for (const d of [...dirs, kb, indexer]) d.cleanup();
  }
  const machine = machineLine();
  const table = [
    `Produced by \`npm run bench:scale-out\`: three instances, PostgreSQL, Redis and the client on the same machine (${machine}).`,
    '',
    '| Measure | Figure | Goal | Met |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  process.stdout.write(`\n${table}`);
  writeSection('bench/RESULTS.md', '## Scale-out', table);
}

await main();
