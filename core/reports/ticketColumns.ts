import type { TicketStatus } from '../contracts/api.ts';
import { STATUS_CODE, STATUS_ORDER } from '../sla/computeSla.ts';
import type { Ticket } from '../tickets/types.ts';
import type { PackedFacts, TicketFacts, TicketKeyName } from './ticketFacts.ts';
import { Dictionary } from './ticketDictionary.ts';

export const TICKET_KEY_NAMES: readonly TicketKeyName[] = ['category', 'type', 'priority', 'team', 'channel', 'agent'];
/** Consecutive rows from which select() copies a column at a time rather than row by row. */
const RUN = 32;
/** Rating codes: 0 none. */
const RATINGS = [undefined, 'good', 'bad'] as const;

/**
 * The tickets report's facts (ticketFacts.ts) of many tickets as columns:
 * one typed array per field, every ticket's status changes in two shared
 * arrays, strings as Dictionary codes. A process that decodes 140,000
 * tickets' facts keeps a few dozen arrays instead of ~12 heap objects per
 * ticket that all survive (what made a first report's garbage collection
 * cost as much as its parsing), and the report walks arrays.
 *
 * Rows are slots: set() writes one (a ticket's facts again: a new history
 * range, the old one left unused until compact()), select() copies some
 * into a new, compact table for one report, so a table a report reads is
 * never written after it was handed out.
 */
export class TicketColumns {
  /** Rows in use: slots 0..size-1 (some may be free in an owner's table). */
  size = 0;
  ids: (string | undefined)[] = [];
  createdMs: Float64Array;
  /** NaN: none. */
  firstResponseMs: Float64Array;
  /** NaN: never solved. */
  solvedMs: Float64Array;
  /** STATUS_CODE of the current status. */
  status: Uint8Array;
  publicReplies: Uint32Array;
  /** 0 none, 1 good, 2 bad. */
  rating: Uint8Array;
  /** Dictionary codes (0: absent) of the optional priority and plan: which SLA targets apply. */
  priority: Uint32Array;
  plan: Uint32Array;
  keys: Record<TicketKeyName, Uint32Array>;
  /** Row i's status changes are histAt/histTo[histStart[i] .. histStart[i] + histLen[i]). */
  histStart: Uint32Array;
  histLen: Uint32Array;
  histAt: Float64Array;
  /** STATUS_CODE of each change's new status. */
  histTo: Uint8Array;
  /** Changes written into histAt/histTo, those of rewritten rows included. */
  histUsed = 0;

  constructor(
    readonly dict: Dictionary = new Dictionary(),
    capacity = 1024,
    histCapacity = capacity * 8,
  ) {
    this.createdMs = new Float64Array(capacity);
    this.firstResponseMs = new Float64Array(capacity);
    this.solvedMs = new Float64Array(capacity);
    this.status = new Uint8Array(capacity);
    this.publicReplies = new Uint32Array(capacity);
    this.rating = new Uint8Array(capacity);
    this.priority = new Uint32Array(capacity);
    this.plan = new Uint32Array(capacity);
    this.keys = Object.fromEntries(TICKET_KEY_NAMES.map((k) => [k, new Uint32Array(capacity)])) as Record<
      TicketKeyName,
      Uint32Array
    >;
    this.histStart = new Uint32Array(capacity);
    this.histLen = new Uint32Array(capacity);
    this.histAt = new Float64Array(histCapacity);
    this.histTo = new Uint8Array(histCapacity);
  }

  /** Columns of the given facts, in their order. */
  static of(facts: Iterable<TicketFacts>): TicketColumns {
    // Sized once when the count is known: growing by doubling copies every column a dozen times.
    const c = Array.isArray(facts)
      ? new TicketColumns(
          undefined,
          Math.max(1, facts.length),
          Math.max(
            1,
            facts.reduce((n: number, f: TicketFacts) => n + f.history.length, 0),
          ),
        )
      : new TicketColumns();
    for (const f of facts) c.set(c.size, f);
    return c;
  }

  /** Write row `slot` (size grows to hold it). */
  set(slot: number, f: TicketFacts): void {
    if (slot >= this.createdMs.length) this.grow(Math.max(slot + 1, this.createdMs.length * 2));
    if (slot >= this.size) this.size = slot + 1;
    const d = this.dict;
    this.ids[slot] = f.id;
    this.createdMs[slot] = f.createdMs;
    this.firstResponseMs[slot] = f.firstResponseMs ?? NaN;
    this.solvedMs[slot] = f.solvedMs ?? NaN;
    this.status[slot] = STATUS_CODE[f.status];
    this.publicReplies[slot] = f.publicReplies;
    this.rating[slot] = f.rating === 'good' ? 1 : f.rating === 'bad' ? 2 : 0;
    this.priority[slot] = d.code(f.priority);
    this.plan[slot] = d.code(f.plan);
    // Each key by name, not in a loop over the names: this runs per ticket, per report for the embedded store.
    const k = this.keys;
    const fk = f.keys;
    k.category[slot] = d.code(fk.category);
    k.type[slot] = d.code(fk.type);
    k.priority[slot] = d.code(fk.priority);
    k.team[slot] = d.code(fk.team);
    k.channel[slot] = d.code(fk.channel);
    k.agent[slot] = d.code(fk.agent);
    const h = f.history;
    const n = h.length;
    if (this.histUsed + n > this.histAt.length) this.growHistory(Math.max(this.histUsed + n, this.histAt.length * 2));
    this.histStart[slot] = this.histUsed;
    this.histLen[slot] = n;
    for (let j = 0; j < n; j++) {
      const change = h[j]!;
      this.histAt[this.histUsed] = change[0];
      this.histTo[this.histUsed++] = STATUS_CODE[change[1]];
    }
  }

  /** Write row `slot` from facts packed as PackedFacts (core/storage/postgres/packedTicketFacts.ts). */
  setPacked(slot: number, p: PackedFacts): void {
    if (slot >= this.createdMs.length) this.grow(Math.max(slot + 1, this.createdMs.length * 2));
    if (slot >= this.size) this.size = slot + 1;
    const d = this.dict;
    const c = p[1];
    this.ids[slot] = p[0];
    this.createdMs[slot] = c;
    this.firstResponseMs[slot] = p[2] === null ? NaN : p[2] + c;
    this.solvedMs[slot] = p[3] === null ? NaN : p[3] + c;
    this.status[slot] = STATUS_CODE[p[4]];
    this.publicReplies[slot] = p[6];
    this.rating[slot] = p[7] === 'good' ? 1 : p[7] === 'bad' ? 2 : 0;
    this.priority[slot] = d.code(p[8] ?? undefined);
    this.plan[slot] = d.code(p[9] ?? undefined);
    const k = this.keys;
    k.category[slot] = d.code(p[10]);
    k.type[slot] = d.code(p[11]);
    k.priority[slot] = d.code(p[12]);
    k.team[slot] = d.code(p[13]);
    k.channel[slot] = d.code(p[14]);
    k.agent[slot] = d.code(p[15]);
    const h = p[5];
    const n = h.length >> 1;
    if (this.histUsed + n > this.histAt.length) this.growHistory(Math.max(this.histUsed + n, this.histAt.length * 2));
    this.histStart[slot] = this.histUsed;
    this.histLen[slot] = n;
    for (let j = 0; j < h.length; j += 2) {
      this.histAt[this.histUsed] = (h[j] as number) + c;
      this.histTo[this.histUsed++] = STATUS_CODE[h[j + 1] as TicketStatus];
    }
  }

  /**
   * Forget row `slot`: it no longer iterates, and compact() frees its changes.
   * Its values stay until then, so a copy made meanwhile still reads them.
   */
  clear(slot: number): void {
    this.ids[slot] = undefined;
  }

  /** Row i as the facts it was made from. */
  facts(i: number): TicketFacts {
    const strings = this.dict.strings;
    const history: [number, TicketStatus][] = [];
    for (let j = this.histStart[i]!, end = j + this.histLen[i]!; j < end; j++)
      history.push([this.histAt[j]!, STATUS_ORDER[this.histTo[j]!]!]);
    const f: TicketFacts = {
      id: this.ids[i]!,
      createdMs: this.createdMs[i]!,
      status: STATUS_ORDER[this.status[i]!]!,
      history,
      publicReplies: this.publicReplies[i]!,
      keys: Object.fromEntries(TICKET_KEY_NAMES.map((k) => [k, strings[this.keys[k][i]!]!])) as TicketFacts['keys'],
    };
    if (!Number.isNaN(this.firstResponseMs[i]!)) f.firstResponseMs = this.firstResponseMs[i]!;
    if (!Number.isNaN(this.solvedMs[i]!)) f.solvedMs = this.solvedMs[i]!;
    const rating = RATINGS[this.rating[i]!];
    if (rating) f.rating = rating;
    if (this.priority[i]) f.priority = strings[this.priority[i]!] as Ticket['priority'];
    if (this.plan[i]) f.plan = strings[this.plan[i]!];
    return f;
  }

  /** Every row, as facts: what a spec compares. */
  *[Symbol.iterator](): Generator<TicketFacts> {
    for (let i = 0; i < this.size; i++) if (this.ids[i] !== undefined) yield this.facts(i);
  }

  /** The given rows, in that order, as a new compact table sharing this one's dictionary. */
  select(slots: ArrayLike<number>): TicketColumns {
    let changes = 0;
    for (let k = 0; k < slots.length; k++) changes += this.histLen[slots[k]!]!;
    const out = new TicketColumns(this.dict, Math.max(1, slots.length), Math.max(1, changes));
    // Long runs of consecutive slots (a first read's are one run) copied a column at a time; the
    // scattered rows of a warm read one by one (a typed-array view per column per row cost more).
    for (let k = 0; k < slots.length;) {
      const first = slots[k]!;
      let n = 1;
      while (k + n < slots.length && slots[k + n] === first + n) n++;
      if (n >= RUN) this.copyRun(out, first, k, n);
      else for (let j = 0; j < n; j++) this.copyRow(out, first + j, k + j);
      k += n;
    }
    out.size = slots.length;
    return out;
  }

  /** Rows first..first+n-1 of this table into rows at.. of `out`, their status changes appended to out's. */
  private copyRun(out: TicketColumns, first: number, at: number, n: number): void {
    const end = first + n;
    for (let i = first; i < end; i++) out.ids[at + i - first] = this.ids[i];
    out.createdMs.set(this.createdMs.subarray(first, end), at);
    out.firstResponseMs.set(this.firstResponseMs.subarray(first, end), at);
    out.solvedMs.set(this.solvedMs.subarray(first, end), at);
    out.status.set(this.status.subarray(first, end), at);
    out.publicReplies.set(this.publicReplies.subarray(first, end), at);
    out.rating.set(this.rating.subarray(first, end), at);
    out.priority.set(this.priority.subarray(first, end), at);
    out.plan.set(this.plan.subarray(first, end), at);
    for (const key of TICKET_KEY_NAMES) out.keys[key].set(this.keys[key].subarray(first, end), at);
    out.histLen.set(this.histLen.subarray(first, end), at);
    // Rows written one after another have their changes one after another: copied a stretch at a time.
    let from = 0;
    let to = 0;
    for (let i = first; i < end; i++) {
      const start = this.histStart[i]!;
      const len = this.histLen[i]!;
      if (start !== to) {
        this.copyChanges(out, from, to);
        from = to = start;
      }
      out.histStart[at + i - first] = out.histUsed;
      out.histUsed += len;
      to += len;
    }
    this.copyChanges(out, from, to);
  }

  /** Changes from..to-1 of this table into the last to-from changes out has counted. */
  private copyChanges(out: TicketColumns, from: number, to: number): void {
    out.histAt.set(this.histAt.subarray(from, to), out.histUsed - (to - from));
    out.histTo.set(this.histTo.subarray(from, to), out.histUsed - (to - from));
  }

  /** Row i of this table into row k of `out`, its status changes appended to out's. */
  private copyRow(out: TicketColumns, i: number, k: number): void {
    out.ids[k] = this.ids[i];
    out.createdMs[k] = this.createdMs[i]!;
    out.firstResponseMs[k] = this.firstResponseMs[i]!;
    out.solvedMs[k] = this.solvedMs[i]!;
    out.status[k] = this.status[i]!;
    out.publicReplies[k] = this.publicReplies[i]!;
    out.rating[k] = this.rating[i]!;
    out.priority[k] = this.priority[i]!;
    out.plan[k] = this.plan[i]!;
    const ok = out.keys;
    const tk = this.keys;
    ok.category[k] = tk.category[i]!;
    ok.type[k] = tk.type[i]!;
    ok.priority[k] = tk.priority[i]!;
    ok.team[k] = tk.team[i]!;
    ok.channel[k] = tk.channel[i]!;
    ok.agent[k] = tk.agent[i]!;
    const start = this.histStart[i]!;
    const n = this.histLen[i]!;
    out.histStart[k] = out.histUsed;
    out.histLen[k] = n;
    for (let j = start; j < start + n; j++) {
      out.histAt[out.histUsed] = this.histAt[j]!;
      out.histTo[out.histUsed++] = this.histTo[j]!;
    }
  }

  /** Changes written for rows since rewritten or cleared: what compact() would free. */
  get histWasted(): number {
    let live = 0;
    for (let i = 0; i < this.size; i++) if (this.ids[i] !== undefined) live += this.histLen[i]!;
    return this.histUsed - live;
  }

  /** Rewrite the history arrays with only the rows' current changes (slots unchanged). */
  compact(): void {
    const at = new Float64Array(Math.max(1024, (this.histUsed - this.histWasted) * 2));
    const to = new Uint8Array(at.length);
    let used = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.ids[i] === undefined) this.histLen[i] = 0;
      const start = this.histStart[i]!;
      const n = this.histLen[i]!;
      at.set(this.histAt.subarray(start, start + n), used);
      to.set(this.histTo.subarray(start, start + n), used);
      this.histStart[i] = used;
      used += n;
    }
    this.histAt = at;
    this.histTo = to;
    this.histUsed = used;
  }

  private grow(capacity: number): void {
    const f64 = (a: Float64Array) => copy(new Float64Array(capacity), a);
    const u32 = (a: Uint32Array) => copy(new Uint32Array(capacity), a);
    const u8 = (a: Uint8Array) => copy(new Uint8Array(capacity), a);
    this.createdMs = f64(this.createdMs);
    this.firstResponseMs = f64(this.firstResponseMs);
    this.solvedMs = f64(this.solvedMs);
    this.status = u8(this.status);
    this.publicReplies = u32(this.publicReplies);
    this.rating = u8(this.rating);
    this.priority = u32(this.priority);
    this.plan = u32(this.plan);
    for (const k of TICKET_KEY_NAMES) this.keys[k] = u32(this.keys[k]);
    this.histStart = u32(this.histStart);
    this.histLen = u32(this.histLen);
  }

  private growHistory(capacity: number): void {
    this.histAt = copy(new Float64Array(capacity), this.histAt);
    this.histTo = copy(new Uint8Array(capacity), this.histTo);
  }
}

/** `from` copied into the start of `to`, a larger array of its kind: `to`, to grow a column. */
export function copy<T extends Float64Array | Uint32Array | Uint8Array>(to: T, from: T): T {
  to.set(from as never);
  return to;
}
