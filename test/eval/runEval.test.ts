import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { runEval, type EvalReport } from '../../core/eval/runEval.ts';
import type { QueryRow } from '../../core/eval/queries.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** A tiny help desk: four articles, each with the phrasings users type. */
function writeTinyKb(dir: string): void {
  const article = (id: string, title: string, questions: string[]) =>
    buildArticle(
      { id, title, questions, answer: `About ${title.toLowerCase()}.`, tags: [] },
      `# ${title}\n\nSee the steps.\n`,
    );
  writeKb(dir, {
    'reset-password.md': article('reset-password', 'Reset your password', [
      'I forgot my password',
      'how do I change my password',
      'password reset link',
      'cannot log in, lost password',
    ]),
    'vpn-setup.md': article('vpn-setup', 'Set up the VPN', [
      'how do I connect to the VPN',
      'install the VPN client',
      'VPN configuration for remote work',
      'work from home network access',
    ]),
    'printer.md': article('printer', 'Add a printer', [
      'how do I add a printer',
      'printer is not printing',
      'install the office printer',
      'print from my laptop',
    ]),
    'refund.md': article('refund', 'Request a refund', [
      'I want my money back',
      'how do I get a refund',
      'refund for a cancelled order',
      'return an item for a refund',
    ]),
  });
}

const queries: QueryRow[] = [
  { qid: 'in-1', text: 'I forgot my password', gold: 'reset-password', type: 'in_scope' },
  { qid: 'in-2', text: 'how do I connect to the VPN', gold: 'vpn-setup', type: 'in_scope' },
  { qid: 'in-3', text: 'add a printer', gold: 'printer', type: 'in_scope' },
  { qid: 'ood-1', text: 'what is the capital of Mongolia?', gold: null, type: 'ood_oos' },
  { qid: 'none', text: 'I want my money back' },
];

describe('runEval on a tiny hand-made KB', function () {
  this.timeout(60000);
  let kb: ReturnType<typeof tempDir>;
  let report: EvalReport;

  before(async () => {
    kb = tempDir();
    writeTinyKb(kb.dir);
    report = await runEval({ kbDir: kb.dir, queries, embedder: new HashingEmbedder() });
  });
  after(() => kb.cleanup());

  it('asks every question, labelled or not, through the engine', () => {
    expect(report.predictions.map((p) => p.qid)).to.deep.equal(queries.map((q) => q.qid));
    const byQid = Object.fromEntries(report.predictions.map((p) => [p.qid, p]));
    expect(byQid['none']).to.include({ action: 'answer', articleId: 'refund' });
    expect(byQid['ood-1']).to.include({ action: 'ticket', articleId: null });
  });

  it('answers the plain questions with their article and sends the off-domain one to a ticket', () => {
    expect(report.metrics).to.include({
      queries: 4,
      in_scope: 3,
      unanswerable: 1,
      accuracy_at_1: 1,
      recall_at_3: 1,
      mrr_at_10: 1,
      cdr: 1,
      fdr: 0,
    });
    expect(report.metrics.far).to.deep.equal({ all: 0, id_oos: null, ood_oos: 0, oos: null });
  });

  it('records the settings the run used', () => {
    expect(report.settings).to.include({ embedder: new HashingEmbedder().id, default_lang: 'en', articles: 4 });
  });
});

describe('npm run eval (the command)', function () {
  this.timeout(90000);

  it('prints exactly one JSON object with --json, writes predictions, and leaves the data directory alone', async () => {
    const work = tempDir();
    try {
      writeTinyKb(path.join(work.dir, 'kb'));
      const file = path.join(work.dir, 'dev.jsonl');
      writeFileSync(file, queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
      const predictions = path.join(work.dir, 'out', 'predictions.jsonl');
      const { stdout } = await run(
        process.execPath,
        [
          '--import',
          pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href,
          path.join(root, 'indexer/cli.ts'),
          'eval',
          '--kb',
          'kb',
          '--queries',
          'dev.jsonl',
          '--json',
          '--predictions',
          predictions,
        ],
        { cwd: work.dir, env: { ...process.env, DATA_DIR: 'data' } },
      );

      const lines = stdout.trim().split('\n');
      expect(lines).to.have.length(1);
      const result = JSON.parse(lines[0]!);
      expect(Object.keys(result)).to.deep.equal([
        'kb',
        'queries',
        'in_scope',
        'unanswerable',
        'accuracy_at_1',
        'recall_at_3',
        'mrr_at_10',
        'cdr',
        'fdr',
        'far',
        'clarify_rate',
        'clarify_hit',
        'offered',
        'latency_ms',
        'settings',
      ]);
      expect(result).to.include({ kb: 'kb', queries: 4, in_scope: 3, accuracy_at_1: 1 });

      const rows = readFileSync(predictions, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows.map((r) => r.qid)).to.deep.equal(queries.map((q) => q.qid));
      expect(Object.keys(rows[0])).to.deep.equal(['qid', 'action', 'articleId', 'ranked', 'options', 'confidence']);
      expect(existsSync(path.join(work.dir, 'data')), 'the eval indexes into a temporary folder').to.equal(false);
    } finally {
      work.cleanup();
    }
  });
});
