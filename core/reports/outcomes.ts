import { ACTION, KIND, REASONS, type DayFacts } from './dayFacts.ts';
import type { FactStore } from './factStore.ts';
import { ConversationChains, DisplayedArticles, FIRST_KEY, IdentityChains, SECOND_KEY } from './questionLinks.ts';
import { SlotTable, slotsOf } from './slotTable.ts';
import { QuestionColumns, Tallies } from './outcomeColumns.ts';
import { StringTable, type DayStrings } from './stringTable.ts';

export const DAY_MS = 86_400_000;
/** Bits of `Outcomes.q.flags`. */
export const CONFIRMED = 1;
export const NOT_HELPFUL = 2;
export const ESCALATED = 4;

/** The action code of a question the engine answered (`ACTION`). */
const ACTION_ANSWER = ACTION.answer;

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
 * - feedback belongs to the last question asked before it in its conversation,
 *   when given at most `windowDays` after it;
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
  /** The questions of the period, one entry per question in every column. */
  q: {
    /** When it was asked (ms since the epoch). */
    t: Float64Array;
    /** Its language and channel, as numbers in `strings`. */
    lang: Int32Array;
    channel: Int32Array;
    /** 0 answer, 1 clarify, 2 ticket (nothing above the threshold). */
    action: Uint8Array;
    /** The article answered, else the first one displayed, else -1. */
    article: Int32Array;
    /** How many articles were displayed with the question. */
    shownCount: Int32Array;
    /** The engine's best article (in `strings`, -1 if none) and its confidence, answered or not. */
    near: Int32Array;
    nearConfidence: Float32Array;
    /** CONFIRMED, NOT_HELPFUL (feedback on it), ESCALATED (a ticket in the window). */
    flags: Uint8Array;
    /** Reason of the first ticket that escalated it (index in REASONS), -1 if none. */
    reason: Int8Array;
    /** Index in `tickets` of that ticket, -1 if none. */
    ticket: Int32Array;
  };
  /** The text of question i. */
  textOf(i: number): string;
  /** Tickets opened from `from` until `to` plus the window (later ones cannot escalate a question of the period), as columns. */
  tickets: { t: number[]; lang: number[]; channel: number[]; reason: number[] };
  articles: Map<number, ArticleTally>;
}

/** Read the period's events (and the window after it) once, and settle every question. */
export async function scanOutcomes(store: FactStore, period: Period, now = Date.now()): Promise<Outcomes> {
  const range = timeRangeOf(period);
  const loaded = await loadDays(store, period, range, now);
  const scan = new OutcomeScan(range, loaded);
  loaded.days.forEach((day, dayNumber) => scan.readDay(day, dayNumber));
  return scan.outcomes(period, now);
}

/** The period in milliseconds, and how far past its end tickets still count. */
interface TimeRange {
  fromMs: number;
  toMs: number;
  windowMs: number;
  /** The last moment a ticket can escalate a question of the period: `to` plus the window. */
  ticketsUntilMs: number;
}

function timeRangeOf(period: Period): TimeRange {
  const toMs = Date.parse(period.to);
  const windowMs = period.windowDays * DAY_MS;
  return { fromMs: Date.parse(period.from), toMs, windowMs, ticketsUntilMs: toMs + windowMs };
}

function inPeriod(range: TimeRange, t: number): boolean {
  return t >= range.fromMs && t < range.toMs;
}

/** The days that hold the period and its window, and the sizes the scan allocates up front. */
interface LoadedDays {
  days: DayFacts[];
  questionsInPeriod: number;
  /** Upper bounds of the distinct conversations and identity keys (each day's count, summed). */
  conversationSlots: number;
  identitySlots: number;
}

async function loadDays(store: FactStore, period: Period, range: TimeRange, now: number): Promise<LoadedDays> {
  const today = new Date(now).toISOString().slice(0, 10);
  const firstDay = period.from.slice(0, 10);
  // 8.64e15 ms is the largest valid Date: a huge window must not make an invalid one.
  const lastDay = new Date(Math.min(range.ticketsUntilMs, 8.64e15)).toISOString().slice(0, 10);
  const loaded: LoadedDays = { days: [], questionsInPeriod: 0, conversationSlots: 0, identitySlots: 0 };
  for (const day of await store.days()) {
    if (day < firstDay || day > lastDay) continue;
    const facts = await store.load(day, today);
    loaded.days.push(facts);
    loaded.conversationSlots += facts.convs.length;
    loaded.identitySlots += facts.whos.length;
    const dayStart = startOfDay(facts.day);
    for (let e = 0; e < facts.kind.length; e++) {
      if (facts.kind[e] === KIND.question && inPeriod(range, dayStart + facts.t[e]!)) loaded.questionsInPeriod++;
    }
  }
  return loaded;
}

function startOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/**
 * The single pass: questions, feedback and tickets in time order, day after
 * day. Everything is indexed by dense numbers — questions by their position in
 * the period, conversations and identity keys by "slots" — so per-event work is
 * array reads and writes, with no object and no map lookup per event.
 */
class OutcomeScan {
  private readonly questions: QuestionColumns;
  private readonly displayed: DisplayedArticles;
  private readonly conversations: ConversationChains;
  private readonly people: IdentityChains;
  /** Conversation ids and identity keys are hashes in the facts; these number them densely across days. */
  private readonly conversationSlots: SlotTable;
  private readonly identitySlots: SlotTable;
  private readonly tickets: Outcomes['tickets'] = { t: [], lang: [], channel: [], reason: [] };
  private readonly tallies = new Tallies();
  private readonly strings = new StringTable();
  private readonly days: DayFacts[];
  /** Which ticket last tried to escalate each question: a ticket reaches a question through its conversation and up to two identity keys, and counts once. */
  private readonly lastTicketSeen: Int32Array;
  private questionCount = 0;

  constructor(
    private readonly range: TimeRange,
    loaded: LoadedDays,
  ) {
    const n = loaded.questionsInPeriod;
    this.days = loaded.days;
    this.questions = new QuestionColumns(n);
    this.displayed = new DisplayedArticles(n);
    this.conversations = new ConversationChains(loaded.conversationSlots, n);
    this.people = new IdentityChains(loaded.identitySlots, n);
    this.conversationSlots = new SlotTable(loaded.conversationSlots);
    this.identitySlots = new SlotTable(loaded.identitySlots);
    this.lastTicketSeen = new Int32Array(n).fill(-1);
  }

  readDay(facts: DayFacts, dayNumber: number): void {
    const dayStart = startOfDay(facts.day);
    const strings = this.strings.forDay(facts.strings);
    const conversationOf = slotsOf(facts.convs, this.conversationSlots);
    const identityOf = slotsOf(facts.whos, this.identitySlots);
    const event: EventRef = {
      facts,
      dayNumber,
      strings,
      index: 0,
      t: 0,
      conversation: 0,
      shownFrom: 0,
      shownTo: 0,
      identityA: -1,
      identityB: -1,
    };
    let shownEnd = 0;
    for (let e = 0; e < facts.kind.length; e++) {
      // The articles displayed with each event follow one another in `shown`.
      event.shownFrom = shownEnd;
      shownEnd += facts.shownCount[e]!;
      event.shownTo = shownEnd;
      event.index = e;
      event.t = dayStart + facts.t[e]!;
      event.conversation = conversationOf[facts.conv[e]!]!;
      event.identityA = facts.whoA[e]! >= 0 ? identityOf[facts.whoA[e]!]! : -1;
      event.identityB = facts.whoB[e]! >= 0 ? identityOf[facts.whoB[e]!]! : -1;
      const kind = facts.kind[e];
      if (kind === KIND.question) this.readQuestion(event);
      else if (kind === KIND.feedback) this.readFeedback(event);
      else this.readTicket(event);
    }
  }

  private readQuestion(e: EventRef): void {
    if (!inPeriod(this.range, e.t)) {
      // Read only for its conversation: feedback after it is about it, not about an earlier question of the period.
      this.conversations.askedOutsidePeriod(e.conversation);
      return;
    }
    const { facts, strings, index } = e;
    const question = this.questionCount++;
    const answered = strings.global(facts.ref[index]!);
    const action = facts.code[index]!;
    const q = this.questions.columns;
    q.t[question] = e.t;
    q.lang[question] = strings.global(facts.lang[index]!);
    q.channel[question] = strings.global(facts.channel[index]!);
    q.action[question] = action;
    q.shownCount[question] = e.shownTo - e.shownFrom;
    q.article[question] =
      answered >= 0 ? answered : e.shownTo > e.shownFrom ? strings.global(facts.shown[e.shownFrom]!) : -1;
    q.near[question] = strings.global(facts.near[index]!);
    q.nearConfidence[question] = facts.nearConfidence[index]! / 1000;
    this.questions.textDay[question] = e.dayNumber;
    this.questions.textAt[question] = facts.text[index]!;
    for (let x = e.shownFrom; x < e.shownTo; x++) {
      const article = strings.global(facts.shown[x]!);
      this.displayed.add(question, article);
      this.tallies.of(article).shown++;
    }
    if (answered >= 0 && action === ACTION_ANSWER) this.tallies.of(answered).answered++;
    this.conversations.asked(e.conversation, question);
    if (e.identityA >= 0) this.people.asked(e.identityA, question, FIRST_KEY);
    if (e.identityB >= 0) this.people.asked(e.identityB, question, SECOND_KEY);
  }

  private readFeedback(e: EventRef): void {
    const { facts, strings, index } = e;
    const helpful = facts.code[index] === 1;
    // Numbered before the period check, as every report's string numbers depend on this order.
    const judgedArticle = strings.global(facts.ref[index]!);
    // Article tallies count the feedback of the period, whatever question it follows.
    if (inPeriod(this.range, e.t)) {
      const judged = this.tallies.of(judgedArticle);
      if (helpful) judged.confirmed++;
      else judged.notHelpful++;
      // After a "No", the widget suggests other articles: they were displayed too.
      for (let x = e.shownFrom; x < e.shownTo; x++) this.tallies.of(strings.global(facts.shown[x]!)).shown++;
    }
    const question = this.conversations.feedbackTarget(e.conversation);
    // Later than the window, like a ticket, it is not counted: an outcome must not depend on the period asked for.
    if (question < 0 || e.t > this.questions.columns.t[question]! + this.range.windowMs) return;
    this.questions.columns.flags[question]! |= helpful ? CONFIRMED : NOT_HELPFUL;
    // The suggestions belong to the question: a ticket after it also counts against them.
    for (let x = e.shownFrom; x < e.shownTo; x++) this.displayed.add(question, strings.global(facts.shown[x]!));
  }

  private readTicket(e: EventRef): void {
    if (e.t < this.range.fromMs || e.t > this.range.ticketsUntilMs) return;
    const { facts, strings, index } = e;
    const ticket = this.tickets.t.length;
    this.tickets.t.push(e.t);
    this.tickets.lang.push(strings.global(facts.lang[index]!));
    this.tickets.channel.push(strings.global(facts.channel[index]!));
    this.tickets.reason.push(facts.code[index]!);
    // Events are in time order, so every question this ticket can escalate is already chained; walk back
    // from the newest until questions are older than the window.
    const oldest = e.t - this.range.windowMs;
    const t = this.questions.columns.t;
    for (
      let q = this.conversations.newest(e.conversation);
      q >= 0 && t[q]! >= oldest;
      q = this.conversations.previous(q)
    )
      this.escalate(q, ticket, e.t);
    if (e.identityA >= 0) this.escalatePerson(e.identityA, ticket, e.t);
    if (e.identityB >= 0) this.escalatePerson(e.identityB, ticket, e.t);
  }

  /** The same walk through the questions of one identity key, whatever their conversation. */
  private escalatePerson(key: number, ticket: number, ticketTime: number): void {
    const oldest = ticketTime - this.range.windowMs;
    const t = this.questions.columns.t;
    for (let q = this.people.newest(key); q >= 0 && t[q]! >= oldest; q = this.people.previous(key, q))
      this.escalate(q, ticket, ticketTime);
  }

  /** A ticket opened at `ticketTime` escalates question `q` if it falls within the question's window. */
  private escalate(q: number, ticket: number, ticketTime: number): void {
    if (this.lastTicketSeen[q] === ticket) return;
    this.lastTicketSeen[q] = ticket;
    const asked = this.questions.columns.t[q]!;
    if (ticketTime < asked || ticketTime > asked + this.range.windowMs) return;
    const columns = this.questions.columns;
    // The first ticket decides the question's outcome and reason; every one counts against the articles displayed.
    if (columns.ticket[q] === -1) {
      columns.ticket[q] = ticket;
      // Clamped to a known reason, whatever the cached facts hold (the column is an Int8Array).
      columns.reason[q] = Math.max(0, Math.min(REASONS.length - 1, this.tickets.reason[ticket]!));
      columns.flags[q]! |= ESCALATED;
    }
    for (let x = this.displayed.first(q); x >= 0; x = this.displayed.next(x))
      this.tallies.ticketAfter(this.displayed.article(x), ticket);
  }

  outcomes(period: Period, now: number): Outcomes {
    const { textDay, textAt, columns } = this.questions;
    const days = this.days;
    return {
      period,
      now,
      strings: this.strings.list,
      q: columns,
      textOf: (i) => {
        const at = textAt[i]!;
        return at < 0 ? '' : (days[textDay[i]!]!.strings[at] ?? '');
      },
      tickets: this.tickets,
      articles: this.tallies.toMap(),
    };
  }
}

/** The event being read: its day, its position in the day's columns, and what the scan resolved about it. One object per day, reused. */
interface EventRef {
  facts: DayFacts;
  dayNumber: number;
  strings: DayStrings;
  index: number;
  t: number;
  conversation: number;
  /** Its displayed articles: facts.shown[shownFrom .. shownTo). */
  shownFrom: number;
  shownTo: number;
  /** Identity slots, -1 for none. */
  identityA: number;
  identityB: number;
}
