import { promises as fs } from 'node:fs';
import { configFromEnv } from '../core/config/index.ts';
import { createEmbedder, createWordVectors } from '../core/createCore.ts';
import { PUBLIC, visibleFilter } from '../core/articles/visibility.ts';
import { buildIndex } from '../core/indexing/buildIndex.ts';
import {
  calibrationSamples,
  fitCalibration,
  isDocumentation,
  type Calibration,
  type CalibrationSamples,
} from '../core/answers/pipeline/calibration.ts';
import { decide, DEFAULT_THRESHOLDS } from '../core/answers/pipeline/decide.ts';
import { retrieve, type Candidate } from '../core/answers/pipeline/retrieve.ts';
import { chooseLanguage } from '../core/answers/language/chooseLanguage.ts';
import { computeMetrics, type Prediction } from '../core/eval/metrics.ts';
import { parseQueries, type QueryRow } from '../core/eval/queries.ts';
import { versionNamed } from '../core/answers/pipeline/titleVariants.ts';

/**
 * How much the documentation calibration owes to one random rewording of its
 * probes: `npx tsx bench/docCalibrationSeeds.ts <kb dir> <seeds> <queries.jsonl>…`.
 * Builds the KB once, asks its probes reworded with `seeds` different seeds,
 * and replays the questions (retrieved once; only the decision depends on
 * the calibration) under each fit, printing CDR / FDR / offered / FAR per
 * fit. REWORDINGS=1,2 (rewordings per sentence; each fit draws its own, seeds
 * apart), ORPHAN_WEIGHTS=0.4,0.45 (unanswerable probes' weight), WRONG=1
 * lists wrong answers, WEIGHTS=1 the answer model's weights, NO_TITLE_RULE=1
 * decides without the title rule (titleVariants.ts).
 */
const [kbDir, seedArg, ...queryFiles] = process.argv.slice(2);
if (!kbDir || !seedArg || !queryFiles.length) throw new Error('usage: <kb dir> <seeds> <queries.jsonl>…');
const seeds = Number(seedArg);
const config = configFromEnv();
const embedder = createEmbedder(config);
const { index } = await buildIndex({
  kbDir,
  embedder,
  wordVectors: await createWordVectors(config),
  defaultLang: 'en',
});
const documentation = isDocumentation([...index.articles.values()]);
const langs = [...index.articles.values()].map((a) => a.lang);
const defaultLang = langs.filter((l) => l === 'es').length > langs.length / 2 ? 'es' : 'en';

interface Asked {
  rows: QueryRow[];
  candidates: Map<string, Candidate[]>;
}
const sets: { name: string; asked: Asked }[] = [];
for (const file of queryFiles) {
  const rows = parseQueries(await fs.readFile(file, 'utf8'), file);
  const candidates = new Map<string, Candidate[]>();
  for (const q of rows) {
    const lang = chooseLanguage({ text: q.text.trim() }, { articles: index.articles, defaultLang });
    const found = await retrieve(index, q.text.trim(), { lang, filter: { ...visibleFilter(PUBLIC) } });
    candidates.set(q.qid, collapseFamilies(found));
  }
  sets.push({ name: file.split('/').slice(-1)[0]!, asked: { rows, candidates } });
}

const similarity = (a: string, b: string) => {
  const doc = (id: string) => index.articles.get(id)?.questions.length === 0;
  return doc(a) && doc(b) ? index.terms.articleSimilarity(a, b) : 0;
};

function collapseFamilies(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const a = index.articles.get(c.articleId);
    const family = [c.articleId, ...Object.values(a?.translations ?? {})].sort()[0]!;
    if (seen.has(family)) return false;
    seen.add(family);
    return true;
  });
}

function measure(calibration: Calibration, asked: Asked) {
  const predictions = new Map<string, Prediction>();
  for (const q of asked.rows) {
    const names = (best: string, rival: string) => versionNamed(index.articles, q.text.trim(), best, rival);
    const d = decide(
      asked.candidates.get(q.qid)!,
      calibration,
      DEFAULT_THRESHOLDS,
      similarity,
      process.env.NO_TITLE_RULE ? undefined : names,
    );
    predictions.set(q.qid, {
      qid: q.qid,
      action: d.action,
      articleId: d.action === 'answer' ? d.ranked[0]!.articleId : null,
      ranked: d.ranked.slice(0, 10).map((c) => c.articleId),
      options: d.options.map((c) => c.articleId),
      confidence: d.ranked[0]?.confidence ?? 0,
      latencyMs: 0,
    });
  }
  if (process.env.WRONG)
    for (const q of asked.rows) {
      const p = predictions.get(q.qid)!;
      if (p.action === 'answer' && p.articleId !== q.gold)
        console.log(`    wrong ${q.qid} ${p.confidence.toFixed(3)} ${q.text}`);
    }
  return computeMetrics(asked.rows, predictions);
}

const f3 = (x: number | null) => (x === null ? '  –  ' : x.toFixed(3));
function report(label: string, fits: Calibration[]) {
  const cells = fits.map((c) =>
    sets
      .map(({ asked }) => {
        const m = measure(c, asked);
        const far = m.far.all === null ? '' : ` FAR ${f3(m.far.all)}`;
        return `${f3(m.cdr)}/${f3(m.fdr)}/${f3(m.offered)}${far}`;
      })
      .join('  '),
  );
  const w = (c: Calibration) => (process.env.WEIGHTS ? `  [${c.answer.map((x) => x.toFixed(2)).join(' ')}]` : '');
  console.log(`${label}\n  ${cells.map((c, i) => c + w(fits[i]!)).join('\n  ')}`);
}

const weights = (process.env.ORPHAN_WEIGHTS ?? '0.4').split(',').map(Number);
const groupSizes = (process.env.REWORDINGS ?? '1,2').split(',').map(Number);
console.log(`sets: ${sets.map((s) => s.name).join(', ')}; each cell CDR/FDR/offered [FAR]`);
for (const k of groupSizes) {
  // Asked as the index build asks them: k rewordings of each sentence, drawn from seed g·k on.
  const groups: CalibrationSamples[] = [];
  for (let g = 0; g + k <= seeds; g += k) {
    const started = performance.now();
    groups.push(await calibrationSamples(index, 'en', { documentation, rewordings: k, seed: g }));
    console.error(`${k} rewordings from seed ${g}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const orphanWeight of weights)
    report(
      `${k} rewordings, unanswerable probes at ${orphanWeight}`,
      groups.map((g) => fitCalibration(g, documentation, { orphanWeight })),
    );
}
