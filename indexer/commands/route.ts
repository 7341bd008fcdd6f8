import { parseArgs } from 'node:util';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { routeQuestion, type RouteQuestionResult } from '../../core/commands/routeQuestion.ts';
import { configFromEnv } from '../../core/config/index.ts';
import type { Channel, Lang } from '../../core/contracts/api.ts';
import { createEmbedder, createWordVectors } from '../../core/createCore.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../core/articles/loadKb.ts';
import type { Config } from '../../core/config/index.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { isIndexStale } from '../../core/indexing/indexStaleness.ts';
import { openSnapshot, type KbIndex } from '../../core/indexing/kbIndex.ts';
import { currentSnapshotDir } from '../../core/indexing/snapshot.ts';
import { IndexHolder } from '../../core/services.ts';
import { thresholdsOf } from '../../core/thresholds.ts';
import { ROUTING_FILE } from '../../core/triage/routingRules.ts';
import { printProblems } from '../present.ts';

export const summary =
  'What a ticket after this question would get, and why: route "<question>" [--attr plan=paid] [--channel widget] [--lang es]';

const USAGE =
  'Usage: npm run kb -- route "<question>" [--attr key=value]… [--channel widget|msteams|email|…] [--lang es|en] [--kb DIR] [--json]\n';
const CHANNELS = ['widget', 'msteams', 'emulator', 'webchat', 'api', 'email', 'whatsapp'];

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      attr: { type: 'string', multiple: true, default: [] },
      channel: { type: 'string', default: 'widget' },
      lang: { type: 'string' },
      kb: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const question = positionals.join(' ').trim();
  if (!question) return usage('give the question, in quotes');
  if (!CHANNELS.includes(values.channel)) return usage(`unknown channel '${values.channel}'`);
  if (values.lang && values.lang !== 'es' && values.lang !== 'en') return usage(`unknown language '${values.lang}'`);
  const attributes: Record<string, string> = {};
  for (const a of values.attr) {
    const eq = a.indexOf('=');
    if (eq < 1) return usage(`--attr ${a}: write key=value`);
    attributes[a.slice(0, eq).trim()] = a.slice(eq + 1).trim();
  }

  const config = configFromEnv();
  const kbDir = values.kb ?? config.kbDir;
  const kb = await loadKnowledgeBase(kbDir, { defaultLang: config.defaultLang });
  const routingProblems = kb.problems.filter((p) => p.file === ROUTING_FILE);
  if (routingProblems.some((p) => p.severity === 'error')) {
    printProblems(routingProblems);
    process.stderr.write(`${ROUTING_FILE} has errors: fix them first (npm run kb -- lint)\n`);
    return 1;
  }
  const holder = new IndexHolder(await indexOf(kb, kbDir, config));
  const engine = new AnswerEngine(() => holder.get(), {
    defaultLang: config.defaultLang,
    thresholds: thresholdsOf(config),
  });
  const result = await routeQuestion(
    { index: holder, engine },
    {
      question,
      channel: values.channel as Channel,
      lang: values.lang as Lang | undefined,
      ...(values.attr.length ? { attributes } : {}),
    },
  );
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : present(question, result, attributes));
  return 0;
}

function present(question: string, r: RouteQuestionResult, attributes: Record<string, string>): string {
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}=${v}`);
  const f = r.fields;
  const lines = [
    `"${question}" (${r.lang}${attrs.length ? `; ${attrs.join(', ')}` : ''})`,
    `bot: ${r.action}${r.best ? `; best article ${r.best.articleId} "${r.best.title}" at ${r.best.confidence.toFixed(2)}` : ''}`,
    'a ticket would be triaged:',
    ...r.steps.map((s) => `  ${s}`),
    `→ type ${f.type}, priority ${f.priority}${f.impact ? ` (impact ${f.impact} × urgency ${f.urgency})` : ''}, team ${f.team ?? '(none)'}, category ${f.category ?? '(none)'}, tags ${f.tags.length ? f.tags.join(', ') : '(none)'}`,
    `  decided by: ${Object.entries(f.triage ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The KB as it is now (the file being edited): the current snapshot when it is built from exactly this, else one built in memory. */
async function indexOf(kb: KnowledgeBase, kbDir: string, config: Config): Promise<KbIndex> {
  const embedder = createEmbedder(config);
  const wordVectors = await createWordVectors(config);
  const dir = await currentSnapshotDir(config.dataDir).catch(() => null);
  if (dir && kbDir === config.kbDir && !(await isIndexStale(kb, config.dataDir, embedder, wordVectors)))
    return openSnapshot(dir, embedder, wordVectors);
  return (await buildIndex({ kbDir, embedder, wordVectors, defaultLang: config.defaultLang })).index;
}

function usage(problem: string): number {
  process.stderr.write(`${problem}\n${USAGE}`);
  return 2;
}
