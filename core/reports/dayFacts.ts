import type { Action } from '../contracts/api.ts';
import { isConversationStep, type DeflectEvent } from '../events/types.ts';

/**
 * The facts reports need from one day of events, in columns: a few numbers
 * per event instead of a JSON object with the reply text and the ranked list.
 * A day of events becomes a DayFacts once; reports then scan numbers, which is
 * what lets the deflection report read a million events in well under 2 s.
 *
 * Strings a report shows (question texts, article ids, languages, channels)
 * are stored once per day in `strings`, and columns hold indexes into it (-1:
 * none). Strings a report only compares — conversation ids and identities —
 * are stored as 52-bit hashes, so they need no lookup table and no address
 * or id appears in the cache in clear.
 */
export interface DayFacts {
  v: typeof FACTS_VERSION;
  day: string;
  strings: string[];
  /** Kind of event: 0 question, 1 feedback, 2 ticket. Events are in time order. */
  kind: Int32Array;
  /** Milliseconds since the start of the day (UTC). */
  t: Int32Array;
  /** The day's conversations (hashes of their ids), and each event's index into them. */
  convs: Float64Array;
  conv: Int32Array;
  /** The day's identity keys (hashes of "id:…", "email:…"), and each event's up to two indexes into them (-1: none). */
  whos: Float64Array;
  whoA: Int32Array;
  whoB: Int32Array;
  lang: Int32Array;
  channel: Int32Array;
  /** Question: action (ACTION: 0 answer, 1 clarify, 2 ticket). Feedback: 1 helpful, 0 not. Ticket: reason (0 user, 1 not_helpful, 2 no_answer). */
  code: Int32Array;
  /** Question: the article answered. Feedback: the article judged. Ticket: -1. */
  ref: Int32Array;
  /** How many articles were displayed; their ids follow in `shown`, event after event. */
  shownCount: Int32Array;
  shown: Int32Array;
  /** Question only: its text, the engine's nearest article and that article's confidence × 1000. */
  text: Int32Array;
  near: Int32Array;
  nearConfidence: Int32Array;
}

/** The numeric columns, by storage type (the order of the binary cache file). */
export const HASH_COLUMNS = ['convs', 'whos'] as const;
export const INT_COLUMNS = [
  'kind',
  't',
  'conv',
  'whoA',
  'whoB',
  'lang',
  'channel',
  'code',
  'ref',
  'shownCount',
  'shown',
  'text',
  'near',
  'nearConfidence',
] as const;

export const FACTS_VERSION = 4;
export const KIND = { question: 0, feedback: 1, ticket: 2 } as const;
/** The engine's decision for a question, by its code in the facts, their cache files and the outcomes. */
export const ACTION = { answer: 0, clarify: 1, ticket: 2 } as const satisfies Record<Action, number>;
export const REASONS = ['user', 'not_helpful', 'no_answer'] as const;

/** Condense one day's events (in any order) into facts. Erasure records and solved-with records carry no deflection data and are left out. */
export function buildDayFacts(day: string, events: Iterable<DeflectEvent>): DayFacts {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const sorted = [...events].filter(isConversationStep).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const f = {
    strings: [] as string[],
    ...(Object.fromEntries([...HASH_COLUMNS, ...INT_COLUMNS].map((c) => [c, [] as number[]])) as Record<
      (typeof HASH_COLUMNS)[number] | (typeof INT_COLUMNS)[number],
      number[]
    >),
  };
  const ids = new Map<string, number>();
  const s = (value: string | undefined): number => {
    if (value === undefined || value === '') return -1;
    let i = ids.get(value);
    if (i === undefined) {
      i = f.strings.length;
      f.strings.push(value);
      ids.set(value, i);
    }
    return i;
  };
  const dictionary = (list: number[]) => {
    const index = new Map<number, number>();
    return (h: number) => {
      let i = index.get(h);
      if (i === undefined) index.set(h, (i = list.push(h) - 1));
      return i;
    };
  };
  const conv = dictionary(f.convs);
  const who = dictionary(f.whos);
  for (const e of sorted) {
    f.t.push(Date.parse(e.at) - start);
    f.conv.push(conv(hash52(e.conversationId)));
    const [a, b] = identityKeys(e.user);
    f.whoA.push(a === undefined ? -1 : who(hash52(a)));
    f.whoB.push(b === undefined ? -1 : who(hash52(b)));
    f.lang.push(s(e.lang));
    f.channel.push(s(e.channel));
    if (e.type === 'question') {
      f.kind.push(KIND.question);
      f.code.push(ACTION[e.action] ?? ACTION.answer);
      f.ref.push(s(e.articleId));
      pushShown(
        f,
        e.shown.map((x) => s(x.articleId)),
      );
      f.text.push(s(e.question));
      f.near.push(s(e.ranked[0]?.articleId));
      f.nearConfidence.push(Math.round((e.ranked[0]?.confidence ?? 0) * 1000));
    } else {
      f.kind.push(e.type === 'feedback' ? KIND.feedback : KIND.ticket);
      f.code.push(e.type === 'feedback' ? (e.helpful ? 1 : 0) : Math.max(0, REASONS.indexOf(e.reason)));
      f.ref.push(e.type === 'feedback' ? s(e.articleId) : -1);
      pushShown(f, e.type === 'feedback' ? e.shown.map((x) => s(x.articleId)) : []);
      f.text.push(-1);
      f.near.push(-1);
      f.nearConfidence.push(0);
    }
  }
  const columns = (names: readonly string[], Type: typeof Int32Array | typeof Float64Array) =>
    Object.fromEntries(names.map((c) => [c, Type.from(f[c as keyof typeof f] as number[])]));
  return {
    v: FACTS_VERSION,
    day,
    strings: f.strings,
    ...columns(HASH_COLUMNS, Float64Array),
    ...columns(INT_COLUMNS, Int32Array),
  } as DayFacts;
}

/**
 * The keys under which an asker is known: "id:<id>" and "email:<address>".
 * Two events belong to the same person when they share a key (the widget may
 * know only an id, the ticket form adds the e-mail).
 */
export function identityKeys(user: { id?: string; email?: string } | undefined): string[] {
  const keys: string[] = [];
  if (user?.id) keys.push(`id:${user.id}`);
  if (user?.email) keys.push(`email:${user.email.trim().toLowerCase()}`);
  return keys;
}

/** A 52-bit hash (cyrb53), exact as a JSON number. Collisions are negligible at the scale of a help desk (about 1 in 10^4 at a million conversations). */
export function hash52(str: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function pushShown(f: { shownCount: number[]; shown: number[] }, ids: number[]): void {
  const kept = ids.filter((i) => i >= 0);
  f.shownCount.push(kept.length);
  for (const i of kept) f.shown.push(i);
}
