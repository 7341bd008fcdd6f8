import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { isDocumentation } from '../../core/answers/pipeline/calibration.ts';
import type { Article } from '../../core/articles/types.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import type { KbIndex } from '../../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { writeKb } from '../helpers/articles.ts';

/** A help desk's existing documentation: articles written to be read, listing no questions, one how-to per platform. */
const DOCS: Record<string, { title: string; body: string }> = {
  'encrypt-android': {
    title: 'Encrypt your Android device',
    body: 'Your organisation requires Android phones and tablets to be encrypted before they can reach work email and files.\n\n## Turn on encryption\n\nOpen Settings, tap Security, then tap Encrypt phone. Keep the Android device plugged in until encryption finishes; it can take an hour.\n\n## If encryption does not start\n\nCharge the battery above 80 percent and set a screen lock PIN first.',
  },
  'encrypt-windows': {
    title: 'Encrypt your Windows device',
    body: 'Your organisation requires Windows laptops and desktops to be encrypted before they can reach work email and files.\n\n## Turn on encryption\n\nOpen Settings, select Update and Security, then Device encryption, and turn it on. BitLocker keeps the Windows drive encrypted from then on.\n\n## If encryption does not start\n\nWindows 10 Home has no BitLocker: upgrade to Windows 10 Pro first.',
  },
  'reset-passcode': {
    title: 'Reset a forgotten device passcode',
    body: 'If you forgot the passcode of your phone, the help desk cannot read it, but you can reset it remotely from the company portal website.\n\n## Reset it\n\nSign in to the portal website, choose the device, and select Reset passcode. A temporary passcode appears on the screen; enter it on the phone and choose a new one.',
  },
  'sync-device': {
    title: 'Sync your device manually',
    body: 'Policies and work apps reach your device when it checks in with the company portal. A manual sync makes it check in now.\n\n## Sync now\n\nOpen the Company Portal app, tap Devices, choose this device and tap Check status. New apps appear within a few minutes.',
  },
  'rename-device': {
    title: 'Rename a device in the portal',
    body: 'Devices show up in the portal with generated names such as DESKTOP-7Q2K. Give each one a name you recognise.\n\n## Rename it\n\nOn the portal website, open Devices, select the device and choose Rename. The new name is only shown in the portal.',
  },
  'install-portal': {
    title: 'Install the Company Portal app',
    body: 'The Company Portal app enrolls your device so it can reach work resources.\n\n## Install it\n\nDownload the Company Portal app from the app store of your device, open it and sign in with your work account.',
  },
  'remove-device': {
    title: 'Remove a device from the company',
    body: 'When you stop using a phone for work, remove it so the company no longer manages it. Work apps and work email are deleted from it; your photos stay.\n\n## Remove it\n\nIn the Company Portal app, tap Devices, choose the phone and tap Remove device.',
  },
  'lost-device': {
    title: 'What to do when you lose a device',
    body: 'A lost or stolen laptop or phone may hold work data. Tell the help desk at once so the device can be locked and wiped.\n\n## Lock it yourself\n\nOn the portal website, select the lost device and choose Remote lock, then Reset to erase it.',
  },
};

function documentationKb(root: string): void {
  const files: Record<string, string> = {};
  for (const [id, { title, body }] of Object.entries(DOCS)) {
    files[`${id}.md`] = `---\n${stringify({ id, title, lang: 'en', status: 'published' })}---\n# ${title}\n\n${body}\n`;
  }
  writeKb(root, files);
}

describe('A KB of documentation (articles that list no questions)', () => {
  let dir: string;
  let index: KbIndex;
  let engine: AnswerEngine;
  before(async function () {
    this.timeout(60_000);
    dir = mkdtempSync(path.join(os.tmpdir(), 'deflect-docs-'));
    documentationKb(dir);
    index = (await buildIndex({ kbDir: dir, embedder: new HashingEmbedder(), wordVectors: null, defaultLang: 'en' }))
      .index;
    engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is calibrated on reworded sentences of its articles, not on its titles', () => {
    const calibration = index.manifest.calibration;
    expect(calibration.probes).to.equal('passages');
    expect(calibration.samples).to.be.greaterThan(Object.keys(DOCS).length);
    // The documentation model also reads whether the question names what only the best article has.
    expect(calibration.answer).to.have.length(5);
  });

  it('names the articles it is least sure it can answer, for the operator to add questions to', () => {
    const { weakest } = index.manifest.calibration.selfService!;
    expect(weakest.length).to.be.within(1, Object.keys(DOCS).length);
    expect(Object.keys(DOCS)).to.include.members(weakest);
  });

  it('answers a question typed about what an article says, in words of its own', async () => {
    const r = await engine.answer({
      question: 'my laptop says windows 10 home has no bitlocker, how do I get the encryption the company wants?',
    });
    expect(r.action).to.equal('answer');
    expect(r.answer!.article.id).to.equal('encrypt-windows');
  });

  it('asks which one when the question does not say which of two per-platform articles it means', async () => {
    const r = await engine.answer({ question: 'how do I turn on encryption?' });
    expect(r.action).to.equal('clarify');
    expect(r.options.map((o) => o.article.id)).to.include.members(['encrypt-android', 'encrypt-windows']);
  });

  it('opens a ticket for what no article covers', async () => {
    expect((await engine.answer({ question: 'the printer on the third floor is out of toner' })).action).to.equal(
      'ticket',
    );
  });
});

describe('Which KBs count as documentation', () => {
  const article = (title: string, questions: string[] = []) =>
    ({ title, questions, status: 'published' }) as unknown as Article;
  const cases = [
    {
      description: 'how-to pages listing no questions',
      articles: [article('Encrypt your device'), article('Sync your device')],
      expects: true,
    },
    {
      description: 'articles that list the questions users ask',
      articles: [article('Encrypt your device', ['how do I encrypt']), article('Sync', ['sync now'])],
      expects: false,
    },
    {
      description: 'a FAQ whose titles are the questions',
      articles: [
        article('How do I delete my account?'),
        article('¿Cómo cambio mi contraseña?'),
        article('Export mail to text files'),
      ],
      expects: false,
    },
    {
      description: 'mostly documentation with a few FAQ entries',
      articles: [article('Encrypt your device'), article('Sync your device'), article('Why enroll my phone?')],
      expects: true,
    },
  ];
  for (const c of cases) {
    it(`${c.expects ? 'counts' : 'does not count'} ${c.description}`, () => {
      expect(isDocumentation(c.articles)).to.equal(c.expects);
    });
  }
});
