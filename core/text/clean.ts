/**
 * User text as we store and show it: Unicode-normalised (NFC), control
 * characters and bidirectional overrides removed (they hide or reorder text in
 * an agent's view), lone surrogates replaced, so every store and every page
 * gets well-formed, inert text. Newlines and tabs stay.
 */
export function cleanText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '');
}
