import MiniSearch, { type AsPlainObject } from 'minisearch';
import type { Lang } from '../contracts/api.ts';
import { cachedTerms as terms } from '../text/cachedTerms.ts';
import type { FullTextHit, FullTextIndex, SearchDocument, SearchFilter } from './ports.ts';
import { SynonymTable } from './synonyms.ts';

interface StoredDoc {
  id: string;
  lang: Lang;
  title: string[];
  questions: string[];
  headings: string[];
  body: string[];
  tags: string[];
  tagList: string[];
  status: string;
  audience: string;
}

const FIELDS = ['title', 'questions', 'headings', 'body', 'tags'];
/**
 * Stored with each document: what a search's filter reads, nothing else (a
 * hit is an id and a score). The raw title, stored until 2026-12, was never
 * read: 10,000 strings held at 10k articles. An older fulltext.json that
 * still lists it loads as before.
 */
const STORE = ['lang', 'tagList', 'status', 'audience'];
const BOOST = { title: 3, questions: 2, headings: 1.5, body: 1, tags: 1.5 };

/**
 * The in-process full-text engine (MiniSearch, BM25). Articles are analysed
 * in their own language before they reach MiniSearch (stems, folded accents),
 * and a question is analysed once per language present, each analysis
 * searching only the articles of that language.
 */
export class MiniSearchIndex implements FullTextIndex {
  readonly kind = 'minisearch';
  private readonly langs: Set<Lang>;
  private readonly synonyms: SynonymTable;

  private constructor(
    private readonly ms: MiniSearch<StoredDoc>,
    synonyms: string[][],
  ) {
    this.synonyms = new SynonymTable(synonyms);
    this.langs = new Set<Lang>();
    // One pass over every document's stored fields, keeping none (a search per language kept each one's results);
    // the languages are then added in a fixed order, which orders tied hits across languages.
    const present = new Set<unknown>();
    ms.search(MiniSearch.wildcard, { filter: (r) => (present.add(r.lang), false) });
    for (const lang of ['es', 'en'] as const) if (present.has(lang)) this.langs.add(lang);
  }

  static build(docs: SearchDocument[], synonyms: string[][] = []): MiniSearchIndex {
    const ms = new MiniSearch<StoredDoc>(options());
    ms.addAll(docs.map(toStored));
    return new MiniSearchIndex(ms, synonyms);
  }

  /**
   * `build`, a hundred documents at a time with the event loop free between
   * them: a server rebuilding a damaged snapshot file (seconds at 10k
   * articles) keeps answering meanwhile. The same index as `build`.
   */
  static async buildInSlices(docs: readonly SearchDocument[], synonyms: string[][] = []): Promise<MiniSearchIndex> {
    const ms = new MiniSearch<StoredDoc>(options());
    for (let i = 0; i < docs.length; i += 100) {
      if (i) await new Promise((resolve) => setImmediate(resolve));
      ms.addAll(docs.slice(i, i + 100).map(toStored));
    }
    return new MiniSearchIndex(ms, synonyms);
  }

  /** The index from `toJSON`'s text, or from MiniSearch's own JSON on one line (fulltext.json before 2026-12-07). */
  static fromJSON(json: string, synonyms: string[][] = []): MiniSearchIndex {
    return MiniSearchIndex.fromJsonLines(linesOf(json), synonyms);
  }

  /** `fromJSON` in slices, as `fromJsonLinesInSlices`: the same index. */
  static fromJSONInSlices(json: string, synonyms: string[][] = []): Promise<MiniSearchIndex> {
    return MiniSearchIndex.fromJsonLinesInSlices(linesOf(json), synonyms);
  }

  /**
   * The index from `toJSON`'s text given line by line (a snapshot's
   * fulltext.json read in pieces: see readFullTextLines): each term's
   * postings are parsed and added as their line comes, so the whole text
   * and MiniSearch's whole object tree, both garbage once loaded, never live
   * beside the index (at 10k articles the load's peak RSS fell from 255 to
   * 186 MB, its CPU from 0.81 to 0.57 s). A text of one line, MiniSearch's
   * own JSON, is parsed whole as before. A text cut short throws.
   */
  static fromJsonLines(lines: Iterable<string>, synonyms: string[][] = []): MiniSearchIndex {
    const { js, close } = plainObjectOf(lines);
    try {
      return new MiniSearchIndex(MiniSearch.loadJS<StoredDoc>(js, options()), synonyms);
    } finally {
      close();
    }
  }

  /**
   * `fromJsonLines` with the event loop let go of every thousand terms and
   * every thousand postings of a term (MiniSearch's own `loadJSAsync`): the
   * same index. A server loads its full-text index after it is ready, while
   * it answers; loaded in one go it held every request up for the whole
   * load (0.6 s at 10k articles, 11–13 s at 100k on a 2-core machine).
   */
  static async fromJsonLinesInSlices(lines: Iterable<string>, synonyms: string[][] = []): Promise<MiniSearchIndex> {
    const { js, close } = plainObjectOf(lines);
    try {
      return new MiniSearchIndex(await MiniSearch.loadJSAsync<StoredDoc>(js, options()), synonyms);
    } finally {
      close();
    }
  }

  /**
   * MiniSearch's JSON with each indexed term on a line of its own: still one
   * JSON text (any JSON reader, and a server from before 2026-12-07, parses
   * it as MiniSearch's), which `fromJsonLines` can also read a line at a
   * time. The first line is every other field, ending where the terms start;
   * the terms come in MiniSearch's order, which orders each hit's matched
   * terms and ties, as before.
   */
  toJSON(): string {
    return jsonOf(this.ms.toJSON());
  }

  /** Replace or add `docs` and take out `removed`, in place: watch mode's delta (core/indexing/applyDelta.ts). */
  applyDelta(docs: readonly SearchDocument[], removed: Iterable<string>): void {
    for (const id of [...removed, ...docs.map((d) => d.id)]) if (this.ms.has(id)) this.ms.discard(id);
    this.ms.addAll(docs.map(toStored));
    for (const d of docs) this.langs.add(d.lang);
  }

  count(): number {
    return this.ms.documentCount;
  }

  async search(
    query: string,
    opts: { lang: Lang; filter?: SearchFilter; limit: number; synonyms?: boolean },
  ): Promise<FullTextHit[]> {
    const hits: FullTextHit[] = [];
    for (const lang of this.langs) {
      if (opts.filter?.langs && !opts.filter.langs.includes(lang)) continue;
      const qTerms = terms(query, lang);
      if (!qTerms.length) continue;
      const extra = opts.synonyms === false ? [] : this.synonyms.expand(qTerms, lang);
      const all = [...qTerms, ...extra];
      const results = this.ms.search(all.join(' '), {
        filter: (r) => r.lang === lang && accepts(r as unknown as StoredDoc, opts.filter),
        fuzzy: (term) => (term.length > 5 ? 0.2 : term.length > 3 ? 1 : false) as number | false,
        prefix: (_term, i, ts) => i === ts.length - 1 && i < qTerms.length,
        boostTerm: (term) => (extra.includes(term) && !qTerms.includes(term) ? 0.5 : 1),
        weights: { fuzzy: 0.35, prefix: 0.4 },
      });
      for (const r of results.slice(0, opts.limit)) hits.push({ id: String(r.id), score: r.score, matched: r.terms });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, opts.limit);
  }

  async suggest(prefix: string, opts: { lang?: Lang; filter?: SearchFilter; limit: number }): Promise<FullTextHit[]> {
    const langs = opts.lang ? [opts.lang] : [...this.langs];
    const hits: FullTextHit[] = [];
    for (const lang of langs) {
      const qTerms = terms(prefix, lang);
      if (!qTerms.length) continue;
      const results = this.ms.search(qTerms.join(' '), {
        fields: ['title', 'questions'],
        combineWith: 'AND',
        prefix: true,
        fuzzy: (term) => (term.length > 4 ? 1 : false) as number | false,
        filter: (r) => r.lang === lang && accepts(r as unknown as StoredDoc, opts.filter),
      });
      for (const r of results.slice(0, opts.limit)) hits.push({ id: String(r.id), score: r.score, matched: r.terms });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, opts.limit);
  }
}

function options() {
  return {
    fields: FIELDS,
    storeFields: STORE,
    idField: 'id',
    // Fields arrive already analysed (per article language), as their terms: see passTerms.
    stringifyField: passTerms,
    tokenize: takeTerms,
    processTerm: (term: string) => term || null,
    // A query arrives analysed too, its terms space-separated.
    searchOptions: { boost: BOOST, tokenize: (text: string) => text.split(' ') },
  };
}

/**
 * A field's terms go to MiniSearch as they are: `stringifyField` hands the
 * array on and `tokenize` takes it back, where joining them with spaces for
 * `tokenize` to split made a new string of every occurrence, hashed anew by
 * MiniSearch's maps (the cached terms are the same strings each time, their
 * hashes kept), and garbage. An empty field is one empty token, as the split
 * of an empty text was: its length counts 1, as in every snapshot so far.
 */
function passTerms(terms: string[]): string {
  return terms as unknown as string;
}

function takeTerms(passed: string): string[] {
  const terms = passed as unknown as string[];
  return terms.length ? terms : [''];
}

/**
 * MiniSearch's plain object from `toJSON`'s lines, its `index` a generator
 * that parses each term's line as a loader comes to it (MiniSearch's loadJS
 * and loadJSAsync only iterate it); a text of one line, MiniSearch's own
 * JSON, is parsed whole. `close` lets go of the lines: whatever follows the
 * last term is not read, and a file being read is closed, also when a line
 * failed. A text cut short throws, here or as the loader reads it.
 */
function plainObjectOf(lines: Iterable<string>): { js: AsPlainObject; close: () => void } {
  const rest = lines[Symbol.iterator]();
  const close = () => void rest.return?.(undefined);
  try {
    const first = rest.next();
    if (first.done) throw new SyntaxError('the full-text index is empty');
    if (!first.value.endsWith(INDEX_OPENS))
      return { js: JSON.parse([first.value, ...iterable(rest)].join('\n')) as AsPlainObject, close };
    const js = JSON.parse(`${first.value}${INDEX_CLOSES}`) as AsPlainObject;
    js.index = termLines(rest) as unknown as AsPlainObject['index'];
    return { js, close };
  } catch (error) {
    close();
    throw error;
  }
}

/** MiniSearch's plain object as `toJSON`'s text. */
function jsonOf({ index, ...head }: AsPlainObject): string {
  const lines = [`${JSON.stringify(head).slice(0, -1)},${INDEX_OPENS}`];
  for (let i = 0; i < index.length; i++) lines.push(JSON.stringify(index[i]) + (i + 1 < index.length ? ',' : ''));
  lines.push(INDEX_CLOSES);
  return lines.join('\n');
}

/** How `toJSON`'s first line ends: the terms follow, one per line, until `INDEX_CLOSES`. */
const INDEX_OPENS = '"index":[';
const INDEX_CLOSES = ']}';

/** Each indexed term's line as MiniSearch's [term, postings], until the line that closes the index. */
function* termLines(lines: Iterator<string>): Generator<unknown> {
  for (let next = lines.next(); !next.done; next = lines.next()) {
    const line = next.value;
    if (line === INDEX_CLOSES) return;
    yield JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
  }
  throw new SyntaxError('the full-text index ends before its last term');
}

/** The lines of `text`, without their line feeds. */
function* linesOf(text: string): Generator<string> {
  let from = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', from)) {
    yield text.slice(from, end);
    from = end + 1;
  }
  yield text.slice(from);
}

function iterable<T>(iterator: Iterator<T>): Iterable<T> {
  return { [Symbol.iterator]: () => iterator };
}

function toStored(d: SearchDocument): StoredDoc {
  const a = (text: string) => terms(text, d.lang);
  return {
    id: d.id,
    lang: d.lang,
    title: a(d.title),
    questions: a(d.questions.join('\n')),
    headings: a(d.headings.join('\n')),
    body: a(d.body),
    tags: a([...d.tags, d.category ?? ''].join(' ')),
    tagList: d.tags,
    status: d.status,
    audience: d.audience,
  };
}

function accepts(doc: Pick<StoredDoc, 'id' | 'status' | 'audience' | 'tagList'>, f?: SearchFilter): boolean {
  if (!f) return doc.status === 'published';
  if (f.publishedOnly !== false && doc.status !== 'published') return false;
  if (f.audiences && !f.audiences.includes(doc.audience as never)) return false;
  if (f.tags?.length && !f.tags.some((t) => doc.tagList.includes(t))) return false;
  if (f.excludeIds?.has(doc.id)) return false;
  return true;
}
