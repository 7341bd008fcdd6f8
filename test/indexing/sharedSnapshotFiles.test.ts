import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { dropBodies } from '../../core/articles/servedArticle.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { BodiesLeftOutError, openSnapshot, type KbIndex } from '../../core/indexing/kbIndex.ts';
import { FILES, type SnapshotFiles } from '../../core/indexing/snapshot.ts';
import { IndexMismatchError } from '../../core/errors.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { logged } from '../helpers/logged.ts';
import { answersOf, writeFiveArticleKb } from '../helpers/snapshotAnswers.ts';
import { tempDir } from '../helpers/tempDir.ts';

const BINARY = [FILES.itemsTable, FILES.centroids, FILES.classifier, FILES.termModel];

/** The bytes a shared file holds (a scan's memory holds its file first, then the scans' own pages). */
function bytesOf(held: SharedArrayBuffer | WebAssembly.Memory | undefined, length: number): Buffer {
  if (!held) throw new Error('no such shared file');
  return Buffer.from(held instanceof WebAssembly.Memory ? held.buffer : held, 0, length);
}

describe('a snapshot opened over the shared files of another open (a second engine thread)', () => {
  const embedder = new HashingEmbedder();
  let kb: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;
  let dir: string;
  let first: KbIndex;
  let expected: unknown[];

  before(async () => {
    kb = tempDir();
    data = tempDir();
    writeFiveArticleKb(kb.dir);
    dir = (await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en' })).snapshotDir!;
    first = await openSnapshot(dir, embedder);
    expected = await answersOf(first);
  });
  after(() => {
    kb.cleanup();
    data.cleanup();
  });

  /** `first`'s files with some replaced or left out. */
  function filesWith(changes: Record<string, SharedArrayBuffer | WebAssembly.Memory | null>): SnapshotFiles {
    const files = new Map(first.files);
    for (const [name, held] of Object.entries(changes))
      if (held) files.set(name, held);
      else files.delete(name);
    return files;
  }

  it('lists every binary file it read in shared memory: SharedArrayBuffers, the vector scan a shared WebAssembly memory', () => {
    const files = first.files!;
    expect([...files.keys()].sort()).to.deep.equal([...BINARY, FILES.scan].sort());
    for (const name of BINARY) {
      const onDisk = readFileSync(path.join(dir, name));
      expect(files.get(name), name).to.be.instanceOf(SharedArrayBuffer);
      expect(bytesOf(files.get(name), onDisk.length).equals(onDisk), name).to.equal(true);
    }
    const scan = files.get(FILES.scan);
    expect(scan).to.be.instanceOf(WebAssembly.Memory);
    expect((scan as WebAssembly.Memory).buffer).to.be.instanceOf(SharedArrayBuffer);
    const onDisk = readFileSync(path.join(dir, FILES.scan));
    expect(bytesOf(scan, onDisk.length).equals(onDisk)).to.equal(true);
  });

  it('answers exactly as the first, over the very same memory', async () => {
    const second = await openSnapshot(dir, embedder, null, { files: first.files });
    expect(await answersOf(second)).to.deep.equal(expected);
    for (const name of [...BINARY, FILES.scan]) expect(second.files!.get(name), name).to.equal(first.files!.get(name));
  });

  it('answers exactly as the first without its articles’ bodies (as an engine thread holds it), a chunk’s text then refused', async () => {
    const second = await openSnapshot(dir, embedder, null, { files: first.files });
    dropBodies(second.articles.values());
    expect(await answersOf(second)).to.deep.equal(expected);
    const article = second.articles.get('a')!;
    expect(article.body).to.equal('');
    expect(first.articles.get('a')!.body).to.not.equal('');
    expect(() => article.chunks[0]!.text).to.throw(/article a was let go of/);
  });

  it('answers exactly as the first opened without its articles’ bodies, headings and links, each left out as it is read', async () => {
    const second = await openSnapshot(dir, embedder, null, { files: first.files, fullText: 'later', bodies: false });
    expect([...second.articles.values()].map((a) => a.body)).to.deep.equal([...first.articles.keys()].map(() => ''));
    // Nor their headings and links (the full-text index's and the pages'); the rest as read.
    for (const a of second.articles.values()) {
      expect([a.headings, a.links]).to.deep.equal([[], []]);
      const { body: _b, headings: _h, links: _l, chunks: _c, ...rest } = first.articles.get(a.id)!;
      expect(a).to.deep.include(rest);
    }
    expect([...first.articles.values()].some((a) => a.headings.length)).to.equal(true);
    expect(await answersOf(second)).to.deep.equal(expected);
  });

  it('opened without bodies, refuses to fit a model from them (a damaged stored one), or to load its full text now', async () => {
    const damaged = new SharedArrayBuffer(40);
    new Uint8Array(damaged).set(new Uint8Array(first.files!.get(FILES.termModel) as SharedArrayBuffer, 0, 40));
    const files = filesWith({ [FILES.termModel]: damaged });
    const { value } = await logged(() =>
      openSnapshot(dir, embedder, null, { files, fullText: 'later', bodies: false }).then(
        () => expect.fail('fitted a model from empty bodies'),
        (error: unknown) => error,
      ),
    );
    expect(value).to.be.instanceOf(BodiesLeftOutError);
    await openSnapshot(dir, embedder, null, { files: first.files, bodies: false }).then(
      () => expect.fail('loaded a full-text index without bodies'),
      (error: unknown) => expect((error as Error).message).to.match(/no full-text index to load now/),
    );
  });

  it('answers exactly as the first in another thread the files are posted to, sharing the scan’s memory', async () => {
    const scan = first.files!.get(FILES.scan) as WebAssembly.Memory;
    const before = scan.buffer.byteLength;
    const worker = new Worker(new URL('../fixtures/sharedFilesWorker.mjs', import.meta.url), {
      workerData: { dir, files: first.files },
    });
    try {
      const answers = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(answers).to.deep.equal(expected);
      // The worker's scan added its own scratch pages to this very memory: the same memory, not a copy.
      expect(scan.buffer.byteLength).to.be.greaterThan(before);
    } finally {
      await worker.terminate();
    }
  });

  it('reads a file missing from the files from disk, and lists it', async () => {
    const second = await openSnapshot(dir, embedder, null, { files: filesWith({ [FILES.termModel]: null }) });
    expect(await answersOf(second)).to.deep.equal(expected);
    const read = second.files!.get(FILES.termModel);
    expect(read).to.be.instanceOf(SharedArrayBuffer);
    expect(read).not.to.equal(first.files!.get(FILES.termModel));
    expect(second.files!.get(FILES.classifier)).to.equal(first.files!.get(FILES.classifier));
  });

  it('fits a stored model again, with the same answers, when its shared file is damaged, as when the file on disk is', async () => {
    const truncated = (name: string) => {
      const held = new SharedArrayBuffer(40);
      new Uint8Array(held).set(new Uint8Array(first.files!.get(name) as SharedArrayBuffer, 0, 40));
      return held;
    };
    const { value, lines } = await logged(async () =>
      answersOf(
        await openSnapshot(dir, embedder, null, {
          files: filesWith({
            [FILES.termModel]: truncated(FILES.termModel),
            [FILES.classifier]: truncated(FILES.classifier),
          }),
        }),
      ),
    );
    expect(value).to.deep.equal(expected);
    expect(lines.filter((l) => /unreadable; fitting it again/.test(l))).to.have.length(2);
  });

  it('refuses a vector scan that is not the snapshot’s, as a foreign vectors.scan on disk is refused', async () => {
    const foreign = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    await openSnapshot(dir, embedder, null, { files: filesWith({ [FILES.scan]: foreign }) }).then(
      () => expect.fail('opened over a foreign scan'),
      (error: unknown) => expect(error).to.be.instanceOf(IndexMismatchError),
    );
  });

  it('takes a vector scan given as the file’s bytes (a SharedArrayBuffer), copied into a scan of its own', async () => {
    const onDisk = readFileSync(path.join(dir, FILES.scan));
    const bytes = new SharedArrayBuffer(onDisk.length);
    new Uint8Array(bytes).set(onDisk);
    const second = await openSnapshot(dir, embedder, null, { files: filesWith({ [FILES.scan]: bytes }) });
    expect(await answersOf(second)).to.deep.equal(expected);
  });
});
