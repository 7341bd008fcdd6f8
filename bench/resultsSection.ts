import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** Replace (or add) one `## ` section of a Markdown file, leaving the rest as it is. */
export function writeSection(file: string, heading: string, body: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.indexOf(`\n${heading}\n`);
  const section = `\n${heading}\n\n${body}`;
  if (start < 0) return writeFileSync(file, `${text.trimEnd()}\n${section}`);
  const end = text.indexOf('\n## ', start + 1);
  writeFileSync(file, `${text.slice(0, start)}${section}${end < 0 ? '' : text.slice(end)}`);
}

/** The machine a figure was measured on, and how busy it was. */
export function machineLine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at the end ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(', ')}`;
}
