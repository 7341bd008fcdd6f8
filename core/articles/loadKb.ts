import { createHash } from 'node:crypto';
import { promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Lang } from '../contracts/api.ts';
import { parseArticle } from './parseArticle.ts';
import { readPolicyFile } from '../triage/policyFile.ts';
import { SLA_FILE, slaSchema, type SlaPolicy } from '../sla/slaPolicy.ts';
import { ROUTING_FILE, routingSchema, type RoutingPolicy } from '../triage/routingRules.ts';
import type { Article, ArticleProblem } from './types.ts';

export interface KnowledgeBase {
  root: string;
  articles: Article[];
  problems: ArticleProblem[];
  /** Groups of interchangeable terms from `_synonyms.yml`. */
  synonyms: string[][];
  /** Ticket routing from `_routing.yml` (core/triage/routingRules.ts); absent when the KB has none or it is broken. */
  routing?: RoutingPolicy;
  /** SLA targets and business calendar from `_sla.yml` (core/sla/slaPolicy.ts); absent when none or broken. */
  sla?: SlaPolicy;
}

const SYNONYMS_FILE = '_synonyms.yml';

/**
 * Read, parse and validate every article under `root`. A broken file is
 * reported and left out; it never stops the others. Folders starting with
 * "_" or "." and folders named "includes" hold partials, not articles.
 * Symbolic links are not followed, so nothing outside the root is read.
 */
export async function loadKnowledgeBase(root: string, options: { defaultLang: Lang }): Promise<KnowledgeBase> {
  const files = (await listMarkdown(root, '')).sort();
  const problems: ArticleProblem[] = [];
  const byId = new Map<string, Article>();
  for (const file of files) {
    // Synchronous on purpose: with the files in the page cache (a checkout, a KB just written) 10,000 promised reads
    // cost 0.8–1 s of CPU in file handles, promises and the thread pool's round trips (open, stat, read, close),
    // and plain readFileSync calls 0.1 s; reading 32 ahead overlapped little but a cold disk's waits.
    const source = readFileSync(path.join(root, file), 'utf8');
    const result = parseArticle(file, source, options);
    problems.push(...result.problems);
    const a = result.article;
    if (!a) continue;
    const other = byId.get(a.id);
    if (other) {
      problems.push({
        file,
        line: 1,
        field: 'id',
        severity: 'error',
        message: `duplicate id '${a.id}': already used by ${other.file}`,
      });
      continue;
    }
    byId.set(a.id, a);
  }
  for (const a of byId.values()) {
    for (const [lang, target] of Object.entries(a.translations)) {
      const t = byId.get(target!);
      if (!t) {
        problems.push({
          file: a.file,
          line: 1,
          field: 'translations',
          severity: 'error',
          message: `translations.${lang} points to '${target}', which is not an article in the KB`,
        });
        delete a.translations[lang as Lang];
      } else if (t.lang !== lang) {
        problems.push({
          file: a.file,
          line: 1,
          field: 'translations',
          severity: 'error',
          message: `translations.${lang} points to '${target}', which is written in '${t.lang}'`,
        });
        delete a.translations[lang as Lang];
      }
    }
  }
  const synonyms = await loadSynonyms(root, problems);
  const routing = await readPolicyFile(root, ROUTING_FILE, routingSchema);
  const sla = await readPolicyFile(root, SLA_FILE, slaSchema);
  problems.push(...routing.problems, ...sla.problems);
  return {
    root,
    articles: [...byId.values()],
    problems,
    synonyms,
    ...(routing.policy ? { routing: routing.policy } : {}),
    ...(sla.policy ? { sla: sla.policy } : {}),
  };
}

/**
 * A fingerprint of the files `loadKnowledgeBase` reads: each one's path,
 * size and modification time, not its content. Equal stamps mean nothing
 * was added, removed or written since, so a server starting on an index
 * built with this stamp need not read and parse every article to know the
 * index is current (8 s of CPU at 10k articles, against a stat per file).
 * A different stamp proves nothing (a file touched, a checkout): compare
 * the articles' content then.
 */
export async function kbStamp(root: string): Promise<string> {
  const files = [...(await listMarkdown(root, '')).sort(), SYNONYMS_FILE, ROUTING_FILE, SLA_FILE];
  const hash = createHash('sha256');
  // Synchronous on purpose: it runs once at start (or in the CLI), where 10,000
  // promised stats cost 0.3–0.6 s of CPU in callbacks and promises, and plain
  // statSync calls 0.1–0.2 s; the files' metadata is in the page cache by then.
  for (const f of files) {
    const stat = statSync(path.join(root, f), { throwIfNoEntry: false });
    hash.update(`${f}\0${stat?.size ?? -1}\0${stat?.mtimeMs ?? -1}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}

/** How many article files `loadKnowledgeBase` would read (none is read). */
export async function countArticleFiles(root: string): Promise<number> {
  return (await listMarkdown(root, '')).length;
}

async function listMarkdown(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (skipsFolder(e.name)) continue;
      out.push(...(await listMarkdown(root, childRel)));
    } else if (e.isFile() && isArticleName(e.name)) {
      out.push(childRel);
    }
  }
  return out;
}

/** The KB files `loadKnowledgeBase` reads besides the articles: a change to one changes more than one article. */
export const KB_POLICY_FILES: readonly string[] = [SYNONYMS_FILE, ROUTING_FILE, SLA_FILE];

/** Is `rel` (relative to the KB root, "/" or the OS separator) a file `loadKnowledgeBase` reads as an article? */
export function isArticlePath(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  const name = parts.pop()!;
  return parts.every((p) => !skipsFolder(p)) && isArticleName(name);
}

/** Folders of partials and tooling, not articles. */
function skipsFolder(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.') || name === 'includes' || name === 'node_modules';
}

function isArticleName(name: string): boolean {
  return name.toLowerCase().endsWith('.md') && !name.startsWith('_') && !/^readme\.md$/i.test(name);
}

async function loadSynonyms(root: string, problems: ArticleProblem[]): Promise<string[][]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, SYNONYMS_FILE), 'utf8');
  } catch {
    return [];
  }
  try {
    const data = parseYaml(text, { schema: 'core' }) as unknown;
    if (!Array.isArray(data)) throw new Error('must be a list of groups, e.g. - [password, contraseña, clave]');
    return data.map((group, i) => {
      if (!Array.isArray(group) || group.some((w) => typeof w !== 'string' && typeof w !== 'number'))
        throw new Error(`group ${i + 1} must be a list of words`);
      return group.map(String);
    });
  } catch (error) {
    problems.push({ file: SYNONYMS_FILE, line: 1, severity: 'error', message: (error as Error).message });
    return [];
  }
}
