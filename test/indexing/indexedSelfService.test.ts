import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { indexedSelfService } from '../../core/indexing/indexedSelfService.ts';
import { currentSnapshotDir, FILES, type Manifest } from '../../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { runKb } from '../tickets/cli.ts';

/** Documentation: how-tos listing no questions. */
const DOCS: Record<string, string> = {
  'encrypt-android':
    'Open Settings, tap Security, then tap Encrypt phone. Keep the Android phone plugged in until it finishes.',
  'encrypt-windows':
    'Open Settings, select Device encryption and turn it on. Windows 10 Home has no BitLocker: upgrade first.',
  'reset-passcode':
    'Sign in to the portal website, choose the phone and select Reset passcode, then enter the temporary one.',
  'rename-device':
    'On the portal website open Devices, select the laptop and choose Rename. The name shows in the portal only.',
  'remove-device':
    'In the Company Portal app tap Devices, choose the phone and tap Remove device. Your photos stay on it.',
};

const file = (id: string, body: string) =>
  `---\n${stringify({ id, title: id.replace('-', ' '), lang: 'en', status: 'published' })}---\n# ${id}\n\n${body}\n`;

describe('The self-service estimate lint reads from the last index build', () => {
  let kbDir: string;
  let dataDir: string;
  const cleanups: (() => void)[] = [];
  before(async function () {
    this.timeout(60_000);
    const kb = tempDir('deflect-selfservice-kb-');
    const data = tempDir('deflect-selfservice-data-');
    cleanups.push(kb.cleanup, data.cleanup);
    kbDir = kb.dir;
    dataDir = data.dir;
    writeKb(kbDir, Object.fromEntries(Object.entries(DOCS).map(([id, body]) => [`${id}.md`, file(id, body)])));
    await buildIndex({ kbDir, dataDir, embedder: new HashingEmbedder(), wordVectors: null, defaultLang: 'en' });
  });
  after(() => cleanups.forEach((c) => c()));

  const load = () => loadKnowledgeBase(kbDir, { defaultLang: 'en' });

  it('names the articles the calibration was least sure of, with their titles, for the KB as indexed', async () => {
    const s = (await indexedSelfService(await load(), dataDir))!;
    expect(s.stale).to.equal(false);
    expect(s.weakest.length).to.be.within(1, Object.keys(DOCS).length);
    for (const a of s.weakest) expect(a.title).to.equal(a.articleId.replace('-', ' '));
  });

  it('gives the estimated self-service coverage of the KB as indexed', async () => {
    const { coverage, builtAt } = (await indexedSelfService(await load(), dataDir))!;
    expect(coverage!.offered).to.be.within(coverage!.answered, 1);
    expect(coverage!.articles).to.equal(Object.keys(DOCS).length);
    expect(Date.parse(builtAt)).to.be.greaterThan(0);
  });

  it('prints the coverage line above the weakest articles in `npm run kb -- lint`', async function () {
    this.timeout(60_000);
    const { coverage } = (await indexedSelfService(await load(), dataDir))!;
    const { code, stdout } = await runKb(['lint', '--kb', kbDir], { DATA_DIR: dataDir });
    expect(code).to.equal(0);
    const percent = (x: number) => `${Math.round(100 * x)} %`;
    expect(stdout).to.match(
      new RegExp(
        `^Estimated self-service coverage: ${percent(coverage!.answered)} of questions answered, ` +
          `${percent(coverage!.offered)} answered or offered among options ` +
          `\\(from ${coverage!.probes} probes drawn from 5 articles at the index built \\d{4}-.*\\)\\n` +
          `Articles that would gain most from listed questions`,
        'm',
      ),
    );
  });

  it('says the estimate is of an older KB once an article changed', async () => {
    writeFileSync(
      path.join(kbDir, 'rename-device.md'),
      file('rename-device', `${DOCS['rename-device']} Reload the page.`),
    );
    expect((await indexedSelfService(await load(), dataDir))!.stale).to.equal(true);
  });

  it('says the figure is unavailable, and still lists the weakest articles, for an index built before it existed', async function () {
    this.timeout(60_000);
    const manifestFile = path.join((await currentSnapshotDir(dataDir))!, FILES.manifest);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    delete manifest.calibration.selfService!.coverage;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const s = (await indexedSelfService(await load(), dataDir))!;
    expect(s.coverage).to.equal(undefined);
    expect(s.weakest).to.not.be.empty;
    const { code, stdout } = await runKb(['lint', '--kb', kbDir], { DATA_DIR: dataDir });
    expect(code).to.equal(0);
    expect(stdout).to.match(/^Estimated self-service coverage: unavailable \(the index built .* predates it;/m);
    expect(stdout).to.contain('Articles that would gain most from listed questions');
  });

  it('has nothing to say when no index was built, or it was built from another KB', async () => {
    const empty = tempDir('deflect-selfservice-none-');
    const other = tempDir('deflect-selfservice-other-');
    cleanups.push(empty.cleanup, other.cleanup);
    expect(await indexedSelfService(await load(), empty.dir)).to.equal(null);
    writeKb(other.dir, { 'vpn.md': file('vpn-setup', 'Install the VPN client and sign in with your work account.') });
    expect(await indexedSelfService(await loadKnowledgeBase(other.dir, { defaultLang: 'en' }), dataDir)).to.equal(null);
  });
});
