import { KIND, REASONS, type DayFacts } from './dayFacts.ts';
import type { FactStore } from './factStore.ts';
import { SlotTable, slotsOf } from './slotTable.ts';

export const DAY_MS = 86_400_000;
export const CONFIRMED = 1;
export const NOT_HELPFUL = 2;
export const ESCALATED = 4;

/** A period to report on: [from, to) as ISO times, and the deflection window in days. */
export interface Period {
  from: string;
  to: string;
  windowDays: number;
}

/** Per article: how often it was displayed, answered, judged, and followed by a ticket. */
export interface ArticleTally {
  shown: number;
  answered: number;
  confirmed: number;
  notHelpful: number;
  ticketsAfter: number;
}

/**
 * What became of every question asked in a period, in columns (one entry per
 * question, oldest first). This is the one pass over the events that every
 * report shares; the definitions live here:
 *
 * - feedback belongs to the last question asked before it in its conversation;
 * - a question is escalated by a ticket from its conversation, or from the
 *   same identified person, opened at or after the question and at most
 *   `windowDays` later (both ends inclusive).
 *
 * Columns are typed arrays, never an object per event: a million events must
 * fit in memory and be settled in about a second.
 */
export interface Outcomes {
  period: Period;
  /** When the outcomes were computed: windows that end later are still open. */
  now: number;
  /** Article ids, languages and channels, by the numbers used in the columns. */
  strings: string[];
  q: {
    t: Float64Array;
    lang: Int32Array;
    channel: Int32Array;
    /** 0 answer, 1 clarify, 2 ticket (nothing above the threshold). */
    action: Uint8Array;
    /** The article answered, else the first one displayed, else -1. */
    article: Int32Array;
    /** How many articles were displayed with the question. */
    shownCount: Int32Array;
    near: Int32Array;
    nearConfidence: Float32Array;
    flags: Uint8Array;
    /** Reason of the first ticket that escalated it (index in REASONS), -1 if none. */
    reason: Int8Array;
    /** Index in `tickets` of that ticket, -1 if none. */
    ticket: Int32Array;
  };
  /** The text of question i. */
  textOf(i: number): string;
  /** Tickets opened from `from` until `to` plus the window (later ones cannot escalate a question of the period). */
  tickets: { t: number[]; lang: number[]; channel: number[]; reason: number[] };
  articles: Map<number, ArticleTally>;
}

/** Read the period's events (and the window after it) once, and settle every question. */
export async function scanOutcomes(store: FactStore, period: Period, now = Date.now()): Promise<Outcomes> {
  const fromMs = Date.parse(period.from);
  const toMs = Date.parse(period.to);
  const windowMs = period.windowDays * DAY_MS;
  const endMs = toMs + windowMs;
  const today = new Date(now).toISOString().slice(0, 10);
  const firstDay = period.from.slice(0, 10);
  const lastDay = new Date(Math.min(endMs, 8.64e15)).toISOString().slice(0, 10);

  const days: DayFacts[] = [];
  let n = 0;
  let convSlots = 0;
  let whoSlots = 0;
  for (const day of await store.days()) {
    if (day < firstDay || day > lastDay) continue;
    const f = await store.load(day, today);
    days.push(f);
    convSlots += f.convs.length;
    whoSlots += f.whos.length;
    const start = Date.parse(`${day}T00:00:00.000Z`);
    for (let i = 0; i < f.kind.length; i++) {
      const t = start + f.t[i]!;
      if (f.kind[i] === KIND.question && t >= fromMs && t < toMs) n++;
    }
  }

  const strings: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let g = ids.get(s);
    if (g === undefined) {
      g = strings.length;
      strings.push(s);
      ids.set(s, g);
    }
    return g;
  };
  const q = {
    t: new Float64Array(n),
    lang: new Int32Array(n),
    channel: new Int32Array(n),
    action: new Uint8Array(n),
    article: new Int32Array(n),
    shownCount: new Int32Array(n),
    near: new Int32Array(n),
    nearConfidence: new Float32Array(n),
    flags: new Uint8Array(n),
    reason: new Int8Array(n).fill(-1),
    ticket: new Int32Array(n).fill(-1),
    textDay: new Int32Array(n),
    textAt: new Int32Array(n),
  };
  // Articles displayed per question (with the question, or as suggestions after a "No"), as a linked list.
  const shownArticle: number[] = [];
  const shownNext: number[] = [];
  const shownHead = new Int32Array(n).fill(-1);
  const addShown = (i: number, a: number) => {
    shownArticle.push(a);
    shownNext.push(shownHead[i]!);
    shownHead[i] = shownArticle.length - 1;
  };
  // Questions of the period by conversation and by identity key, newest first (linked lists through prev*).
  // Per conversation: v ≥ 0, its newest question is v (of the period); v ≤ -2, its newest question is outside the
  // period (feedback attaches to nothing) and its newest of the period is -v - 2; -1, none of the period.
  // Conversations and identity keys get dense numbers ("slots") across days: one map lookup per day they appear in, not per event.
  const convSlot = new SlotTable(convSlots);
  const whoSlot = new SlotTable(whoSlots);
  const lastInConv = new Int32Array(convSlots).fill(-1);
  const lastByKey = new Int32Array(whoSlots).fill(-1);
  const prevConv = new Int32Array(n).fill(-1);
  const keyA = new Int32Array(n).fill(-1);
  const keyB = new Int32Array(n).fill(-1);
  const prevA = new Int32Array(n).fill(-1);
  const prevB = new Int32Array(n).fill(-1);
  const seen = new Int32Array(n).fill(-1);
  const tickets = { t: [] as number[], lang: [] as number[], channel: [] as number[], reason: [] as number[] };
  const tallies = new Tallies();

  const escalate = (i: number, k: number, kt: number): void => {
    if (seen[i] === k) return;
    seen[i] = k;
    if (kt < q.t[i]! || kt > q.t[i]! + windowMs) return;
    if (q.ticket[i] === -1) {
      q.ticket[i] = k;
      q.reason[i] = Math.max(0, Math.min(REASONS.length - 1, tickets.reason[k]!));
      q.flags[i]! |= ESCALATED;
    }
    for (let x = shownHead[i]!; x >= 0; x = shownNext[x]!) tallies.ticketAfter(shownArticle[x]!, k);
  };
  /** Walk a person's questions back from the newest, until they are older than the window. */
  const walkKey = (key: number, k: number, kt: number) => {
    for (let i = lastByKey[key]!; i >= 0 && q.t[i]! >= kt - windowMs; i = keyA[i] === key ? prevA[i]! : prevB[i]!) escalate(i, k, kt);
  };

  let qi = 0;
  days.forEach((f, d) => {
    const start = Date.parse(`${f.day}T00:00:00.000Z`);
    const local = new Int32Array(f.strings.length).fill(-1);
    const G = (i: number) => (i < 0 ? -1 : local[i]! >= 0 ? local[i]! : (local[i] = intern(f.strings[i]!)));
    const convs = slotsOf(f.convs, convSlot);
    const whos = slotsOf(f.whos, whoSlot);
    let s = 0;
    for (let i = 0; i < f.kind.length; i++) {
      const t = start + f.t[i]!;
      const s0 = s;
      s += f.shownCount[i]!;
      const conv = convs[f.conv[i]!]!;
      const inPeriod = t >= fromMs && t < toMs;
      const kind = f.kind[i];
      if (kind === KIND.question) {
        if (!inPeriod) {
          const v = lastInConv[conv]!;
          if (v >= 0) lastInConv[conv] = -v - 2;
          continue;
        }
        const ref = G(f.ref[i]!);
        const action = f.code[i]!;
        q.t[qi] = t;
        q.lang[qi] = G(f.lang[i]!);
        q.channel[qi] = G(f.channel[i]!);
        q.action[qi] = action;
        q.shownCount[qi] = s - s0;
        q.article[qi] = ref >= 0 ? ref : s > s0 ? G(f.shown[s0]!) : -1;
        q.near[qi] = G(f.near[i]!);
        q.nearConfidence[qi] = f.nearConfidence[i]! / 1000;
        q.textDay[qi] = d;
        q.textAt[qi] = f.text[i]!;
        for (let x = s0; x < s; x++) {
          const a = G(f.shown[x]!);
          addShown(qi, a);
          tallies.of(a).shown++;
        }
        if (ref >= 0 && action === 0) tallies.of(ref).answered++;
        prevConv[qi] = headOf(lastInConv[conv]!);
        lastInConv[conv] = qi;
        if (f.whoA[i]! >= 0) {
          const a = (keyA[qi] = whos[f.whoA[i]!]!);
          prevA[qi] = lastByKey[a]!;
          lastByKey[a] = qi;
        }
        if (f.whoB[i]! >= 0) {
          const b = (keyB[qi] = whos[f.whoB[i]!]!);
          prevB[qi] = lastByKey[b]!;
          lastByKey[b] = qi;
        }
        qi++;
      } else if (kind === KIND.feedback) {
        const article = G(f.ref[i]!);
        const helpful = f.code[i] === 1;
        if (inPeriod) {
          const x = tallies.of(article);
          if (helpful) x.confirmed++;
          else x.notHelpful++;
          for (let y = s0; y < s; y++) tallies.of(G(f.shown[y]!)).shown++;
        }
        const at = lastInConv[conv]!;
        if (at >= 0) {
          q.flags[at]! |= helpful ? CONFIRMED : NOT_HELPFUL;
          for (let y = s0; y < s; y++) addShown(at, G(f.shown[y]!));
        }
      } else if (t >= fromMs && t <= endMs) {
        // Events are in time order: every question this ticket can escalate is already linked.
        const k = tickets.t.length;
        tickets.t.push(t);
        tickets.lang.push(G(f.lang[i]!));
        tickets.channel.push(G(f.channel[i]!));
        tickets.reason.push(f.code[i]!);
        for (let j = headOf(lastInConv[conv]!); j >= 0 && q.t[j]! >= t - windowMs; j = prevConv[j]!) escalate(j, k, t);
        if (f.whoA[i]! >= 0) walkKey(whos[f.whoA[i]!]!, k, t);
        if (f.whoB[i]! >= 0) walkKey(whos[f.whoB[i]!]!, k, t);
      }
    }
  });

  return {
    period,
    now,
    strings,
    q: { t: q.t, lang: q.lang, channel: q.channel, action: q.action, article: q.article, shownCount: q.shownCount, near: q.near, nearConfidence: q.nearConfidence, flags: q.flags, reason: q.reason, ticket: q.ticket },
    textOf: (i) => {
      const at = q.textAt[i]!;
      return at < 0 ? '' : (days[q.textDay[i]!]!.strings[at] ?? '');
    },
    tickets,
    articles: tallies.toMap(),
  };
}

/** The newest question of the period in a conversation, from its lastInConv value. */
function headOf(v: number): number {
  return v >= -1 ? v : -v - 2;
}

/** Article tallies by string number, and which ticket last credited each (a ticket counts once per article). */
class Tallies {
  private readonly byId: ({ tally: ArticleTally; lastTicket: number } | undefined)[] = [];
  of(a: number): ArticleTally {
    return this.entry(a).tally;
  }
  ticketAfter(a: number, k: number): void {
    const e = this.entry(a);
    if (e.lastTicket === k) return;
    e.lastTicket = k;
    e.tally.ticketsAfter++;
  }
  toMap(): Map<number, ArticleTally> {
    const out = new Map<number, ArticleTally>();
    this.byId.forEach((e, id) => e && out.set(id, e.tally));
    return out;
  }
  private entry(a: number) {
    let e = this.byId[a];
    if (!e) this.byId[a] = e = { tally: { shown: 0, answered: 0, confirmed: 0, notHelpful: 0, ticketsAfter: 0 }, lastTicket: -1 };
    return e;
  }
}
