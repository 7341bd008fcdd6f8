import { readFileSync } from 'node:fs';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { unitsOf } from '../core/indexing/buildIndex.ts';
import { centroidsOf } from '../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { HnswVectorIndex } from '../core/search/hnswVectorIndex.ts';
import type { VectorItem } from '../core/search/ports.ts';

/**
 * What the hashing embedder's vector stage costs at scale, one variant per
 * process (so each RSS figure is its own):
 *
 *   node --expose-gc --import tsx bench/vectorVariants.ts KB_DIR QUESTIONS_JSON VARIANT [QUESTIONS=1000]
 *
 * VARIANT: `graph-1024` (today), `graph-512`, `graph-256`, `graph-1024-nochunk`
 * (titles and questions only), `centroids-1024` (one vector per article, exact scan),
 * `int8-1024` (every vector quantised to int8, exact scan).
 * Prints one JSON line: vectors stored, the CPU to embed every unit and to build
 * the structure, the structure's RSS (after a full GC, the vectors it was
 * built from still held), and the CPU of one question's vector stage (embed,
 * 40 nearest, the centroid of each article found). What each variant does to
 * the answers is measured with `npm run eval` (bench/RESULTS.md).
 */
async function main(): Promise<void> {
  const [kbDir, questionsFile, variant = 'graph-1024', n = '1000'] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!kbDir || !questionsFile || !gc)
    throw new Error('usage: node --expose-gc --import tsx … KB_DIR QUESTIONS VARIANT');
  const dims = Number(/-(\d+)/.exec(variant)![1]);
  const embedder = new HashingEmbedder(dims);
  const kb = await loadKnowledgeBase(kbDir, { defaultLang: 'en' });
  const items: VectorItem[] = [];
  const langs: ('en' | 'es')[] = [];
  for (const a of kb.articles)
    for (const unit of unitsOf(a)) {
      items.push({ label: items.length, articleId: a.id, ...unit });
      langs.push(a.lang);
    }
  let cpu = process.cpuUsage();
  const vectors = items.map((item, i) => embedder.embedOne(item.text, langs[i]!));
  const embedS = seconds(process.cpuUsage(cpu));
  const centroids = centroidsOf(items, vectors, dims);
  gc();
  gc();
  const before = process.memoryUsage().rss;
  cpu = process.cpuUsage();
  let search: (v: Float32Array) => number;
  let stored = 0;
  if (variant.startsWith('graph')) {
    const keep = variant.endsWith('nochunk') ? items.filter((i) => i.kind !== 'chunk') : items;
    const graph = HnswVectorIndex.build(
      dims,
      keep.map((item, label) => ({ ...item, label })),
      keep.map((item) => vectors[item.label]!),
    );
    stored = keep.length;
    search = (v) => {
      const hits = graph.search(v, 40);
      let s = 0;
      const seen = new Set<string>();
      for (const h of hits)
        if (!seen.has(h.item.articleId)) {
          seen.add(h.item.articleId);
          s += dot(v, centroids.get(h.item.articleId)!);
        }
      return s;
    };
  } else if (variant.startsWith('int8')) {
    // Every unit vector, quantised to int8 with one scale per vector, dimension-major: an exact scan with no graph.
    const N = items.length;
    const columns = Array.from({ length: dims }, () => new Int8Array(N));
    const scale = new Float32Array(N);
    vectors.forEach((v, i) => {
      let m = 0;
      for (let d = 0; d < dims; d++) m = Math.max(m, Math.abs(v[d]!));
      scale[i] = (m || 1) / 127;
      for (let d = 0; d < dims; d++) columns[d]![i] = Math.round(v[d]! / scale[i]!);
    });
    stored = N;
    const scores = new Float32Array(N);
    search = (v) => {
      scores.fill(0);
      for (let d = 0; d < v.length; d++) {
        const w = v[d]!;
        if (w === 0) continue;
        const col = columns[d]!;
        for (let i = 0; i < N; i++) scores[i]! += w * col[i]!;
      }
      for (let i = 0; i < N; i++) scores[i]! *= scale[i]!;
      return topSum(scores, 40);
    };
  } else {
    // Dimension-major, so a sparse question (a few dozen non-zero dimensions) reads only its own columns.
    const ids = [...centroids.keys()];
    const N = ids.length;
    const columns = Array.from({ length: dims }, () => new Float32Array(N));
    ids.forEach((id, a) => {
      const c = centroids.get(id)!;
      for (let d = 0; d < dims; d++) columns[d]![a] = c[d]!;
    });
    stored = N;
    const scores = new Float32Array(N);
    search = (v) => {
      scores.fill(0);
      for (let d = 0; d < v.length; d++) {
        const w = v[d]!;
        if (w === 0) continue;
        const col = columns[d]!;
        for (let a = 0; a < N; a++) scores[a]! += w * col[a]!;
      }
      return topSum(scores, 40);
    };
  }
  const buildS = seconds(process.cpuUsage(cpu));
  gc();
  gc();
  const structureMb = (process.memoryUsage().rss - before) / 1e6;
  const questions = (JSON.parse(readFileSync(questionsFile, 'utf8')) as { text: string }[]).slice(0, Number(n));
  let sink = 0;
  for (const q of questions.slice(0, 100)) sink += search(embedder.embedOne(q.text, 'en'));
  cpu = process.cpuUsage();
  for (const q of questions) sink += search(embedder.embedOne(q.text, 'en'));
  const queryMs = (seconds(process.cpuUsage(cpu)) * 1000) / questions.length;
  console.log(
    JSON.stringify({
      variant,
      articles: kb.articles.length,
      stored,
      embedCpuS: round(embedS),
      buildCpuS: round(buildS),
      structureRssMb: Math.round(structureMb),
      queryCpuMs: round(queryMs, 3),
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
      sink: Math.round(sink) % 7,
    }),
  );
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Sum of the k best scores (stands for picking them: a partial selection over every article). */
function topSum(scores: Float32Array, k: number): number {
  const best: number[] = [];
  for (const s of scores) {
    if (best.length === k && s <= best[k - 1]!) continue;
    let i = best.length;
    while (i > 0 && best[i - 1]! < s) i--;
    best.splice(i, 0, s);
    if (best.length > k) best.pop();
  }
  return best.reduce((a, b) => a + b, 0);
}

function seconds(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}

function round(x: number, digits = 2): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

await main();
