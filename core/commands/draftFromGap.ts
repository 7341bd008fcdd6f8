import { draftArticle } from '../reports/draftArticle.ts';
import type { PeriodInput } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';

export interface DraftFromGapResult {
  gapId: string;
  articleId: string;
  /** The draft's file, as written. */
  file: string;
  /** Real phrasings of the gap, which became the draft's questions. */
  questions: number;
}

/**
 * Turn a gap of a period into a draft article in DRAFTS_DIR: the gap is found
 * again in the same period the gaps report used; an existing draft is never overwritten.
 */
export async function draftFromGap(
  core: Pick<CoreServices, 'reports' | 'drafts'>,
  input: PeriodInput & { gapId: string },
): Promise<DraftFromGapResult> {
  const { gapId, ...period } = input;
  const gap = await core.reports.gap(gapId, period);
  const draft = await draftArticle(gap, {
    draftsDir: core.drafts.dir,
    kbDir: core.drafts.kbDir,
    articles: core.drafts.articles(),
  });
  return { gapId, articleId: draft.id, file: draft.file, questions: gap.phrasings.length };
}
