import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArticle } from '../articles/parseArticle.ts';
import type { Article } from '../articles/types.ts';
import type { Lang } from '../contracts/api.ts';
import { addQuestions } from '../phrasings/addQuestions.ts';
import { listed, normalisedPhrasing, type PhrasingsReport } from '../phrasings/phrasingCandidates.ts';
import type { CoreServices } from '../services.ts';
import { writeFileAtomic } from '../storage/atomicFile.ts';

export interface AppliedFile {
  articleId: string;
  /** Path relative to the KB root. */
  file: string;
  added: string[];
}

export interface ApplyResult {
  files: AppliedFile[];
  /** Articles left unchanged, and why (a file changed since it was indexed, a `questions` that is not a list…). */
  skipped: { articleId: string; file: string; reason: string }[];
}

/**
 * Write the candidates of a phrasings report into their articles'
 * `questions:` front matter, as an ordinary change in the KB folder for a
 * person to review (git diff, `npm run kb -- diff`) and commit. Candidates the
 * article already lists (compared folded) are skipped; each file is re-read
 * from disk, edited in its front matter only, checked to parse as before with
 * the new questions, and written atomically.
 */
export async function applyPhrasings(
  core: Pick<CoreServices, 'defaultLang'>,
  input: { kbDir: string; report: PhrasingsReport },
): Promise<ApplyResult> {
  const { kbDir, report } = input;
  const result: ApplyResult = { files: [], skipped: [] };
  for (const a of report.articles) {
    const file = path.join(kbDir, a.file);
    try {
      const source = await fs.readFile(file, 'utf8');
      const before = parsed(a.file, source, core.defaultLang);
      const known = listed(before);
      const added: string[] = [];
      for (const c of a.candidates) {
        const key = normalisedPhrasing(c.text);
        if (!key || known.has(key)) continue;
        known.add(key);
        added.push(c.text);
      }
      if (!added.length) continue;
      const next = addQuestions(source, added);
      const after = parsed(a.file, next, core.defaultLang);
      const missing = added.filter((q) => !after.questions.includes(q));
      if (after.id !== before.id || missing.length)
        throw new Error(`the edited front matter does not read back (${missing.join(', ') || 'id changed'})`);
      await writeFileAtomic(file, next);
      result.files.push({ articleId: a.articleId, file: a.file, added });
    } catch (error) {
      result.skipped.push({ articleId: a.articleId, file: a.file, reason: (error as Error).message });
    }
  }
  return result;
}

function parsed(file: string, source: string, defaultLang: Lang): Article {
  const r = parseArticle(file, source, { defaultLang });
  const error = r.problems.find((p) => p.severity === 'error');
  if (!r.article || error) throw new Error(`${file}:${error?.line ?? 1}: ${error?.message ?? 'does not parse'}`);
  return r.article;
}
