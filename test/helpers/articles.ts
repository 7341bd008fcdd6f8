import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

/** Front matter of a valid article, with overrides. */
export function buildFrontMatter(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'reset-password',
    title: 'Reset your password',
    lang: 'en',
    tags: ['account'],
    questions: ['I forgot my password'],
    answer: 'Go to https://id.example/reset and follow the link.',
    status: 'published',
    ...overrides,
  };
}

/** An article file's text from front matter and a body. */
export function buildArticle(
  overrides: Record<string, unknown> = {},
  body = '# Reset your password\n\nSteps.\n',
): string {
  const fm = buildFrontMatter(overrides);
  for (const [k, v] of Object.entries(fm)) if (v === undefined) delete fm[k];
  return `---\n${stringify(fm)}---\n${body}`;
}

/** Write files (relative path → content) under a KB root. */
export function writeKb(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}
