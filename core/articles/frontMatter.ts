import { LineCounter, parseDocument, isMap, isPair, isScalar } from 'yaml';
import type { ArticleProblem } from './types.ts';

export interface FrontMatter {
  data: Record<string, unknown>;
  /** 1-based file line of each top-level key. */
  lines: Record<string, number>;
  /** 1-based file line where the body starts. */
  bodyLine: number;
  body: string;
}

const OPEN = /^---[ \t]*\r?\n/;

/**
 * Split and parse YAML front matter. Only plain `---` fences are accepted:
 * gray-matter style `---js` front matter would be code, and we never run code
 * from an article. The yaml package's core schema builds plain data only.
 */
export function parseFrontMatter(file: string, source: string): { fm?: FrontMatter; problems: ArticleProblem[] } {
  const text = source.replace(/^\uFEFF/, '');
  if (/^---[^\s-]/.test(text)) {
    return {
      problems: [
        {
          file,
          line: 1,
          severity: 'error',
          message:
            'front matter must be YAML between plain "---" lines (other languages such as ---js are not accepted)',
        },
      ],
    };
  }
  if (!OPEN.test(text)) {
    return {
      problems: [
        { file, line: 1, severity: 'error', message: 'missing front matter: the file must start with a "---" line' },
      ],
    };
  }
  const start = text.match(OPEN)![0].length;
  const close = /^---[ \t]*$/m;
  const rest = text.slice(start);
  const m = close.exec(rest);
  if (!m)
    return {
      problems: [
        { file, line: 1, severity: 'error', message: 'front matter is not closed: add a "---" line after it' },
      ],
    };
  const yamlText = rest.slice(0, m.index);
  const afterClose = rest.slice(m.index + m[0].length).replace(/^\r?\n/, '');
  const bodyLine = 1 + countLines(text.slice(0, start)) + countLines(rest.slice(0, m.index + m[0].length)) + 1;

  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, schema: 'core', uniqueKeys: true, prettyErrors: false });
  const problems: ArticleProblem[] = [];
  for (const err of doc.errors) {
    const pos = err.linePos?.[0];
    problems.push({
      file,
      line: 1 + (pos?.line ?? 1),
      severity: 'error',
      message: `YAML: ${err.message.split('\n')[0]}`,
    });
  }
  if (problems.length) return { problems };
  const data = doc.toJS({ maxAliasCount: 50 }) as unknown;
  if (data === null || data === undefined)
    return { problems: [{ file, line: 2, severity: 'error', message: 'front matter is empty' }] };
  if (typeof data !== 'object' || Array.isArray(data))
    return { problems: [{ file, line: 2, severity: 'error', message: 'front matter must be a mapping of fields' }] };

  const lines: Record<string, number> = {};
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (isPair(item) && isScalar(item.key) && item.key.range) {
        lines[String(item.key.value)] = 1 + lineCounter.linePos(item.key.range[0]).line;
      }
    }
  }
  return { fm: { data: data as Record<string, unknown>, lines, bodyLine, body: afterClose }, problems };
}

function countLines(s: string): number {
  return (s.match(/\n/g) ?? []).length;
}
