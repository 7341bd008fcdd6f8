import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { terms } from '../text/analyze.ts';
import type { KnowledgeBase } from './loadKb.ts';
import type { Article, ArticleProblem } from './types.ts';

const run = promisify(execFile);
const DAY = 86_400_000;
/** Share of terms two questions must share to count as the same question. */
const NEAR_DUPLICATE = 0.85;
/** How much later a change to one side of a translation pair makes the other side stale. */
const TRANSLATION_LAG_MS = DAY;

/**
 * Warnings an editor needs beyond validation: links to articles that do not
 * exist, the same question under two articles, translations left behind by
 * their source, and reviews that are overdue.
 */
export async function lintKnowledgeBase(kb: KnowledgeBase, now = new Date()): Promise<ArticleProblem[]> {
  const warnings: ArticleProblem[] = [];
  const warn = (a: Article, field: string | undefined, message: string) =>
    warnings.push({ file: a.file, line: 1, field, severity: 'warning', message });
  const files = new Set(kb.articles.map((a) => a.file));

  for (const a of kb.articles) {
    for (const link of a.links) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(a.file), decodeURI(link.split('#')[0]!)));
      if (!files.has(target)) warn(a, undefined, `broken link to ${link}: no article at ${target}`);
    }
    if (a.reviewBy && a.reviewBy < now.toISOString().slice(0, 10))
      warn(a, 'review_by', `review was due on ${a.reviewBy}`);
  }

  warnings.push(...nearDuplicates(kb.articles));
  warnings.push(...(await staleTranslations(kb)));
  return warnings;
}

function nearDuplicates(articles: Article[]): ArticleProblem[] {
  const out: ArticleProblem[] = [];
  const entries: { a: Article; text: string; set: Set<string> }[] = [];
  for (const a of articles)
    for (const text of [a.title, ...a.questions]) entries.push({ a, text, set: new Set(terms(text, a.lang)) });
  // Compare only entries that share a term, through an inverted index.
  const byTerm = new Map<string, number[]>();
  entries.forEach((e, i) => e.set.forEach((t) => byTerm.set(t, [...(byTerm.get(t) ?? []), i])));
  const reported = new Set<string>();
  entries.forEach((e, i) => {
    const seen = new Set<number>();
    for (const t of e.set)
      for (const j of byTerm.get(t) ?? []) {
        if (j <= i || seen.has(j)) continue;
        seen.add(j);
        const f = entries[j]!;
        if (f.a.id === e.a.id || f.a.lang !== e.a.lang || e.set.size < 2) continue;
        if (Object.values(e.a.translations).includes(f.a.id)) continue;
        const inter = [...e.set].filter((x) => f.set.has(x)).length;
        const jaccard = inter / (e.set.size + f.set.size - inter);
        const key = [e.a.id, f.a.id].sort().join('|');
        if (jaccard >= NEAR_DUPLICATE && !reported.has(key)) {
          reported.add(key);
          out.push({
            file: e.a.file,
            line: 1,
            field: 'questions',
            severity: 'warning',
            message: `"${e.text}" is nearly the same as "${f.text}" in ${f.a.file}: users cannot tell which article answers it`,
          });
        }
      }
  });
  return out;
}

async function staleTranslations(kb: KnowledgeBase): Promise<ArticleProblem[]> {
  const out: ArticleProblem[] = [];
  const byId = new Map(kb.articles.map((a) => [a.id, a]));
  const changed = new Map<string, number>();
  const when = async (a: Article) => {
    if (!changed.has(a.id)) changed.set(a.id, await lastChange(kb.root, a.file));
    return changed.get(a.id)!;
  };
  for (const a of kb.articles) {
    for (const targetId of Object.values(a.translations)) {
      const t = byId.get(targetId!);
      if (!t || a.id > t.id) continue; // each pair once
      const [ta, tt] = [await when(a), await when(t)];
      if (ta - tt > TRANSLATION_LAG_MS)
        out.push({
          file: t.file,
          line: 1,
          field: 'translations',
          severity: 'warning',
          message: `translation is older than ${a.file} (changed ${daysBetween(ta, tt)} days later): review it`,
        });
      if (tt - ta > TRANSLATION_LAG_MS)
        out.push({
          file: a.file,
          line: 1,
          field: 'translations',
          severity: 'warning',
          message: `translation is older than ${t.file} (changed ${daysBetween(tt, ta)} days later): review it`,
        });
    }
  }
  return out;
}

/** Last commit time of a file in git, or its modification time outside git. */
async function lastChange(root: string, file: string): Promise<number> {
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%ct', '--', file], { cwd: root });
    if (stdout.trim()) return Number(stdout.trim()) * 1000;
  } catch {
    // not a git checkout
  }
  return (await fs.stat(path.join(root, file))).mtimeMs;
}

function daysBetween(a: number, b: number): number {
  return Math.round((a - b) / DAY);
}
