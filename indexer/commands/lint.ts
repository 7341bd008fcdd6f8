import { parseArgs } from 'node:util';
import { configFromEnv } from '../../core/config/index.ts';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { lintKnowledgeBase } from '../../core/articles/lintKb.ts';
import { printProblems } from '../present.ts';

export const summary =
  'Check every article: errors (exit 1) and warnings (broken links, near-duplicates, stale translations, overdue reviews)';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { kb: { type: 'string' } } });
  const config = configFromEnv();
  const kb = await loadKnowledgeBase(values.kb ?? config.kbDir, { defaultLang: config.defaultLang });
  const warnings = await lintKnowledgeBase(kb);
  printProblems([...kb.problems, ...warnings]);
  const errors = kb.problems.filter((p) => p.severity === 'error').length;
  process.stdout.write(`${kb.articles.length} articles: ${errors} error(s), ${warnings.length} warning(s)\n`);
  return errors ? 1 : 0;
}
