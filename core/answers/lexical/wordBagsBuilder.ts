import type { SparseVector } from '../learners/softmaxRegression.ts';
import type { WordBags } from './wordBags.ts';

/** Each article's bag, filled one unit at a time (see `WordBags.builder`). */
export class WordBagsBuilder {
  private readonly bags: SparseVector[];
  private readonly lengths: Float32Array;
  private current = -1;
  /**
   * The current article's bag in flat arrays reused from article to article,
   * features in order of first use (the order a Map filled feature by feature
   * iterated in, which the stored bags keep): a Map per article was 5 % of a
   * 10k-article build.
   */
  private ids = new Int32Array(1024);
  private sums = new Float64Array(1024);
  private n = 0;
  /** Position of each feature in the current bag, valid where `stamp` is the current article's stamp. */
  private position = new Int32Array(1024);
  private stamp = new Int32Array(1024);
  private currentStamp = 1;

  constructor(
    articles: number,
    private readonly make: (
      features: number,
      bags: SparseVector[],
      lengths: Float32Array,
      weightOf: (feature: number) => number,
    ) => WordBags,
  ) {
    const empty: SparseVector = { ids: new Int32Array(0), w: new Float32Array(0) };
    this.bags = Array.from({ length: articles }, () => empty);
    this.lengths = new Float32Array(articles);
  }

  /** One unit's feature counts (`n` of them); units arrive article by article. */
  add(article: number, ids: Int32Array, counts: Int32Array, n: number): void {
    if (article !== this.current) this.flush(article);
    for (let k = 0; k < n; k++) {
      const id = ids[k]!;
      if (id >= this.stamp.length) this.growFeatures(id);
      if (this.stamp[id] === this.currentStamp) this.sums[this.position[id]!]! += counts[k]!;
      else {
        if (this.n === this.ids.length) this.growBag();
        this.stamp[id] = this.currentStamp;
        this.position[id] = this.n;
        this.ids[this.n] = id;
        this.sums[this.n++] = counts[k]!;
      }
      this.lengths[article]! += counts[k]!;
    }
  }

  build(features: number, weightOf: (feature: number) => number): WordBags {
    this.flush(-1);
    return this.make(features, this.bags, this.lengths, weightOf);
  }

  private flush(next: number): void {
    if (this.current >= 0)
      this.bags[this.current] = { ids: this.ids.slice(0, this.n), w: Float32Array.from(this.sums.subarray(0, this.n)) };
    this.n = 0;
    this.currentStamp++;
    this.current = next;
  }

  private growFeatures(id: number): void {
    let size = this.stamp.length;
    while (size <= id) size *= 2;
    const position = new Int32Array(size);
    position.set(this.position);
    const stamp = new Int32Array(size);
    stamp.set(this.stamp);
    this.position = position;
    this.stamp = stamp;
  }

  private growBag(): void {
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    const sums = new Float64Array(this.sums.length * 2);
    sums.set(this.sums);
    this.ids = ids;
    this.sums = sums;
  }
}
