/**
 * How the deflection scan (outcomes.ts) finds the questions an event is about,
 * without an object per question: linked lists threaded through typed arrays,
 * indexed by question number (its position in the period) and by the dense
 * "slots" numbering conversations and identity keys. A feedback needs the
 * newest question of its conversation; a ticket walks back through its
 * conversation's and its person's questions until they are older than the
 * deflection window; and a ticket is counted against every article displayed
 * with a question it escalates.
 */

/**
 * Articles displayed per question (with it, or as suggestions after a "No"), as
 * one linked list per question in shared arrays: entries are appended as they
 * come, and a question's list runs from `first(q)` through `next(x)`.
 */
export class DisplayedArticles {
  private readonly articles: number[] = [];
  private readonly nextEntry: number[] = [];
  private readonly head: Int32Array;
  constructor(questions: number) {
    this.head = new Int32Array(questions).fill(-1);
  }
  add(question: number, article: number): void {
    this.articles.push(article);
    this.nextEntry.push(this.head[question]!);
    this.head[question] = this.articles.length - 1;
  }
  first(question: number): number {
    return this.head[question]!;
  }
  next(entry: number): number {
    return this.nextEntry[entry]!;
  }
  article(entry: number): number {
    return this.articles[entry]!;
  }
}

/**
 * The period's questions of each conversation, newest first: a ticket walks
 * back through them, and feedback attaches to the newest.
 */
export class ConversationChains {
  /** Per conversation slot: its newest question of the period, -1 if none yet. */
  private readonly newestOfPeriod: Int32Array;
  /** Per conversation slot: 1 when a question outside the period came after that one, so feedback attaches to nothing. */
  private readonly newestIsOutside: Uint8Array;
  /** Per question: the conversation's question of the period before it, -1 if none. */
  private readonly previousQuestion: Int32Array;
  constructor(conversations: number, questions: number) {
    this.newestOfPeriod = new Int32Array(conversations).fill(-1);
    this.newestIsOutside = new Uint8Array(conversations);
    this.previousQuestion = new Int32Array(questions).fill(-1);
  }
  asked(conversation: number, question: number): void {
    this.previousQuestion[question] = this.newestOfPeriod[conversation]!;
    this.newestOfPeriod[conversation] = question;
    this.newestIsOutside[conversation] = 0;
  }
  askedOutsidePeriod(conversation: number): void {
    this.newestIsOutside[conversation] = 1;
  }
  /** The question feedback in this conversation is about, -1 when it is not one of the period. */
  feedbackTarget(conversation: number): number {
    return this.newestIsOutside[conversation] ? -1 : this.newestOfPeriod[conversation]!;
  }
  newest(conversation: number): number {
    return this.newestOfPeriod[conversation]!;
  }
  previous(question: number): number {
    return this.previousQuestion[question]!;
  }
}

export const FIRST_KEY = 0;
export const SECOND_KEY = 1;

/**
 * The period's questions of each person, newest first, so a ticket can find
 * the same person's questions in other conversations. A person is known by up
 * to two identity keys (`identityKeys`: user id and e-mail), so a question
 * sits in up to two chains and keeps one "previous" link for each.
 */
export class IdentityChains {
  /** Per identity slot: its newest question, -1 if none yet. */
  private readonly newestByKey: Int32Array;
  /** Per question: its first and second identity keys (-1: none) and the previous question under each. */
  private readonly firstKey: Int32Array;
  private readonly secondKey: Int32Array;
  private readonly previousUnderFirst: Int32Array;
  private readonly previousUnderSecond: Int32Array;
  constructor(keys: number, questions: number) {
    this.newestByKey = new Int32Array(keys).fill(-1);
    this.firstKey = new Int32Array(questions).fill(-1);
    this.secondKey = new Int32Array(questions).fill(-1);
    this.previousUnderFirst = new Int32Array(questions).fill(-1);
    this.previousUnderSecond = new Int32Array(questions).fill(-1);
  }
  asked(key: number, question: number, which: typeof FIRST_KEY | typeof SECOND_KEY): void {
    if (which === FIRST_KEY) {
      this.firstKey[question] = key;
      this.previousUnderFirst[question] = this.newestByKey[key]!;
    } else {
      this.secondKey[question] = key;
      this.previousUnderSecond[question] = this.newestByKey[key]!;
    }
    this.newestByKey[key] = question;
  }
  newest(key: number): number {
    return this.newestByKey[key]!;
  }
  /** The question before `question` in `key`'s chain. */
  previous(key: number, question: number): number {
    return this.firstKey[question] === key ? this.previousUnderFirst[question]! : this.previousUnderSecond[question]!;
  }
}
