import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { decodeTermModel } from '../../core/answers/codecs/termModelCodec.ts';
import { EngineThreads } from '../../core/answers/threads/engineThreads.ts';
import { fromWire, workerConfigOf } from '../../core/answers/threads/wire.ts';
import { classifierRivals } from '../../core/answers/learners/rivals.ts';
import { loadConfig } from '../../core/config/index.ts';
import { buildInChild } from '../../core/indexing/child/buildInChild.ts';
import { controlBlock, SharedRivals } from '../../core/indexing/rivalsShare.ts';
import { currentSnapshotDir } from '../../core/indexing/snapshot.ts';
import type { TermFitRequest, TermFitResult } from '../../core/indexing/termModelThread.ts';
import { compileServer } from '../../scripts/compileServer.mjs';
import { startServerProcess } from '../helpers/child.ts';
import { openTestCore } from '../helpers/core.ts';
import { eventually } from '../helpers/eventually.ts';
import { topicalKb } from '../helpers/rivalsKb.ts';
import { tempDir } from '../helpers/tempDir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('compileServer (npm start runs the server compiled)', () => {
  it('compiles once, then only when one of the bundled sources changes', async () => {
    const tmp = tempDir();
    try {
      writeFileSync(path.join(tmp.dir, 'main.ts'), "import { where } from './lib/where.ts';\nconsole.log(where());\n");
      mkdirSync(path.join(tmp.dir, 'lib'));
      const dep = path.join(tmp.dir, 'lib/where.ts');
      writeFileSync(dep, "export const where = (): string => new URL('./beside.txt', import.meta.url).pathname;\n");
      const options = { entry: path.join(tmp.dir, 'main.ts'), outFile: path.join(tmp.dir, 'out/main.mjs') };

      expect(await compileServer(options)).to.deep.equal({ compiled: true, reason: 'no compiled server yet' });
      expect(await compileServer(options)).to.deep.equal({ compiled: false, reason: 'current' });
      utimesSync(dep, new Date(), new Date(Date.now() + 5000));
      const again = await compileServer(options);
      expect(again.compiled).to.equal(true);
      expect(again.reason).to.match(/where\.ts changed$/);

      // A module's import.meta.url stays its source file's: it finds what lies beside its source, not beside the bundle.
      const printed = execFileSync(process.execPath, [options.outFile], { encoding: 'utf8' }).trim();
      expect(printed).to.equal(path.join(tmp.dir, 'lib/beside.txt'));
    } finally {
      tmp.cleanup();
    }
  });

  it('gives a server that builds its index (the graph on its worker) and answers, on the fixture KB', async function () {
    this.timeout(180_000);
    // Inside the checkout, so that the bundle finds node_modules as dist/server/main.mjs does.
    const outDir = path.join(ROOT, 'dist', `spec-${process.pid}`);
    const tmp = tempDir();
    try {
      const outFile = path.join(outDir, 'main.mjs');
      expect((await compileServer({ outFile })).compiled).to.equal(true);
      const server = await startServerProcess({ DATA_DIR: path.join(tmp.dir, 'data') }, 150_000, { entry: outFile });
      try {
        const res = await fetch(`${server.url}/api/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: 'how do I reset my password' }),
        });
        expect(res.status).to.equal(200);
        expect(((await res.json()) as { action: string }).action).to.be.oneOf(['answer', 'clarify', 'ticket']);
        // The pages' assets are found from the bundle as from the sources.
        expect((await fetch(`${server.url}/widget.js`)).status).to.equal(200);
        expect(server.output()).to.not.match(/building the vector index on a worker thread failed/);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
      tmp.cleanup();
    }
  });

  it("compiles the term model's worker beside the bundle, where the server starts it, and it fits without tsx", async function () {
    this.timeout(120_000);
    const outDir = path.join(ROOT, 'dist', `spec-worker-${process.pid}`);
    try {
      expect((await compileServer({ outFile: path.join(outDir, 'main.mjs') })).compiled).to.equal(true);
      const doc = (id: string, title: string) => ({
        id,
        lang: 'en' as const,
        title,
        questions: [title],
        passages: [title],
      });
      const request: TermFitRequest = {
        docs: [doc('a', 'reset your password'), doc('b', 'set up the vpn')],
        wordVectors: null,
      };
      // Plain node: this process's tsx does not reach a worker thread, so the compiled worker must not need it.
      const worker = new Worker(path.join(outDir, 'termModelWorker.mjs'), { workerData: request });
      const result = await new Promise<TermFitResult>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(decodeTermModel(result.termModel).articles).to.equal(2);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("compiles the rivals' helper beside the bundle: it finds its share without tsx", async function () {
    this.timeout(120_000);
    const outDir = path.join(ROOT, 'dist', `spec-rivals-${process.pid}`);
    try {
      expect((await compileServer({ outFile: path.join(outDir, 'main.mjs') })).compiled).to.equal(true);
      const kb = topicalKb(400, 700, 17);
      const control = controlBlock();
      const { port1, port2 } = new MessageChannel();
      const helper = new Worker(path.join(outDir, 'rivalsWorker.mjs'), {
        workerData: { control, port: port2 },
        transferList: [port2],
      });
      const said = new Promise<{ cpuMs: number | null }>((resolve, reject) => {
        helper.once('message', resolve);
        helper.once('error', reject);
      });
      const rivals = new SharedRivals(control, port1);
      rivals.begin(kb.postings, kb.sums, 10);
      // Its first signal: the postings ordered, or a chunk found.
      for (let waited = 0; Atomics.load(control, 1) === 0 && waited < 10_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(Atomics.load(control, 1)).to.be.above(0);
      expect(rivals.find(kb.postings, kb.sums, 10).map((r) => [...r])).to.deep.equal(
        classifierRivals(kb.postings, kb.sums, 10).map((r) => [...r]),
      );
      await said;
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
  it('compiles the child index build beside the bundle: it builds and publishes a snapshot without tsx', async function () {
    this.timeout(120_000);
    const outDir = path.join(ROOT, 'dist', `spec-child-${process.pid}`);
    const data = tempDir();
    try {
      expect((await compileServer({ outFile: path.join(outDir, 'main.mjs') })).compiled).to.equal(true);
      const config = loadConfig({
        KB_DIR: path.join(ROOT, 'test/fixtures/kb'),
        DATA_DIR: data.dir,
        WORD_VECTORS: 'off',
      });
      const built = await buildInChild(config, {
        rebuild: false,
        entry: pathToFileURL(path.join(outDir, 'indexChild.mjs')),
      });
      expect(built.snapshotDir).to.equal(await currentSnapshotDir(data.dir));
      expect(built.articles).to.be.above(0);
    } finally {
      data.cleanup();
      rmSync(outDir, { recursive: true, force: true });
    }
  });
  it('compiles the engine worker beside the bundle: it opens a served snapshot and answers without tsx', async function () {
    this.timeout(120_000);
    const outDir = path.join(ROOT, 'dist', `spec-engine-${process.pid}`);
    const t = await openTestCore({ env: { ENGINE_THREADS: '0' } });
    const threads = new EngineThreads(
      1,
      workerConfigOf(t.config),
      pathToFileURL(path.join(outDir, 'engineWorker.mjs')),
    );
    try {
      expect((await compileServer({ outFile: path.join(outDir, 'main.mjs') })).compiled).to.equal(true);
      const index = t.core.index.get();
      threads.serveSnapshot(index.snapshotDir);
      threads.start();
      await eventually(() => threads.ready() === 1, {
        timeoutMs: 60_000,
        what: 'the compiled worker to open the index',
      });
      const question = 'how do I reset my password';
      const answered = fromWire((await threads.ask({ question }))!, index.articles);
      expect(answered).to.deep.equal(await t.core.engine.answer({ question }));
    } finally {
      await threads.close();
      await t.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
