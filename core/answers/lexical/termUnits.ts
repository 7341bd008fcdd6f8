import { isBlankChunk } from '../../articles/servedArticle.ts';
import type { Article, Chunk } from '../../articles/types.ts';
import type { Lang } from '../../contracts/api.ts';

/** What the lexical model reads of one article. */
export interface TermDoc {
  id: string;
  lang: Lang;
  title: string;
  questions: string[];
  /** Body sections (heading and text). */
  readonly passages: readonly string[];
  /**
   * Which passages have a word (each true or false), when known without
   * their text: a served article's (see `termDocOf`). Else `passages` says.
   */
  readonly passageWords?: readonly boolean[];
}

/** One phrasing or passage of an article: what a question is compared with. */
export interface TermUnit {
  article: number;
  kind: 'title' | 'question' | 'passage';
  text: string;
  /** Counted in nearest-neighbour and centroid scores (passages only when the article lists few questions). */
  matched: boolean;
}

/** Articles listing fewer questions than this are also matched through their body passages. */
export const MIN_QUESTIONS = 3;

/** An article's title and questions, and its passages (matched only when it lists fewer than MIN_QUESTIONS questions). */
export function unitsOf(docs: readonly TermDoc[]): TermUnit[] {
  return docs.flatMap((d, article): TermUnit[] => {
    const unit = (kind: TermUnit['kind'], text: string, matched = true): TermUnit => ({ article, kind, text, matched });
    const matchPassages = d.questions.length < MIN_QUESTIONS;
    return [
      unit('title', d.title),
      ...d.questions.map((q) => unit('question', q)),
      ...d.passages.filter((p) => p.trim()).map((p) => unit('passage', p, matchPassages)),
    ];
  });
}

/** A model's units by number: `unitsOf`'s array, or `passageUnitsLazily`'s table. */
export interface UnitList extends Iterable<TermUnit> {
  readonly length: number;
  at(unit: number): TermUnit | undefined;
}

/**
 * The same units as `unitsOf`, but a passage's text is read from its
 * document when asked for, not held: a restored model (`TermModel.restore`)
 * reads them only to retrain its classifier or to leave a unit out
 * (calibration), and at 10k articles they were 10 MB of joined strings.
 */
export function passageUnitsLazily(docs: readonly TermDoc[]): UnitTable {
  return new UnitTable(docs);
}

const KINDS = ['title', 'question', 'passage'] as const;

/**
 * Units as columns (article, kind, which question or passage, matched), a
 * unit made when asked for: a restored model reads them on rare paths, and
 * an object per unit held ~50 MB at 100k articles (700,000 units), in the
 * main thread and in every engine thread.
 */
export class UnitTable implements UnitList {
  readonly article: Int32Array;
  readonly matched: Uint8Array;
  private readonly kinds: Uint8Array;
  /** A question's index in its doc's questions, a passage's in its passages. */
  private readonly slots: Int32Array;

  constructor(private readonly docs: readonly TermDoc[]) {
    const words = docs.map((d) => d.passageWords ?? d.passages.map((p) => !!p.trim()));
    let length = 0;
    docs.forEach((d, a) => (length += 1 + d.questions.length + words[a]!.filter(Boolean).length));
    this.article = new Int32Array(length);
    this.matched = new Uint8Array(length);
    this.kinds = new Uint8Array(length);
    this.slots = new Int32Array(length);
    let i = 0;
    const add = (article: number, kind: number, slot: number, matched: boolean) => {
      this.article[i] = article;
      this.kinds[i] = kind;
      this.slots[i] = slot;
      this.matched[i++] = matched ? 1 : 0;
    };
    docs.forEach((d, a) => {
      add(a, 0, 0, true);
      d.questions.forEach((_, k) => add(a, 1, k, true));
      const matchPassages = d.questions.length < MIN_QUESTIONS;
      words[a]!.forEach((has, k) => has && add(a, 2, k, matchPassages));
    });
  }

  get length(): number {
    return this.article.length;
  }

  at(unit: number): TermUnit | undefined {
    if (!(unit >= 0 && unit < this.length)) return undefined;
    const article = this.article[unit]!;
    const doc = this.docs[article]!;
    const kind = KINDS[this.kinds[unit]!]!;
    const matched = this.matched[unit] === 1;
    if (kind === 'passage') return new PassageUnit(article, doc, this.slots[unit]!, matched);
    return { article, kind, text: kind === 'title' ? doc.title : doc.questions[this.slots[unit]!]!, matched };
  }

  *[Symbol.iterator](): Iterator<TermUnit> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

/** A passage unit whose text is its document's k-th passage, read when asked for. */
class PassageUnit implements TermUnit {
  readonly kind = 'passage';
  constructor(
    readonly article: number,
    private readonly doc: TermDoc,
    private readonly k: number,
    readonly matched: boolean,
  ) {}

  get text(): string {
    return this.doc.passages[this.k]!;
  }
}

/** Each unit's article and matched flag as flat arrays: `score` reads them for every unit of the KB per question. */
export function unitFlags(units: UnitList): { article: Int32Array; matched: Uint8Array } {
  if (units instanceof UnitTable) return { article: units.article, matched: units.matched };
  return {
    article: Int32Array.from(units, (u) => u.article),
    matched: Uint8Array.from(units, (u) => (u.matched ? 1 : 0)),
  };
}

/**
 * What the lexical model reads of an article: title, questions and body
 * sections. The sections are joined from the chunks each time they are read
 * (a restored model reads them rarely: see `passageUnitsLazily`), and which
 * have a word is known without their text for a served article.
 */
export function termDocOf(a: Article): TermDoc {
  return new ArticleTermDoc(a);
}

/**
 * A class, not an object literal with a getter: V8 keeps such a literal as a
 * dictionary with a closure of its own, ~600 bytes an article against ~70
 * (55 MB at 100k articles, in every thread that opens the index).
 */
class ArticleTermDoc implements TermDoc {
  readonly id: string;
  readonly lang: Lang;
  readonly title: string;
  readonly questions: string[];
  readonly passageWords: readonly boolean[];
  constructor(private readonly article: Article) {
    this.id = article.id;
    this.lang = article.lang;
    this.title = article.title;
    this.questions = article.questions;
    this.passageWords = article.chunks.map((c) => !isBlankChunk(c));
  }

  get passages(): string[] {
    return this.article.chunks.map(passageOf);
  }
}

/** A doc as plain data, its passages read now: for a copy to another thread, which copies no getter of a class. */
export function plainTermDoc(d: TermDoc): TermDoc {
  const { id, lang, title, questions, passages, passageWords } = d;
  return { id, lang, title, questions, passages, passageWords };
}

function passageOf(c: Chunk): string {
  return [c.heading, c.text].filter(Boolean).join('\n');
}
