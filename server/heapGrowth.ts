import v8 from 'node:v8';

/**
 * From now on, V8 lets the old generation grow by 10 % of what survived a
 * full collection before it runs the next one, instead of up to 4×: a
 * serving process's RSS then stays near its live memory (what `npm start`
 * had as `--heap-growing-percent=10`, bench/RESULTS.md "A served 10k
 * snapshot under 800 MB"). Set once the server listens, not on the command
 * line: during the start, decoding the snapshot builds hundreds of MB that
 * all stay alive, and under the cap every 10 % of growth cost a full
 * collection (7 instead of 3 before "ready" at 10k articles). V8 reads the
 * flag at each full collection, so it holds from the next one (the one after
 * the deferred full-text load at the latest).
 */
export function capHeapGrowth(): void {
  v8.setFlagsFromString('--heap-growing-percent=10');
}
