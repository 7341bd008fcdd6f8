import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IndexMismatchError } from '../../core/errors.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import type { VectorHit, VectorItem } from '../../core/search/ports.ts';
import { readScanImage } from '../../core/search/scanImage.ts';
import { ScanVectorIndex } from '../../core/search/scanVectorIndex.ts';
import { vectorIndexKindFor } from '../../core/search/vectorIndexes.ts';
import { graphEmbedder } from '../helpers/graphEmbedder.ts';
import { tempDir } from '../helpers/tempDir.ts';

const DIMENSIONS = 64;

/** A deterministic vector per seed, a third of its dimensions zero, not unit length (the scan normalises). */
function vector(seed: number): Float32Array {
  let s = seed + 1;
  const next = () => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  return Float32Array.from({ length: DIMENSIONS }, () => (next() < 0.33 ? 0 : (next() - 0.5) * 3));
}

const item = (label: number): VectorItem => ({
  label,
  articleId: `a${label % 40}`,
  kind: 'question',
  text: `q${label}`,
});

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < a.length; d++) {
    dot += a[d]! * b[d]!;
    na += a[d]! * a[d]!;
    nb += b[d]! * b[d]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** The exact answer: every vector's float cosine, best first, ties in label order. */
function exact(vectors: Float32Array[], query: Float32Array, k: number, keep: (label: number) => boolean = () => true) {
  return vectors
    .map((v, label) => ({ label, similarity: cosine(v, query) }))
    .filter((x) => keep(x.label))
    .sort((a, b) => b.similarity - a.similarity || a.label - b.label)
    .slice(0, k);
}

const labelsOf = (hits: VectorHit[]) => hits.map((h) => h.item.label);

describe('ScanVectorIndex: every vector scanned exactly, stored as int8', () => {
  const vectors = Array.from({ length: 500 }, (_, i) => vector(i));
  const items = vectors.map((_, i) => item(i));
  const index = ScanVectorIndex.build(DIMENSIONS, items, vectors);
  const queries = Array.from({ length: 40 }, (_, q) => vector(10_000 + q));

  it('finds the true nearest vectors, each cosine within the int8 rounding of the exact one', () => {
    let sameFirst = 0;
    for (const query of queries) {
      const hits = index.search(query, 10);
      const truth = exact(vectors, query, 10);
      expect(hits).to.have.length(10);
      // Each hit's similarity is its true cosine, to the quantisation's error.
      for (const h of hits) expect(h.similarity).to.be.closeTo(cosine(vectors[h.item.label]!, query), 0.02);
      // Best first, and no vector left out is nearer than the last one kept, beyond that error.
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.similarity).to.be.at.most(hits[i - 1]!.similarity);
      expect(hits.at(-1)!.similarity).to.be.at.least(truth.at(-1)!.similarity - 0.02);
      if (hits[0]!.item.label === truth[0]!.label) sameFirst++;
    }
    expect(sameFirst).to.be.at.least(38);
  });

  it('asks the filter only of vectors that would be kept, and keeps only those it accepts', () => {
    const asked: number[] = [];
    const keep = (it: VectorItem) => (asked.push(it.label), it.label % 3 !== 0);
    const hits = index.search(queries[0]!, 10, keep);
    expect(labelsOf(hits).every((l) => l % 3 !== 0)).to.equal(true);
    expect(asked.length).to.be.below(vectors.length / 2);
    // The same neighbours as searching the accepted vectors alone.
    const alone = exact(vectors, queries[0]!, 10, (l) => l % 3 !== 0).map((x) => x.label);
    expect(labelsOf(hits).filter((l) => alone.includes(l)).length).to.be.at.least(9);
  });

  it('gives the same results with a filter passed again (its verdicts remembered) as with a new one each time', () => {
    const remembered = (it: VectorItem) => it.articleId !== 'a7' && it.articleId !== 'a9';
    for (const query of queries) {
      const fresh = index.search(query, 12, (it) => it.articleId !== 'a7' && it.articleId !== 'a9');
      expect(index.search(query, 12, remembered)).to.deep.equal(fresh);
    }
  });

  it('orders equal similarities by label, and answers a zero question with the first vectors', () => {
    const twice = [vector(1), vector(2), vector(1), vector(1)];
    const same = ScanVectorIndex.build(
      DIMENSIONS,
      twice.map((_, i) => item(i)),
      twice,
    );
    expect(labelsOf(same.search(vector(1), 3))).to.deep.equal([0, 2, 3]);
    expect(labelsOf(same.search(new Float32Array(DIMENSIONS), 2))).to.deep.equal([0, 1]);
  });

  it('returns at most the vectors it holds, and nothing from an empty index', () => {
    expect(index.search(queries[0]!, 10_000)).to.have.length(500);
    expect(ScanVectorIndex.build(DIMENSIONS, [], []).search(queries[0]!, 5)).to.deep.equal([]);
  });

  it('takes out the vectors of removed articles and adds new ones past the last label (watch mode), growing as needed', () => {
    const small = ScanVectorIndex.build(DIMENSIONS, items.slice(0, 100), vectors.slice(0, 100));
    const added = Array.from({ length: 1500 }, (_, i) => vector(50_000 + i));
    small.applyDelta(
      new Set(['a3']),
      added.map((_, i) => ({ ...item(0), articleId: `new${i}` })),
      added,
    );
    expect(small.size()).to.equal(100 - 3 + 1500);
    const all = [...vectors.slice(0, 100), ...added];
    for (const query of queries.slice(0, 10)) {
      const hits = small.search(query, 8);
      expect(hits.some((h) => h.item.articleId === 'a3')).to.equal(false);
      const truth = exact(all, query, 8, (l) => l >= 100 || l % 40 !== 3);
      expect(hits[0]!.item.label).to.equal(truth[0]!.label);
      for (const h of hits) if (h.item.label >= 100) expect(h.item.articleId).to.equal(`new${h.item.label - 100}`);
    }
  });

  it('refuses a vector of other dimensions', () => {
    expect(() => ScanVectorIndex.build(DIMENSIONS, [item(0)], [new Float32Array(8)])).to.throw(IndexMismatchError);
  });

  describe('its file', () => {
    let dir: ReturnType<typeof tempDir>;
    beforeEach(() => (dir = tempDir()));
    afterEach(() => dir.cleanup());

    it('reads back to the very same results', async () => {
      const file = path.join(dir.dir, 'vectors.scan');
      await index.write(file);
      const read = await ScanVectorIndex.read(file, DIMENSIONS, Promise.resolve(items));
      for (const query of queries) expect(read.search(query, 15)).to.deep.equal(index.search(query, 15));
    });

    it('reads in place from a shared image: scans on one memory give the file’s results, and a delta to one leaves the image as it was', async () => {
      const file = path.join(dir.dir, 'vectors.scan');
      await index.write(file);
      const image = await readScanImage(file, DIMENSIONS);
      // Both walks (the kernel's selection too, from the 33rd row), as another thread's scan on the memory would run.
      const onImage = () =>
        ScanVectorIndex.fromImage(
          image,
          file,
          DIMENSIONS,
          items.map((it) => ({ ...it })),
          { everyRowUpTo: 64, firstRows: 32 },
        );
      const [one, two] = [await onImage(), await onImage()];
      for (const query of queries) {
        expect(one.search(query, 15)).to.deep.equal(index.search(query, 15));
        expect(two.search(query, 15)).to.deep.equal(index.search(query, 15));
      }
      one.applyDelta(new Set(['a1']), [item(500)], [vector(500)]);
      const onDisk = readFileSync(file);
      expect(Buffer.from(image.buffer, 0, onDisk.length).equals(onDisk)).to.equal(true);
      for (const query of queries) expect(two.search(query, 15)).to.deep.equal(index.search(query, 15));
    });

    it('writes an index grown by a delta (rows to spare) as one built with those vectors', async () => {
      const grown = ScanVectorIndex.build(DIMENSIONS, items.slice(0, 10), vectors.slice(0, 10));
      grown.applyDelta(
        new Set(),
        items.slice(10, 30).map((it) => ({ ...it })),
        vectors.slice(10, 30),
      );
      const built = ScanVectorIndex.build(DIMENSIONS, items.slice(0, 30), vectors.slice(0, 30));
      const [a, b] = [path.join(dir.dir, 'grown.scan'), path.join(dir.dir, 'built.scan')];
      await grown.write(a);
      await built.write(b);
      expect(readFileSync(a).equals(readFileSync(b))).to.equal(true);
    });

    it('refuses a truncated file, one of other dimensions, and one whose count disagrees with the items', async () => {
      const file = path.join(dir.dir, 'vectors.scan');
      await index.write(file);
      const whole = readFileSync(file);
      const refusal = async (dims: number, listed: VectorItem[]) => {
        try {
          await ScanVectorIndex.read(file, dims, listed);
        } catch (error) {
          return error;
        }
        return null;
      };
      expect(await refusal(32, items)).to.be.instanceOf(IndexMismatchError);
      expect(await refusal(DIMENSIONS, items.slice(1))).to.be.instanceOf(IndexMismatchError);
      writeFileSync(file, whole.subarray(0, whole.length - 1));
      expect(await refusal(DIMENSIONS, items)).to.be.instanceOf(IndexMismatchError);
      writeFileSync(file, Buffer.from('not a scan'));
      expect(await refusal(DIMENSIONS, items)).to.be.instanceOf(IndexMismatchError);
    });
  });
});

describe('ScanVectorIndex: the kernel’s selection gives what the loop over every row gives', () => {
  /** Vectors with exact duplicates scattered through (ties), and their items; `n` rows. */
  const made = (n: number) => {
    const vectors = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? vector(i % 50) : vector(i)));
    return { vectors, items: () => vectors.map((_, i) => item(i)) };
  };
  const queries = [
    ...Array.from({ length: 25 }, (_, q) => vector(20_000 + q)),
    vector(7), // a stored vector: its duplicates tie at the top
    new Float32Array(DIMENSIONS), // a zero question: every score 0
  ];
  const walks = [
    { description: 'the defaults, above their every-row size', rows: 6000, options: {} },
    { description: 'a bound from the first 64 rows', rows: 3000, options: { everyRowUpTo: 0, firstRows: 64 } },
    { description: 'a bound from the first 5 rows', rows: 1000, options: { everyRowUpTo: 100, firstRows: 5 } },
  ];

  for (const { description, rows, options } of walks)
    describe(`${description} (${rows} rows)`, () => {
      const { vectors, items } = made(rows);
      const selecting = ScanVectorIndex.build(DIMENSIONS, items(), vectors, options);
      const everyRow = ScanVectorIndex.build(DIMENSIONS, items(), vectors, { everyRowUpTo: Infinity });

      it('the same hits, in the same order, with the same similarities to the last bit', () => {
        for (const query of queries)
          for (const k of [1, 10, 40, 300]) expect(selecting.search(query, k)).to.deep.equal(everyRow.search(query, k));
      });

      it('the same hits and the same filter calls under a filter, new or passed again', () => {
        const remembered = (it: VectorItem) => it.label % 5 !== 1 && it.articleId !== 'a12';
        for (const query of queries) {
          const asked: number[][] = [[], []];
          const hits = [selecting, everyRow].map((index, i) =>
            index.search(query, 40, (it) => (asked[i]!.push(it.label), it.label % 3 !== 0)),
          );
          expect(hits[0]).to.deep.equal(hits[1]);
          expect(asked[0]).to.deep.equal(asked[1]);
          expect(selecting.search(query, 40, remembered)).to.deep.equal(everyRow.search(query, 40, remembered));
        }
      });

      it('fewer accepted rows than k: every accepted one', () => {
        const few = (it: VectorItem) => it.label % 997 === 2;
        for (const query of queries.slice(0, 5)) {
          const hits = selecting.search(query, 40, few);
          expect(hits).to.deep.equal(everyRow.search(query, 40, few));
          expect(hits).to.have.length(Math.ceil((rows - 2) / 997));
        }
      });

      it('the same after a delta takes rows out and adds some (watch mode)', () => {
        const [a, b] = [
          ScanVectorIndex.build(DIMENSIONS, items(), vectors, options),
          ScanVectorIndex.build(DIMENSIONS, items(), vectors, { everyRowUpTo: Infinity }),
        ];
        const added = Array.from({ length: 300 }, (_, i) => vector(60_000 + i));
        for (const index of [a, b])
          index.applyDelta(
            new Set(['a3', 'a17', 'a20']),
            added.map((_, i) => ({ ...item(0), articleId: `new${i}` })),
            added,
          );
        for (const query of queries) {
          const hits = a.search(query, 40);
          expect(hits).to.deep.equal(b.search(query, 40));
          expect(hits.some((h) => ['a3', 'a17', 'a20'].includes(h.item.articleId))).to.equal(false);
        }
      });
    });
});

describe('vectorIndexKindFor', () => {
  it("scans the hashing embedder's sparse questions, and gives a dense model's the graph", () => {
    expect(vectorIndexKindFor(new HashingEmbedder(), 70_000)).to.equal('scan');
    expect(vectorIndexKindFor(graphEmbedder(), 70_000)).to.equal('hnsw');
  });

  it('gives the graph to more vectors than one scan holds', () => {
    expect(vectorIndexKindFor(new HashingEmbedder(), 700_000)).to.equal('scan');
    expect(vectorIndexKindFor(new HashingEmbedder(), 4_000_000)).to.equal('hnsw');
  });
});
