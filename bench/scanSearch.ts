import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import type { VectorItem } from '../core/search/ports.ts';
import { ScanVectorIndex } from '../core/search/scanVectorIndex.ts';

/**
 * What ScanVectorIndex.search costs in CPU on a built snapshot's scan, on a
 * realistic KB's questions (hashing embedder, k 40 as retrieval asks):
 *
 *   npx tsx bench/scanSearch.ts VECTORS_SCAN QUESTIONS_JSON [N=1000] [ROUNDS=3]
 *
 * Only vectors.scan is read (its items made up: seven per article, as the
 * realistic KBs have), so a 100k KB's 700,068 rows load in seconds. Three
 * searches per question: no filter, a filter accepting 90 % of the
 * articles passed again each time (a request's remembered filter), and one
 * accepting 10 %. Prints CPU µs per search of each, and a digest of every
 * hit (label and similarity's bits) to compare two checkouts' results.
 */
async function main(): Promise<void> {
  const [file, questionsFile, n = '1000', rounds = '3'] = process.argv.slice(2);
  if (!file || !questionsFile)
    throw new Error('usage: npx tsx bench/scanSearch.ts VECTORS_SCAN QUESTIONS_JSON [N] [ROUNDS]');
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  readSync(fd, header, 0, 16, 0);
  closeSync(fd);
  const [dims, count] = [header.readUInt32LE(8), header.readUInt32LE(12)];
  const items: VectorItem[] = Array.from({ length: count }, (_, label) => ({
    label,
    articleId: `bench-${Math.floor(label / 7)}`,
    kind: 'question',
    text: '',
  }));
  const index = await ScanVectorIndex.read(file, dims, items);
  const embedder = new HashingEmbedder(dims);
  const questions = (JSON.parse(readFileSync(questionsFile, 'utf8')) as { text: string }[]).slice(0, Number(n));
  const queries = questions.map((q) => embedder.embedOne(q.text, 'en'));
  const id = (item: VectorItem) => Number(item.articleId.slice(6));
  const most = (item: VectorItem) => id(item) % 10 !== 3;
  const cases: [string, () => ((item: VectorItem) => boolean) | undefined][] = [
    ['no filter', () => undefined],
    ['90 % of articles, remembered', () => most],
    ['10 % of articles, new each search', () => (item) => id(item) % 10 === 3],
  ];
  const digest = createHash('sha256');
  const bits = new Float64Array(1);
  for (const [, filter] of cases)
    for (const q of queries)
      for (const hit of index.search(q, 40, filter())) {
        bits[0] = hit.similarity;
        digest.update(`${hit.item.label}:${Buffer.from(bits.buffer).toString('hex')};`);
      }
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };
  console.log(
    `${file}: ${count} rows of ${dims}; ${queries.length} questions; digest ${digest.digest('hex').slice(0, 16)}`,
  );
  for (let round = 0; round < Number(rounds); round++)
    for (const [name, filter] of cases) {
      const started = cpu();
      for (const q of queries) index.search(q, 40, filter());
      const us = (cpu() - started) / queries.length;
      console.log(
        `  round ${round + 1} ${name.padEnd(34)} ${us.toFixed(0).padStart(6)} µs/search, load ${loadavg()[0]!.toFixed(2)}`,
      );
    }
}

await main();
