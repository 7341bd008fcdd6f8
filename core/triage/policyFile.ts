import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { ArticleProblem } from '../articles/types.ts';

/**
 * Read one of the KB's policy files (`_routing.yml`, `_sla.yml`) and check it
 * against its schema. Every problem names the file and the line of the value
 * at fault (the yaml package keeps each node's position), so `npm run kb --
 * lint` points the editor at it. A missing file is no policy, not an error;
 * a broken one is reported and ignored whole, so half a policy never applies.
 */
export async function readPolicyFile<T>(
  root: string,
  file: string,
  schema: z.ZodType<T>,
): Promise<{ policy?: T; problems: ArticleProblem[] }> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, file), 'utf8');
  } catch {
    return { problems: [] };
  }
  return parsePolicy(file, text, schema);
}

/** Parse and validate a policy file's text; `file` names it in the problems. */
export function parsePolicy<T>(
  file: string,
  text: string,
  schema: z.ZodType<T>,
): { policy?: T; problems: ArticleProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: true, prettyErrors: false });
  const problems: ArticleProblem[] = doc.errors.map((err) => ({
    file,
    line: lineCounter.linePos(err.pos[0]).line,
    severity: 'error',
    message: err.message.split('\n')[0]!,
  }));
  if (problems.length) return { problems };
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { policy: parsed.data, problems };
  for (const issue of parsed.error.issues) {
    const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown key is pointed at itself, not at the map holding it.
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
    problems.push({
      file,
      line: lineOf(doc, lineCounter, [...at, ...unknown]),
      field: at.join('.') || undefined,
      severity: 'error',
      message: `${at.join('.') || 'file'}: ${issue.message}`,
    });
  }
  return { problems };
}

/** The line of the deepest node of `at` that exists (a missing key points at its parent). */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, at: (string | number)[]): number {
  for (let n = at.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return 1;
}
