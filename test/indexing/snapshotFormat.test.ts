import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import type { Article } from '../../core/articles/types.ts';
import { buildIndex, type BuildSummary } from '../../core/indexing/buildIndex.ts';
import { openSnapshot, type KbIndex } from '../../core/indexing/kbIndex.ts';
import {
  FILES,
  IndexCorruptError,
  readManifest,
  readSnapshot,
  SNAPSHOT_FORMAT,
  type StoredSnapshot,
} from '../../core/indexing/snapshot.ts';
import { asciiJson } from '../../core/indexing/snapshotJson.ts';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { storedArticle } from '../../core/articles/servedArticle.ts';
import { decodeBundle, encodeBundle, type BundleArray } from '../../core/answers/codecs/typedBundle.ts';
import { loadGloveWordVectors } from '../../core/search/gloveWordVectors.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import type { WordVectors } from '../../core/search/ports.ts';
import { cp } from 'node:fs/promises';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { logged } from '../helpers/logged.ts';
import { collectGarbage } from '../../server/collectGarbage.ts';
import { tempDir } from '../helpers/tempDir.ts';

const UNRELATED = [
  'what is the weather in Madrid tomorrow',
  '¿quién ganó el partido de ayer?',
  'pasword forgoten',
  'contraseña olvidada',
  'refnud',
  'vpn',
];

/** Every listed question and title of the KB, each also with its first word dropped, and questions it cannot answer. */
function probesOf(index: KbIndex): string[] {
  const out: string[] = [];
  for (const a of index.articles.values())
    for (const q of [a.title, ...a.questions]) out.push(q, q.split(' ').slice(1).join(' ') || q);
  return [...out, ...UNRELATED];
}

/** What a user would see for each probe, to the last digit: action, ranking, scores and confidences. */
async function answersOf(index: KbIndex, probes: string[]): Promise<unknown[]> {
  const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  const out: unknown[] = [];
  for (const question of probes) {
    const r = await engine.answer({ question });
    out.push([question, r.action, r.lang, r.ranked.map((x) => [x.article.id, x.score, x.confidence])]);
  }
  return out;
}

describe('the index snapshot format', function () {
  this.timeout(120_000);
  const embedder = new HashingEmbedder();
  let kb: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;
  let vectors: WordVectors | null;
  let built: BuildSummary;
  let probes: string[];
  let expected: unknown[];
  /** The KB's articles as parsed (chunks with their texts), by id. */
  let parsedById: Map<string, Article>;

  before(async () => {
    kb = tempDir();
    data = tempDir();
    await cp(FIXTURE_KB, kb.dir, { recursive: true });
    vectors = await loadGloveWordVectors();
    built = await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, wordVectors: vectors, defaultLang: 'en' });
    probes = probesOf(built.index);
    expected = await answersOf(built.index, probes);
    const parsed = await loadKnowledgeBase(kb.dir, { defaultLang: 'en' });
    parsedById = new Map(parsed.articles.map((a) => [a.id, a]));
  });
  after(() => {
    kb.cleanup();
    data.cleanup();
  });

  /** A copy of the built snapshot to damage or age, opened. */
  async function openCopy(change: (dir: string) => void): Promise<{ index: KbIndex; lines: string[] }> {
    const dir = path.join(path.dirname(built.snapshotDir!), `snap-copy-${Math.random().toString(36).slice(2)}`);
    await cp(built.snapshotDir!, dir, { recursive: true });
    change(dir);
    const { value, lines } = await logged(() => openSnapshot(dir, embedder, vectors));
    return { index: value, lines };
  }

  it('is written in the current format, with the fitted lexical model and the centroids beside the articles', () => {
    const manifest = JSON.parse(readFileSync(path.join(built.snapshotDir!, FILES.manifest), 'utf8'));
    expect(manifest.format).to.equal(SNAPSHOT_FORMAT);
    expect(readFileSync(path.join(built.snapshotDir!, FILES.termModel)).byteLength).to.be.greaterThan(0);
    expect(readFileSync(path.join(built.snapshotDir!, FILES.centroids)).byteLength).to.be.greaterThan(0);
  });

  it('reads back, without fitting anything or reading the vectors, an index that answers every probe identically', async () => {
    expect(probes.length).to.be.greaterThan(100);
    // No vector file: the centroids come from their own file and the vectors from the graph.
    const { index, lines } = await openCopy((dir) => rmSync(path.join(dir, FILES.vectors)));
    expect(lines.filter((l) => /fitting/.test(l))).to.deep.equal([]);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
    expect(index.terms.saveClassifier()!.fingerprint).to.equal(built.index.terms.saveClassifier()!.fingerprint);
  });

  it("lists each chunk in articles.json by its heading alone: its text is the body's, not written twice", () => {
    const stored = JSON.parse(readFileSync(path.join(built.snapshotDir!, FILES.articles), 'utf8')) as Article[];
    const withChunks = stored.filter((a) => a.chunks.length);
    expect(withChunks.length).to.be.greaterThan(10);
    for (const a of withChunks) {
      const parsed = parsedById.get(a.id)!;
      expect(a.chunks).to.deep.equal(parsed.chunks.map((c) => ({ heading: c.heading })));
      expect({ ...a, chunks: [] }).to.deep.equal({ ...parsed, chunks: [] });
    }
  });

  it('serves articles whose chunks hold no text of their own, read from the body when asked: the same as parsed', async () => {
    const { index } = await openCopy(() => undefined);
    expect(index.articles.size).to.equal(parsedById.size);
    for (const a of parsedById.values()) {
      const served = index.articles.get(a.id)!;
      // Held: headings only (the texts repeat the body); read: the same chunks, in the same order.
      expect(served.chunks.some((c) => Object.hasOwn(c, 'text'))).to.equal(false);
      expect(served.chunks.map((c) => [c.id, c.articleId, c.heading, c.text])).to.deep.equal(
        a.chunks.map((c) => [c.id, c.articleId, c.heading, c.text]),
      );
      expect(JSON.parse(JSON.stringify(served))).to.deep.equal(JSON.parse(JSON.stringify(a)));
    }
  });

  it('still opens a snapshot of format 2 (articles.json with whole chunks) with the same answers and served articles', async () => {
    const { index, lines } = await openCopy((dir) => {
      writeFileSync(path.join(dir, FILES.articles), asciiJson([...parsedById.values()]));
      const manifest = JSON.parse(readFileSync(path.join(dir, FILES.manifest), 'utf8'));
      writeFileSync(path.join(dir, FILES.manifest), JSON.stringify({ ...manifest, format: 2 }));
    });
    expect(lines.filter((l) => /unreadable|fitting/.test(l))).to.deep.equal([]);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
    const served = [...index.articles.values()];
    expect(served.flatMap((a) => a.chunks).some((c) => Object.hasOwn(c, 'text'))).to.equal(false);
    expect(JSON.parse(JSON.stringify(served))).to.deep.equal(JSON.parse(JSON.stringify([...parsedById.values()])));
  });

  it('refuses a snapshot of a format it does not know, rather than misreading it', async () => {
    const dir = path.join(path.dirname(built.snapshotDir!), `snap-copy-${Math.random().toString(36).slice(2)}`);
    await cp(built.snapshotDir!, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(dir, FILES.manifest), 'utf8'));
    writeFileSync(path.join(dir, FILES.manifest), JSON.stringify({ ...manifest, format: SNAPSHOT_FORMAT + 1 }));
    const error = await readManifest(dir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(IndexCorruptError);
    expect((error as Error).message).to.match(/unknown snapshot format/);
  });

  it('restores the lexical model without holding its passages: each is read from its article when asked', async () => {
    const { index } = await openCopy(() => undefined);
    const passages = Array.from(index.terms.units).filter((u) => u.kind === 'passage');
    const builtPassages = Array.from(built.index.terms.units).filter((u) => u.kind === 'passage');
    expect(passages.length).to.be.greaterThan(10);
    expect(passages.some((u) => Object.hasOwn(u, 'text'))).to.equal(false);
    expect(passages.map((u) => [u.article, u.text, u.matched])).to.deep.equal(
      builtPassages.map((u) => [u.article, u.text, u.matched]),
    );
  });

  it('calibrates a loaded model as it does the built one: its classifier retrains without left-out phrasings alike', async () => {
    const { index } = await openCopy(() => undefined);
    const leftOut = new Set([1, 2, 5]);
    const q = built.index.terms.vectorize('I forgot my password', 'en');
    const all = () => true;
    const fresh = built.index.terms.withoutUnits(leftOut).score(q, all, 1);
    const loaded = index.terms.withoutUnits(leftOut).score(index.terms.vectorize('I forgot my password', 'en'), all, 1);
    expect(Object.values(loaded).map((a: Float32Array) => [...a])).to.deep.equal(
      Object.values(fresh).map((a: Float32Array) => [...a]),
    );
  });

  it('serves without items.json: the items come from items.bin, and a text is read from items.json when asked for', async () => {
    const withoutTexts = await openCopy((dir) => rmSync(path.join(dir, FILES.items)));
    expect(await answersOf(withoutTexts.index, probes)).to.deep.equal(expected);
    const { index } = await openCopy(() => undefined);
    const [vector] = await embedder.embed(['I forgot my password'], 'query', 'en');
    // As items.json lists them: a loaded item's text and hash are read from it on first use.
    const hitsOf = (i: KbIndex) => JSON.parse(JSON.stringify(i.vectors.search(vector!, 5).map((h) => h.item)));
    expect(hitsOf(index)).to.deep.equal(hitsOf(built.index));
  });

  it('serves items that do not keep the articles as read alive (their chunk texts repeat the bodies)', async () => {
    let read: StoredSnapshot | null = await readSnapshot(built.snapshotDir!, { vectors: 'if-needed' });
    const asRead = new WeakRef(read.articles);
    const items = read.items;
    read = null;
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(asRead.deref()).to.equal(undefined);
    // The items still read their texts (from items.json) when asked.
    const listed = JSON.parse(readFileSync(path.join(built.snapshotDir!, FILES.items), 'utf8')) as { text: string }[];
    expect(items.map((item) => item.text)).to.deep.equal(listed.map((item) => item.text));
  });

  it('opens a snapshot written before items.bin, or with it damaged, from items.json with the same answers', async () => {
    // As written before items.bin: no such file, and JSON in UTF-8.
    const older = await openCopy((dir) => {
      rmSync(path.join(dir, FILES.itemsTable));
      for (const file of [FILES.articles, FILES.items, FILES.fullText]) {
        const json = readFileSync(path.join(dir, file), 'utf8');
        writeFileSync(path.join(dir, file), JSON.stringify(JSON.parse(json)));
      }
    });
    expect(older.lines.filter((l) => /unreadable/.test(l))).to.deep.equal([]);
    expect(await answersOf(older.index, probes)).to.deep.equal(expected);
    const damaged = await openCopy((dir) => writeFileSync(path.join(dir, FILES.itemsTable), 'DFTB'));
    expect(damaged.lines.some((l) => /unreadable/.test(l) && /items\.bin/.test(l) && /items\.json/.test(l))).to.equal(
      true,
    );
    expect(await answersOf(damaged.index, probes)).to.deep.equal(expected);
  });

  it('writes its JSON files in ASCII, which read back to the same accented text', () => {
    for (const file of [FILES.articles, FILES.items, FILES.fullText])
      expect(readFileSync(path.join(built.snapshotDir!, file)).every((byte) => byte < 0x80)).to.equal(true);
    const articles = JSON.parse(readFileSync(path.join(built.snapshotDir!, FILES.articles), 'utf8')) as unknown[];
    expect(/[^\x00-\x7f]/.test(JSON.stringify(articles))).to.equal(true);
    // As parsed, the chunks listed without their texts.
    expect(articles).to.deep.equal(JSON.parse(JSON.stringify([...parsedById.values()].map(storedArticle))));
  });

  it('stores the word bags as 16-bit articles and 8-bit counts, and still restores 32-bit ones (version 1)', async () => {
    const stored = decodeBundle(readFileSync(path.join(built.snapshotDir!, FILES.termModel)));
    expect(stored.arrays.get('bags.postings.rows')).to.be.instanceOf(Uint16Array);
    expect(stored.arrays.get('bags.postings.values')).to.be.instanceOf(Uint8Array);
    const { index, lines } = await openCopy((dir) => {
      const arrays = new Map<string, BundleArray>(stored.arrays);
      arrays.set('bags.postings.rows', Int32Array.from(arrays.get('bags.postings.rows')!));
      arrays.set('bags.postings.values', Float32Array.from(arrays.get('bags.postings.values')!));
      const meta = { ...(stored.meta as object), version: 1 };
      writeFileSync(path.join(dir, FILES.termModel), encodeBundle(meta, Object.fromEntries(arrays)));
    });
    expect(lines.filter((l) => /fitting|unreadable/.test(l))).to.deep.equal([]);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
  });

  it("still restores a lexical model stored with the word bags' counts as 16-bit integers (version 3)", async () => {
    const stored = decodeBundle(readFileSync(path.join(built.snapshotDir!, FILES.termModel)));
    const { index, lines } = await openCopy((dir) => {
      const arrays = new Map<string, BundleArray>(stored.arrays);
      arrays.set('bags.postings.values', Uint16Array.from(arrays.get('bags.postings.values')!));
      const meta = { ...(stored.meta as object), version: 3 };
      writeFileSync(path.join(dir, FILES.termModel), encodeBundle(meta, Object.fromEntries(arrays)));
    });
    expect(lines.filter((l) => /fitting|unreadable/.test(l))).to.deep.equal([]);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
  });

  it("stores the article centroids' posting rows as 16-bit integers, and still restores 32-bit ones (version 2)", async () => {
    const stored = decodeBundle(readFileSync(path.join(built.snapshotDir!, FILES.termModel)));
    expect(stored.arrays.get('centroids.postings.rows')).to.be.instanceOf(Uint16Array);
    const { index, lines } = await openCopy((dir) => {
      const arrays = new Map<string, BundleArray>(stored.arrays);
      arrays.set('centroids.postings.rows', Int32Array.from(arrays.get('centroids.postings.rows')!));
      const meta = { ...(stored.meta as object), version: 2 };
      writeFileSync(path.join(dir, FILES.termModel), encodeBundle(meta, Object.fromEntries(arrays)));
    });
    expect(lines.filter((l) => /fitting|unreadable/.test(l))).to.deep.equal([]);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
  });

  it('stores the embedder centroids sparse, and still opens a snapshot that stores them dense', async () => {
    const stored = decodeBundle(readFileSync(path.join(built.snapshotDir!, FILES.centroids)));
    expect((stored.meta as { sparse?: boolean }).sparse).to.equal(true);
    expect([...stored.arrays.keys()].sort()).to.deep.equal(['dims', 'starts', 'values']);
    const dense = built.index.centroids.toMap();
    const { index, lines } = await openCopy((dir) => {
      const ids = [...dense.keys()];
      const dims = built.index.centroids.dimensions;
      const vectors = new Float32Array(ids.length * dims);
      ids.forEach((id, i) => vectors.set(dense.get(id)!, i * dims));
      writeFileSync(path.join(dir, FILES.centroids), encodeBundle({ ids, dims }, { vectors }));
    });
    expect(lines.filter((l) => /fitting|unreadable/.test(l))).to.deep.equal([]);
    expect([...index.centroids.toMap()]).to.deep.equal([...dense]);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
  });

  it('still opens an older snapshot (format 1, nothing stored but the classifier), fitting the model again with a log line', async () => {
    const { index, lines } = await openCopy((dir) => {
      rmSync(path.join(dir, FILES.termModel));
      rmSync(path.join(dir, FILES.centroids));
      const manifest = JSON.parse(readFileSync(path.join(dir, FILES.manifest), 'utf8'));
      writeFileSync(path.join(dir, FILES.manifest), JSON.stringify({ ...manifest, format: 1 }));
    });
    expect(lines.some((l) => /stores no lexical model/.test(l) && /"format":1/.test(l))).to.equal(true);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
  });

  it('fits the model again, with the same answers, when its stored file is damaged', async () => {
    const { index, lines } = await openCopy((dir) => {
      const file = path.join(dir, FILES.termModel);
      writeFileSync(file, readFileSync(file).subarray(0, 5000));
    });
    expect(lines.some((l) => /unreadable/.test(l) && /termmodel\.bin/.test(l))).to.equal(true);
    expect(await answersOf(index, probes)).to.deep.equal(expected);
  });

  it('fits the model again when other word vectors are configured than it was fitted with', async () => {
    const dir = built.snapshotDir!;
    const other: WordVectors = { id: 'other-vectors', lang: 'en', dimensions: 2, vector: () => null, weight: () => 1 };
    const { lines } = await logged(() => openSnapshot(dir, embedder, other));
    expect(lines.some((l) => /does not fit/.test(l) && /other word vectors/.test(l))).to.equal(true);
  });
});
