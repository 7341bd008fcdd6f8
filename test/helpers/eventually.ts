/**
 * Wait for something to happen: call `probe` until it returns a truthy value
 * (which is returned) or the deadline passes. A probe may also throw (a chai
 * assertion, a refused connection): that counts as "not yet", and the last
 * error is reported if time runs out.
 *
 * Specs poll instead of sleeping a fixed time because a fixed sleep is both
 * slow on an idle machine and too short on a loaded one (several test runs
 * share two cores here); the deadline only bounds how long a failure takes.
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const { timeoutMs = 10_000, intervalMs = 20, what = 'the condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const because =
        lastError === undefined
          ? ''
          : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${because}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
