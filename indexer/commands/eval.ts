import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../../core/config/index.ts';
import { createEmbedder, createWordVectors } from '../../core/createCore.ts';
import { thresholdsOf } from '../../core/thresholds.ts';
import { parseQueries } from '../../core/eval/queries.ts';
import { runEval, type EvalReport } from '../../core/eval/runEval.ts';
import { cdrAtRisk, metricsTable, plotCurve } from '../../core/eval/present.ts';
import { isLang } from '../../core/text/analyze.ts';

export const summary =
  'Measure answer quality: --kb <dir> --queries <file.jsonl> [--json] [--predictions <file>], or --all <dir of sets>';

const USAGE =
  'Usage: npm run eval -- --kb <dir> --queries <file.jsonl> [--json] [--predictions <file>] [--lang es|en]\n       npm run eval -- --all <dir> [--file dev.jsonl] [--json] [--predictions <dir>]\n';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kb: { type: 'string' },
      queries: { type: 'string' },
      all: { type: 'string' },
      file: { type: 'string', default: 'dev.jsonl' },
      json: { type: 'boolean', default: false },
      predictions: { type: 'string' },
      lang: { type: 'string' },
    },
  });
  if (values.lang !== undefined && !isLang(values.lang)) return usage(`--lang must be es or en`);
  if (!values.all && !(values.kb && values.queries)) return usage('give --kb and --queries, or --all');
  const config = configFromEnv();
  const base = {
    embedder: createEmbedder(config),
    wordVectors: await createWordVectors(config),
    thresholds: thresholdsOf(config),
    defaultLang: isLang(values.lang) ? values.lang : undefined,
  };

  const sets = values.all
    ? await setsIn(values.all, values.file)
    : [
        {
          name: path.basename(path.resolve(values.kb!, values.kb!.endsWith('kb') ? '..' : '.')),
          kbDir: values.kb!,
          queries: values.queries!,
        },
      ];
  if (!sets.length) return usage(`no folder in ${values.all} has kb/ and ${values.file}`);
  const results: { name: string; kbDir: string; report: EvalReport }[] = [];
  for (const set of sets) {
    process.stderr.write(`eval: ${set.name} …\n`);
    const queries = parseQueries(await fs.readFile(set.queries, 'utf8'), set.queries);
    const report = await runEval({ kbDir: set.kbDir, queries, ...base });
    results.push({ name: set.name, kbDir: set.kbDir, report });
    if (values.predictions)
      await writePredictions(
        values.all ? path.join(values.predictions, `${set.name}.jsonl`) : values.predictions,
        report,
      );
  }

  const objects = results.map((r) => ({ kb: r.kbDir, ...r.report.metrics, settings: r.report.settings }));
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(values.all ? { sets: objects.map((o, i) => ({ name: results[i]!.name, ...o })) } : objects[0])}\n`,
    );
    return 0;
  }
  process.stdout.write(`${metricsTable(results.map((r) => ({ name: r.name, metrics: r.report.metrics })))}\n`);
  if (!values.all) {
    const { report } = results[0]!;
    process.stdout.write(
      `\nRisk–coverage (answer threshold moving; @ = operating point):\n${plotCurve(report.curve, report.metrics)}\n`,
    );
    process.stdout.write(
      `\nBest CDR within a wrong-answer budget:\n${cdrAtRisk(report.curve)
        .map(
          (p) =>
            `  FDR ≤ ${p.fdr.toFixed(2)}: CDR ${p.cdr.toFixed(3)} (confidence ≥ ${p.threshold?.toFixed(3) ?? '–'}, FAR ${p.far?.toFixed(3) ?? '–'})`,
        )
        .join('\n')}\n`,
    );
    process.stdout.write(`\nSettings: ${JSON.stringify(report.settings)}\n`);
  }
  return 0;
}

/** Every sub-folder of `dir` holding a `kb/` folder and the question file. */
async function setsIn(dir: string, file: string): Promise<{ name: string; kbDir: string; queries: string }[]> {
  const names = (await fs.readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return names
    .map((name) => ({ name, kbDir: path.join(dir, name, 'kb'), queries: path.join(dir, name, file) }))
    .filter((s) => existsSync(s.kbDir) && existsSync(s.queries));
}

async function writePredictions(file: string, report: EvalReport): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const lines = report.predictions.map(({ latencyMs: _ms, ...p }) => JSON.stringify(p));
  await fs.writeFile(file, lines.join('\n') + '\n');
}

function usage(problem: string): number {
  process.stderr.write(`${problem}\n${USAGE}`);
  return 2;
}
