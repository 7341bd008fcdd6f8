import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { configFromEnv } from '../../core/config/index.ts';
import { createEmbedder, createWordVectors } from '../../core/createCore.ts';
import { thresholdsOf } from '../../core/thresholds.ts';
import { diffAnswers, pastQuestions, replayQuestions, type AnswerChange } from '../../core/eval/answerDiff.ts';
import { kbAtRevision } from '../../core/eval/kbAtRevision.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';

export const summary =
  'Which answers an article change moves: diff <git-ref> [--questions past.jsonl] [--json] [--check]';

const USAGE =
  'Usage: npm run kb -- diff <git-ref> [--kb <dir>] [--questions <file>] [--json] [--check]\n  --questions  past questions, one a line: plain text, or JSON with "text" or "question"\n  --check      exit 1 when any answer changed (for CI)\n';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      kb: { type: 'string' },
      questions: { type: 'string' },
      json: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) return usage('give one git revision to compare the working tree with');
  const config = configFromEnv();
  const kbDir = values.kb ?? config.kbDir;
  const ref = positionals[0]!;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'deflect-diff-'));
  try {
    await kbAtRevision(kbDir, ref, tmp);
    const embedder = createEmbedder(config);
    const wordVectors = await createWordVectors(config);
    const engine = async (dir: string) => {
      const { index } = await buildIndex({ kbDir: dir, embedder, wordVectors, defaultLang: config.defaultLang });
      return {
        index,
        engine: new AnswerEngine(() => index, { defaultLang: config.defaultLang, thresholds: thresholdsOf(config) }),
      };
    };
    const before = await engine(tmp);
    const after = await engine(kbDir);
    const past = values.questions ? pastQuestions(await fs.readFile(values.questions, 'utf8')) : [];
    const diff = await diffAnswers(
      before.engine,
      after.engine,
      replayQuestions(before.index.articles.values(), after.index.articles.values(), past),
    );
    if (values.json) process.stdout.write(`${JSON.stringify({ ref, kb: kbDir, ...diff })}\n`);
    else {
      const title = (id: string | null, index: typeof before.index) =>
        id ? `${id} (${index.articles.get(id)?.title ?? '?'})` : '–';
      const show = (heading: string, list: AnswerChange[], line: (c: AnswerChange) => string) => {
        process.stdout.write(`\n${heading}: ${list.length}\n`);
        for (const c of list) process.stdout.write(`  "${c.question}" [${c.source}]\n      ${line(c)}\n`);
      };
      process.stdout.write(`Replayed ${diff.questions} questions against ${ref} and the working tree (${kbDir}).\n`);
      show(
        'Answer changed',
        diff.changed,
        (c) => `${title(c.before.articleId, before.index)} → ${title(c.after.articleId, after.index)}`,
      );
      show(
        'Newly answered',
        diff.newlyAnswered,
        (c) => `${c.before.action} → ${title(c.after.articleId, after.index)}`,
      );
      show(
        'Newly unanswered',
        diff.newlyUnanswered,
        (c) => `${title(c.before.articleId, before.index)} → ${c.after.action}`,
      );
    }
    const moved = diff.changed.length + diff.newlyAnswered.length + diff.newlyUnanswered.length;
    return values.check && moved ? 1 : 0;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function usage(problem: string): number {
  process.stderr.write(`${problem}\n${USAGE}`);
  return 2;
}
