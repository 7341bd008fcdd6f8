import { expect } from 'chai';
import { decodeTermModel, encodeTermModel } from '../../core/answers/codecs/termModelCodec.ts';
import { decodeBundle } from '../../core/answers/codecs/typedBundle.ts';
import { TermModel } from '../../core/answers/lexical/termModel.ts';
import { BLOCK, narrowed } from '../../core/answers/lexical/bagPostings.ts';
import { WordBags, type WordBagParts } from '../../core/answers/lexical/wordBags.ts';

// A KB past two blocks of 65,536 articles: features 0–3 in most articles (count columns on a large KB), 4 in about
// 15 % (searched for the candidates: 16 postings or more per candidate in each block), 5–3,004 rare.
const ARTICLES = 2 * BLOCK + 5_000;
let s = 17;
const next = (n: number) => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n;
const builder = WordBags.builder(ARTICLES);
for (let a = 0; a < ARTICLES; a++) {
  const common = [0, 1, 2, 3].filter(() => next(10) < 8);
  const ids = [...new Set([...common, ...(next(100) < 15 ? [4] : []), next(3000) + 5, next(3000) + 5])];
  builder.add(
    a,
    Int32Array.from(ids),
    Int32Array.from(ids, () => 1 + next(4)),
    ids.length,
  );
}
const weightOf = (id: number) => 1 + (id % 7) / 10;
const blocked = builder.build(3005, weightOf);
const parts = blocked.parts();

/** The same bags with every article number whole, in 32 bits (what the postings held before blocks). */
function wideParts(): WordBagParts {
  const { starts, rows, values, blocks } = parts.postings;
  const inner = blocks!.length / (starts.length - 1);
  const wide = new Int32Array(rows.length);
  for (let f = 0; f + 1 < starts.length; f++)
    for (let p = starts[f]!; p < starts[f + 1]!; p++) {
      let b = 0;
      while (b < inner && p >= blocks![f * inner + b]!) b++;
      wide[p] = b * BLOCK + rows[p]!;
    }
  return { lengths: parts.lengths, postings: { starts, rows: wide, values } };
}
const wide = WordBags.restore(wideParts(), weightOf);
const q = {
  ids: Int32Array.from([3, 1500, 0, 2999, 4, 7, 12, 9, 2]),
  w: Float32Array.of(0.2, 0.7, 0.1, 0.4, 0.45, 0.3, 0.5, 0.25, 0.6),
};

describe('word bags above 65,536 articles: article numbers 16-bit, in blocks', () => {
  it('stores the articles as 16-bit rows with each feature’s block starts, where int32 rows were needed', () => {
    const { starts, rows, blocks } = parts.postings;
    expect(rows).to.be.instanceOf(Uint16Array);
    expect(blocks).to.be.instanceOf(Int32Array);
    expect(blocks!.length).to.equal(2 * (starts.length - 1));
    const wideRows = wideParts().postings.rows;
    expect(Math.max(...wideRows.subarray(starts[0], starts[1]))).to.be.above(2 * BLOCK);
    // Below 65,536 articles nothing changes: no blocks.
    const small = WordBags.builder(3);
    small.add(2, Int32Array.of(0), Int32Array.of(1), 1);
    expect(small.build(1, () => 1).parts().postings.blocks).to.equal(undefined);
  });

  it('scores every article with the coverage and BM25 the int32 rows give, to the last bit', () => {
    const score = (bags: WordBags) => {
      const [coverage, bm25] = [new Float32Array(ARTICLES), new Float32Array(ARTICLES)];
      bags.score(q, coverage, bm25);
      return [coverage, bm25];
    };
    const [c, b] = score(blocked);
    const [wc, wb] = score(wide);
    expect(Buffer.from(c!.buffer).equals(Buffer.from(wc!.buffer))).to.equal(true);
    expect(Buffer.from(b!.buffer).equals(Buffer.from(wb!.buffer))).to.equal(true);
    expect(b!.subarray(2 * BLOCK).some((x) => x > 0)).to.equal(true);
  });

  it('scores marked and listed candidates in every block (walked, searched or read from columns) as the int32 rows do', () => {
    // Candidates in each block, some at a block's first and last article.
    const candidates = Int32Array.from(
      new Set([0, BLOCK - 1, BLOCK, 2 * BLOCK, ARTICLES - 1, ...Array.from({ length: 900 }, (_, i) => i * 151)]),
    ).sort();
    const mask = new Uint8Array(ARTICLES);
    for (const a of candidates) mask[a] = 1;
    for (const listed of [candidates, undefined]) {
      const run = (bags: WordBags) => {
        const [coverage, bm25] = [new Float32Array(ARTICLES), new Float32Array(ARTICLES)];
        bags.scoreMasked(q, mask, coverage, bm25, undefined, listed);
        return [[...coverage], [...bm25]];
      };
      const got = run(blocked);
      expect(got).to.deep.equal(run(wide));
      expect(Array.from(candidates, (a) => got[1]![a]!).filter((x) => x > 0).length).to.be.above(700);
    }
  });

  it('takes a unit out of its article (calibration) and finds rare overlaps as the int32 rows do', () => {
    const article = 2 * BLOCK + 7;
    const minus = { article, counts: new Map([[0, 1]]) };
    const run = (bags: WordBags) => {
      const [coverage, bm25] = [new Float32Array(ARTICLES), new Float32Array(ARTICLES)];
      bags.scoreMasked(q, null, coverage, bm25, minus);
      const into = new Float64Array(ARTICLES);
      const touched = new Int32Array(ARTICLES);
      const n = bags.rareOverlap(q, 1000, into, touched);
      return [[...coverage], [...bm25], [...touched.subarray(0, n)], [...into]];
    };
    const got = run(blocked);
    expect(got).to.deep.equal(run(wide));
    expect(got[2]!.some((a) => a >= 2 * BLOCK)).to.equal(true);
  });

  it('narrows int32 rows into the same blocks, and keeps a snapshot’s blocks through its file (version 5)', () => {
    const again = narrowed(wideParts().postings);
    expect([...again.rows]).to.deep.equal([...parts.postings.rows]);
    expect([...again.blocks!]).to.deep.equal([...parts.postings.blocks!]);
    const model = TermModel.build([
      { id: 'a', lang: 'en', title: 'Reset your password', questions: ['forgot my password'], passages: [] },
      { id: 'b', lang: 'en', title: 'Connect to the VPN', questions: ['vpn does not connect'], passages: [] },
    ]);
    const plain = encodeTermModel(model.parts());
    expect((decodeBundle(plain).meta as { version: number }).version).to.equal(4);
    const bytes = encodeTermModel({ ...model.parts(), bags: parts });
    expect((decodeBundle(bytes).meta as { version: number }).version).to.equal(5);
    const read = decodeTermModel(bytes).bags.postings;
    expect([...read.blocks!]).to.deep.equal([...parts.postings.blocks!]);
    expect(read.rows).to.be.instanceOf(Uint16Array);
    // Block starts that leave a feature's postings are refused (the model is then fitted again).
    const broken = new Uint8Array(bytes);
    const view = decodeBundle(broken).arrays.get('bags.postings.blocks') as Int32Array;
    view[0] = parts.postings.starts[1]! + 1;
    expect(() => decodeTermModel(broken)).to.throw(/blocks does not fit/);
  });
});
