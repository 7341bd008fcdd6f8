/**
 * Strings as small integers, shared by every TicketColumns of one owner and
 * only ever appended to, so a code stays valid in any table made earlier.
 * Code 0 is "absent" (an optional priority or plan).
 */
export class Dictionary {
  readonly strings: (string | undefined)[] = [undefined];
  private readonly codes = new Map<string, number>();

  code(s: string | undefined): number {
    if (s === undefined) return 0;
    let c = this.codes.get(s);
    if (c === undefined) {
      c = this.strings.length;
      this.strings.push(s);
      this.codes.set(s, c);
    }
    return c;
  }
}
