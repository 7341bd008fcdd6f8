import { readFileSync } from 'node:fs';
import { configFromEnv } from '../core/config/index.ts';
import { createCore } from '../core/createCore.ts';
import { askQuestion } from '../core/commands/askQuestion.ts';
import { chooseLanguage } from '../core/answers/language/chooseLanguage.ts';
import { retrieve } from '../core/answers/pipeline/retrieve.ts';
import { PUBLIC, visibleFilter } from '../core/articles/visibility.ts';
import { terms } from '../core/text/analyze.ts';
import { askSchema } from '../server/routes/ask.ts';
import { validate } from '../server/validate.ts';

/**
 * Where the time of one `POST /api/ask` goes, stage by stage, in this process
 * (no HTTP): request validation, each stage of the answer engine, the event
 * append and the conversation store. Each stage is timed on its own over the
 * same questions; the engine's stages are the calls `retrieve` and
 * `AnswerEngine.answer` make, in their order.
 *
 *   KB_DIR=… DATA_DIR=… tsx bench/requestProfile.ts [questions.json]
 *
 * DATA_DIR gets the events this writes: use a scratch copy.
 */
export interface StageTimes {
  stage: string;
  meanMs: number;
  p95Ms: number;
}

export async function profileRequest(questions: string[]): Promise<{ stages: StageTimes[]; totalMs: number }> {
  const core = await createCore(configFromEnv());
  try {
    const index = core.index.get();
    const model = index.terms;
    const filter = visibleFilter(PUBLIC);
    const times = new Map<string, number[]>();
    const time = async <T>(stage: string, fn: () => T | Promise<T>): Promise<T> => {
      const t = performance.now();
      const out = await fn();
      const list = times.get(stage) ?? [];
      list.push(performance.now() - t);
      times.set(stage, list);
      return out;
    };
    const all = async (q: string, i: number, record: boolean) => {
      const timed = record ? time : async <T>(_: string, fn: () => T | Promise<T>) => fn();
      await timed('validation (zod)', () => validate(askSchema, { question: q, lang: 'en' }));
      const lang = await timed('engine: language', () =>
        chooseLanguage({ text: q, requested: 'en' }, { articles: index.articles, defaultLang: 'en' }),
      );
      const v = await timed('engine: question reading (features, spelling, neighbours, synonyms)', () =>
        model.vectorize(q, lang, index.synonyms.expand(terms(q, lang), lang)),
      );
      await timed('engine: lexical scores (phrasings, centroids, coverage/BM25, classifier)', () =>
        model.score(v, () => true),
      );
      const [vector] = await timed('engine: embedding (hashing embedder)', () =>
        index.embedder.embed([q], 'query', lang),
      );
      await timed('engine: vector search (hnswlib, k 40)', () => index.vectors.search(vector!, 40));
      await timed('engine: retrieve() whole (the stages above + fusion)', () => retrieve(index, q, { lang, filter }));
      await timed('engine: answer() whole (retrieve + calibration, decision, presenting)', () =>
        core.engine.answer({ question: q, lang: 'en' }),
      );
      await timed('askQuestion() whole (engine + event append + conversation store)', () =>
        askQuestion(core, { question: q, lang: 'en', channel: 'widget', conversationId: `bench-${i % 500}` }),
      );
      const event = await timed('event append (fsync, group commit)', () =>
        core.events.append({
          type: 'question',
          conversationId: `bench-${i % 500}`,
          channel: 'widget',
          lang,
          question: q,
          action: 'ticket',
          shown: [],
          ranked: [],
          reply: 'x',
        }),
      );
      await timed('conversation store (open + apply)', async () => {
        await core.conversations.open(`bench-${i % 500}`, { channel: 'widget', lang });
        await core.conversations.apply(event, (id) => id);
      });
    };
    for (let i = 0; i < Math.min(200, questions.length); i++) await all(questions[i]!, i, false);
    for (let i = 0; i < questions.length; i++) await all(questions[i]!, i, true);
    const stages = [...times].map(([stage, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return {
        stage,
        meanMs: list.reduce((a, b) => a + b, 0) / list.length,
        p95Ms: sorted[Math.floor(0.95 * (sorted.length - 1))]!,
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
    : ['how do I reset my password', 'olvidé mi contraseña', 'the printer is offline', 'what is the weather'];
  const { stages, totalMs } = await profileRequest(questions);
  console.log(`| Stage | Mean ms | p95 ms | Share of askQuestion() |\n|---|---|---|---|`);
  for (const s of stages)
    console.log(
      `| ${s.stage} | ${s.meanMs.toFixed(2)} | ${s.p95Ms.toFixed(2)} | ${((100 * s.meanMs) / totalMs).toFixed(0)} % |`,
    );
}
