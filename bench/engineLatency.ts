import { AnswerEngine } from '../core/answers/pipeline/answerEngine.ts';
import { openSnapshot, type KbIndex } from '../core/indexing/kbIndex.ts';
import { currentSnapshotDir } from '../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { configuredWordVectors } from './wordVectors.ts';

/**
 * `engine.answer()` alone, in this process, on a published snapshot: set
 * beside the HTTP figures it shows how much of a request is the answer engine
 * and how much is Express, validation, the event log and the conversation store.
 */
export async function benchEngine(dataDir: string, asked: string[], questions = 2000): Promise<EngineTimes> {
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) throw new Error(`no snapshot in ${dataDir}`);
  return timeEngine(await openSnapshot(dir, new HashingEmbedder(), await configuredWordVectors()), asked, questions);
}

export interface EngineTimes {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/** `engine.answer()` on `index`, in ms, after 200 questions of warm-up. */
export async function timeEngine(index: KbIndex, asked: string[], questions = 2000): Promise<EngineTimes> {
  const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  // The same questions, in the same order, as the load runs.
  const question = (i: number) => asked[(i * 7919) % asked.length]!;
  for (let i = 0; i < 200; i++) await engine.answer({ question: question(i) });
  const times: number[] = [];
  for (let i = 0; i < questions; i++) {
    const t = performance.now();
    await engine.answer({ question: question(i) });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 100) / 100;
  return {
    mean: Math.round((times.reduce((a, b) => a + b, 0) / times.length) * 100) / 100,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
  };
}
