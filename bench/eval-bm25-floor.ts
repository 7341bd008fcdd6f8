import { promises as fs } from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { parseQueries } from '../core/eval/queries.ts';

/**
 * The floor the engine must beat: plain BM25 (MiniSearch defaults, no
 * stemming, no threshold) over each article's title and body, accuracy@1 on
 * the in-scope questions. `npx tsx bench/eval-bm25-floor.ts ../shared/eval`
 */
const root = process.argv[2] ?? '../shared/eval';
for (const name of (await fs.readdir(root)).sort()) {
  const kbDir = path.join(root, name, 'kb');
  const file = path.join(root, name, 'dev.jsonl');
  if (!(await fs.stat(kbDir).catch(() => null))) continue;
  const kb = await loadKnowledgeBase(kbDir, { defaultLang: 'en' });
  const ms = new MiniSearch({ fields: ['title', 'body'], idField: 'id' });
  ms.addAll(kb.articles.map((a) => ({ id: a.id, title: a.title, body: a.body })));
  const rows = parseQueries(await fs.readFile(file, 'utf8'), file).filter((r) => r.gold);
  const hits = rows.filter((r) => ms.search(r.text)[0]?.id === r.gold).length;
  process.stdout.write(`${name.padEnd(22)} ${(hits / rows.length).toFixed(3)}\n`);
}
