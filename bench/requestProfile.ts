import { readFileSync } from 'node:fs';
import { configFromEnv } from '../core/config/index.ts';
import { createCore } from '../core/createCore.ts';
import { askQuestion } from '../core/commands/askQuestion.ts';
import { chooseLanguage } from '../core/answers/language/chooseLanguage.ts';
import { retrieve } from '../core/answers/pipeline/retrieve.ts';
import { isVisible, PUBLIC, visibleFilter } from '../core/articles/visibility.ts';
import { terms } from '../core/text/analyze.ts';
import type { VectorItem } from '../core/search/ports.ts';
import { askSchema } from '../server/routes/ask.ts';
import { validate } from '../server/validate.ts';
import { questionsOf } from './askCpu.ts';

/**
 * Where the time of one `POST /api/ask` goes, stage by stage, in this process
 * (no HTTP): request validation, each stage of the answer engine, the event
 * append and the conversation store. Each stage is timed on its own over the
 * same questions; the engine's stages are the calls `retrieve` and
 * `AnswerEngine.answer` make, in their order.
 *
 *   KB_DIR=… DATA_DIR=… tsx bench/requestProfile.ts [questions.json]
 *
 * Without a file, the questions of bench/askCpu.ts for KB_DIR.
 *
 * DATA_DIR gets the events this writes: use a scratch copy.
 */
export interface StageTimes {
  stage: string;
  meanMs: number;
  p95Ms: number;
  /** CPU time of the process (every thread) per call: unlike wall time, not inflated by other processes on the cores. */
  cpuUs: number;
}

export async function profileRequest(questions: string[]): Promise<{ stages: StageTimes[]; totalMs: number }> {
  const core = await createCore(configFromEnv());
  try {
    const index = core.index.get();
    const model = index.terms;
    const filter = visibleFilter(PUBLIC);
    // Each stage runs over every question in a loop of its own, its inputs computed beforehand: the CPU
    // of the loop (every thread, so GC and the fsync's pool thread count) is charged to that stage alone.
    const langs = questions.map((q) =>
      chooseLanguage({ text: q, requested: 'en' }, { articles: index.articles, defaultLang: 'en' }),
    );
    const readings = questions.map((q, i) =>
      model.vectorize(q, langs[i]!, index.synonyms.expand(terms(q, langs[i]!), langs[i]!)),
    );
    const vectors = await Promise.all(
      questions.map(async (q, i) => (await index.embedder.embed([q], 'query', langs[i]!))[0]!),
    );
    const allowed = new Set([...index.articles.values()].filter((a) => isVisible(a, PUBLIC)).map((a) => a.id));
    // One function for every search, as retrieve() keeps one per audience filter (the index remembers its verdicts).
    const publicOnly = (item: VectorItem) => allowed.has(item.articleId);
    const event = (i: number) =>
      core.events.append({
        type: 'question',
        conversationId: `bench-${i % 500}`,
        channel: 'widget',
        lang: langs[i]!,
        question: questions[i]!,
        action: 'ticket',
        shown: [],
        ranked: [],
        reply: 'x',
      });
    const events = await Promise.all(questions.map((_, i) => event(i)));
    const runs: [string, (q: string, i: number) => unknown][] = [
      ['validation (zod)', (q) => validate(askSchema, { question: q, lang: 'en' })],
      [
        'engine: language',
        (q) => chooseLanguage({ text: q, requested: 'en' }, { articles: index.articles, defaultLang: 'en' }),
      ],
      [
        'engine: question reading (features, spelling, neighbours, synonyms)',
        (q, i) => model.vectorize(q, langs[i]!, index.synonyms.expand(terms(q, langs[i]!), langs[i]!)),
      ],
      [
        'engine: lexical scores (phrasings, centroids, coverage/BM25, classifier)',
        (_, i) => model.score(readings[i]!, () => true),
      ],
      ['engine: embedding (hashing embedder)', (q, i) => index.embedder.embed([q], 'query', langs[i]!)],
      [
        `engine: vector search (${index.vectors.kind}, k 40, every article)`,
        (_, i) => index.vectors.search(vectors[i]!, 40),
      ],
      [
        `engine: vector search (${index.vectors.kind}, k 40, public articles, as a request filters)`,
        (_, i) => index.vectors.search(vectors[i]!, 40, publicOnly),
      ],
      [
        'engine: retrieve() whole (the stages above + fusion)',
        (q, i) => retrieve(index, q, { lang: langs[i]!, filter }),
      ],
      [
        'engine: answer() whole (retrieve + calibration, decision, presenting)',
        (q) => core.engine.answer({ question: q, lang: 'en' }),
      ],
      [
        'askQuestion() whole (engine + event append + conversation store)',
        (q, i) => askQuestion(core, { question: q, lang: 'en', channel: 'widget', conversationId: `bench-${i % 500}` }),
      ],
      ['event append (fsync, group commit), one at a time', (_, i) => event(i)],
      [
        'conversation store (open + apply)',
        async (_, i) => {
          await core.conversations.open(`bench-${i % 500}`, { channel: 'widget', lang: langs[i]! });
          await core.conversations.apply(events[i]!, (id) => id);
        },
      ],
    ];
    const times = new Map<string, number[]>();
    const cpu = new Map<string, number>();
    for (const [stage, run] of runs) {
      for (let i = 0; i < Math.min(200, questions.length); i++) await run(questions[i]!, i);
      const list: number[] = [];
      const c = process.cpuUsage();
      for (let i = 0; i < questions.length; i++) {
        const t = performance.now();
        await run(questions[i]!, i);
        list.push(performance.now() - t);
      }
      const used = process.cpuUsage(c);
      times.set(stage, list);
      cpu.set(stage, (used.user + used.system) / questions.length);
    }
    const stages = [...times].map(([stage, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return {
        stage,
        meanMs: list.reduce((a, b) => a + b, 0) / list.length,
        p95Ms: sorted[Math.floor(0.95 * (sorted.length - 1))]!,
        cpuUs: cpu.get(stage)!,
      };
    });
    return { stages, totalMs: stages.find((s) => s.stage.startsWith('askQuestion'))!.meanMs };
  } finally {
    await core.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const questions: string[] = file
    ? (JSON.parse(readFileSync(file, 'utf8')) as { text: string }[]).map((q) => q.text).slice(0, 1000)
    : (await questionsOf(process.env.KB_DIR ?? 'kb-content')).map((q) => q.text).slice(0, 1000);
  const { stages, totalMs } = await profileRequest(questions);
  const totalCpu = stages.find((s) => s.stage.startsWith('askQuestion'))!.cpuUs;
  console.log(`| Stage | Mean ms | p95 ms | CPU µs | CPU share of askQuestion() |\n|---|---|---|---|---|`);
  for (const s of stages)
    console.log(
      `| ${s.stage} | ${s.meanMs.toFixed(2)} | ${s.p95Ms.toFixed(2)} | ${s.cpuUs.toFixed(0)} | ${((100 * s.cpuUs) / totalCpu).toFixed(0)} % |`,
    );
  console.log(
    `\n(wall shares: askQuestion() ${totalMs.toFixed(2)} ms mean; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ')})`,
  );
}
