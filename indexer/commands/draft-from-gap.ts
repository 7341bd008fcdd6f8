import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { configFromEnv } from '../../core/config/index.ts';
import { EventLog } from '../../core/events/eventLog.ts';
import { draftFromGap } from '../../core/reports/draftFromGap.ts';
import { FactStore } from '../../core/reports/factStore.ts';
import { Reports } from '../../core/reports/reports.ts';

export const summary = 'Write a draft article from a gap cluster: draft-from-gap <gap-id> [--from YYYY-MM-DD --to YYYY-MM-DD]; without an id, list the gaps';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string', default: '20' } } });
  const config = configFromEnv();
  const kb = await loadKnowledgeBase(config.kbDir, { defaultLang: config.defaultLang });
  const articles = new Map(kb.articles.map((a) => [a.id, a]));
  const events = new EventLog(path.join(config.dataDir, 'events'));
  // Read-only on the data directory (the server may be running): no report cache is written.
  const reports = new Reports({ store: FactStore.forDataDir(events, config.dataDir, { cache: false }), articles: () => articles, kbDir: config.kbDir, windowDays: config.deflectionWindowDays });
  const period = { from: values.from, to: values.to };
  const id = positionals[0];
  if (!id) {
    const { clusters } = await reports.gaps(period, { limit: Number(values.limit) || 20 });
    if (!clusters.length) process.stdout.write('No gaps in this period.\n');
    for (const c of clusters) process.stdout.write(`${c.id}  ${String(c.count).padStart(4)}  ${c.lang}  ${c.phrasings.slice(0, 2).map((p) => `"${p.text}"`).join(', ')}${c.nearest ? `  (nearest: ${c.nearest.articleId} ${c.nearest.confidence})` : ''}\n`);
    return 0;
  }
  const gap = await reports.gap(id, period);
  const draft = await draftFromGap(gap, { draftsDir: config.reports.draftsDir, kbDir: config.kbDir, articles });
  process.stdout.write(`Created ${draft.file} (status: draft, ${gap.phrasings.length} real phrasings as questions). Write the answer, then run npm run kb -- lint and commit it.\n`);
  return 0;
}
