import { readFileSync, writeFileSync } from 'node:fs';
import { chooseLanguage } from '../core/answers/language/chooseLanguage.ts';
import { AnswerEngine } from '../core/answers/pipeline/answerEngine.ts';
import { retrieve } from '../core/answers/pipeline/retrieve.ts';
import { PUBLIC, visibleFilter } from '../core/articles/visibility.ts';
import { openSnapshot } from '../core/indexing/kbIndex.ts';
import { currentSnapshotDir } from '../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { terms } from '../core/text/analyze.ts';
import { questionsOf } from './askCpu.ts';
import { configuredWordVectors } from './wordVectors.ts';

/**
 * The answer engine's CPU per question, stage by stage, on a published
 * snapshot (no server, no event log): each question goes through every stage
 * in turn, each stage timed with `process.cpuUsage()` around its own call, so
 * the figures are per-question distributions (median, p95), not loop means.
 * CPU, unlike wall time, is not inflated by the other processes on the cores.
 *
 *   DATA_DIR=… npx tsx bench/engineStages.ts [--questions kb.questions.json | --kb kb-content] [--n 1000] [--answers out.jsonl]
 *
 * `--questions`: a bench/realisticKb.ts question list; an even spread of `n`
 * of them (listed, reworded, unrelated), and every fourth listed one reworded
 * again here (lower case, a greeting, a letter dropped). `--kb`: the
 * phrasings of bench/askCpu.ts for that KB. `--answers` writes each question's
 * action, ranking and confidences as JSON lines, to diff two versions.
 */
export interface StageCpu {
  stage: string;
  medianUs: number;
  p95Us: number;
  meanUs: number;
}

export async function profileEngineStages(
  dataDir: string,
  questions: string[],
  answersFile?: string,
): Promise<StageCpu[]> {
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) throw new Error(`no snapshot in ${dataDir}`);
  const index = await openSnapshot(dir, new HashingEmbedder(), await configuredWordVectors());
  const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  const model = index.terms;
  const filter = visibleFilter(PUBLIC);
  const stages = new Map<string, number[]>();
  const timed = async <T>(stage: string, fn: () => T | Promise<T>): Promise<T> => {
    const c = process.cpuUsage();
    const out = await fn();
    const used = process.cpuUsage(c);
    let list = stages.get(stage);
    if (!list) stages.set(stage, (list = []));
    list.push(used.user + used.system);
    return out;
  };
  const answers: string[] = [];
  const warmUp = Math.min(200, questions.length);
  for (let i = -warmUp; i < questions.length; i++) {
    const q = questions[i < 0 ? i + warmUp : i]!;
    if (i === 0) stages.clear();
    const lang = await timed('language', () =>
      chooseLanguage({ text: q, requested: 'en' }, { articles: index.articles, defaultLang: 'en' }),
    );
    const reading = await timed('question reading (features, spelling, neighbours, synonyms)', () =>
      model.vectorize(q, lang, index.synonyms.expand(terms(q, lang), lang)),
    );
    await timed('lexical scores, every article (phrasings, centroids, coverage/BM25, classifier)', () =>
      model.score(reading, () => true),
    );
    const [vector] = await timed('embedding (hashing embedder)', () => index.embedder.embed([q], 'query', lang));
    const hits = await timed(`vector search (${index.vectors.kind}, k 40)`, () => index.vectors.search(vector!, 40));
    // As retrieve() scores them: the candidates only (the embedder's nearest among them).
    if (typeof model.scoreCandidates === 'function') {
      const nearby = hits.map((h) => model.ids.indexOf(h.item.articleId)).filter((a) => a >= 0);
      await timed('lexical scores, candidates only (as retrieve() scores them)', () =>
        model.scoreCandidates(reading, () => true, { extra: nearby }),
      );
    }
    await timed('retrieve() whole', () => retrieve(index, q, { lang, filter }));
    const result = await timed('answer() whole (retrieve, calibration, decision, presenting)', () =>
      engine.answer({ question: q, lang: 'en' }),
    );
    if (answersFile && i >= 0)
      answers.push(
        JSON.stringify({
          question: q,
          action: result.action,
          lang: result.lang,
          answer: result.answer?.article.id ?? null,
          ranked: result.ranked.map((r) => [r.article.id, r.score, r.confidence]),
          options: result.options.map((r) => r.article.id),
        }),
      );
  }
  if (answersFile) writeFileSync(answersFile, answers.join('\n') + '\n');
  return [...stages].map(([stage, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return {
      stage,
      medianUs: sorted[Math.floor(sorted.length / 2)]!,
      p95Us: sorted[Math.floor(0.95 * (sorted.length - 1))]!,
      meanUs: list.reduce((a, b) => a + b, 0) / list.length,
    };
  });
}

/** An even spread of `n` listed, reworded and unrelated questions, and every fourth listed one reworded again. */
export function spreadQuestions(file: string, n: number): string[] {
  const all = JSON.parse(readFileSync(file, 'utf8')) as { text: string; kind: string }[];
  const step = Math.max(1, Math.floor(all.length / n));
  const out: string[] = [];
  for (let i = 0; i < all.length && out.length < n; i += step) {
    const { text, kind } = all[i]!;
    if (kind === 'listed' && out.length % 4 === 0) {
      const cut = Math.floor(text.length / 2);
      out.push(`hi, ${(text.slice(0, cut) + text.slice(cut + 1)).toLowerCase()}?`);
    } else out.push(text);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const n = Number(arg('n', '1000'));
  const file = arg('questions');
  const questions = file
    ? spreadQuestions(file, n)
    : (await questionsOf(arg('kb', 'kb-content')!)).map((q) => q.text).slice(0, n);
  const stages = await profileEngineStages(process.env.DATA_DIR ?? 'data', questions, arg('answers'));
  console.log(`| Stage (${questions.length} questions) | CPU µs median | p95 | mean |\n|---|---|---|---|`);
  for (const s of stages)
    console.log(`| ${s.stage} | ${s.medianUs.toFixed(0)} | ${s.p95Us.toFixed(0)} | ${s.meanUs.toFixed(0)} |`);
  console.log(`\nload average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ')}`);
}
