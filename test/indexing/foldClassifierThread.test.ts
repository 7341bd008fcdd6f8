import { expect } from 'chai';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import type { Article } from '../../core/articles/types.ts';
import {
  calibrate,
  leftOutBeside,
  prepareCalibrationBeside,
  type RetrainBeside,
} from '../../core/answers/pipeline/coverage.ts';
import type { SoftmaxModel } from '../../core/answers/learners/softmaxRegression.ts';
import { buildIndex, type BuildSummary } from '../../core/indexing/buildIndex.ts';
import { FOLD_WORKER_MIN_ARTICLES, FoldClassifierThread } from '../../core/indexing/foldClassifierThread.ts';
import { TermModelThread } from '../../core/indexing/termModelThread.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { logged } from '../helpers/logged.ts';
import { tempDir } from '../helpers/tempDir.ts';

const WORKER_FAILED = /retraining the calibration folds on a worker thread failed; retraining them here/;
/** A worker whose module throws as it loads. */
const BROKEN_WORKER = new URL('data:text/javascript,throw new Error("the worker broke")');

/** A model's every array as bytes: equal only when every weight is the same bits. */
function bits(model: SoftmaxModel): Buffer[] {
  return [Int32Array.of(model.classes), model.rowOf, model.weights, model.denseWeights].map((a) =>
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
  );
}

describe("An index build's calibration folds, retrained on a worker thread", function () {
  this.timeout(120_000);
  const kb = tempDir('deflect-fold-worker-kb-');
  const options = { kbDir: kb.dir, embedder: new HashingEmbedder(), wordVectors: null, defaultLang: 'en' as const };
  let here: BuildSummary;
  let articles: Article[];
  before(async () => {
    const words = ['printer', 'vpn', 'password', 'email', 'laptop', 'badge', 'payroll', 'wifi', 'phone', 'office'];
    const files: Record<string, string> = {};
    // Past 200 articles the classifier trains each example against its article's rivals, which the worker is sent.
    for (let i = 0; i < 230; i++) {
      const [a, b] = [words[i % 10]!, words[Math.floor(i / 10) % 10]!];
      files[`a${i}.md`] = buildArticle({
        id: `a${i}`,
        title: `${a} and ${b}, case ${i}`,
        questions: [`${a} ${b} does not work`, `help with the ${b} ${a} number ${i}`],
      });
    }
    writeKb(kb.dir, files);
    here = await buildIndex({ ...options, foldWorkerMinArticles: Infinity });
    articles = (await loadKnowledgeBase(kb.dir, { defaultLang: 'en' })).articles;
  });
  after(() => kb.cleanup());

  it("retrains each fold's classifier to the bit of the one this thread trains", async () => {
    const { terms } = here.index;
    const folds = [new Set([0, 3, 7]), new Set([1, 2, 40, 41, 400])];
    const thread = FoldClassifierThread.start(terms.size, { minArticles: 0 })!;
    const models = (await thread.retrain(terms, folds))!;
    expect(models).to.have.length(2);
    folds.forEach((units, k) => {
      expect(bits(models[k]!)).to.deep.equal(bits(terms.withoutUnits(units).saveClassifier()!.model));
      // The fold's term model takes it as it came, without training again.
      expect(terms.withoutUnits(units, models[k]).saveClassifier()!.model).to.equal(models[k]);
    });
    expect(thread.wallMs).to.be.above(0);
  });

  it("retrains from the training the term model's worker sends it, told the folds' units before the fit", async () => {
    const { terms } = here.index;
    const folds = [new Set([0, 3, 7]), new Set([1, 2, 40, 41, 400])];
    const thread = FoldClassifierThread.start(terms.size, { minArticles: 0 })!;
    thread.holdOut(folds);
    const fit = TermModelThread.start(articles, null, { minArticles: 0, folds: thread })!;
    expect(await fit.fitted).to.not.equal(null);
    // This thread's model stands in for the one restored from the fit: the worker must not be sent its training.
    const models = (await thread.retrain(here.index.terms, folds))!;
    folds.forEach((units, k) =>
      expect(bits(models[k]!)).to.deep.equal(bits(terms.withoutUnits(units).saveClassifier()!.model)),
    );
  });

  it("retrains from the training this thread sends when the term model's worker sends none (no such worker)", async () => {
    const { terms } = here.index;
    const folds = [new Set([0, 3, 7])];
    const thread = FoldClassifierThread.start(terms.size, { minArticles: 0 })!;
    thread.holdOut(folds);
    expect(TermModelThread.start(articles, null, { minArticles: Infinity, folds: thread })).to.equal(null);
    const models = (await thread.retrain(terms, folds))!;
    expect(bits(models[0]!)).to.deep.equal(bits(terms.withoutUnits(folds[0]!).saveClassifier()!.model));
  });

  for (const [name, dir] of [
    ['listing questions', () => kb.dir],
    ['the fixture KB', () => FIXTURE_KB],
  ] as const)
    it(`knows from the articles alone which units the folds retrained beside leave out (${name})`, async () => {
      const built = dir() === kb.dir ? here : await buildIndex({ ...options, kbDir: dir() });
      const loaded = (await loadKnowledgeBase(dir(), { defaultLang: 'en' })).articles;
      let asked: readonly ReadonlySet<number>[] = [];
      const spy: RetrainBeside = async (_, leftOut) => ((asked = leftOut), null);
      await prepareCalibrationBeside(built.index, spy);
      expect(asked).to.not.be.empty;
      expect(leftOutBeside(loaded).map((units) => [...units])).to.deep.equal(asked.map((units) => [...units]));
    });

  it('retrains the folds here, with a warning, when the plan asks for other units than those held out early', async () => {
    const { index } = here;
    const thread = FoldClassifierThread.start(index.terms.size, { minArticles: 0 })!;
    thread.holdOut([new Set([0])]);
    const { value: plan, lines } = await logged(() => prepareCalibrationBeside(index, thread.retrain));
    expect(lines.join('')).to.match(WORKER_FAILED);
    expect(await calibrate(index, 'en', plan)).to.deep.equal(index.manifest.calibration);
  });

  it('calibrates a build as its own thread does, the folds on the worker shown as their own row', async () => {
    const { value: onWorker, lines } = await logged(() => buildIndex({ ...options, foldWorkerMinArticles: 0 }));
    expect(lines.join('')).to.not.match(WORKER_FAILED);
    expect(onWorker.index.manifest.calibration).to.deep.equal(here.index.manifest.calibration);
    const row = onWorker.stages.find((s) => s.thread === 'fold worker')!;
    expect(row.name).to.equal('calibration folds');
    expect(row.wallMs).to.be.above(0);
    expect(onWorker.stages.map((s) => s.name)).to.include('wait for the folds');
  });

  it('retrains the folds on this thread, with a warning, when the worker fails: the same calibration', async () => {
    const { index } = here;
    const thread = FoldClassifierThread.start(index.terms.size, { minArticles: 0, url: BROKEN_WORKER })!;
    const { value: plan, lines } = await logged(() => prepareCalibrationBeside(index, thread.retrain));
    expect(lines.join('')).to.match(WORKER_FAILED);
    expect(await calibrate(index, 'en', plan)).to.deep.equal(index.manifest.calibration);
  });

  it('starts no worker below FOLD_WORKER_MIN_ARTICLES articles', async () => {
    expect(FoldClassifierThread.start(FOLD_WORKER_MIN_ARTICLES - 1)).to.equal(null);
    const small = await buildIndex({ ...options, kbDir: FIXTURE_KB });
    expect(small.stages.map((s) => s.thread)).to.not.include('fold worker');
    expect(small.stages.map((s) => s.name)).to.not.include('wait for the folds');
  });
});
