import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kbStamp, loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { configFromEnv } from '../core/config/index.ts';
import { createWordVectors } from '../core/createCore.ts';
import { calibrate } from '../core/answers/pipeline/coverage.ts';
import { TermModel, termDocOf } from '../core/answers/lexical/termModel.ts';
import { applyDelta, DeltaState } from '../core/indexing/applyDelta.ts';
import { buildIndex, searchDocumentOf, unitsOf } from '../core/indexing/buildIndex.ts';
import { openSnapshot } from '../core/indexing/kbIndex.ts';
import { currentSnapshotDir, readSnapshot, vectorIndexOf, type SnapshotData } from '../core/indexing/snapshot.ts';
import { publishSnapshot } from '../core/indexing/snapshotWriter.ts';
import { readDelta } from '../core/indexing/snapshotDelta.ts';
import { WatchDeltas } from '../core/indexing/watchDeltas.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { buildVectorIndex } from '../core/search/vectorIndexes.ts';
import { MiniSearchIndex } from '../core/search/miniSearchIndex.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { writeRealisticKb } from './realisticKb.ts';

/**
 * Where the seconds go for one added article in watch mode, stage by stage
 * (CPU seconds of this process, and wall): the full rebuild and reload the
 * watcher did before (the stages of buildIndex, then the server's
 * openSnapshot), and the delta path (parse and embed the file, write the
 * delta, read and apply it). Run on a KB dir with its index (copied), or a
 * realistic KB of N articles.
 */
async function profile(options: { articles: number; kb?: string; data?: string; full: boolean }) {
  const kb = tempDir('deflect-prof-kb-');
  const data = tempDir('deflect-prof-data-');
  if (options.kb) execFileSync('cp', ['-a', `${options.kb}/.`, kb.dir]);
  else writeRealisticKb(kb.dir, options.articles);
  const embedder = new HashingEmbedder();
  // As the server and the indexer read them (WORD_VECTORS): the stored model is fitted with them.
  const wordVectors = await createWordVectors(configFromEnv());
  if (options.data) execFileSync('cp', ['-a', `${options.data}/.`, data.dir]);
  else await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, wordVectors, defaultLang: 'en' });
  const rows: [string, number, number][] = [];
  const stage = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const out = await fn();
    const used = process.cpuUsage(cpu);
    rows.push([name, (used.user + used.system) / 1e6, (performance.now() - t) / 1000]);
    return out;
  };
  try {
    const base = await stage('server: load the snapshot (openSnapshot)', async () =>
      openSnapshot((await currentSnapshotDir(data.dir))!, embedder, wordVectors),
    );
    const deltas = await stage('watcher: start (file map from articles.json)', () =>
      WatchDeltas.open({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en' }),
    );
    writeFileSync(
      path.join(kb.dir, 'part-0', 'bench-new.md'),
      `---\nid: bench-new\ntitle: Book the rooftop terrace for a team event\nlang: en\nquestions:\n  - how do I book the rooftop terrace\nanswer: Use the Spaces app and pick Rooftop.\n---\n# Book the rooftop terrace\n\nUse the Spaces app.\n`,
    );
    const round = await stage('delta: parse + embed the file, write the delta', () =>
      deltas.changed(['part-0/bench-new.md']),
    );
    rows.push(['  of which parse', NaN, round.ms.parse / 1000]);
    rows.push(['  of which embed', NaN, round.ms.embed / 1000]);
    rows.push(['  of which write', NaN, round.ms.write / 1000]);
    const delta = (await stage('delta: server reads it', () => readDelta(data.dir)))!;
    await stage('delta: server applies it (applyDelta)', () => applyDelta(base, delta, new DeltaState()));
    if (options.full) {
      // The stages of buildIndex, one by one, as the watcher ran them on every change.
      await stage('full: kbStamp', () => kbStamp(kb.dir));
      const kbRead = await stage('full: read + parse every article', () =>
        loadKnowledgeBase(kb.dir, { defaultLang: 'en' }),
      );
      const previous = await stage('full: read the previous snapshot (vectors to reuse)', async () =>
        readSnapshot((await currentSnapshotDir(data.dir))!),
      );
      const reuse = new Map(
        previous.items.map((item, i) => [`${item.articleId}\u0000${item.hash}\u0000${item.kind}\u0000${item.text}`, i]),
      );
      const items = kbRead.articles.flatMap((a) => unitsOf(a).map((u) => ({ articleId: a.id, hash: a.hash, ...u })));
      const vectors = await stage('full: embed the new units', async () => {
        const out: Float32Array[] = [];
        for (const item of items) {
          const i = reuse.get(`${item.articleId}\u0000${item.hash}\u0000${item.kind}\u0000${item.text}`);
          out.push(i === undefined ? (await embedder.embed([item.text], 'passage', 'en'))[0]! : previous.vectors[i]!);
        }
        return out;
      });
      const labelled = items.map((item, label) => ({ ...item, label }));
      const kind = vectorIndexOf(base.manifest).kind;
      const graph = await stage(`full: vector index (${kind}, one thread)`, () =>
        buildVectorIndex(kind, embedder.dimensions, labelled, vectors),
      );
      const fullText = await stage('full: full-text index (MiniSearch)', () =>
        MiniSearchIndex.build(kbRead.articles.map(searchDocumentOf), kbRead.synonyms),
      );
      const docs = kbRead.articles.map(termDocOf);
      await stage('full: term model without the classifier', () =>
        TermModel.build(docs, { classifier: false, wordVectors }),
      );
      const terms = await stage('full: term model with the classifier', () => TermModel.build(docs, { wordVectors }));
      const index = {
        ...base,
        articles: new Map(kbRead.articles.map((a) => [a.id, a])),
        vectors: graph,
        fullText,
        terms,
      };
      const calibration = await stage('full: calibration', () => calibrate(index, 'en'));
      const snap: SnapshotData = {
        manifest: { ...base.manifest, calibration, articleCount: kbRead.articles.length, itemCount: labelled.length },
        articles: kbRead.articles,
        items: labelled,
        vectors,
        fullTextJson: fullText.toJSON(),
        classifier: terms.saveClassifier() ?? undefined,
        termModel: terms.parts(),
        centroids: base.centroids,
      };
      await stage('full: write the snapshot', () => publishSnapshot(data.dir, snap, (file) => graph.write(file)));
    }
  } finally {
    kb.cleanup();
    data.cleanup();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { kb: { type: 'string' }, data: { type: 'string' }, 'no-full': { type: 'boolean', default: false } },
  });
  const load = loadavg()[0]!;
  const rows = await profile({
    articles: Number(positionals[0] ?? 1000),
    ...(values.kb ? { kb: values.kb } : {}),
    ...(values.data ? { data: values.data } : {}),
    full: !values['no-full'],
  });
  console.log(`load average at start ${load.toFixed(1)}, at end ${loadavg()[0]!.toFixed(1)}`);
  console.log('| Stage | CPU s | wall s |\n|---|---|---|');
  for (const [name, cpu, wall] of rows)
    console.log(`| ${name} | ${Number.isNaN(cpu) ? '' : cpu.toFixed(2)} | ${wall.toFixed(2)} |`);
}
