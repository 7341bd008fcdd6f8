import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../core/config/index.ts';
import { checkHealth } from '../../core/commands/checkHealth.ts';
import { AnswerEngine, type EngineQuery } from '../../core/answers/pipeline/answerEngine.ts';
import { EngineThreads, type ThreadTiming } from '../../core/answers/threads/engineThreads.ts';
import { PooledAnswerEngine } from '../../core/answers/threads/pooledAnswerEngine.ts';
import { toWire, workerConfigOf } from '../../core/answers/threads/wire.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { openSnapshot } from '../../core/indexing/kbIndex.ts';
import { FILES } from '../../core/indexing/snapshot.ts';
import { WatchDeltas } from '../../core/indexing/watchDeltas.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { thresholdsOf } from '../../core/thresholds.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { openTestCore, type TestCore } from '../helpers/core.ts';
import { eventually } from '../helpers/eventually.ts';
import { logged } from '../helpers/logged.ts';
import { QUESTIONS, writeFiveArticleKb } from '../helpers/snapshotAnswers.ts';
import { tempDir } from '../helpers/tempDir.ts';

const FAKE_WORKER = new URL('../fixtures/fakeEngineWorker.mjs', import.meta.url);
const CONFIG = workerConfigOf(loadConfig({}));

/** Threads over the stand-in worker (test/fixtures/fakeEngineWorker.mjs), behaving as `behaviour` says. */
function fakeThreads(
  behaviour: { behaviour: 'die' | 'slow' | 'hang'; articleId?: string; delayMs?: number },
  timing?: ThreadTiming,
): EngineThreads {
  return new EngineThreads(1, { ...CONFIG, ...behaviour } as typeof CONFIG, FAKE_WORKER, timing);
}

/** `fakeThreads(behaviour, timing)` serving `dir`, started and holding it, for `use`; closed afterwards. */
async function withFakeThreads(
  behaviour: Parameters<typeof fakeThreads>[0],
  dir: string,
  use: (threads: EngineThreads) => Promise<void>,
  timing?: ThreadTiming,
): Promise<void> {
  const threads = fakeThreads(behaviour, timing);
  try {
    threads.serveSnapshot(dir);
    threads.start();
    await eventually(() => threads.ready() === 1, { what: 'the thread to acknowledge the index' });
    await use(threads);
  } finally {
    await threads.close();
  }
}

describe('engine worker threads: questions answered beside the main thread', function () {
  this.timeout(120_000);

  describe('on a served index (the fixture KB)', () => {
    let t: TestCore;
    before(async () => {
      t = await openTestCore({ env: { ENGINE_THREADS: '1' } });
    });
    after(async () => t?.close());

    it('answers on the thread exactly as the main thread does, the same article objects included', async () => {
      const engine = t.core.engine as PooledAnswerEngine;
      expect(engine).to.be.instanceOf(PooledAnswerEngine);
      engine.threads.start();
      await eventually(() => engine.threads.ready() === 1, { timeoutMs: 60_000, what: 'the thread to open the index' });
      const here = new AnswerEngine(() => t.core.index.get(), {
        defaultLang: t.config.defaultLang,
        thresholds: thresholdsOf(t.config),
      });
      const questions = [
        ...[...t.core.index.get().articles.values()].flatMap((a) => [a.title, ...a.questions.slice(0, 1)]),
        'olvidé mi contraseña',
        'where is the cafeteria menu',
        'vpn',
      ];
      const before = engine.threads.answered;
      for (const question of questions) {
        // One at a time: every question goes to the idle thread.
        expect(await engine.answer({ question }), question).to.deep.equal(await here.answer({ question }));
        const inSpanish = { question, lang: 'es', audiences: ['public', 'internal'] as const };
        expect(await engine.answer({ ...inSpanish, audiences: [...inSpanish.audiences] })).to.deep.equal(
          await here.answer({ ...inSpanish, audiences: [...inSpanish.audiences] }),
        );
      }
      expect(engine.threads.answered - before).to.equal(questions.length * 2);
      expect((await checkHealth(t.core)).engineThreads).to.deep.include({ size: 1, running: 1, ready: 1 });
    });
  });

  describe('on demand', () => {
    it('starts its threads only once answering here took more than a quarter of a second within a second', async () => {
      const threads = fakeThreads({ behaviour: 'slow', articleId: 'x', delayMs: 0 });
      try {
        threads.noteBusy(200, 0);
        threads.noteBusy(200, 1500); // a new second: the first 200 ms no longer count
        expect(threads.running()).to.equal(0);
        threads.noteBusy(40, 1900);
        expect(threads.running()).to.equal(0);
        threads.noteBusy(20, 2000);
        expect(threads.running()).to.equal(1);
      } finally {
        await threads.close();
      }
    });

    it('never starts with ENGINE_THREADS=0: the plain engine answers', async () => {
      const t = await openTestCore({ env: { ENGINE_THREADS: '0' } });
      try {
        expect(t.core.engine).to.not.be.instanceOf(PooledAnswerEngine);
        expect((await checkHealth(t.core)).engineThreads).to.equal(null);
        expect((await t.core.engine.answer({ question: 'vpn' })).ranked.length).to.be.greaterThan(0);
      } finally {
        await t.close();
      }
    });
  });

  describe('when a thread cannot answer', () => {
    it('answers a question on the main thread when its thread dies, and replaces the thread', async () => {
      await withFakeThreads({ behaviour: 'die' }, '/nowhere', async (threads) => {
        expect(await threads.ask({ question: 'vpn' })).to.equal(null);
        expect(threads.running()).to.equal(0);
        await eventually(() => threads.ready() === 1, { what: 'a new thread' });
      });
    });

    it('leaves a question it cannot hand to its thread (one that cannot be cloned) to the caller, holding nothing', async () => {
      await withFakeThreads({ behaviour: 'slow', articleId: 'vpn', delayMs: 0 }, '/snap', async (threads) => {
        const unclonable = { question: 'vpn', onAnswer: () => undefined } as unknown as EngineQuery;
        expect(await threads.ask(unclonable)).to.equal(null);
        expect(await threads.ask({ question: 'vpn' })).to.include({ action: 'answer' });
        expect(threads.answered).to.equal(1);
      });
    });

    it('does not use an answer made on an index the main thread no longer serves', async () => {
      await withFakeThreads({ behaviour: 'slow', articleId: 'vpn', delayMs: 200 }, '/snap-1', async (threads) => {
        const kept = threads.ask({ question: 'vpn' });
        expect(await kept).to.include({ action: 'answer' });
        const stale = threads.ask({ question: 'vpn' });
        threads.serveSnapshot('/snap-2');
        expect(threads.ask({ question: 'vpn' }), 'none holds the new index yet').to.equal(null);
        expect(await stale).to.equal(null);
        expect(threads.answered).to.equal(1);
      });
    });

    it('hands back at once the questions a thread holds when a new index is served, not after the thread’s answer', async () => {
      await withFakeThreads({ behaviour: 'slow', articleId: 'vpn', delayMs: 60_000 }, '/snap-1', async (threads) => {
        const held = threads.ask({ question: 'vpn' });
        threads.serveSnapshot('/snap-2');
        const late = new Promise((resolve) => setTimeout(() => resolve('still held'), 2000).unref());
        expect(await Promise.race([held, late])).to.equal(null);
      });
    });

    it('answers here a question its thread sits on, gives that thread no more, and replaces it if it stays silent', async () => {
      const timing = { askMs: 200, hungMs: 600, firstRestartMs: 50, ranWellMs: 60_000 };
      await withFakeThreads(
        { behaviour: 'hang' },
        '/snap',
        async (threads) => {
          const asked = performance.now();
          expect(await threads.ask({ question: 'vpn' })).to.equal(null);
          expect(performance.now() - asked).to.be.within(150, 2000);
          expect(threads.ask({ question: 'vpn' }), 'a stalled thread is given nothing').to.equal(null);
          await eventually(() => threads.stats().replaced === 1 && threads.ready() === 1, {
            what: 'the silent thread replaced',
          });
          expect(threads.running()).to.equal(1);
        },
        timing,
      );
    });

    it('waits longer before each replacement in a crash loop, but not after a thread that had run well', async () => {
      const deaths = async (ranWellMs: number) => {
        let delay = 0;
        const timing = { askMs: 5000, hungMs: 30_000, firstRestartMs: 20, ranWellMs };
        await withFakeThreads(
          { behaviour: 'die' },
          '/snap',
          async (threads) => {
            for (let died = 1; died <= 3; died++) {
              expect(await threads.ask({ question: 'vpn' })).to.equal(null);
              await eventually(() => threads.stats().replaced === died && threads.ready() === 1, {
                what: `replacement ${died}`,
              });
            }
            delay = threads.restartDelayMs;
          },
          timing,
        );
        return delay;
      };
      expect(await deaths(3_600_000), 'a crash loop: 20, 40, 80 ms, then 160').to.equal(160);
      expect(await deaths(0), 'each had run well: 20 ms each time, then 40').to.equal(40);
    });

    it('maps a thread’s answer to the served articles, and answers here when one of them is not served', async () => {
      let t: TestCore | undefined;
      try {
        t = await openTestCore({ env: { ENGINE_THREADS: '0' } });
        const index = t.core.index;
        await withFakeThreads(
          { behaviour: 'slow', articleId: 'no-such-article', delayMs: 0 },
          '/snap',
          async (threads) => {
            const engine = new PooledAnswerEngine(() => index.get(), { defaultLang: 'en' }, threads);
            const answered = await engine.answer({ question: 'how do I reset my password' });
            expect(answered.ranked.every((r) => index.get().articles.get(r.article.id) === r.article)).to.equal(true);
            expect(answered.ranked.map((r) => r.article.id)).to.not.include('no-such-article');
            expect(threads.answered).to.equal(1);
          },
        );
      } finally {
        await t?.close();
      }
    });
  });

  describe('following the index', () => {
    let kb: ReturnType<typeof tempDir>;
    let t: TestCore;
    before(async () => {
      kb = tempDir();
      writeKb(kb.dir, {
        'vpn.md': buildArticle({ id: 'vpn', title: 'Set up the VPN', questions: ['how do I set up the VPN'] }),
        'printer.md': buildArticle({ id: 'printer', title: 'Add a printer', questions: ['how do I add a printer'] }),
      });
      t = await openTestCore({ kbDir: kb.dir, env: { ENGINE_THREADS: '1' } });
    });
    after(async () => {
      await t?.close();
      kb.cleanup();
    });

    it('answers on the thread from watch mode’s delta once the thread has applied it, on the main thread until then', async () => {
      const engine = t.core.engine as PooledAnswerEngine;
      engine.threads.start();
      await eventually(() => engine.threads.ready() === 1, { timeoutMs: 60_000, what: 'the thread to open the index' });
      const deltas = await WatchDeltas.open({
        kbDir: kb.dir,
        dataDir: t.config.dataDir,
        embedder: new HashingEmbedder(),
        defaultLang: 'en',
      });
      const edited = buildArticle({
        id: 'printer',
        title: 'Connect to the office plotter',
        questions: ['how do I print on the large plotter'],
      });
      writeFileSync(path.join(kb.dir, 'printer.md'), edited);
      expect(await deltas.changed(['printer.md'])).to.include({ published: true });
      const question = 'how do I print on the large plotter?';
      await eventually(async () => (await engine.answer({ question })).answer?.article.id === 'printer', {
        what: 'the edited article to be answered',
      });
      await eventually(() => engine.threads.ready() === 1, { what: 'the thread to apply the delta' });
      const before = engine.threads.answered;
      const answered = await engine.answer({ question });
      expect(answered.answer?.article.title).to.equal('Connect to the office plotter');
      expect(engine.threads.answered).to.equal(before + 1);
    });
  });

  describe('ENGINE_THREADS', () => {
    it('is a count of threads, "auto" by default (one per core beyond the first, at most 3)', () => {
      expect(loadConfig({ ENGINE_THREADS: '2' }).engineThreads).to.equal(2);
      expect(loadConfig({ ENGINE_THREADS: '0' }).engineThreads).to.equal(0);
      expect(loadConfig({}).engineThreads).to.be.within(0, 3);
      expect(() => loadConfig({ ENGINE_THREADS: 'many' })).to.throw(/ENGINE_THREADS/);
      expect(() => loadConfig({ ENGINE_THREADS: '-1' })).to.throw(/ENGINE_THREADS/);
    });
  });

  describe('over a stored lexical model that does not fit (a damaged file)', () => {
    it('fits it on the thread from the bodies, read again for it, and answers as the main thread does', async () => {
      const kb = tempDir();
      const data = tempDir();
      const threads = new EngineThreads(1, workerConfigOf(loadConfig({ WORD_VECTORS: 'off' })));
      try {
        writeFiveArticleKb(kb.dir);
        const embedder = new HashingEmbedder();
        const dir = (await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en' })).snapshotDir!;
        const files = new Map((await openSnapshot(dir, embedder)).files);
        const damaged = new SharedArrayBuffer(40);
        new Uint8Array(damaged).set(new Uint8Array(files.get(FILES.termModel) as SharedArrayBuffer, 0, 40));
        files.set(FILES.termModel, damaged);
        const { value: here } = await logged(() => openSnapshot(dir, embedder, null, { files }));
        const engine = new AnswerEngine(() => here, { defaultLang: 'en', thresholds: thresholdsOf(loadConfig({})) });
        await logged(async () => {
          threads.serveSnapshot(dir, files);
          threads.start();
          await eventually(() => threads.ready() === 1, { timeoutMs: 60_000, what: 'the thread to open the index' });
        });
        for (const question of QUESTIONS)
          expect(await threads.ask({ question }), question).to.deep.equal(toWire(await engine.answer({ question })));
      } finally {
        await threads.close();
        kb.cleanup();
        data.cleanup();
      }
    });
  });
});
