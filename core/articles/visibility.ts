import type { Article, Audience } from './types.ts';

/**
 * Who may see an article, in one place: it must be published (drafts and
 * archived articles exist for nobody), and of an audience the reader may
 * read. Anonymous and unverified readers read public articles; staff the
 * host site or Microsoft vouched for read internal ones too.
 */
export function isVisible(article: Article | undefined, audiences: readonly Audience[]): article is Article {
  return !!article && article.status === 'published' && audiences.includes(article.audience);
}

/** What the public reads: anyone on the web, and every link or page we serve (an internal article has no page). */
export const PUBLIC: readonly Audience[] = ['public'];

/** The audiences of a reader: staff (verified, and a member rather than a guest) also read internal articles. */
export function audiencesOf(reader: { staff: boolean }): Audience[] {
  return reader.staff ? ['public', 'internal'] : ['public'];
}

/** The search filter that lets through exactly the articles `isVisible` accepts. */
export function visibleFilter(audiences: readonly Audience[]): { publishedOnly: true; audiences: Audience[] } {
  return { publishedOnly: true, audiences: [...audiences] };
}
