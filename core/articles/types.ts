import type { Lang } from '../contracts/api.ts';
import type { TicketPriority, TicketType, TriageLevel } from '../tickets/types.ts';

export type ArticleStatus = 'published' | 'draft' | 'archived';
export type Audience = 'public' | 'internal';

/** A section of an article, split at headings; the unit we embed. */
export interface Chunk {
  id: string;
  articleId: string;
  heading: string;
  text: string;
}

/** A validated article, ready to index. */
export interface Article {
  id: string;
  /** Path relative to the KB root, with forward slashes. */
  file: string;
  title: string;
  lang: Lang;
  tags: string[];
  category?: string;
  /** Phrasings users type: front-matter `questions` plus example-question lists found in the body. */
  questions: string[];
  /** The canned answer, Markdown. */
  answer: string;
  status: ArticleStatus;
  audience: Audience;
  owner?: string;
  reviewBy?: string;
  translations: Partial<Record<Lang, string>>;
  /** How a ticket this article could not prevent is triaged (front matter `ticket_type`, `priority` or `impact` and `urgency`, `team`). */
  ticketType?: TicketType;
  priority?: TicketPriority;
  impact?: TriageLevel;
  urgency?: TriageLevel;
  team?: string;
  /** Body Markdown without front matter. */
  body: string;
  headings: string[];
  chunks: Chunk[];
  /** Relative links to other .md files, as written. */
  links: string[];
  /** sha256 of the file's bytes: unchanged hash, unchanged index entries. */
  hash: string;
}

/** A problem found in the KB: errors keep the article out of the index, warnings do not. */
export interface ArticleProblem {
  file: string;
  line: number;
  field?: string;
  severity: 'error' | 'warning';
  message: string;
}
