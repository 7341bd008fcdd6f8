import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * CPU of fitting the lexical model as an index build does (TermModel.build:
 * feature space, centroids, the classifier's rivals and training) and of two
 * retrainings without a few phrasings (what calibration does per fold), with
 * a hash of everything fitted, so two checkouts can be compared side by side:
 * `npx tsx bench/termModelFit.ts KB_DIR [CHECKOUT]` (CHECKOUT: the tree whose
 * code is measured, this one by default).
 */
const [kbDir, checkout = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')] = process.argv.slice(2);
if (!kbDir) throw new Error('usage: npx tsx bench/termModelFit.ts KB_DIR [CHECKOUT]');
const from = (file: string) => import(path.resolve(checkout, file));
const { loadKnowledgeBase } = await from('core/articles/loadKb.ts');
const { TermModel, termDocOf } = await from('core/answers/lexical/termModel.ts');
const { encodeTermModel } = await from('core/answers/codecs/termModelCodec.ts');
const { createWordVectors } = await from('core/createCore.ts');
const { configFromEnv } = await from('core/config/index.ts');

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const wordVectors = await createWordVectors(configFromEnv());
const kb = await loadKnowledgeBase(kbDir, { defaultLang: 'en' });
const docs = kb.articles.map(termDocOf);
let since = process.cpuUsage();
const model = TermModel.build(docs, { wordVectors });
const fit = cpuSeconds(since);
since = process.cpuUsage();
const retrained = [new Set([1, 5, 9, 40, 77]), new Set([2, 6, 10])].map((units) =>
  model.withoutUnits(units).saveClassifier(),
);
const retraining = cpuSeconds(since);
const hash = createHash('sha256');
for (const saved of [model.saveClassifier(), ...retrained]) {
  hash.update(saved.fingerprint);
  hash.update(new Uint8Array(saved.model.weights.buffer));
  hash.update(new Uint8Array(saved.model.denseWeights.buffer));
}
hash.update(encodeTermModel(model.parts()));
console.log(
  `${docs.length} articles: fit ${fit.toFixed(2)} s CPU, 2 retrainings ${retraining.toFixed(2)} s CPU, fitted model ${hash.digest('hex').slice(0, 16)}`,
);
