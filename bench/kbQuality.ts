import { readFileSync, writeFileSync } from 'node:fs';
import { AnswerEngine } from '../core/answers/pipeline/answerEngine.ts';
import { openSnapshot } from '../core/indexing/kbIndex.ts';
import { currentSnapshotDir } from '../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { configuredWordVectors } from './wordVectors.ts';

/**
 * Answer quality on a realistic KB's own questions (bench/realisticKb.ts's
 * list: each `listed`, `reworded` or `unrelated`, with the article it belongs
 * to), from a published snapshot. The shared eval sets have at most 200
 * articles, where the classifier never reads a shortlist: a change to how a
 * big KB is fitted (rivals, training, calibration) can only be seen here.
 *
 *   DATA_DIR=… npx tsx bench/kbQuality.ts --questions kb10k.questions.json [--n 4000] [--answers out.jsonl]
 *
 * An even spread of `n` questions (every k-th, the same ones for any build).
 * Prints, per kind: acc@1 (the best-ranked article is the right one), answered
 * right (action `answer` with the right article), offered (answer or
 * clarify), and for unrelated questions the share answered. `--answers`
 * writes each question's action, best article and first three scores and
 * confidences, to count changed answers (and see whether scores moved at all).
 */
interface Question {
  text: string;
  kind: 'listed' | 'reworded' | 'unrelated';
  articleId: string | null;
}

export interface KindQuality {
  kind: string;
  questions: number;
  acc1: number;
  answeredRight: number;
  answered: number;
  offered: number;
}

export async function kbQuality(dataDir: string, questions: Question[], answersFile?: string): Promise<KindQuality[]> {
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) throw new Error(`no snapshot in ${dataDir}`);
  const index = await openSnapshot(dir, new HashingEmbedder(), await configuredWordVectors());
  const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  const counts = new Map<string, { n: number; top: number; right: number; answered: number; offered: number }>();
  const lines: string[] = [];
  for (const q of questions) {
    const result = await engine.answer({ question: q.text, lang: 'en' });
    const best = result.ranked[0]?.article.id ?? null;
    const c =
      counts.get(q.kind) ?? counts.set(q.kind, { n: 0, top: 0, right: 0, answered: 0, offered: 0 }).get(q.kind)!;
    c.n++;
    if (q.articleId && best === q.articleId) c.top++;
    if (result.action === 'answer') {
      c.answered++;
      if (result.answer?.article.id === q.articleId) c.right++;
    }
    if (result.action !== 'ticket') c.offered++;
    if (answersFile)
      lines.push(
        JSON.stringify({
          question: q.text,
          action: result.action,
          best,
          ranked: result.ranked.slice(0, 3).map((r) => [r.article.id, r.score, r.confidence]),
        }),
      );
  }
  if (answersFile) writeFileSync(answersFile, lines.join('\n') + '\n');
  return [...counts].map(([kind, c]) => ({
    kind,
    questions: c.n,
    acc1: c.top / c.n,
    answeredRight: c.right / c.n,
    answered: c.answered / c.n,
    offered: c.offered / c.n,
  }));
}

/** Every k-th question of the list, `n` in all. */
export function evenSpread(file: string, n: number): Question[] {
  const all = JSON.parse(readFileSync(file, 'utf8')) as Question[];
  const step = Math.max(1, Math.floor(all.length / n));
  const out: Question[] = [];
  for (let i = 0; i < all.length && out.length < n; i += step) out.push(all[i]!);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const questions = evenSpread(arg('questions', '/work/bench/kb10k.questions.json')!, Number(arg('n', '4000')));
  const started = process.cpuUsage();
  const rows = await kbQuality(process.env.DATA_DIR ?? 'data', questions, arg('answers'));
  const pct = (x: number) => (100 * x).toFixed(2);
  console.log(
    '| kind | questions | acc@1 % | answered right % | answered % | offered % |\n|---|---:|---:|---:|---:|---:|',
  );
  for (const r of rows)
    console.log(
      `| ${r.kind} | ${r.questions} | ${pct(r.acc1)} | ${pct(r.answeredRight)} | ${pct(r.answered)} | ${pct(r.offered)} |`,
    );
  const used = process.cpuUsage(started);
  console.log(
    `\nCPU ${((used.user + used.system) / 1e6).toFixed(1)} s; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ')}`,
  );
}
