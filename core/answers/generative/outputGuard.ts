/**
 * Filters a model's streamed output before any of it reaches a user. Text is
 * held back by the length of the longest forbidden string, so a secret split
 * across pieces is still caught before its first character leaves; a hit
 * withholds the rest of the answer. Citations to unknown sources and links
 * found in no source are removed.
 */
export class OutputGuard {
  private text = '';
  private sent = 0;
  private readonly holdback: number;
  readonly cited = new Set<number>();

  constructor(
    private readonly forbidden: string[],
    private readonly sourceCount: number,
    private readonly sourceText: string,
  ) {
    this.forbidden = forbidden.filter((f) => f.length >= 6);
    this.holdback = Math.max(32, ...this.forbidden.map((f) => f.length));
  }

  /** Add a piece; returns what may be shown now, or null when the answer must be withheld. */
  push(piece: string): string | null {
    this.text += piece;
    if (this.leaks()) return null;
    let end = Math.max(this.sent, this.text.length - this.holdback);
    // Never cut inside a citation or a link: they are cleaned whole.
    const open = Math.max(this.text.lastIndexOf('[', end), this.text.lastIndexOf('http', end));
    if (open >= this.sent && !/[\]\s]/.test(this.text.slice(open, end))) end = open;
    return this.take(end);
  }

  /** The end of the stream: the rest, or null when it must be withheld. */
  finish(): string | null {
    if (this.leaks()) return null;
    return this.take(this.text.length);
  }

  private take(end: number): string {
    if (end <= this.sent) return '';
    const out = this.clean(this.text.slice(this.sent, end));
    this.sent = end;
    return out;
  }

  private leaks(): boolean {
    const lower = this.text.toLowerCase();
    return this.forbidden.some((f) => lower.includes(f.toLowerCase()));
  }

  private clean(segment: string): string {
    return segment
      .replace(/\[(\d{1,2})\]/g, (m, n: string) => {
        const k = Number(n);
        if (k < 1 || k > this.sourceCount) return '';
        this.cited.add(k);
        return m;
      })
      .replace(/https?:\/\/[^\s)\]]+/g, (url) =>
        this.sourceText.includes(url.replace(/[.,;:]+$/, '')) ? url : '[link removed]',
      );
  }
}
