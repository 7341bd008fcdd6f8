import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { applyPhrasings } from '../../core/commands/applyPhrasings.ts';
import { reportPhrasings } from '../../core/commands/reportPhrasings.ts';
import { configFromEnv } from '../../core/config/index.ts';
import { EventLog } from '../../core/events/eventLog.ts';
import { openStores } from '../../core/storage/openStores.ts';

export const summary =
  'Questions articles resolved, as candidate phrasings per article: phrasings [--apply] [--min-count N] [--since DATE] [--json]';

const USAGE = `Usage: npm run kb -- phrasings [--apply] [--min-count N] [--since YYYY-MM-DD] [--json] [--kb <dir>]
  lists, per article, the questions users said it resolved (a "Yes", a pick then a "Yes",
  a ticket solved with it), personal data removed, with counts and sources;
  --apply      writes them into the articles' questions: (front matter only) for review:
               git diff, npm run kb -- diff HEAD, then commit
  --min-count  only wordings resolved at least N times (default 1)
  --since      only events from that day on (default: every event kept)
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      apply: { type: 'boolean', default: false },
      'min-count': { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean', default: false },
      kb: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return (process.stdout.write(USAGE), 0);
  const minCount = values['min-count'] === undefined ? 1 : Number(values['min-count']);
  if (!Number.isInteger(minCount) || minCount < 1)
    return (process.stderr.write(`--min-count must be a whole number from 1\n${USAGE}`), 2);
  if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.since))
    return (process.stderr.write(`--since must be a date (YYYY-MM-DD)\n${USAGE}`), 2);
  const config = configFromEnv();
  const kbDir = values.kb ?? config.kbDir;
  const kb = await loadKnowledgeBase(kbDir, { defaultLang: config.defaultLang });
  // Read-only: it can run beside the server. DATABASE_URL set: the events every instance shares.
  const shared = config.storage?.databaseUrl
    ? await openStores({ ...config, storage: { ...config.storage, redisUrl: undefined } })
    : undefined;
  const events = shared?.events ?? new EventLog(path.join(config.dataDir, 'events'));
  // The KB folder's articles, not an index: the command runs without a server and may edit the folder next.
  const articles = new Map(kb.articles.map((a) => [a.id, a]));
  const report = await reportPhrasings(
    { events, index: { get: () => ({ articles }) } },
    { from: values.since ?? '2000-01-01', minCount },
  ).finally(() => shared?.close());
  const applied = values.apply
    ? await applyPhrasings({ defaultLang: config.defaultLang }, { kbDir, report })
    : undefined;

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ kb: kbDir, ...report, ...(applied ? { applied } : {}) })}\n`);
    return applied?.skipped.length ? 1 : 0;
  }
  const n = report.articles.reduce((s, a) => s + a.candidates.length, 0);
  process.stdout.write(
    `${n} candidate phrasing(s) for ${report.articles.length} article(s), from ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}${minCount > 1 ? `, resolved at least ${minCount} times` : ''}.\n`,
  );
  if (report.droppedPersonal)
    process.stdout.write(`${report.droppedPersonal} resolved question(s) left out: nothing but personal data.\n`);
  for (const a of report.articles) {
    process.stdout.write(`\n${a.articleId}  (${a.file}, ${a.lang})  ${a.title}\n`);
    for (const c of a.candidates) {
      const sources = Object.entries(c.sources)
        .filter(([, v]) => v)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      process.stdout.write(`  ${String(c.count).padStart(4)}  "${c.text}"  [${sources}]\n`);
    }
  }
  if (!applied) {
    if (n)
      process.stdout.write(
        `\nReview them, then write them with: npm run kb -- phrasings --apply${minCount > 1 ? ` --min-count ${minCount}` : ''}${values.since ? ` --since ${values.since}` : ''}\n`,
      );
    return 0;
  }
  const added = applied.files.reduce((s, f) => s + f.added.length, 0);
  process.stdout.write(`\nAdded ${added} question(s) to ${applied.files.length} article(s) in ${kbDir}:\n`);
  for (const f of applied.files) process.stdout.write(`  ${f.file}: +${f.added.length}\n`);
  for (const s of applied.skipped) process.stderr.write(`${s.file}: left unchanged: ${s.reason}\n`);
  if (added)
    process.stdout.write(
      `Review the change (git diff; npm run kb -- diff HEAD shows which answers move), run npm run kb -- lint, and commit.\n`,
    );
  return applied.skipped.length ? 1 : 0;
}
