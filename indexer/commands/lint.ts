import { parseArgs } from 'node:util';
import { configFromEnv } from '../../core/config/index.ts';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { lintKnowledgeBase } from '../../core/articles/lintKb.ts';
import { indexedSelfService, type IndexedSelfService } from '../../core/indexing/indexedSelfService.ts';
import { coverageLine, printProblems } from '../present.ts';

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
  process.stdout.write(selfServiceReport(await indexedSelfService(kb, config.dataDir)));
  return errors ? 1 : 0;
}

const SHOWN = 10;

/** Where the operator's effort pays most, from the last index build's calibration. */
function selfServiceReport(s: IndexedSelfService | null): string {
  if (!s)
    return 'No index of this KB in DATA_DIR yet: `npm run index` estimates which articles would gain most from listed questions.\n';
  const stale = s.stale ? 'The KB changed since that index was built: `npm run index` renews both figures.\n' : '';
  if (!s.weakest.length) return coverageLine(s.coverage, s.builtAt) + stale;
  const lines = s.weakest.slice(0, SHOWN).map((a) => `  ${a.articleId}  ${a.title}\n`);
  return (
    coverageLine(s.coverage, s.builtAt) +
    `Articles that would gain most from listed questions, least sure first (index built ${s.builtAt}):\n${lines.join('')}` +
    stale
  );
}
