/**
 * Benchmark: the deflection report over 1,000,000 events.
 *
 *   npx tsx bench/reports.ts [--events 1000000] [--days 60] [--keep]
 *
 * Generates realistic events (questions with the KB's real answers as reply
 * text, feedback, tickets; identified users; es/en; several channels) into a
 * temporary data directory, one JSONL file per day as the server writes them,
 * then times the report: the first run (reads every day file and writes the
 * report caches of closed days) and warm runs (a fresh Reports each time, so
 * nothing is memoised in memory; only the per-day caches on disk are reused).
 */
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { EventLog } from '../core/events/eventLog.ts';
import { FactStore } from '../core/reports/factStore.ts';
import { Reports } from '../core/reports/reports.ts';
import { DEFAULT_THRESHOLDS } from '../core/answers/pipeline/decide.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '60' },
    keep: { type: 'boolean', default: false },
  },
});
const TOTAL = Number(values.events);
const DAYS = Number(values.days);
const DAY_MS = 86_400_000;

const kb = await loadKnowledgeBase('kb-content', { defaultLang: 'en' });
const articles = new Map(kb.articles.map((a) => [a.id, a]));
const published = kb.articles.filter((a) => a.status === 'published');
const dir = mkdtempSync(path.join(os.tmpdir(), 'deflect-bench-'));
const eventsDir = path.join(dir, 'events');
mkdirSync(eventsDir);

// A deterministic generator, so runs are comparable.
let seed = 42;
/** mulberry32: small, fast, and good enough that ids do not collide. */
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const uuid = () =>
  `${Math.floor(rand() * 2 ** 32)
    .toString(16)
    .padStart(8, '0')}-${Math.floor(rand() * 2 ** 16)
    .toString(16)
    .padStart(4, '0')}-4${Math.floor(rand() * 2 ** 12)
    .toString(16)
    .padStart(3, '0')}-a${Math.floor(rand() * 2 ** 12)
    .toString(16)
    .padStart(3, '0')}-${Math.floor(rand() * 2 ** 48)
    .toString(16)
    .padStart(12, '0')}`;
const unanswerable = {
  en: [
    'where can I park my bike',
    'the coffee machine is broken',
    'how do I book the big meeting room',
    'who is my manager',
  ],
  es: ['¿dónde puedo aparcar?', 'la máquina de café no funciona', '¿quién es mi responsable?'],
};
const channels = ['widget', 'widget', 'widget', 'msteams', 'webchat', 'api'] as const;

const start = Date.now();
const t0 = Date.parse(new Date(Date.now() - (DAYS + 1) * DAY_MS).toISOString().slice(0, 10));
const perDay = Math.ceil(TOTAL / DAYS);
let written = 0;
for (let d = 0; d < DAYS && written < TOTAL; d++) {
  const day = new Date(t0 + d * DAY_MS).toISOString().slice(0, 10);
  const out = createWriteStream(path.join(eventsDir, `${day}.jsonl`));
  let t = t0 + d * DAY_MS;
  const step = DAY_MS / (perDay + 1);
  let lines: string[] = [];
  const emit = (e: Record<string, unknown>) => {
    t += step * (0.5 + rand());
    lines.push(
      JSON.stringify({ id: uuid(), at: new Date(Math.min(t, t0 + (d + 1) * DAY_MS - 1)).toISOString(), ...e }),
    );
    written++;
    if (lines.length >= 2000) {
      out.write(`${lines.join('\n')}\n`);
      lines = [];
    }
  };
  while (written < Math.min(TOTAL, (d + 1) * perDay)) {
    // One conversation: 1–2 questions, maybe feedback, maybe a ticket.
    const conversationId = uuid();
    const channel = pick(channels);
    const user =
      rand() < 0.4
        ? {
            id: `u-${Math.floor(rand() * 50_000)}`,
            ...(rand() < 0.5 ? { email: `user${Math.floor(rand() * 50_000)}@example.com` } : {}),
          }
        : undefined;
    const questions = rand() < 0.8 ? 1 : 2;
    let last: (typeof published)[number] | undefined;
    for (let q = 0; q < questions; q++) {
      const a = pick(published);
      const r = rand();
      const action = r < 0.62 ? 'answer' : r < 0.82 ? 'clarify' : 'ticket';
      const ranked = [a, pick(published), pick(published), pick(published), pick(published)].map((x, i) => ({
        articleId: x.id,
        confidence:
          Math.round(
            (action === 'answer' && i === 0 ? 0.97 : action === 'ticket' ? 0.5 - i * 0.05 : 0.85 - i * 0.05) * 1000,
          ) / 1000,
      }));
      const shown = action === 'answer' ? ranked.slice(0, 2) : action === 'clarify' ? ranked.slice(0, 3) : [];
      const question =
        action === 'ticket' ? pick(unanswerable[a.lang]) : pick(a.questions.length ? a.questions : [a.title]);
      const reply =
        action === 'answer'
          ? `${a.title}: ${a.answer}`
          : action === 'clarify'
            ? `Did you mean one of these articles? ${shown.map((s) => articles.get(s.articleId)!.title).join(' · ')}`
            : "I couldn't find an article that answers this. I can open a ticket so a person can help you.";
      emit({
        type: 'question',
        conversationId,
        channel,
        lang: a.lang,
        ...(user ? { user } : {}),
        question,
        action,
        ...(action === 'answer' ? { articleId: a.id } : {}),
        shown,
        ranked,
        reply,
      });
      last = action === 'ticket' ? undefined : a;
    }
    const fb = rand();
    if (last && fb < 0.3) {
      const helpful = fb < 0.22;
      emit({
        type: 'feedback',
        conversationId,
        channel,
        lang: last.lang,
        ...(user ? { user } : {}),
        articleId: last.id,
        helpful,
        next: helpful ? 'resolved' : 'offer_ticket',
        shown: [],
        reply: helpful
          ? 'Glad I could help!'
          : "Sorry that didn't solve it. Shall I open a ticket so a person can help you?",
      });
    }
    if (rand() < 0.12) {
      emit({
        type: 'ticket',
        conversationId,
        channel,
        lang: last?.lang ?? 'en',
        user: { ...user, email: user?.email ?? `anon${Math.floor(rand() * 1e6)}@example.com`, name: 'Someone' },
        ticketId: `T-${String(written).padStart(7, '0')}`,
        reason: last ? (fb < 0.3 ? 'not_helpful' : 'user') : 'no_answer',
      });
    }
  }
  if (lines.length) out.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => out.end(resolve));
}
const bytes = readdirSync(eventsDir).reduce((s, f) => s + statSync(path.join(eventsDir, f)).size, 0);
const genS = (Date.now() - start) / 1000;

const events = new EventLog(eventsDir);
const period = {
  from: new Date(t0).toISOString().slice(0, 10),
  to: new Date(t0 + (DAYS - 1) * DAY_MS).toISOString().slice(0, 10),
};
const run = async () => {
  const reports = new Reports({
    store: FactStore.forDataDir(events, dir, { cache: true }),
    articles: () => articles,
    kbDir: 'kb-content',
    windowDays: 7,
    clarifyThreshold: DEFAULT_THRESHOLDS.clarify,
  });
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = await reports.deflection(period, 'day');
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, totals: r.totals };
};

const cold = await run();
const warm = [await run(), await run(), await run()];
const best = Math.min(...warm.map((w) => w.ms));
const t = cold.totals;
const other = async (name: string, f: (r: Reports) => Promise<unknown>) => {
  const fresh = new Reports({
    store: FactStore.forDataDir(events, dir, { cache: true }),
    articles: () => articles,
    kbDir: 'kb-content',
    windowDays: 7,
    clarifyThreshold: DEFAULT_THRESHOLDS.clarify,
  });
  const s = performance.now();
  await f(fresh);
  return `${name} ${((performance.now() - s) / 1000).toFixed(2)} s`;
};

process.stdout.write(
  [
    `events: ${written.toLocaleString('en')} over ${DAYS} days (${(bytes / 1e6).toFixed(0)} MB of JSONL), generated in ${genS.toFixed(1)} s`,
    `questions ${t.questions}, self-served ${t.selfServed} (${(t.deflectionRate * 100).toFixed(1)} %), escalated ${t.escalated}, tickets ${t.tickets}`,
    `deflection report, first run (reads the log, writes the day caches): ${(cold.ms / 1000).toFixed(2)} s`,
    `deflection report, warm runs: ${warm.map((w) => (w.ms / 1000).toFixed(2)).join(' s, ')} s  → best ${(best / 1000).toFixed(2)} s ${best < 2000 ? '(< 2 s)' : '(OVER 2 s)'}; CPU time ${warm.map((w) => (w.cpuMs / 1000).toFixed(2)).join(', ')} s`,
    `load average while measuring: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} (other processes slow the wall-clock figures)`,
    `also warm: ${await other('articles', (r) => r.articles(period))}, ${await other('gaps', (r) => r.gaps(period))}`,
    `peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, node ${process.version}, ${os.cpus().length} cores`,
  ].join('\n') + '\n',
);
if (values.keep) process.stdout.write(`kept in ${dir}\n`);
else rmSync(dir, { recursive: true, force: true });
