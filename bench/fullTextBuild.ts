import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * CPU of an index build's full-text stage alone, step by step (the search
 * documents, MiniSearch's build, its JSON, the index the build searches),
 * with a hash of the JSON, so two checkouts can be compared side by side on
 * one KB read once per process:
 * `npx tsx bench/fullTextBuild.ts KB_DIR [CHECKOUT] [--same]` (CHECKOUT: the
 * tree whose code is measured, this one by default; --same: whether the
 * index the build searches is the one its JSON loads). CPU is the main
 * thread's (what the build's stage shows) and the process's (V8's GC
 * helpers too).
 */
const [kbDir, checkout = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')] = process.argv
  .slice(2)
  .filter((a) => a !== '--same');
if (!kbDir) throw new Error('usage: npx tsx bench/fullTextBuild.ts KB_DIR [CHECKOUT]');
const from = (file: string) => import(path.resolve(checkout, file));
const { loadKnowledgeBase } = await from('core/articles/loadKb.ts');
const { searchDocumentOf } = await from('core/indexing/searchDocument.ts');
const { MiniSearchIndex } = await from('core/search/miniSearchIndex.ts');
const { threadCpuMs } = await from('core/threadCpu.ts');

const kb = await loadKnowledgeBase(kbDir, { defaultLang: 'en' });
const steps: string[] = [];
const sum: [number, number, number] = [0, 0, 0];
let thread = threadCpuMs() as number;
let proc = process.cpuUsage();
let wall = performance.now();
const step = (name: string) => {
  const t = threadCpuMs() as number;
  const p = process.cpuUsage(proc);
  const w = performance.now();
  sum[0] += (t - thread) / 1e3;
  sum[1] += (p.user + p.system) / 1e6;
  sum[2] += (w - wall) / 1e3;
  steps.push(
    `${name} ${((t - thread) / 1e3).toFixed(2)}/${((p.user + p.system) / 1e6).toFixed(2)}/${((w - wall) / 1e3).toFixed(2)}`,
  );
  thread = threadCpuMs() as number;
  proc = process.cpuUsage();
  wall = performance.now();
};
const docs = kb.articles.map(searchDocumentOf);
step('documents');
let json: string;
let index: { toJSON(): string; count(): number };
// The build of the morning of 2026-12-07 (a worktree of it): the index loaded from the object its JSON is written from.
const older = MiniSearchIndex as unknown as {
  buildLoaded?: (d: typeof docs, s: string[][]) => { index: typeof index; json: string };
};
if (older.buildLoaded) {
  ({ index, json } = older.buildLoaded(docs, kb.synonyms));
  step('build, its JSON and the index loaded');
} else {
  // Before it and since: built, its JSON written; a build loads the index from that JSON at its first search.
  const built = MiniSearchIndex.build(docs, kb.synonyms);
  step('build');
  json = built.toJSON();
  step('toJSON');
  index = MiniSearchIndex.fromJSON(json, kb.synonyms);
  step('load');
}
const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
// The build searches the index its JSON loads (not the one built, whose JSON lists the terms in another order).
const same = process.argv.includes('--same')
  ? `, the index the one its JSON loads: ${index.toJSON() === MiniSearchIndex.fromJSON(json, kb.synonyms).toJSON()}`
  : '';
console.log(
  `${kb.articles.length} articles, ${index.count()} indexed, JSON ${(json.length / 1e6).toFixed(1)} MB ${hash}${same}; ` +
    `step thread/process CPU/wall s: ${steps.join(', ')}; total ${sum.map((x) => x.toFixed(2)).join('/')}`,
);
