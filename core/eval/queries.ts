import { ValidationError } from '../errors.ts';

/** How a question relates to the KB, as labelled in an evaluation set. */
export type QueryType = 'in_scope' | 'id_oos' | 'ood_oos' | 'oos';

/** One evaluation question (a row of `dev.jsonl`). */
export interface QueryRow {
  qid: string;
  text: string;
  /**
   * The article that answers it; null when no article does (unanswerable);
   * undefined when unlabelled: answered and written out, left out of metrics.
   */
  gold?: string | null;
  type?: QueryType;
}

const TYPES = new Set<QueryType>(['in_scope', 'id_oos', 'ood_oos', 'oos']);

/**
 * Parse a JSON-lines question file. Every bad line is reported at once, by
 * line number, so a broken export is fixed in one pass.
 */
export function parseQueries(text: string, file = 'queries'): QueryRow[] {
  const rows: QueryRow[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch {
      problems.push(`${where}: not valid JSON`);
      return;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return void problems.push(`${where}: must be a JSON object`);
    const qid = raw.qid === undefined ? `line-${i + 1}` : String(raw.qid);
    // Empty texts occur in real exports (a user who sent nothing); they are asked like any other.
    if (typeof raw.text !== 'string') return void problems.push(`${where}: text must be a string`);
    if (raw.gold !== undefined && raw.gold !== null && typeof raw.gold !== 'string')
      return void problems.push(`${where}: gold must be an article id, null or absent`);
    if (raw.type !== undefined && !TYPES.has(raw.type as QueryType))
      return void problems.push(`${where}: type must be one of ${[...TYPES].join(', ')}`);
    if (seen.has(qid)) return void problems.push(`${where}: duplicate qid '${qid}'`);
    seen.add(qid);
    const gold = raw.gold as string | null | undefined;
    const type =
      (raw.type as QueryType | undefined) ?? (gold === undefined ? undefined : gold === null ? 'oos' : 'in_scope');
    if (type === 'in_scope' && !gold) return void problems.push(`${where}: an in_scope question needs a gold article`);
    if (type && type !== 'in_scope' && gold)
      return void problems.push(`${where}: a ${type} question must have gold null`);
    rows.push({ qid, text: raw.text, ...(gold !== undefined ? { gold } : {}), ...(type ? { type } : {}) });
  });
  if (problems.length)
    throw new ValidationError(
      `${file} has ${problems.length} bad line(s):\n${problems
        .slice(0, 20)
        .map((p) => `  - ${p}`)
        .join('\n')}`,
      { problems },
    );
  return rows;
}
