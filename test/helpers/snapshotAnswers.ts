import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { openSnapshot, type KbIndex } from '../../core/indexing/kbIndex.ts';
import type { SnapshotFiles } from '../../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from './articles.ts';

/** Five articles with listed questions, which QUESTIONS ask about (and one they do not). */
export function writeFiveArticleKb(dir: string): void {
  writeKb(dir, {
    'a.md': buildArticle({
      id: 'a',
      title: 'Reset your password',
      questions: ['forgot password', 'locked out of my account', 'password expired'],
    }),
    'b.md': buildArticle({ id: 'b', title: 'Set up the VPN', questions: ['vpn setup', 'vpn does not connect'] }),
    'c.md': buildArticle({ id: 'c', title: 'Clear a printer jam', questions: ['paper jam', 'printer stuck'] }),
    'd.md': buildArticle({ id: 'd', title: 'Ask for a refund', questions: ['refund my order', 'money back'] }),
    'e.md': buildArticle({ id: 'e', title: 'Download an invoice', questions: ['get my invoice', 'billing receipt'] }),
  });
}

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
