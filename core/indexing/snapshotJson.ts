import { promises as fs } from 'node:fs';

/**
 * JSON for a snapshot file, in ASCII: every character past U+007E written as
 * a \u escape. The same JSON (any reader parses it to the same values), but
 * a file without a byte past 127 decodes to a one-byte string, two to three
 * times faster than UTF-8 text with a few accented letters in it, which
 * makes the whole string two-byte (articles.json at 10k articles: 0.3 s of
 * CPU and a 70 MB string before, 0.1 s and 35 MB after).
 */
export function asciiJson(value: unknown): string {
  return escapeNonAscii(JSON.stringify(value));
}

/** `json` with every character past U+007E escaped (a surrogate pair as two escapes, as JSON allows). */
export function escapeNonAscii(json: string): string {
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NON_ASCII = /[\u007f-\uffff]/g;

/** A snapshot's JSON file as text: ASCII or UTF-8, whichever wrote it. */
export async function readJsonText(file: string): Promise<string> {
  // TextDecoder takes the ASCII fast path when it can; Buffer.toString('utf8') took half again as long.
  return new TextDecoder().decode(await fs.readFile(file));
}
