import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { openSnapshot, type KbIndex } from '../../core/indexing/kbIndex.ts';
import type { SnapshotFiles } from '../../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';

export const QUESTIONS = [
  'I forgot my password',
  'vpn will not connect',
  'printer is jammed',
  'how do I get a refund',
  'where is my invoice',
  'unrelated weather question',
];

/** What a user would see, to the last digit: each question's action and ranked articles with score and confidence. */
export async function answersOf(index: KbIndex): Promise<unknown[]> {
  const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  const out: unknown[] = [];
  for (const question of QUESTIONS) {
    const r = await engine.answer({ question });
    out.push([r.action, r.ranked.map((x) => [x.article.id, x.score, x.confidence])]);
  }
  return out;
}

/** The snapshot in `dir` opened over `files` (as a worker thread is given them), and its answers. */
export async function answersOverFiles(job: { dir: string; files: SnapshotFiles }): Promise<unknown[]> {
  return answersOf(await openSnapshot(job.dir, new HashingEmbedder(), null, { files: job.files }));
}
