import { Csr } from '../lexical/csr.ts';
import type { TermModelParts } from '../lexical/termModel.ts';
import type { BagPostings } from '../lexical/bagPostings.ts';
import { arrayOf, bundlePieces, decodeBundle, joinPieces, type BundleArray } from './typedBundle.ts';

/**
 * The fitted lexical model as one file of the index snapshot: its arrays as
 * a typed bundle (read back as views on the file's bytes), its word lists
 * and sizes in the bundle's header. Version 2 may hold the word bags'
 * postings as 16-bit integers; version 3 also the article centroids'
 * posting rows (article numbers: 12 → 6 MB at 10k articles, read as views
 * and kept while serving); version 4 may hold the word bags' counts as
 * 8-bit integers (35 → 17 MB at 10k articles); version 5 is 4 with the
 * word bags' postings 16-bit in blocks above 65,536 articles (`bags.blocks`:
 * 345 MB less at 100k articles), written only then, so a reader of version
 * 4 refuses such a file rather than read its rows as article numbers;
 * versions 1 to 4 still read. Another version is refused, and the model
 * fitted again from the articles.
 */
const VERSION = 4;
const BLOCKED_VERSION = 5;
const READABLE = [1, 2, 3, 4, BLOCKED_VERSION];

interface Meta {
  version: number;
  articles: number;
  units: number;
  wordVectors: string | null;
  unknownIdf: number;
  spellerWords: string[];
  neighbourWords: string[] | null;
  classifier: string | null;
}

export function encodeTermModel(parts: TermModelParts): Uint8Array {
  return joinPieces(termModelPieces(parts));
}

/** `encodeTermModel`'s bytes in pieces to write one after another, each array from its own bytes (`bundlePieces`). */
export function termModelPieces(parts: TermModelParts): Uint8Array[] {
  const meta: Meta = {
    version: parts.bags.postings.blocks ? BLOCKED_VERSION : VERSION,
    articles: parts.articles,
    units: parts.units,
    wordVectors: parts.wordVectors,
    unknownIdf: parts.space.unknownIdf,
    spellerWords: parts.reader.speller.words,
    neighbourWords: parts.reader.neighbourWords,
    classifier: parts.classifier,
  };
  const { space, reader, centroids, bags } = parts;
  return bundlePieces(meta, {
    'space.codes': space.codes,
    'space.slots': space.slots,
    'space.kinds': space.kinds,
    'space.idf': space.idf,
    'speller.counts': reader.speller.counts,
    'speller.starts': reader.speller.starts,
    'speller.entries': reader.speller.entries,
    ...postings('units', parts.unitPostings),
    'centroids.starts': centroids.starts,
    'centroids.ids': centroids.ids,
    'centroids.w': centroids.w,
    ...postings('centroids', centroids.postings),
    'centroids.postings.rows': narrowRows(centroids.postings.rows),
    'centroids.norms': centroids.norms,
    'centroids.unitDots': centroids.unitDots,
    ...postings('bags', bags.postings),
    ...(bags.postings.blocks ? { 'bags.postings.blocks': bags.postings.blocks } : {}),
    'bags.lengths': bags.lengths,
  });
}

/** The parts in `bytes`, as views on them; throws on anything that is not a whole file of this version. */
export function decodeTermModel(bytes: Uint8Array): TermModelParts {
  const { meta: raw, arrays } = decodeBundle(bytes);
  const meta = raw as Meta;
  if (!READABLE.includes(meta?.version)) throw new Error('not a lexical model file of a known version');
  const i32 = (name: string) => arrayOf(arrays, name, Int32Array);
  const f32 = (name: string) => arrayOf(arrays, name, Float32Array);
  const csr = (prefix: string) => Csr.restore(i32(`${prefix}.starts`), i32(`${prefix}.rows`), f32(`${prefix}.values`));
  return {
    articles: meta.articles,
    units: meta.units,
    wordVectors: meta.wordVectors,
    space: {
      codes: arrayOf(arrays, 'space.codes', Uint32Array),
      slots: i32('space.slots'),
      kinds: arrayOf(arrays, 'space.kinds', Uint8Array),
      idf: f32('space.idf'),
      unknownIdf: meta.unknownIdf,
    },
    reader: {
      speller: {
        words: meta.spellerWords,
        counts: i32('speller.counts'),
        starts: i32('speller.starts'),
        entries: i32('speller.entries'),
      },
      neighbourWords: meta.neighbourWords,
    },
    unitPostings: csr('units.postings'),
    centroids: {
      starts: i32('centroids.starts'),
      ids: i32('centroids.ids'),
      w: f32('centroids.w'),
      postings: Csr.restore(
        i32('centroids.postings.starts'),
        rowsOf(arrays, 'centroids.postings.rows'),
        f32('centroids.postings.values'),
      ),
      norms: f32('centroids.norms'),
      unitDots: f32('centroids.unitDots'),
    },
    bags: { postings: bagPostings(arrays), lengths: f32('bags.lengths') },
    classifier: meta.classifier,
  };
}

/** Row numbers as 16-bit integers when every one fits (the same numbers), else as they are. */
function narrowRows(rows: Int32Array | Uint16Array): Int32Array | Uint16Array {
  if (rows instanceof Uint16Array) return rows;
  for (let i = 0; i < rows.length; i++) if (rows[i]! < 0 || rows[i]! > 0xffff) return rows;
  return Uint16Array.from(rows);
}

/** Posting rows of either width. */
function rowsOf(arrays: Map<string, BundleArray>, name: string): Int32Array | Uint16Array {
  const rows = arrays.get(name);
  if (!(rows instanceof Int32Array || rows instanceof Uint16Array))
    throw new Error(`bundle has no ${name} of int32 or uint16`);
  return rows;
}

/** The word bags' postings, of either width (see `BagPostings`). */
function bagPostings(arrays: Map<string, BundleArray>): BagPostings {
  const starts = arrayOf(arrays, 'bags.postings.starts', Int32Array);
  const rows = arrays.get('bags.postings.rows');
  const values = arrays.get('bags.postings.values');
  if (!(rows instanceof Int32Array || rows instanceof Uint16Array))
    throw new Error('bundle has no bags.postings.rows of int32 or uint16');
  if (!(values instanceof Float32Array || values instanceof Uint16Array || values instanceof Uint8Array))
    throw new Error('bundle has no bags.postings.values of float32, uint16 or uint8');
  if (rows.length !== values.length || starts[starts.length - 1] !== rows.length)
    throw new Error('postings arrays disagree on their sizes');
  if (!arrays.has('bags.postings.blocks')) return { starts, rows, values };
  const blocks = arrayOf(arrays, 'bags.postings.blocks', Int32Array);
  const features = starts.length - 1;
  const inner = features ? blocks.length / features : 0;
  if (!(rows instanceof Uint16Array) || !Number.isInteger(inner) || inner < 1)
    throw new Error('bags.postings.blocks does not fit the postings');
  // Each feature's block starts in order within its postings: a scorer trusts them as it trusts `starts`.
  for (let f = 0; f < features; f++)
    for (let b = 0, at = starts[f]!; b <= inner; b++) {
      const next = b < inner ? blocks[f * inner + b]! : starts[f + 1]!;
      if (!(next >= at)) throw new Error('bags.postings.blocks does not fit the postings');
      at = next;
    }
  return { starts, rows, values, blocks };
}

function postings(prefix: string, csr: Csr | BagPostings): Record<string, BundleArray> {
  return {
    [`${prefix}.postings.starts`]: csr.starts,
    [`${prefix}.postings.rows`]: csr.rows,
    [`${prefix}.postings.values`]: csr.values,
  };
}
