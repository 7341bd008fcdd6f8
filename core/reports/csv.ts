/**
 * Rows as CSV (RFC 4180: comma, CRLF, quotes doubled). Text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed
 * with an apostrophe: question texts come from users.
 */
export function toCsv<T extends object>(rows: readonly T[], columns?: (keyof T & string)[]): string {
  const cols = columns ?? (rows[0] ? (Object.keys(rows[0]) as (keyof T & string)[]) : []);
  const lines = [cols.map(cell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = Array.isArray(value)
    ? value.map((v) => (typeof v === 'object' && v ? JSON.stringify(v) : String(v))).join('; ')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
