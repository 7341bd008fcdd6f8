import { promises as fs } from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Lang } from '../core/contracts/api.ts';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { parseQueries } from '../core/eval/queries.ts';
import { stem, words } from '../core/text/analyze.ts';

/**
 * The floor the engine must beat: BM25 (MiniSearch defaults, no threshold)
 * over each article's title and body, accuracy@1 on the in-scope questions
 * of each set. "plain" splits words only; "stemmed" also stems them (no
 * stopword list), which comes closest to the floors in ../shared/eval/README.md.
 * `npx tsx bench/eval-bm25-floor.ts ../shared/eval`
 */
const root = process.argv[2] ?? '../shared/eval';
process.stdout.write(`${'set'.padEnd(22)} plain  stemmed\n`);
for (const name of (await fs.readdir(root)).sort()) {
  const kbDir = path.join(root, name, 'kb');
  const file = path.join(root, name, 'dev.jsonl');
  if (!(await fs.stat(kbDir).catch(() => null))) continue;
  const kb = await loadKnowledgeBase(kbDir, { defaultLang: 'en' });
  const lang: Lang = kb.articles.filter((a) => a.lang === 'es').length > kb.articles.length / 2 ? 'es' : 'en';
  const rows = parseQueries(await fs.readFile(file, 'utf8'), file).filter((r) => r.gold);
  const accuracy = (tokenize?: (text: string) => string[]) => {
    const ms = new MiniSearch({
      fields: ['title', 'body'],
      idField: 'id',
      ...(tokenize ? { tokenize, processTerm: (t: string) => t } : {}),
    });
    ms.addAll(kb.articles.map((a) => ({ id: a.id, title: a.title, body: a.body })));
    return rows.filter((r) => ms.search(r.text)[0]?.id === r.gold).length / rows.length;
  };
  const plain = accuracy();
  const stemmed = accuracy((text) => words(text).map((w) => stem(w, lang)));
  process.stdout.write(`${name.padEnd(22)} ${plain.toFixed(3)}  ${stemmed.toFixed(3)}\n`);
}
