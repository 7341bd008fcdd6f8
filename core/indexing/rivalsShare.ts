import type { MessagePort } from 'node:worker_threads';
import { allRivals, classifierRivals, exactRivalsPay, type RivalsHelp } from '../answers/learners/rivals.ts';
import { ImpactSearch, impactOrdered, type Ordered } from '../answers/learners/impactRivals.ts';
import { Csr } from '../answers/lexical/csr.ts';
import type { SparseVector } from '../answers/learners/softmaxRegression.ts';

/**
 * The slots of the block of shared memory both threads and the build's
 * thread see (an Int32Array over a SharedArrayBuffer, `controlBlock`).
 */
const NEXT = 0; // the next chunk of articles to take
const SIGNAL = 1; // bumped, and waited on, at each chunk done, once the order is ready, and when the helper is gone
const ORDER = 2; // impactOrdered's postings: 0 not begun, 1 being ordered, 2 ready
const GONE = 3; // 1 once the helper does no more work (it finished, failed, or was stopped)

/** Articles per chunk: small enough for the two threads to end together, large enough to take few atomics. */
const CHUNK = 128;

/** The shared control block of one fit: given to the fit's thread and to its helper, and to the thread that starts both. */
export function controlBlock(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * 4));
}

/** Said by the thread that started the helper once it does no more work (exited, failed, or stopped). */
export function helperGone(control: Int32Array): void {
  Atomics.store(control, GONE, 1);
  signal(control);
}

/**
 * What the fit sends its helper once the centroids are built: the postings
 * and the sums, and where the rivals go, all on shared memory (nothing is
 * copied to the helper).
 */
export interface RivalsJob {
  k: number;
  /** `classifierRivals`'s choice: the exact search runs as one chunk, the budgeted one article by article. */
  exact: boolean;
  postings: { starts: Int32Array; rows: Int32Array; values: Float32Array };
  /** The sums, article after article: article a's features are ids[starts[a]..starts[a + 1]). */
  sums: { starts: Int32Array; ids: Int32Array; w: Float32Array };
  /** Each chunk's state: 0 not taken, 1 taken, 2 done. */
  chunks: Int32Array;
  /** Article a's rivals are lists[a·k .. a·k + lengths[a]). */
  lists: Int32Array;
  lengths: Int32Array;
  /** Where impactOrdered writes the postings in its order (rows, values; the starts are the postings'). */
  ordered: { rows: Int32Array; values: Float32Array };
}

/**
 * The classifier's rivals found by the fit's thread and a helper thread
 * together (core/indexing/rivalsWorker.ts), in chunks of articles each
 * takes in turn: the helper starts on them as soon as the centroids are
 * built, while the fit goes on with the rest of the model, and the fit's
 * thread joins it when its classifier needs them. Each article's list
 * depends on the article alone, so which thread found it changes nothing:
 * the lists are `classifierRivals`'s. When the helper is gone (failed, or
 * never started on them), the fit's thread finds what it left undone.
 */
export class SharedRivals implements RivalsHelp {
  private job: RivalsJob | null = null;

  constructor(
    private readonly control: Int32Array,
    private readonly port: MessagePort,
  ) {}

  begin(postings: Csr, sums: readonly SparseVector[], k: number): void {
    const articles = sums.length;
    const total = sums.reduce((n, s) => n + s.ids.length, 0);
    const sumStarts = shared(Int32Array, articles + 1);
    const ids = shared(Int32Array, total);
    const w = shared(Float32Array, total);
    sums.forEach((s, a) => {
      ids.set(s.ids, sumStarts[a]!);
      w.set(s.w, sumStarts[a]!);
      sumStarts[a + 1] = sumStarts[a]! + s.ids.length;
    });
    const exact = exactRivalsPay(postings, articles);
    const size = postings.rows.length;
    const job: RivalsJob = {
      k,
      exact,
      postings: {
        starts: copied(postings.starts),
        // Int32 in a fit (Csr.build); 16-bit only when restored from a file.
        rows: copied(postings.rows instanceof Int32Array ? postings.rows : Int32Array.from(postings.rows)),
        values: copied(postings.values),
      },
      sums: { starts: sumStarts, ids, w },
      chunks: shared(Int32Array, exact ? 1 : Math.ceil(articles / CHUNK)),
      lists: shared(Int32Array, articles * k),
      lengths: shared(Int32Array, articles),
      ordered: { rows: shared(Int32Array, exact ? 0 : size), values: shared(Float32Array, exact ? 0 : size) },
    };
    this.job = job;
    this.port.postMessage(job);
  }

  /** The rivals of the articles `begin` was shown (else found here alone). */
  find = (postings: Csr, sums: readonly SparseVector[], k: number): Int32Array[] => {
    const job = this.job;
    if (!job || job.k !== k || job.lengths.length !== sums.length) return classifierRivals(postings, sums, k);
    const { control } = this;
    workOn(control, job, sums);
    for (;;) {
      const seen = Atomics.load(control, SIGNAL);
      if (allDone(job.chunks)) break;
      if (Atomics.load(control, GONE)) {
        // Whatever the helper took and did not finish is found here.
        finishAlone(control, job, sums);
        break;
      }
      Atomics.wait(control, SIGNAL, seen, 1000);
    }
    this.port.close();
    return sums.map((_, a) => job.lists.slice(a * k, a * k + job.lengths[a]!));
  };
}

/**
 * One thread's share of `job`: it takes chunks until none is left. The
 * budgeted search first needs the postings in its order, made once by
 * whichever thread comes first while the other waits for it.
 */
export function workOn(control: Int32Array, job: RivalsJob, sums: readonly SparseVector[]): void {
  if (job.exact) {
    if (Atomics.compareExchange(job.chunks, 0, 0, 1) !== 0) return;
    storeAll(job, allRivals(postingsOf(job), sums, job.k));
    markDone(control, job, 0);
    return;
  }
  const ordered = orderedOf(control, job);
  if (!ordered) return;
  const search = new ImpactSearch(ordered, sums, job.k);
  for (;;) {
    const c = Atomics.add(control, NEXT, 1);
    if (c >= job.chunks.length) return;
    Atomics.store(job.chunks, c, 1);
    findChunk(job, search, c);
    markDone(control, job, c);
  }
}

/** The job's sums as the searches read them: views on the shared arrays. */
export function sumsOf(job: RivalsJob): SparseVector[] {
  const { starts, ids, w } = job.sums;
  return Array.from({ length: starts.length - 1 }, (_, a) => ({
    ids: ids.subarray(starts[a]!, starts[a + 1]!),
    w: w.subarray(starts[a]!, starts[a + 1]!),
  }));
}

/** The postings in impactOrdered's order, made here if no one began them; null if the helper is gone while making them. */
function orderedOf(control: Int32Array, job: RivalsJob): Ordered | null {
  const ordered = { starts: job.postings.starts, ...job.ordered };
  if (Atomics.compareExchange(control, ORDER, 0, 1) === 0) {
    impactOrdered(postingsOf(job), job.ordered);
    Atomics.store(control, ORDER, 2);
    signal(control);
    return ordered;
  }
  for (;;) {
    const seen = Atomics.load(control, SIGNAL);
    if (Atomics.load(control, ORDER) === 2) return ordered;
    if (Atomics.load(control, GONE)) return null;
    Atomics.wait(control, SIGNAL, seen, 1000);
  }
}

/** The fit's thread alone, the helper gone: every chunk not done, and the order first if it was left unfinished. */
function finishAlone(control: Int32Array, job: RivalsJob, sums: readonly SparseVector[]): void {
  if (job.exact) {
    storeAll(job, allRivals(postingsOf(job), sums, job.k));
    return;
  }
  const ordered =
    Atomics.load(control, ORDER) === 2
      ? { starts: job.postings.starts, ...job.ordered }
      : impactOrdered(postingsOf(job), job.ordered);
  const search = new ImpactSearch(ordered, sums, job.k);
  for (let c = 0; c < job.chunks.length; c++) if (Atomics.load(job.chunks, c) !== 2) findChunk(job, search, c);
}

function findChunk(job: RivalsJob, search: ImpactSearch, c: number): void {
  const end = Math.min((c + 1) * CHUNK, job.lengths.length);
  for (let a = c * CHUNK; a < end; a++) {
    const list = search.rivalsOf(a);
    job.lists.set(list, a * job.k);
    job.lengths[a] = list.length;
  }
}

/** The exact search's lists, every article's. */
function storeAll(job: RivalsJob, lists: Int32Array[]): void {
  lists.forEach((list, a) => {
    job.lists.set(list, a * job.k);
    job.lengths[a] = list.length;
  });
}

function markDone(control: Int32Array, job: RivalsJob, c: number): void {
  Atomics.store(job.chunks, c, 2);
  signal(control);
}

function allDone(chunks: Int32Array): boolean {
  for (let c = 0; c < chunks.length; c++) if (Atomics.load(chunks, c) !== 2) return false;
  return true;
}

function signal(control: Int32Array): void {
  Atomics.add(control, SIGNAL, 1);
  Atomics.notify(control, SIGNAL);
}

function postingsOf(job: RivalsJob): Csr {
  return Csr.restore(job.postings.starts, job.postings.rows, job.postings.values);
}

function shared<T extends Int32Array | Float32Array>(
  Type: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT));
}

function copied<T extends Int32Array | Float32Array>(array: T): T {
  const out = shared(
    array.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
    array.length,
  );
  out.set(array as never);
  return out;
}
