import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { readDelta } from '../../core/indexing/snapshotDelta.ts';
import { WatchDeltas } from '../../core/indexing/watchDeltas.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { eventually } from '../helpers/eventually.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * Watch mode's delta, end to end but in-process: WatchDeltas does what
 * `npm run index -- --watch` does on each change, and a running server
 * (its DeltaFollower) applies the delta in place.
 */
describe('watch mode deltas: a running server serves each change without a full build', function () {
  this.timeout(120_000);

  const KB = {
    'vpn.md': buildArticle({
      id: 'vpn',
      title: 'Set up the VPN',
      questions: ['how do I set up the VPN', 'VPN does not connect'],
      answer: 'Install the VPN client.',
    }),
    'password.md': buildArticle({
      id: 'password',
      title: 'Reset your password',
      questions: ['I forgot my password', 'how do I change my password'],
      answer: 'Use the self-service portal.',
    }),
    'printer.md': buildArticle({
      id: 'printer',
      title: 'Add a printer',
      questions: ['how do I add a printer', 'printer is not listed'],
      answer: 'Open Settings, then Printers.',
    }),
  };

  let kb: ReturnType<typeof tempDir>;
  let server: TestServer;
  let deltas: WatchDeltas;

  beforeEach(async () => {
    kb = tempDir();
    writeKb(kb.dir, KB);
    server = await startTestServer({ kbDir: kb.dir });
    deltas = await WatchDeltas.open({
      kbDir: kb.dir,
      dataDir: server.config.dataDir,
      embedder: new HashingEmbedder(),
      defaultLang: 'en',
    });
  });

  afterEach(async () => {
    await server.close();
    kb.cleanup();
  });

  const answerTo = async (question: string) =>
    (await postJson(`${server.url}/api/ask`, { question })).body.answer?.articleId as string | undefined;
  const until = (question: string, expected: string | undefined, what: string) =>
    eventually(async () => (await answerTo(question)) === expected, { timeoutMs: 10_000, intervalMs: 50, what });

  it('answers an edited article’s new question, and no longer its old one', async () => {
    expect(await answerTo('how do I add a printer?')).to.equal('printer');
    write('printer.md', {
      id: 'printer',
      title: 'Connect to the office plotter',
      questions: ['how do I print on the large plotter'],
      answer: 'Pick Plotter-1 in the print dialog.',
    });
    const round = await deltas.changed(['printer.md']);
    expect(round).to.include({ published: true, needsFullBuild: false });
    expect(round.upserted).to.deep.equal(['printer']);
    await until('how do I print on the large plotter?', 'printer', 'the edited question to be answered');
    expect(await answerTo('how do I add a printer?')).to.not.equal('printer');
  });

  it('answers an added article, and leaves the others as they were', async () => {
    const before = await Promise.all(['I forgot my password', 'VPN does not connect'].map(answerTo));
    write('rooftop.md', {
      id: 'rooftop',
      title: 'Book the rooftop terrace',
      questions: ['how do I book the rooftop terrace'],
      answer: 'Use the Spaces app and pick Rooftop.',
    });
    await deltas.changed(['rooftop.md']);
    await until('how do I book the rooftop terrace?', 'rooftop', 'the added article to be answered');
    expect(await Promise.all(['I forgot my password', 'VPN does not connect'].map(answerTo))).to.deep.equal(before);
  });

  it('never answers a deleted article again', async () => {
    rmSync(path.join(kb.dir, 'vpn.md'));
    const round = await deltas.changed(['vpn.md']);
    expect(round.removed).to.deep.equal(['vpn']);
    await until('how do I set up the VPN?', undefined, 'the deleted article to stop answering');
    for (const q of ['VPN does not connect', 'set up the VPN', 'Install the VPN client'])
      expect(await answerTo(q)).to.not.equal('vpn');
  });

  it('serves an article whose id changed under its new id only', async () => {
    write('password.md', {
      id: 'password-reset',
      title: 'Reset your password',
      questions: ['I forgot my password', 'how do I change my password'],
      answer: 'Use the self-service portal.',
    });
    const round = await deltas.changed(['password.md']);
    expect(round.removed).to.deep.equal(['password']);
    expect(round.upserted).to.deep.equal(['password-reset']);
    await until('I forgot my password', 'password-reset', 'the new id to be answered');
  });

  it('serves an article whose file was renamed, its id the same, as it was', async () => {
    renameSync(path.join(kb.dir, 'vpn.md'), path.join(kb.dir, 'network-vpn.md'));
    const round = await deltas.changed(['network-vpn.md', 'vpn.md']);
    expect(round.problems).to.deep.equal([]);
    expect(round.removed).to.deep.equal(['vpn']);
    expect(round.upserted).to.deep.equal(['vpn']);
    await until('how do I set up the VPN?', 'vpn', 'the renamed file to be answered');
    expect((await readDelta(server.config.dataDir))?.removed).to.deep.equal([]);
  });

  it('keeps serving the last good version of a broken article, naming its file and line', async () => {
    writeFileSync(path.join(kb.dir, 'printer.md'), '---\nid: printer\ntitle: [unclosed\n---\nbody\n');
    const round = await deltas.changed(['printer.md']);
    expect(round.published).to.equal(false);
    expect(round.problems).to.have.length.greaterThan(0);
    expect(round.problems[0]).to.include({ file: 'printer.md', severity: 'error' });
    expect(round.problems[0]!.line).to.be.a('number');
    expect(await answerTo('how do I add a printer?')).to.equal('printer');
  });

  it('asks for a full build when a change is not an article’s (synonyms, routing, SLA)', async () => {
    writeFileSync(path.join(kb.dir, '_synonyms.yml'), '- [vpn, tunnel]\n');
    expect((await deltas.changed(['_synonyms.yml'])).needsFullBuild).to.equal(true);
  });

  it('is replaced by the full build that follows, which then answers the same', async () => {
    write('rooftop.md', {
      id: 'rooftop',
      title: 'Book the rooftop terrace',
      questions: ['how do I book the rooftop terrace'],
      answer: 'Use the Spaces app and pick Rooftop.',
    });
    rmSync(path.join(kb.dir, 'vpn.md'));
    await deltas.changed(['rooftop.md', 'vpn.md']);
    await until('how do I book the rooftop terrace?', 'rooftop', 'the delta to be served');
    const before = await servedSnapshot();
    // What the watcher's background build does, then its rebase.
    await buildIndex({
      kbDir: kb.dir,
      dataDir: server.config.dataDir,
      embedder: new HashingEmbedder(),
      defaultLang: 'en',
    });
    await deltas.rebase();
    expect(deltas.pending).to.equal(false);
    expect(await readDelta(server.config.dataDir)).to.equal(null);
    await eventually(async () => (await servedSnapshot()) !== before, { timeoutMs: 10_000, what: 'the full build' });
    expect(await answerTo('how do I book the rooftop terrace?')).to.equal('rooftop');
    expect(await answerTo('how do I set up the VPN?')).to.not.equal('vpn');
  });

  it('keeps a change the full build did not see as a delta on the new snapshot', async () => {
    await buildIndex({
      kbDir: kb.dir,
      dataDir: server.config.dataDir,
      embedder: new HashingEmbedder(),
      defaultLang: 'en',
    });
    // Written after that build read the KB.
    write('rooftop.md', {
      id: 'rooftop',
      title: 'Book the rooftop terrace',
      questions: ['how do I book the rooftop terrace'],
      answer: 'Use the Spaces app and pick Rooftop.',
    });
    await deltas.changed(['rooftop.md']);
    await deltas.rebase();
    expect(deltas.pending).to.equal(true);
    const delta = await readDelta(server.config.dataDir);
    expect(delta?.articles.map((a) => a.id)).to.deep.equal(['rooftop']);
    await until('how do I book the rooftop terrace?', 'rooftop', 'the delta on the new snapshot');
  });

  function write(file: string, fm: Record<string, unknown>): void {
    writeFileSync(path.join(kb.dir, file), buildArticle(fm));
  }

  async function servedSnapshot(): Promise<string | null> {
    const body = (await (await fetch(`${server.url}/healthz`)).json()) as { index: { snapshot: string | null } };
    return body.index.snapshot;
  }
});
