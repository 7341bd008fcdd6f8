import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { encodeClassifier } from '../../core/answers/codecs/classifierCodec.ts';
import {
  decodeClassifierTraining,
  encodeClassifierTraining,
} from '../../core/answers/codecs/classifierTrainingCodec.ts';
import { encodeTermModel } from '../../core/answers/codecs/termModelCodec.ts';
import { buildIndex, type BuildSummary } from '../../core/indexing/buildIndex.ts';
import { TERM_WORKER_MIN_ARTICLES, TermModelThread } from '../../core/indexing/termModelThread.ts';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { TermModel, termDocOf } from '../../core/answers/lexical/termModel.ts';
import { GloveWordVectors, loadGloveWordVectors } from '../../core/search/gloveWordVectors.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import type { WordVectors } from '../../core/search/ports.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { logged } from '../helpers/logged.ts';
import { tempDir } from '../helpers/tempDir.ts';

const WORKER_FAILED = /fitting the term model on a worker thread failed; fitting it here/;

/** The fixture KB built in memory, its term model fitted on a worker (`worker`) or on the build's thread. */
function build(wordVectors: WordVectors | null, where: 'worker' | 'here'): Promise<BuildSummary> {
  return buildIndex({
    kbDir: FIXTURE_KB,
    embedder: new HashingEmbedder(),
    wordVectors,
    defaultLang: 'en',
    termWorkerMinArticles: where === 'worker' ? 0 : Infinity,
  });
}

/** What a snapshot stores of a build's term model: the model's and its classifier's files. */
function storedTerms(summary: BuildSummary): Buffer[] {
  const { terms } = summary.index;
  return [Buffer.from(encodeTermModel(terms.parts())), Buffer.from(encodeClassifier(terms.saveClassifier()!))];
}

/** Every article's evidence for each of the KB's titles and questions, as the answer engine reads it. */
function evidence(summary: BuildSummary): unknown[] {
  const { terms, articles } = summary.index;
  return [...articles.values()].flatMap((a) =>
    [a.title, ...a.questions].map((q) => terms.scoreCandidates(terms.vectorize(q, a.lang), () => true, { all: true })),
  );
}

const RIVALS_KB_ARTICLES = Math.max(TERM_WORKER_MIN_ARTICLES, 201);

/** Articles enough for the worker by default, and past 200: the classifier trains each example against its article's rivals. */
function writeRivalsKb(dir: string): void {
  const words = ['printer', 'vpn', 'password', 'email', 'laptop', 'badge', 'payroll', 'wifi', 'phone', 'office'];
  const files: Record<string, string> = {};
  for (let i = 0; i < RIVALS_KB_ARTICLES; i++) {
    const [a, b] = [words[i % 10]!, words[Math.floor(i / 10) % 10]!];
    files[`a${i}.md`] = buildArticle({
      id: `a${i}`,
      title: `${a} and ${b}, case ${i}`,
      questions: [`${a} ${b} does not work`, `help with the ${b} ${a} number ${i}`],
    });
  }
  writeKb(dir, files);
}

describe('An index build fitting its term model on a worker thread', function () {
  this.timeout(120_000);
  let vectors: GloveWordVectors;
  let here: BuildSummary;
  /** A KB past 200 articles, where the classifier trains each example against its article's rivals, built here. */
  const rivalsKb = tempDir('deflect-term-worker-kb-');
  let onThisThread: BuildSummary;
  before(async () => {
    vectors = (await loadGloveWordVectors())!;
    here = await build(vectors, 'here');
    writeRivalsKb(rivalsKb.dir);
    onThisThread = await buildIndex({ ...rivalsKbOptions(), termWorkerMinArticles: Infinity });
  });
  after(() => rivalsKb.cleanup());
  const rivalsKbOptions = () => ({
    kbDir: rivalsKb.dir,
    embedder: new HashingEmbedder(),
    wordVectors: null,
    defaultLang: 'en' as const,
  });

  it('stores the model and classifier fitted on its own thread, and answers the same', async () => {
    const { value: onWorker, lines } = await logged(() => build(vectors, 'worker'));
    expect(lines.join('')).to.not.match(WORKER_FAILED);
    expect(onWorker.stages.map((s) => s.thread)).to.include('term worker');
    expect(storedTerms(onWorker)).to.deep.equal(storedTerms(here));
    expect(onWorker.index.terms.wordVectors).to.equal(vectors.id);
    expect(evidence(onWorker)).to.deep.equal(evidence(here));
    // Sent with it, so that calibration retrains the classifier without computing them again.
    expect(onWorker.index.terms.classifierTraining()).to.deep.equal(here.index.terms.classifierTraining());
    expect(onWorker.index.manifest.calibration).to.deep.equal(here.index.manifest.calibration);
  });

  it("sends what the classifier is retrained from as it is: each unit's input (none, sparse, sparse and dense), each article's rivals", () => {
    const inputs = [
      null,
      { ids: Int32Array.of(3, 9), w: Float32Array.of(0.6, 0.8) },
      { ids: Int32Array.of(1), w: Float32Array.of(1), dense: Float32Array.of(0.5, -0.25, 0) },
      { ids: new Int32Array(0), w: new Float32Array(0), dense: Float32Array.of(1, 2, 3) },
    ];
    const rivals = new Map([
      [0, Int32Array.of(2, 1)],
      [1, new Int32Array(0)],
      [2, Int32Array.of(0)],
    ]);
    expect(decodeClassifierTraining(encodeClassifierTraining({ inputs, rivals }))).to.deep.equal({ inputs, rivals });
    const none = { inputs: [], rivals: new Map() };
    expect(decodeClassifierTraining(encodeClassifierTraining(none))).to.deep.equal(none);
  });

  it('fits on the worker by default from TERM_WORKER_MIN_ARTICLES articles, rivals and all, as on the build’s thread', async () => {
    const byDefault = await buildIndex(rivalsKbOptions());
    expect(byDefault.stages.map((s) => s.thread)).to.include('term worker');
    expect(storedTerms(byDefault)).to.deep.equal(storedTerms(onThisThread));
    const training = byDefault.index.terms.classifierTraining()!;
    expect(training.rivals.size).to.equal(RIVALS_KB_ARTICLES);
    expect(training).to.deep.equal(onThisThread.index.terms.classifierTraining());
    expect(byDefault.index.manifest.calibration).to.deep.equal(onThisThread.index.manifest.calibration);
  });

  it('fits the same model when a helper thread finds rivals beside the worker, and shows the helper as its own row', async () => {
    const { value: helped, lines } = await logged(() =>
      buildIndex({ ...rivalsKbOptions(), rivalsHelperMinArticles: 0 }),
    );
    expect(lines.join('')).to.not.match(/helper thread/);
    expect(helped.stages.map((s) => s.thread)).to.include.members(['term worker', 'rivals helper']);
    expect(storedTerms(helped)).to.deep.equal(storedTerms(onThisThread));
    expect(helped.index.terms.classifierTraining()).to.deep.equal(onThisThread.index.terms.classifierTraining());
    expect(helped.index.manifest.calibration).to.deep.equal(onThisThread.index.manifest.calibration);
  });

  it("fits the same model, with a warning, when the rivals' helper fails: the worker finds them itself", async () => {
    const kb = await loadKnowledgeBase(rivalsKb.dir, { defaultLang: 'en' });
    const failing = new URL('../fixtures/failingRivalsWorker.mjs', import.meta.url);
    const { value: fitted, lines } = await logged(async () => {
      const thread = TermModelThread.start(kb.articles, null, { helperMinArticles: 0, helperUrl: failing })!;
      return thread.fitted;
    });
    expect(lines.join('')).to.match(/the rivals' helper thread failed; the term model's worker finds the rest/);
    expect(lines.join('')).to.not.match(WORKER_FAILED);
    const model = TermModel.build(kb.articles.map(termDocOf));
    expect(Buffer.from(encodeTermModel(fitted!.parts))).to.deep.equal(Buffer.from(encodeTermModel(model.parts())));
    expect(Buffer.from(encodeClassifier(fitted!.classifier!))).to.deep.equal(
      Buffer.from(encodeClassifier(model.saveClassifier()!)),
    );
    expect(fitted!.training!.rivals).to.deep.equal(model.classifierTraining()!.rivals);
  });

  it("shows the worker's fit as its own row, and this thread's wait for it and the restore as stages", async () => {
    const { stages } = await build(vectors, 'worker');
    const names = stages.filter((s) => s.thread === 'main').map((s) => s.name);
    expect(names).to.include.members(['wait for the term model', 'restore the term model']);
    expect(names).to.not.include('term model');
    const row = stages.find((s) => s.thread === 'term worker')!;
    expect(row.name).to.equal('term model');
    expect(row.wallMs).to.be.above(0);
    if (process.platform === 'linux') expect(row.cpuMs).to.be.a('number').and.above(0);
  });

  it('fits the model on its own thread, as before, below the threshold or with word vectors a worker cannot open', async () => {
    const { id, lang, dimensions } = vectors;
    const inMemory: WordVectors = {
      id,
      lang,
      dimensions,
      vector: (w) => vectors.vector(w),
      weight: (w) => vectors.weight(w),
    };
    for (const summary of [here, await build(inMemory, 'worker')]) {
      expect(summary.stages.map((s) => s.thread)).to.not.include('term worker');
      expect(summary.stages.map((s) => s.name)).to.include('term model');
    }
  });

  it('fits the model on its own thread, with a warning, when the worker fails: the build does not', async () => {
    // Vectors whose cache file is gone: this thread still reads them (its file stays open), the worker cannot.
    const dir = tempDir('deflect-term-worker-');
    try {
      const copy = path.join(dir.dir, 'glove.bin');
      await fs.copyFile(vectors.file!, copy);
      const orphan = GloveWordVectors.fromFile(copy);
      await fs.rm(copy);
      const { value: summary, lines } = await logged(() => build(orphan, 'worker'));
      expect(lines.join('')).to.match(WORKER_FAILED);
      expect(summary.stages.map((s) => s.thread)).to.not.include('term worker');
      expect(storedTerms(summary)).to.deep.equal(storedTerms(here));
      expect(summary.index.manifest.calibration).to.deep.equal(here.index.manifest.calibration);
    } finally {
      dir.cleanup();
    }
  });
});
