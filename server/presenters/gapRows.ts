import type { GapRowResponse } from '../../core/contracts/reports.ts';
import type { GapCluster } from '../../core/reports/gaps.ts';

/** Gap clusters as flat rows (CSV and the dashboard table). */
export function gapRows(clusters: GapCluster[]): GapRowResponse[] {
  return clusters.map((c) => ({
    id: c.id,
    lang: c.lang,
    count: c.count,
    unanswered: c.unanswered,
    notHelpful: c.notHelpful,
    ticket: c.ticket,
    examples: c.phrasings.slice(0, 3).map((p) => p.text),
    phrasings: c.phrasings.length,
    nearestArticle: c.nearest?.articleId ?? '',
    nearestTitle: c.nearest?.title ?? '',
    nearestConfidence: c.nearest?.confidence ?? 0,
    suggestedTags: c.suggestedTags,
    keywords: c.keywords,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
  }));
}
