import { createHash } from 'node:crypto';
import type { Lang } from '../contracts/api.ts';
import { detectLang } from '../text/analyze.ts';
import { parseFrontMatter } from './frontMatter.ts';
import { frontMatterSchema } from './schema.ts';
import { chunkBody } from './chunk.ts';
import type { Article, ArticleProblem } from './types.ts';

export interface ParseResult {
  article?: Article;
  problems: ArticleProblem[];
}

/**
 * Parse and validate one article file. `file` is the path relative to the KB
 * root; it names the article in every problem and gives the default id.
 */
export function parseArticle(file: string, source: string, options: { defaultLang: Lang }): ParseResult {
  const { fm, problems } = parseFrontMatter(file, source);
  if (!fm) return { problems };

  const parsed = frontMatterSchema.safeParse(fm.data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      const line = fm.lines[field] ?? 1;
      const message = issue.code === 'invalid_type' && fm.data[field] === undefined ? 'is required' : issue.message;
      problems.push({ file, line, field, severity: 'error', message: `${field || 'front matter'} ${message}`.trim() });
    }
    return { problems };
  }
  const d = parsed.data;
  const id = d.id ?? file.replace(/\\/g, '/').replace(/\.md$/i, '');
  const { chunks, headings, firstSection, exampleQuestions, links } = chunkBody(id, d.title, fm.body);

  const answer = d.answer ?? firstSection;
  if (!answer.trim()) {
    problems.push({
      file,
      line: fm.lines.answer ?? fm.bodyLine,
      field: 'answer',
      severity: 'error',
      message: 'answer is empty: add an `answer` field or a first section to the body',
    });
    return { problems };
  }
  const lang =
    (d.lang as Lang | undefined) ?? detectLang(`${d.title}\n${fm.body.slice(0, 2000)}`) ?? options.defaultLang;
  const questions = dedupe([...d.questions, ...exampleQuestions]);

  const article: Article = {
    id,
    file,
    title: d.title,
    lang,
    tags: dedupe(d.tags.map((t) => t.trim()).filter(Boolean)),
    category: d.category,
    questions,
    answer: answer.trim(),
    status: d.status,
    audience: d.audience,
    owner: d.owner,
    reviewBy: d.review_by,
    translations: d.translations as Article['translations'],
    ...(d.ticket_type ? { ticketType: d.ticket_type } : {}),
    ...(d.priority ? { priority: d.priority } : {}),
    ...(d.impact && d.urgency ? { impact: d.impact, urgency: d.urgency } : {}),
    ...(d.team ? { team: d.team } : {}),
    body: fm.body,
    headings,
    chunks,
    links,
    hash: createHash('sha256').update(source).digest('hex'),
  };
  return { article, problems };
}

function dedupe(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((s) => {
    const k = s.trim().toLowerCase();
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
