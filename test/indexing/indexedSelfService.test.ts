import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { indexedSelfService } from '../../core/indexing/indexedSelfService.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

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

  it('says the estimate is of an older KB once an article changed', async () => {
    writeFileSync(
      path.join(kbDir, 'rename-device.md'),
      file('rename-device', `${DOCS['rename-device']} Reload the page.`),
    );
    expect((await indexedSelfService(await load(), dataDir))!.stale).to.equal(true);
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
