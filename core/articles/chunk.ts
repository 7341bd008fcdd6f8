import type Token from 'markdown-it/lib/token.mjs';
import { markdown } from './markdown.ts';
import type { Chunk } from './types.ts';

/** Headings or lead-in lines that introduce a list of phrasings users type. */
const QUESTIONS_CUE =
  /^(example questions|sample questions|common questions|people also ask|users ask|preguntas( de ejemplo| frecuentes| habituales)?|también (te )?preguntan|otras formas de preguntarlo)\s*:?\s*$/i;

export interface ChunkedBody {
  chunks: Chunk[];
  headings: string[];
  /** Markdown of the first section after the title: the default canned answer. */
  firstSection: string;
  exampleQuestions: string[];
  links: string[];
}

interface Section {
  heading: string;
  level: number;
  startLine: number;
  endLine: number;
  text: string[];
}

/**
 * Split an article body at its headings (h1–h3). Each chunk keeps its
 * heading; the indexer adds the article's title and questions around it.
 * List items under an "Example questions" cue become questions instead.
 */
export function chunkBody(articleId: string, title: string, body: string): ChunkedBody {
  const tokens = markdown.parse(body, {});
  const lines = body.split('\n');
  const sections: Section[] = [{ heading: '', level: 0, startLine: 0, endLine: lines.length, text: [] }];
  const exampleQuestions: string[] = [];
  const links: string[] = [];
  let collectingQuestions = false;
  let listDepth = 0;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const current = sections[sections.length - 1]!;
    if (t.type === 'heading_open' && Number(t.tag.slice(1)) <= 3) {
      const text = inlineText(tokens[i + 1]);
      current.endLine = t.map?.[0] ?? current.endLine;
      sections.push({
        heading: text,
        level: Number(t.tag.slice(1)),
        startLine: t.map?.[1] ?? 0,
        endLine: lines.length,
        text: [],
      });
      collectingQuestions = QUESTIONS_CUE.test(text);
      i += 2;
      continue;
    }
    if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') listDepth++;
    if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') {
      listDepth--;
      // A cue paragraph covers the one list that follows it.
      if (listDepth === 0 && collectingQuestions && !QUESTIONS_CUE.test(current.heading)) collectingQuestions = false;
    }
    if (t.type !== 'inline') continue;
    for (const child of t.children ?? []) {
      if (child.type === 'link_open') {
        const href = child.attrGet('href') ?? '';
        if (/^(?![a-z][a-z0-9+.-]*:|\/\/|#)[^?#]*\.md(#.*)?$/i.test(href)) links.push(href);
      }
    }
    const text = inlineText(t);
    if (!text) continue;
    if (listDepth === 0 && QUESTIONS_CUE.test(text)) {
      collectingQuestions = true;
      continue;
    }
    if (collectingQuestions && listDepth > 0) exampleQuestions.push(text);
    else current.text.push(text);
  }

  const headings = sections.map((s) => s.heading).filter(Boolean);
  const chunks: Chunk[] = [];
  for (const s of sections) {
    if (!s.text.length && !s.heading) continue;
    if (!s.text.length && s.level === 1) continue; // a bare title heading says nothing the title does not
    const heading = s.level === 1 && s.heading === title ? '' : s.heading;
    chunks.push({ id: `${articleId}#${chunks.length}`, articleId, heading, text: s.text.join('\n') });
  }

  return { chunks, headings, firstSection: firstSectionOf(sections, lines, title), exampleQuestions, links };
}

function firstSectionOf(sections: Section[], lines: string[], title: string): string {
  for (const s of sections) {
    // Skip the lead-in before the title and the title heading itself when they are empty.
    const source = lines.slice(s.startLine, s.endLine).join('\n').trim();
    if (!source) continue;
    if (s.level === 1 && s.heading === title && !s.text.length) continue;
    return source;
  }
  // A body that is only a title and example questions: the list is all it says.
  return lines
    .join('\n')
    .replace(/^\s*#\s.*$/m, '')
    .trim();
}

function inlineText(token: Token | undefined): string {
  if (!token || token.type !== 'inline') return '';
  const parts = (token.children ?? [])
    .filter((c) => c.type === 'text' || c.type === 'code_inline' || c.type === 'softbreak')
    .map((c) => (c.type === 'softbreak' ? ' ' : c.content));
  // Docs-style Markdown leaves raw tags (<a name=…>) and admonition markers
  // ([!NOTE], [!INCLUDE …]) as literal text: they are noise for search.
  return parts
    .join('')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/\[!\w+[^\]]*\]/g, '')
    .trim();
}
