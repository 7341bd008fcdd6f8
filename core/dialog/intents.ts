import { z } from 'zod';
import type { Lang } from '../contracts/api.ts';
import { fold, words } from '../text/analyze.ts';
import { labels } from './strings.ts';

/**
 * What a short reply means. Buttons post their label as text (Teams'
 * suggested actions only support imBack), so labels in both languages are
 * recognised next to the words people type.
 */
const YES = [
  'yes',
  'y',
  'yeah',
  'yep',
  'sure',
  'ok',
  'okay',
  'si',
  'vale',
  'claro',
  'de acuerdo',
  'por favor',
  'go ahead',
  'adelante',
];
const NO = ['no', 'n', 'nope', 'not really', 'no thanks', 'no gracias', 'para nada'];
const CANCEL = [
  'cancel',
  'cancelar',
  'stop',
  'quit',
  'exit',
  'salir',
  'parar',
  'olvidalo',
  'forget it',
  'never mind',
  'nevermind',
];
/** Asking for a person: these words in a short message (a long one is a question that happens to contain them). */
const PERSON = new Map<string, Lang>([
  ...(['agent', 'agents', 'human', 'humans', 'person', 'operator'] as const).map((w) => [w, 'en'] as const),
  ...(['agente', 'agentes', 'persona', 'personas', 'humano', 'operador'] as const).map((w) => [w, 'es'] as const),
]);
const PERSON_MAX_WORDS = 6;
const email = z.email().max(254);

/** Lower case, no accents, no punctuation or spaces at the ends. */
export function normalise(text: string): string {
  return fold(text)
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

const is = (text: string, list: string[]) => list.map(normalise).includes(normalise(text));

export const isYes = (text: string) => is(text, [...YES, ...labels('solved'), ...labels('confirmYes')]);
export const isNo = (text: string) => is(text, [...NO, ...labels('notSolved'), ...labels('noThanks')]);
export const isCancel = (text: string) => is(text, [...CANCEL, ...labels('cancel')]);
export const isNoneOfThese = (text: string) => is(text, labels('noneOfThese'));

export function wantsPerson(text: string): boolean {
  if (is(text, labels('openTicket'))) return true;
  const w = words(text);
  return w.length <= PERSON_MAX_WORDS && w.some((x) => PERSON.has(x));
}

/** The language of the word used to ask for a person ("agente" is Spanish): a lone word says nothing else. */
export function personLang(text: string): Lang | undefined {
  for (const w of words(text)) if (PERSON.has(w)) return PERSON.get(w);
  return undefined;
}

/** Asking to see one's own tickets, in either language. */
const MY_TICKETS = new Map<string, Lang>([
  ...(
    [
      'my tickets',
      'my ticket',
      'my requests',
      'my request',
      'my cases',
      'my support tickets',
      'show my tickets',
      'show my requests',
    ] as const
  ).map((w) => [w, 'en'] as const),
  ...(
    ['mis solicitudes', 'mis tickets', 'mis casos', 'mis incidencias', 'mis peticiones', 'ver mis solicitudes'] as const
  ).map((w) => [w, 'es'] as const),
]);

/** "my tickets" / "mis solicitudes": the language the request was made in, or undefined when it is not one. */
export function myTicketsLang(text: string): Lang | undefined {
  return MY_TICKETS.get(normalise(text));
}

/** The address when the text is one e-mail address (Teams may wrap it in a mailto link). */
export function emailIn(text: string): string | undefined {
  const candidate = text
    .trim()
    .replace(/^<a [^>]*>(.*)<\/a>$/i, '$1')
    .trim();
  return email.safeParse(candidate).success ? candidate : undefined;
}
