import { expect } from 'chai';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { cpuMsOfStat } from '../../core/threadCpu.ts';
import { stagesTable } from '../../indexer/present.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { graphEmbedder } from '../helpers/graphEmbedder.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** The main thread's stages, in the order a build runs them (the hashing embedder's scan is built as it embeds). */
const MAIN_STAGES = [
  'read the KB',
  'embed',
  'full-text index',
  'term model',
  'calibration folds',
  'calibration',
  'write the snapshot',
];

/** With a dense model's vectors the graph is built on a worker, and the main thread waits for it before calibrating. */
const GRAPH_STAGES = [...MAIN_STAGES.slice(0, 5), 'wait for the graph', ...MAIN_STAGES.slice(5)];

describe('buildIndex: where the build’s time went', () => {
  let kb: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;
  beforeEach(() => {
    kb = tempDir();
    data = tempDir();
    writeKb(kb.dir, {
      'a.md': buildArticle({ id: 'a', title: 'Reset your password', questions: ['forgot password'] }),
      'b.md': buildArticle({ id: 'b', title: 'Set up the VPN', questions: ['vpn setup'] }),
    });
  });
  afterEach(() => {
    kb.cleanup();
    data.cleanup();
  });

  it('reports each stage of the main thread in order, each with its wall and CPU time', async () => {
    const summary = await buildIndex({
      kbDir: kb.dir,
      dataDir: data.dir,
      embedder: new HashingEmbedder(),
      defaultLang: 'en',
    });
    expect(summary.stages.map((s) => s.name)).to.deep.equal(MAIN_STAGES);
    expect(summary.stages.map((s) => s.thread)).to.deep.equal(MAIN_STAGES.map(() => 'main'));
    for (const stage of summary.stages) {
      expect(stage.wallMs, stage.name).to.be.a('number').and.at.least(0);
      if (process.platform === 'linux') expect(stage.cpuMs, stage.name).to.be.a('number').and.at.least(0);
    }
    // The main thread's stages follow one another: together they are the build.
    const mainWall = summary.stages.filter((s) => s.thread === 'main').reduce((sum, s) => sum + s.wallMs, 0);
    expect(mainWall).to.be.at.most(summary.ms + 1);
  });

  it('builds in memory (no data directory) with the same stages', async () => {
    const summary = await buildIndex({ kbDir: kb.dir, embedder: new HashingEmbedder(), defaultLang: 'en' });
    expect(summary.stages.map((s) => s.name)).to.deep.equal(MAIN_STAGES);
  });

  it('reports a graph’s worker after the main thread’s stages, and the wait for it among them', async () => {
    const summary = await buildIndex({
      kbDir: kb.dir,
      dataDir: data.dir,
      embedder: graphEmbedder(),
      defaultLang: 'en',
    });
    expect(summary.stages.map((s) => s.name)).to.deep.equal([...GRAPH_STAGES, 'vector graph']);
    expect(summary.stages.map((s) => s.thread)).to.deep.equal([...GRAPH_STAGES.map(() => 'main'), 'graph worker']);
    const worker = summary.stages.at(-1)!;
    expect(worker.wallMs).to.be.a('number').and.at.least(0);
  });
});

describe('cpuMsOfStat', () => {
  it('reads utime + stime (fields 14 and 15, in hundredths of a second) after a command name holding spaces and parentheses', () => {
    const stat = '4242 (node (a) b) R 1 2 3 4 5 6 7 8 9 10 123 45 0 0 20 0 9 0 100 0 0';
    expect(cpuMsOfStat(stat)).to.equal(1680);
  });

  it('is null for a line it cannot read', () => {
    expect(cpuMsOfStat('garbage')).to.equal(null);
  });
});

describe('stagesTable', () => {
  it('prints one stage a line in seconds, a dash for a CPU time not known, and names a thread other than the main one', () => {
    const table = stagesTable([
      { name: 'embed', thread: 'main', wallMs: 12_340, cpuMs: 11_000 },
      { name: 'vector graph', thread: 'graph worker', wallMs: 50_000, cpuMs: null },
    ]);
    expect(table.split('\n')).to.deep.equal([
      'Stages (s)        wall     CPU',
      '  embed           12.3    11.0',
      '  vector graph    50.0       –  (graph worker)',
      '',
    ]);
  });
});
