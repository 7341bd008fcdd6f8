import { createHash } from 'node:crypto';
import type { Settings } from 'meilisearch';
import { eng, spa } from 'stopword';
import type { Lang } from '../contracts/api.ts';
import type { SearchDocument, SearchFilter } from './ports.ts';

/**
 * How the KB looks inside Meilisearch: one document per article, its text
 * fields suffixed with the article's language (`title_es`, `body_en`) so that
 * `localizedAttributes` tokenizes each in its own language, plus the fields
 * filters need. Settings are derived from the KB (synonyms) and from whether
 * our own vectors ride along for hybrid search.
 */

/** Name of the userProvided embedder that holds Deflect's vectors. */
export const MEILI_EMBEDDER = 'deflect';
/** Bump when the document shape changes: every document is then re-sent. */
const DOC_FORMAT = 1;

const LANGS: Lang[] = ['en', 'es'];
const TEXT_FIELDS = ['title', 'questions', 'headings', 'body'] as const;
const localized = (field: string) => LANGS.map((l) => `${field}_${l}`);

/** Attributes searched while a user types: titles and listed questions. */
export const SUGGEST_ATTRIBUTES = [...localized('title'), ...localized('questions')];

export interface MeiliDocument {
  /** Meilisearch primary key: the article id when it is a valid key, else a hash of it. */
  key: string;
  articleId: string;
  lang: Lang;
  tags: string[];
  category: string | null;
  status: string;
  audience: string;
  /** What this document was made from: unchanged rev, nothing to send. */
  rev: string;
  [field: string]: unknown;
}

/** Index settings for this KB. `dimensions` set = our vectors go in as a userProvided embedder. */
export function meiliSettings(synonymGroups: string[][], options: { dimensions?: number } = {}): Settings {
  return {
    // Order matters: Meilisearch ranks a match in an earlier attribute higher.
    searchableAttributes: [
      ...localized('title'),
      ...localized('questions'),
      ...localized('headings'),
      'tags',
      'category',
      ...localized('body'),
    ],
    filterableAttributes: ['articleId', 'lang', 'tags', 'category', 'audience', 'status'],
    // Only what the server needs back; article text is served from the local index, never from Meilisearch.
    displayedAttributes: ['key', 'articleId', 'lang', 'rev', 'status', 'audience'],
    sortableAttributes: [],
    rankingRules: ['words', 'typo', 'attribute', 'proximity', 'exactness'],
    synonyms: synonymMap(synonymGroups),
    stopWords: [...new Set([...eng, ...spa])].sort(),
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 },
      disableOnNumbers: true,
      disableOnAttributes: ['tags', 'category'],
    },
    localizedAttributes: [
      { attributePatterns: ['*_es'], locales: ['spa'] },
      { attributePatterns: ['*_en'], locales: ['eng'] },
    ],
    pagination: { maxTotalHits: 1000 },
    ...(options.dimensions
      ? { embedders: { [MEILI_EMBEDDER]: { source: 'userProvided' as const, dimensions: options.dimensions } } }
      : {}),
  };
}

/** The KB's synonym groups as Meilisearch's mutual map: every phrase maps to the rest of its group. */
export function synonymMap(groups: string[][]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of groups) {
    const phrases = [...new Set(group.map((p) => p.trim().toLowerCase()).filter(Boolean))];
    for (const p of phrases) map[p] = [...new Set([...(map[p] ?? []), ...phrases.filter((q) => q !== p)])];
  }
  return map;
}

/** One article as a Meilisearch document; `vectors` (title, questions, chunks) for hybrid search. */
export function meiliDocument(
  doc: SearchDocument,
  sourceRev: string,
  vectors?: Float32Array[],
  embedderId?: string,
): MeiliDocument {
  const text: Record<string, string | string[]> = {
    title: doc.title,
    questions: doc.questions,
    headings: doc.headings,
    body: doc.body,
  };
  const out: MeiliDocument = {
    key: meiliKey(doc.id),
    articleId: doc.id,
    lang: doc.lang,
    tags: doc.tags,
    category: doc.category ?? null,
    status: doc.status,
    audience: doc.audience,
    rev: `${DOC_FORMAT}:${sourceRev}${vectors?.length ? `:${embedderId ?? 'vectors'}` : ''}`,
  };
  for (const f of TEXT_FIELDS) out[`${f}_${doc.lang}`] = text[f];
  if (vectors?.length)
    out._vectors = { [MEILI_EMBEDDER]: { embeddings: vectors.map((v) => Array.from(v)), regenerate: false } };
  return out;
}

/** A valid primary key: [A-Za-z0-9_-], at most 511 bytes. Other ids are hashed (the id itself travels in `articleId`). */
export function meiliKey(id: string): string {
  return /^[A-Za-z0-9_-]{1,400}$/.test(id) && !id.startsWith('h_')
    ? id
    : `h_${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

/** The port's filter in Meilisearch's filter syntax (an array is an AND). Drafts stay out unless asked for. */
export function meiliFilter(filter: SearchFilter | undefined, lang?: Lang): string[] {
  const f = filter ?? {};
  const out: string[] = [];
  if (f.publishedOnly !== false) out.push('status = "published"');
  const langs = f.langs ?? (lang ? [lang] : undefined);
  if (langs) out.push(`lang IN [${langs.map(quote).join(', ')}]`);
  if (f.audiences) out.push(`audience IN [${f.audiences.map(quote).join(', ')}]`);
  if (f.tags?.length) out.push(`tags IN [${f.tags.map(quote).join(', ')}]`);
  if (f.excludeIds?.size) out.push(`articleId NOT IN [${[...f.excludeIds].map(quote).join(', ')}]`);
  return out;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
