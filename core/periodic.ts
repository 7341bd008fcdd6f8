/**
 * Run `job` once shortly after start and then every `everyMs`, never two at
 * once (a run still going when the next is due skips it). The timers are
 * unref'd: they never keep the process alive. `job` is told whether a stop
 * was asked, to end early between steps. The returned stop waits for a run
 * in progress.
 */
export function runPeriodically(
  job: (stopped: () => boolean) => Promise<void>,
  timing: { firstMs: number; everyMs: number },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = job(() => stopped).finally(() => (running = null));
  };
  const first = setTimeout(run, timing.firstMs);
  const every = setInterval(run, timing.everyMs);
  first.unref();
  every.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(every);
    await running;
  };
}
