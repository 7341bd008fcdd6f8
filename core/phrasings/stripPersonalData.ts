import { fold, isStopword, words } from '../text/analyze.ts';
import type { Lang } from '../contracts/api.ts';

/** What is known of the person who asked: their own name and address are removed wherever they appear. */
export interface Asker {
  name?: string;
  email?: string;
  id?: string;
}

// A removed span; lead-ins such as "my e-mail is" are removed with it, then the marks go.
const MARK = '\u0000';

// Order matters: URLs before e-mail addresses (a URL may hold an "@"), both before digit runs.
const PATTERNS: RegExp[] = [
  /\b(?:https?:\/\/|www\.)\S+/giu,
  /\S+[?&](?:token|code|key|sig|signature|auth|session|password|pwd|access_token)=\S*/giu,
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu,
  /\[erased\]/giu,
  // Ticket ids as Deflect writes them (T-000042), and numbered references of any kind: "#1234".
  /\bT-\d+\b/giu,
  /#\s?\d+/gu,
  // UUIDs and long random-looking tokens (letters and digits mixed, 16+).
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/giu,
  /\b(?=[\p{L}\p{N}_-]*\d)(?=[\p{L}\p{N}_-]*\p{L})[\p{L}\p{N}_-]{16,}\b/gu,
  /\b\d{1,3}(?:\.\d{1,3}){3}\b/gu,
  // Phone, order, account and card numbers: 5+ digits, possibly grouped ("+34 600 12 34 56", "4111 1111 1111 1111").
  /(?<![\p{L}\p{N}])\+?\d(?:[\s().-]{0,2}\d){4,}(?![\p{L}\p{N}])/gu,
];

// "ticket 4521", "incidencia nº 88", "pedido 1234": the number after a word that introduces a reference.
const REFERENCE_WORDS =
  'ticket|tiquet|tique|incidencia|incidente|caso|case|order|pedido|orden|solicitud|request|referencia|reference|ref|n[uú]mero|number|no\\.|n[ºo°]';
const REFERENCE = new RegExp(
  `\\b(${REFERENCE_WORDS})\\s*(?:n[ºo°.]\\s*)?[:#]?\\s*(?=[\\p{L}\\p{N}-]*\\d)[\\p{L}\\p{N}-]+`,
  'giu',
);
// "…, order #4481." says nothing once the number is gone; "pedido nº 4521 no ha llegado" keeps "pedido".
const DANGLING_REFERENCE = new RegExp(`\\b(?:${REFERENCE_WORDS})\\s*${MARK}(?=\\s*(?:[,.;:!?]|${MARK}|$))`, 'giu');

// Introductions: the words after them are a name. Up to three words, stopping at punctuation or a connector.
const INTRODUCTION =
  /\b(my name is|my name's|i am called|i'm called|me llamo|mi nombre es)\s+((?:[\p{L}'-]+\s*){1,3})/giu;
// "soy Ana", "I'm Ana": only a capitalised word after these is taken for a name ("soy nuevo" is not one).
const SELF = /(?<![\p{L}])([Ss]oy|I am|I'm|i'm|i am)\s+(\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)?)/gu;
const CONNECTORS = new Set([
  'and',
  'but',
  'from',
  'with',
  'i',
  'im',
  'my',
  'y',
  'e',
  'pero',
  'de',
  'del',
  'con',
  'mi',
  'yo',
  'no',
  'not',
  'the',
  'el',
  'la',
  'at',
  'in',
  'en',
  'que',
  'un',
  'una',
  'a',
]);

// What is left of "my e-mail is <address>" once the address is gone ("the link <url> expired" keeps "the link").
const LEAD_IN = new RegExp(
  `\\b(?:my|mi|our|nuestro|el|la|the)?\\s*(?:e-?mail(?:\\s+address)?|correo(?:\\s+electr[oó]nico)?|address|direcci[oó]n|phone(?:\\s+number)?|(?:n[uú]mero\\s+de\\s+)?tel[eé]fono|m[oó]vil|mobile|cell|number|n[uú]mero|link|enlace|url|id)?\\s*(?:is|es|:|=)\\s*${MARK}`,
  'giu',
);

// "call me at <number>", "escríbeme a <address>": nothing is left to say once the number is gone.
const CONTACT = new RegExp(
  `\\b(?:(?:call|text|phone|ring|reach|contact|email|e-mail|write to)\\s+me(?:\\s+back)?\\s+(?:at|on)?|ll[aá]m[ae]me(?:\\s+al?)?|escr[ií]b[ae]me(?:\\s+al?)?|cont[aá]ct[ae]me(?:\\s+(?:al?|en))?)\\s*${MARK}`,
  'giu',
);

/**
 * A user's question with the personal data taken out, ready to become a
 * phrasing in an article that everyone reads: e-mail addresses, URLs (a link
 * may carry a token), phone, ticket, order and card numbers, long tokens, IP
 * addresses, the asker's own name and address, and names introduced as "my
 * name is …" / "me llamo …". Returns null when nothing worth keeping is left
 * (a question made only of personal data, or only of function words).
 *
 * Removing rather than masking keeps "[email]"-style placeholders out of
 * articles; the person who reviews the change still sees what is left.
 */
export function stripPersonalData(text: string, asker: Asker = {}, lang?: Lang): string | null {
  let s = text.normalize('NFC').replace(/[\u0000-\u001f\u007f]+/g, ' ');
  for (const p of PATTERNS) s = s.replace(p, MARK);
  s = s.replace(REFERENCE, (m, word: string) => `${word} ${MARK}`);
  s = s.replace(INTRODUCTION, (_m, _intro: string, rest: string) => MARK + keepAfterName(rest));
  s = s.replace(SELF, MARK);
  for (const name of askerWords(asker))
    s = s.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'giu'), MARK);
  // Also in folded form: "Jose" written for "José".
  s = foldedRemove(s, askerWords(asker));
  s = s
    .replace(DANGLING_REFERENCE, MARK)
    .replace(LEAD_IN, ' ')
    .replace(CONTACT, ' ')
    .replace(new RegExp(MARK, 'g'), ' ');
  s = tidy(s);
  return worthKeeping(s, lang) ? s : null;
}

/** Of the words after an introduction, the name is up to the first connector or punctuation; the rest is kept. */
function keepAfterName(rest: string): string {
  const parts = rest.split(/(\s+)/);
  let i = 0;
  let taken = 0;
  while (i < parts.length && taken < 3) {
    const w = parts[i]!;
    if (!w.trim()) {
      i++;
      continue;
    }
    if (CONNECTORS.has(fold(w).replace(/[^a-z]/g, '')) && taken > 0) break;
    taken++;
    i++;
  }
  return ' ' + parts.slice(i).join('');
}

function askerWords(asker: Asker): string[] {
  const out = new Set<string>();
  for (const part of (asker.name ?? '').split(/[\s,]+/))
    if (part.replace(/[^\p{L}]/gu, '').length >= 2) out.add(part.replace(/[.,;:]+$/, ''));
  // The address's local part often is the person's login ("jsmith"), and ids can be typed too.
  const local = asker.email?.split('@')[0];
  if (local && local.length >= 3) out.add(local);
  if (asker.id && asker.id.length >= 3) out.add(asker.id);
  return [...out];
}

function foldedRemove(s: string, names: string[]): string {
  const targets = new Set(names.map((n) => fold(n)));
  if (!targets.size) return s;
  return s.replace(/[\p{L}\p{N}._-]+/gu, (w) => (targets.has(fold(w)) ? MARK : w));
}

function tidy(s: string): string {
  return (
    s
      .replace(/\s+/g, ' ')
      .replace(/\s+([,.;:!?)])/g, '$1')
      .replace(/([(¿¡])\s+/g, '$1')
      .replace(/([,;:])(?=[,;:.!?])/g, '')
      .replace(/^[\s,;:.)-]+/, '')
      // What an introduction leaves at the start: "[Soy Carla,] y la VPN no conecta".
      .replace(/^(?:(?:y|e|and|but|pero|so|and then)\b[\s,]*)+/iu, '')
      .replace(/[\s,;:(-]+$/, '')
      .replace(/\(\)/g, '')
      .trim()
  );
}

/** At least one word that carries meaning: not a stop word, not a lone number, two letters or more. */
function worthKeeping(s: string, lang?: Lang): boolean {
  return words(s).some(
    (w) =>
      w.length >= 2 && !/^\d+$/.test(w) && !(lang ? isStopword(w, lang) : isStopword(w, 'es') || isStopword(w, 'en')),
  );
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
