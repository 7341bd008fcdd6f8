import type { ArticleTally, Outcomes } from './outcomes.ts';

/* What the outcome scan (outcomes.ts) fills: the question columns and the per-article tallies. */

/** The question columns the reports read, and where each question's text is (read only on demand, by gaps). */
export class QuestionColumns {
  readonly columns: Outcomes['q'];
  /** Day number and index in that day's strings of each question's text (-1: none). */
  readonly textDay: Int32Array;
  readonly textAt: Int32Array;
  constructor(n: number) {
    this.columns = {
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
    };
    this.textDay = new Int32Array(n);
    this.textAt = new Int32Array(n);
  }
}

/** Article tallies by string number, and which ticket last credited each (a ticket counts once per article). */
export class Tallies {
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
    if (!e)
      this.byId[a] = e = {
        tally: { shown: 0, answered: 0, confirmed: 0, notHelpful: 0, ticketsAfter: 0 },
        lastTicket: -1,
      };
    return e;
  }
}
