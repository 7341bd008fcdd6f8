import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * One full garbage collection, now: after a one-off load whose garbage
 * would otherwise stay in the heap, and in RSS, until V8's idle memory
 * reducer runs (which a full collection also schedules). V8's `gc()`, taken
 * from a fresh context with `--expose-gc` set for its creation only, so
 * `npm start` needs no flag and no other code sees `gc`.
 */
export function collectGarbage(): void {
  gcFunction ??= exposeGc();
  gcFunction();
}

let gcFunction: (() => void) | undefined;

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc') as () => void;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
