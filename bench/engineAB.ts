import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Two checkouts' answer engines in one process, on the same snapshot and the
 * same questions, taking turns 50 questions at a time (which goes first
 * alternates): CPU per answer of each, round by round, and whether their
 * answers are the same. On a machine shared with other work, two processes
 * run one after the other see different loads (pairs of bench/engineStages.ts
 * at load 8 moved unchanged stages by 20 %); turns of a few hundred
 * milliseconds in one process see the same load, caches and heap.
 *
 *   npx tsx --max-old-space-size=16384 bench/engineAB.ts --base DIR --data DATA_DIR --questions FILE [--n 2000] [--rounds 3]
 *
 * `--base`: the other checkout (a `git worktree` of main, its node_modules
 * linked); this checkout is the second. Each opens the snapshot with its own
 * code, so memory is twice one engine's (about 8 GB at 100k articles). The
 * first round also compares every answer (JSON) of the two.
 */
async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const [base, data, questionsFile] = [arg('base'), arg('data'), arg('questions')];
  if (!base || !data || !questionsFile)
    throw new Error(
      'usage: npx tsx bench/engineAB.ts --base DIR --data DATA_DIR --questions FILE [--n N] [--rounds R]',
    );
  const n = Number(arg('n') ?? 2000);
  const rounds = Number(arg('rounds') ?? 3);
  const texts = (JSON.parse(readFileSync(questionsFile, 'utf8')) as { text: string }[])
    .map((q) => q.text)
    .filter((t) => t.trim());
  const step = Math.max(1, Math.floor(texts.length / n));
  const questions = texts.filter((_, i) => i % step === 0).slice(0, n);
  const engines = [await engineOf(path.resolve(base), data), await engineOf(process.cwd(), data)];
  for (const engine of engines) for (const q of questions.slice(0, 300)) await engine({ question: q });
  const names = ['base', 'this'];
  const answers: string[][] = [[], []];
  const cpu = [0, 0];
  const TURN = 50;
  for (let r = 0; r < rounds; r++) {
    const before = [...cpu];
    for (let i = 0; i < questions.length; i += TURN) {
      const turn = questions.slice(i, i + TURN);
      for (const e of (i / TURN + r) % 2 ? [1, 0] : [0, 1]) {
        const start = process.cpuUsage();
        for (const q of turn) {
          const answer = await engines[e]!({ question: q });
          if (r === 0) answers[e]!.push(JSON.stringify(answer));
        }
        const used = process.cpuUsage(start);
        cpu[e]! += used.user + used.system;
      }
    }
    const [b, t] = [0, 1].map((e) => (cpu[e]! - before[e]!) / questions.length / 1000);
    console.log(
      `round ${r + 1}: ${names[0]} ${b!.toFixed(3)} ms, ${names[1]} ${t!.toFixed(3)} ms of CPU per answer ` +
        `(${(((t! - b!) / b!) * 100).toFixed(1)} %), load ${readFileSync('/proc/loadavg', 'utf8').split(' ', 1)[0]}`,
    );
  }
  const same = answers[0]!.filter((a, i) => a === answers[1]![i]).length;
  console.log(`answers identical: ${same} of ${answers[0]!.length}`);
}

type Answer = (request: { question: string }) => Promise<unknown>;

/** A checkout's engine over the snapshot in `dataDir`, opened by that checkout's own code. */
async function engineOf(root: string, dataDir: string): Promise<Answer> {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  const { AnswerEngine } = await load('core/answers/pipeline/answerEngine.ts');
  const { openSnapshot } = await load('core/indexing/kbIndex.ts');
  const { currentSnapshotDir } = await load('core/indexing/snapshot.ts');
  const { HashingEmbedder } = await load('core/search/hashingEmbedder.ts');
  const { configuredWordVectors } = await load('bench/wordVectors.ts');
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) throw new Error(`no snapshot in ${dataDir}`);
  const index = await openSnapshot(dir, new HashingEmbedder(), await configuredWordVectors());
  const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  return (request) => engine.answer(request);
}

await main();
