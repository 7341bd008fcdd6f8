import http from 'node:http';

export interface PacedResult {
  /** Each answered request's latency in ms, from the time it was due to be sent (a request kept waiting for a free connection counts its wait). */
  times: number[];
  /** When each of `times`' requests was due, in the same order (`due` is in the order they were sent). */
  timesDue: number[];
  /** When each request was due, in ms from the start: i × 1000 / rate, evenly spaced. */
  due: number[];
  /** When each request was handed to its connection, in ms from the start. */
  sent: number[];
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** performance.now() at the start, the origin of `due` and `sent`. */
  startedAt: number;
}

/**
 * POST requests at an even rate: request i is sent at i × 1000 / rate ms over
 * at most `connections` keep-alive connections, whether or not the earlier
 * ones have been answered (an open loop, as independent users arrive).
 * autocannon's `overallRate` cannot do this: it gives each connection a
 * budget of rate / connections requests per second, refilled once a second,
 * and each connection spends its budget back to back, so a second's requests
 * leave in a burst at 10 connections' concurrency and the rest of the second
 * is idle — the latency of a saturated server, not of one at that rate.
 * Latency counts from the time a request was due, so a server that falls
 * behind shows it in the figures (no coordinated omission). Every request is
 * awaited before this resolves.
 */
export async function pacedLoad(options: {
  url: string;
  path: string;
  rate: number;
  seconds: number;
  connections: number;
  /** The JSON body of request i. */
  body: (i: number) => string;
}): Promise<PacedResult> {
  const { rate, connections } = options;
  const total = Math.round(rate * options.seconds);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const start = performance.now();
  const result: PacedResult = {
    times: [],
    timesDue: [],
    due: [],
    sent: [],
    ok: 0,
    non2xx: 0,
    errors: 0,
    seconds: 0,
    startedAt: start,
  };
  const pending: Promise<void>[] = [];
  const send = (i: number) => {
    const due = (i * 1000) / rate;
    result.due.push(due);
    const body = options.body(i);
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          new URL(options.path, options.url),
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode! >= 200 && res.statusCode! < 300) result.ok++;
              else result.non2xx++;
              result.times.push(performance.now() - start - due);
              result.timesDue.push(due);
              resolve();
            });
          },
        );
        // The agent hands the request its socket once one is free: that is when it leaves.
        req.on('socket', () => result.sent.push(performance.now() - start));
        req.on('error', () => {
          result.errors++;
          resolve();
        });
        req.end(body);
      }),
    );
  };
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      // Everything due by now goes out; a late timer catches up rather than shifting the schedule.
      const now = performance.now() - start;
      while (next < total && (next * 1000) / rate <= now) send(next++);
      if (next >= total) return done();
      setTimeout(tick, Math.max(0, (next * 1000) / rate - (performance.now() - start)));
    };
    tick();
  });
  await Promise.all(pending);
  result.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return result;
}
