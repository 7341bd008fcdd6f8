import type { Coverage } from '../core/answers/pipeline/calibration.ts';
import type { ArticleProblem } from '../core/articles/types.ts';
import type { BuildStage } from '../core/indexing/buildStages.ts';

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

/** Where an index build's time went, one stage a line: wall and CPU seconds of the thread that ran it. */
export function stagesTable(stages: readonly BuildStage[]): string {
  const seconds = (ms: number | null) => (ms === null ? '–' : (ms / 1000).toFixed(1)).padStart(7);
  const width = Math.max(...stages.map((s) => s.name.length));
  const lines = stages.map(
    (s) =>
      `  ${s.name.padEnd(width)} ${seconds(s.wallMs)} ${seconds(s.cpuMs)}${s.thread === 'main' ? '' : `  (${s.thread})`}`,
  );
  return `${'Stages (s)'.padEnd(width + 3)}${'wall'.padStart(7)} ${'CPU'.padStart(7)}\n${lines.join('\n')}\n`;
}
