import type { Coverage } from '../core/answers/pipeline/calibration.ts';
import type { ArticleProblem } from '../core/articles/types.ts';

/** Print KB problems the way editors and CI logs read them: file:line: severity field: message. */
export function printProblems(problems: ArticleProblem[]): void {
  for (const p of [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
    process.stderr.write(`${p.file}:${p.line}: ${p.severity}: ${p.message}\n`);
  }
}

/**
 * The KB's estimated self-service coverage in one line (docs/quality.md#estimated-self-service-coverage).
 * Undefined when the index was built before the estimate existed: say so rather than print a zero.
 */
export function coverageLine(coverage: Coverage | undefined, builtAt: string): string {
  if (!coverage)
    return `Estimated self-service coverage: unavailable (the index built ${builtAt} predates it; \`npm run index\` estimates it)\n`;
  const percent = (x: number) => `${Math.round(100 * x)} %`;
  return (
    `Estimated self-service coverage: ${percent(coverage.answered)} of questions answered, ` +
    `${percent(coverage.offered)} answered or offered among options ` +
    `(from ${coverage.probes} probes drawn from ${coverage.articles} articles at the index built ${builtAt})\n`
  );
}
