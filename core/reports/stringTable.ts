/** Every string a report shows (article ids, languages, channels), numbered once for the whole period. */
export class StringTable {
  readonly list: string[] = [];
  private readonly numbers = new Map<string, number>();
  number(s: string): number {
    let n = this.numbers.get(s);
    if (n === undefined) {
      n = this.list.length;
      this.list.push(s);
      this.numbers.set(s, n);
    }
    return n;
  }
  /** A day's string numbers, translated to the period's on first use (one map lookup per string per day, not per event). */
  forDay(dayStrings: string[]): DayStrings {
    return new DayStrings(this, dayStrings);
  }
}

/** One day's string numbers in the period's table. */
export class DayStrings {
  private readonly toGlobal: Int32Array;
  constructor(
    private readonly table: StringTable,
    private readonly dayStrings: string[],
  ) {
    this.toGlobal = new Int32Array(dayStrings.length).fill(-1);
  }
  /** The period's number for the day's string `i`; -1 stays -1 (none). */
  global(i: number): number {
    if (i < 0) return -1;
    const known = this.toGlobal[i]!;
    return known >= 0 ? known : (this.toGlobal[i] = this.table.number(this.dayStrings[i]!));
  }
}
