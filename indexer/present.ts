import type { ArticleProblem } from '../core/articles/types.ts';

/** Print KB problems the way editors and CI logs read them: file:line: severity field: message. */
export function printProblems(problems: ArticleProblem[]): void {
  for (const p of [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
    process.stderr.write(`${p.file}:${p.line}: ${p.severity}: ${p.message}\n`);
  }
}
