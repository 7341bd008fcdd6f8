import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../core/contracts/api.ts';
import { detectLang, isStopword } from '../core/text/analyze.ts';

/**
 * A help-desk KB of any size (up to 100k articles) whose vocabulary grows
 * with it as real text does, for benchmarks only: memory and time follow the
 * number of distinct words and grams, which a small fixed word list hides.
 *
 * Seed text is real help-desk text in Spanish and English: the demo KB
 * (kb-content/) and the eval KBs (/work/shared/eval or EVAL_DIR, when
 * present) with their users' questions. Articles are built from seed
 * sentences whose content words are redrawn, Zipf-distributed, from a
 * vocabulary that grows by Heaps' law (V = K·T^β over the T words written so
 * far): past the seed's own words, new words are made by joining pieces of
 * real ones, like the product names, error codes and jargon of a large help
 * desk. Deterministic: the same size and seed give the same files.
 */
export interface BenchArticle {
  id: string;
  lang: Lang;
  title: string;
  /** Its first listed question (what older benchmarks asked). */
  question: string;
}

/** A question to ask in a benchmark, and what it is. */
export interface BenchQuestion {
  text: string;
  kind: 'listed' | 'reworded' | 'unrelated';
  /** The article it was made from (none for unrelated ones). */
  articleId: string | null;
}

export interface RealisticKb {
  articles: BenchArticle[];
  /** Varied questions, interleaved: listed, reworded and unrelated. */
  questions: BenchQuestion[];
  /** Distinct words written, per language: grows with the KB. */
  vocabulary: Record<Lang, number>;
  /** Words written in all. */
  tokens: number;
}

/** Heaps' law constants: typical of English and Spanish prose (K 10–100, β 0.4–0.6; 44 and 0.5 are the textbook English fit). */
const HEAPS_K = 44;
const HEAPS_BETA = 0.5;
/** Share of a seed sentence's content words redrawn from the growing vocabulary. */
const REDRAW = 0.35;

interface Seed {
  /** Words by frequency, most frequent first (content words only). */
  words: string[];
  sentences: string[];
  titles: string[];
  questions: string[];
  /** Questions no article of a help desk answers (the eval sets' out-of-scope ones). */
  unrelated: string[];
}

/** Write `n` articles under `dir`; returns them with varied benchmark questions (at most 20,000). */
export function writeRealisticKb(dir: string, n: number, seed = 7): RealisticKb {
  const seeds = readSeeds();
  const r = rng(seed);
  const vocab = { es: new Vocabulary(seeds.es, r), en: new Vocabulary(seeds.en, r) };
  const articles: BenchArticle[] = [];
  const listed: { id: string; lang: Lang; questions: string[]; topic: string[] }[] = [];
  for (let i = 0; i < n; i++) {
    const lang: Lang = i % 2 === 0 ? 'en' : 'es';
    const v = vocab[lang];
    const s = seeds[lang];
    // Three topic words, from the middle and tail of the distribution: what sets this article apart.
    const topic = [v.draw(20), v.draw(20), v.draw(50)];
    const title = cap(rewrite(pick(r, s.titles), v, r, topic.slice(0, 2)));
    const questions = [0, 1, 2].map((k) => rewrite(pick(r, s.questions), v, r, [topic[k % 3]!, topic[(k + 1) % 3]!]));
    const sections = 2 + Math.floor(r() * 3);
    const body: string[] = [`# ${title}`, ''];
    for (let k = 0; k < sections; k++) {
      if (k > 0) body.push(`## ${cap(rewrite(pick(r, s.titles), v, r, [topic[k % 3]!]))}`, '');
      const sentences = 2 + Math.floor(r() * 5);
      body.push(
        Array.from({ length: sentences }, (_, j) =>
          rewrite(pick(r, s.sentences), v, r, j === 0 ? [topic[k % 3]!] : []),
        ).join(' '),
        '',
      );
    }
    const answer = rewrite(pick(r, s.sentences), v, r, topic);
    const id = `bench-${i}`;
    const folder = path.join(dir, `part-${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    const fm = [
      `id: ${id}`,
      `title: ${JSON.stringify(title)}`,
      `lang: ${lang}`,
      `tags: [${JSON.stringify(topic[0])}]`,
      'questions:',
      ...questions.map((q) => `  - ${JSON.stringify(q)}`),
      `answer: ${JSON.stringify(answer)}`,
      'status: published',
    ].join('\n');
    writeFileSync(path.join(folder, `${id}.md`), `---\n${fm}\n---\n${body.join('\n')}`);
    articles.push({ id, lang, title, question: questions[0]! });
    listed.push({ id, lang, questions, topic });
  }
  return {
    articles,
    questions: benchQuestions(listed, seeds, vocab, rng(seed + 1)),
    vocabulary: { es: vocab.es.used, en: vocab.en.used },
    tokens: vocab.es.tokens + vocab.en.tokens,
  };
}

/**
 * Up to 20,000 questions, a third each: a listed question as written, one
 * reworded (words dropped, reordered, a typo, another opening), and one no
 * article answers (the eval sets' out-of-scope questions, or words drawn at random).
 */
function benchQuestions(
  listed: { id: string; lang: Lang; questions: string[]; topic: string[] }[],
  seeds: Record<Lang, Seed>,
  vocab: Record<Lang, Vocabulary>,
  r: () => number,
): BenchQuestion[] {
  const out: BenchQuestion[] = [];
  const count = Math.min(20_000, listed.length * 3);
  for (let i = 0; i < count; i++) {
    const a = listed[Math.floor(r() * listed.length)]!;
    const kind = (['listed', 'reworded', 'unrelated'] as const)[i % 3]!;
    if (kind === 'listed') out.push({ text: pick(r, a.questions), kind, articleId: a.id });
    else if (kind === 'reworded') out.push({ text: reword(pick(r, a.questions), a.topic, r), kind, articleId: a.id });
    else {
      const s = seeds[a.lang];
      const text =
        s.unrelated.length && r() < 0.7
          ? pick(r, s.unrelated)
          : Array.from({ length: 3 + Math.floor(r() * 5) }, () => vocab[a.lang].peek()).join(' ');
      out.push({ text, kind, articleId: null });
    }
  }
  return out;
}

/** A listed question as a user might type it instead. */
function reword(q: string, topic: string[], r: () => number): string {
  let w = q.split(/\s+/).filter(Boolean);
  const move = r();
  if (move < 0.3 && w.length > 3) w.splice(Math.floor(r() * w.length), 1);
  else if (move < 0.55) w = [...w.slice(Math.floor(w.length / 2)), ...w.slice(0, Math.floor(w.length / 2))];
  else if (move < 0.8) {
    const k = Math.floor(r() * w.length);
    const word = w[k]!;
    if (word.length > 4) {
      const c = 1 + Math.floor(r() * (word.length - 2));
      w[k] = word.slice(0, c) + word[c + 1] + word[c] + word.slice(c + 2);
    }
  } else w = [...topic.slice(0, 2), ...w.slice(-2)];
  return w.join(' ');
}

/** A seed text with some content words redrawn from the growing vocabulary and the article's topic words woven in. */
function rewrite(text: string, v: Vocabulary, r: () => number, topic: string[]): string {
  const parts = text.split(/(\p{L}[\p{L}\p{N}'’-]*)/u);
  const slots: number[] = [];
  for (let k = 1; k < parts.length; k += 2) {
    const w = parts[k]!.toLowerCase();
    if (!isStopword(w, v.lang) && w.length > 2) slots.push(k);
  }
  v.count(slots.length + topic.length);
  for (const k of slots) if (r() < REDRAW) parts[k] = v.draw();
  topic.forEach((t, j) => {
    if (slots.length > j) parts[slots[Math.floor(r() * slots.length)]!] = t;
    else parts.push(' ', t);
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/**
 * One language's vocabulary, grown as Heaps' law says: after T content words
 * written, V(T) = K·T^β distinct ones are in use (the seed's words by
 * frequency first, then made-up ones). A draw introduces the next new word
 * while fewer than V(T) are in use, else picks one in use by Zipf rank, with
 * P(rank ≤ x) = ln x / ln V (exponent 1).
 */
class Vocabulary {
  tokens = 0;
  used = 0;
  private readonly made: string[] = [];
  readonly lang: Lang;

  constructor(
    private readonly seed: Seed & { lang: Lang },
    private readonly r: () => number,
  ) {
    this.lang = seed.lang;
  }

  count(n: number): void {
    this.tokens += n;
  }

  /** A word: a new one when the vocabulary is behind Heaps' law, else one in use by Zipf rank, at rank `from` or beyond. */
  draw(from = 0): string {
    if (this.used < HEAPS_K * Math.max(1, this.tokens) ** HEAPS_BETA || this.used <= from + 1)
      return this.word(this.used++);
    const rank = from + Math.floor(Math.exp(this.r() * Math.log(this.used - from)) - 1);
    return this.word(Math.min(this.used - 1, rank));
  }

  /** A word in use, drawn without counting as written (unrelated questions). */
  peek(): string {
    return this.word(Math.floor(Math.exp(this.r() * Math.log(this.used)) - 1));
  }

  private word(rank: number): string {
    const words = this.seed.words;
    if (rank < words.length) return words[rank]!;
    // Made-up words: the start of one seed word joined to the end of another, as product names and jargon are.
    while (this.made.length <= rank - words.length) {
      const k = this.made.length;
      const a = words[(k * 7919) % words.length]!;
      const b = words[(k * 104729 + 13) % words.length]!;
      this.made.push(
        `${a.slice(0, Math.max(2, Math.ceil(a.length / 2)))}${b.slice(Math.floor(b.length / 2))}${k % 7 === 0 ? k % 100 : ''}`,
      );
    }
    return this.made[rank - words.length]!;
  }
}

let seedCache: Record<Lang, Seed & { lang: Lang }> | null = null;

/** The seed text, read once: every Markdown file of the demo and eval KBs, and the eval sets' questions. */
function readSeeds(): Record<Lang, Seed & { lang: Lang }> {
  if (seedCache) return seedCache;
  const empty = (lang: Lang) => ({ lang, words: [], sentences: [], titles: [], questions: [], unrelated: [] });
  const seeds: Record<Lang, Seed & { lang: Lang }> = { es: empty('es'), en: empty('en') };
  const freq = { es: new Map<string, number>(), en: new Map<string, number>() };
  const evalDir = process.env.EVAL_DIR ?? '/work/shared/eval';
  const roots = ['kb-content', ...(existsSync(evalDir) ? readdirSync(evalDir).map((d) => path.join(evalDir, d)) : [])];
  for (const root of roots) {
    for (const file of markdownFiles(root)) {
      const text = readFileSync(file, 'utf8');
      const fm = text.match(/^---\n([\s\S]*?)\n---\n/);
      const body = fm ? text.slice(fm[0].length) : text;
      const lang: Lang = (fm?.[1]!.match(/^lang:\s*(es|en)/m)?.[1] as Lang | undefined) ?? detectLang(body) ?? 'en';
      const s = seeds[lang];
      for (const line of fm?.[1]!.split('\n') ?? [])
        if (/^\s+- /.test(line)) s.questions.push(unquote(line.replace(/^\s+- /, '')));
      for (const line of body.split('\n')) {
        const clean = line
          .replace(/<[^>]*>|\[([^\]]*)\]\([^)]*\)|[*_`#>|]/g, '$1')
          .replace(/^\s*[-\d.]+\s+/, '')
          .trim();
        // Docs markup (notes, images, attributes) is not prose.
        if (!clean || /[[\]{}=<>\\]|:::/.test(clean)) continue;
        if (/^#/.test(line)) s.titles.push(clean);
        else if (/^\s*- /.test(line) && clean.length < 160) s.questions.push(clean);
        else for (const sentence of clean.split(/(?<=[.!?])\s+/)) if (sentence.length > 20) s.sentences.push(sentence);
        for (const w of clean.toLowerCase().match(/\p{L}[\p{L}\p{N}'’-]*/gu) ?? [])
          if (w.length > 2 && !isStopword(w, lang)) freq[lang].set(w, (freq[lang].get(w) ?? 0) + 1);
      }
    }
    const dev = path.join(root, 'dev.jsonl');
    if (existsSync(dev))
      for (const line of readFileSync(dev, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const q = JSON.parse(line) as { text: string; type: string };
        // A few sets hold empty questions, which the API refuses (400): the load runs would count them as errors.
        if (!q.text.trim()) continue;
        const lang = detectLang(q.text) ?? (root.endsWith('-es') ? 'es' : 'en');
        (q.type === 'in_scope' ? seeds[lang].questions : seeds[lang].unrelated).push(q.text);
      }
  }
  for (const lang of ['es', 'en'] as const) {
    seeds[lang].words = [...freq[lang]].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
    if (!seeds[lang].sentences.length || !seeds[lang].questions.length || !seeds[lang].titles.length)
      throw new Error(`no ${lang} seed text in ${roots.join(', ')}`);
  }
  return (seedCache = seeds);
}

function markdownFiles(root: string): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const p = path.join(root, name);
    if (statSync(p).isDirectory()) out.push(...markdownFiles(p));
    else if (name.endsWith('.md') && !/^(README|SOURCE|LICENSE)/.test(name)) out.push(p);
  }
  return out;
}

function unquote(s: string): string {
  return s.replace(/^["']|["']$/g, '');
}

function pick<T>(r: () => number, a: T[]): T {
  return a[Math.floor(r() * a.length)]!;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { tempDir } = await import('../test/helpers/tempDir.ts');
  for (const n of process.argv.slice(2).map(Number)) {
    const kb = tempDir('deflect-realistic-');
    const t = performance.now();
    const out = writeRealisticKb(kb.dir, n);
    console.log(
      `${n} articles: ${out.tokens.toLocaleString('en')} words written, vocabulary es ${out.vocabulary.es.toLocaleString('en')} en ${out.vocabulary.en.toLocaleString('en')}, ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    if (n <= 10)
      console.log(readFileSync(path.join(kb.dir, 'part-0', 'bench-1.md'), 'utf8'), out.questions.slice(0, 6));
    kb.cleanup();
  }
}
