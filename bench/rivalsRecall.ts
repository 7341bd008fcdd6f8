import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { decodeTermModel } from '../core/answers/codecs/termModelCodec.ts';
import { Centroids, type CentroidParts } from '../core/answers/lexical/centroids.ts';
import { TermModel, termDocOf } from '../core/answers/lexical/termModel.ts';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { allRivals } from '../core/answers/learners/rivals.ts';
import { impactRivals, RIVAL_BUDGET } from '../core/answers/learners/impactRivals.ts';
import { currentSnapshotDir } from '../core/indexing/snapshot.ts';

/**
 * The classifier's rivals on a built index, exact (`allRivals`) against the
 * budgeted search (`impactRivals`): the CPU of each, and how many of the
 * exact rivals the budgeted lists hold.
 * `npx tsx bench/rivalsRecall.ts DIR [--reads N] [--pool N] [--no-exact]`: DIR a
 * DATA_DIR with a published index, or a KB folder (its centroids fitted
 * here, without the classifier: a 20k KB in a minute, not a whole build).
 */
const args = process.argv.slice(2);
const dataDir = args[0];
if (!dataDir) throw new Error('usage: npx tsx bench/rivalsRecall.ts DIR [--reads N] [--pool N] [--no-exact]');
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const budget = { reads: option('--reads', RIVAL_BUDGET.reads), pool: option('--pool', RIVAL_BUDGET.pool) };
const K = 40;

const { postings, sums } = Centroids.restore(await centroidParts(dataDir));
const { starts } = postings;
let square = 0;
for (let f = 0; f + 1 < starts.length; f++) {
  const df = starts[f + 1]! - starts[f]!;
  square += df * df;
}

const cpu = <T>(run: () => T): [T, number] => {
  const since = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(since);
  return [value, (used.user + used.system) / 1e6];
};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

console.log(`${sums.length} articles, ${starts[starts.length - 1]} postings, Σ df² ${square}`);
console.log(`load ${load()}`);
const [approx, approxCpu] = cpu(() => impactRivals(postings, sums, K, budget));
console.log(`impactRivals (reads ${budget.reads}, pool ${budget.pool}): ${approxCpu.toFixed(2)} s CPU, load ${load()}`);
if (!args.includes('--no-exact')) {
  const [exact, exactCpu] = cpu(() => allRivals(postings, sums, K));
  console.log(`allRivals (exact): ${exactCpu.toFixed(2)} s CPU, load ${load()}`);
  let found = 0;
  let total = 0;
  let identical = 0;
  exact.forEach((list, a) => {
    const mine = new Set(approx[a]);
    let here = 0;
    for (const b of list) if (b !== a && mine.has(b)) here++;
    found += here;
    total += list.length - 1;
    if (list.length === approx[a]!.length && list.every((b, i) => approx[a]![i] === b)) identical++;
  });
  console.log(
    `recall ${((100 * found) / total).toFixed(2)} % of exact rivals; ${((100 * identical) / exact.length).toFixed(2)} % of lists identical`,
  );
}

/** The centroids of the index published in `dir`, or of the KB in `dir` fitted here. */
async function centroidParts(dir: string): Promise<CentroidParts> {
  const snapshot = await currentSnapshotDir(dir);
  if (snapshot) return decodeTermModel(new Uint8Array(await readFile(path.join(snapshot, 'termmodel.bin')))).centroids;
  const kb = await loadKnowledgeBase(dir, { defaultLang: 'en' });
  return TermModel.build(kb.articles.map(termDocOf), { classifier: false }).parts().centroids;
}
