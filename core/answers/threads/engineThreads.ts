import { Worker } from 'node:worker_threads';
import { log, loggerSettings } from '../../logger.ts';
import type { SnapshotDelta } from '../../indexing/snapshotDelta.ts';
import type { EngineQuery } from '../pipeline/answerEngine.ts';
import { engineWorkerUrl } from './engineWorkerUrl.mjs';
import type { SnapshotFiles } from '../../indexing/snapshot.ts';
import type { SharedColumns } from '../lexical/termScoring.ts';
import type { FromWorker, ToWorker, WireResult, WorkerConfig, WorkerData } from './wire.ts';

/**
 * Questions a thread may hold at once before the main thread answers one itself. Deep enough that the thread
 * does not run dry while the main thread answers (5 ms at 10k articles) or serves HTTP: at 10k on two cores,
 * saturated, 2 gave 217–222 asks/s, 4 gave 239–269, 8 gave 305–353 and 16 gave 184–231 (the thread alone
 * then), against 162–209 with no thread (bench/RESULTS.md).
 */
const MAX_IN_FLIGHT = 8;
/** Answering on the main thread for this long within a second starts the threads. */
const BUSY_MS_PER_SECOND = 250;

/** How long things may take: the defaults below, shorter in specs. */
export interface ThreadTiming {
  /**
   * How long a question waits for its thread: past this the caller answers it here. A thread holds at most
   * MAX_IN_FLIGHT questions of 5–25 ms (10k–100k articles), so a thread this late is stuck, not busy.
   */
  askMs: number;
  /** A thread that let a question time out and has said nothing for this long is stopped and replaced. */
  hungMs: number;
  /** A thread that died is replaced after this long, doubling each time up to a minute… */
  firstRestartMs: number;
  /** …unless it had run this long: then it is no crash loop, and its replacement waits `firstRestartMs` again. */
  ranWellMs: number;
}
const TIMING: ThreadTiming = { askMs: 5000, hungMs: 30_000, firstRestartMs: 1000, ranWellMs: 60_000 };

/** The index the main thread serves, as a thread is told of it: a snapshot folder and the last delta on it. */
interface Served {
  generation: number;
  dir: string | null;
  files?: SnapshotFiles;
  /** The main thread's columns of the snapshot's term model (made at the first call), for a thread opening it. */
  columns?: () => SharedColumns;
  delta?: SnapshotDelta;
}

/**
 * Worker threads that answer questions beside the main thread (ENGINE_THREADS):
 * each opens the index the main thread serves and follows its snapshots and
 * deltas. A question goes to a thread only when that thread holds the very
 * index this thread serves now (its generation) and has room; otherwise, or
 * when the thread fails or its answer was made on an older index, the caller
 * answers here. They start on demand (`noteBusy`), or at once with `start()`.
 */
export class EngineThreads {
  private served: Served = { generation: 0, dir: null };
  private readonly threads = new Set<EngineThread>();
  private started = false;
  private closed = false;
  private busyMs = 0;
  private windowStart = 0;
  private restartMs: number;
  private nextId = 0;
  /** Questions a thread answered (its answer used). */
  answered = 0;
  /** Threads that died or hung and were replaced (or are waiting to be). */
  replaced = 0;

  constructor(
    readonly size: number,
    private readonly config: WorkerConfig,
    private readonly url: URL = engineWorkerUrl,
    private readonly timing: ThreadTiming = TIMING,
  ) {
    this.restartMs = timing.firstRestartMs;
  }

  /** How long the next replacement of a thread that dies will wait. */
  get restartDelayMs(): number {
    return this.restartMs;
  }

  /**
   * A new snapshot is served here: the threads open it (until they have, questions are answered here). The
   * questions they hold are answered here at once: made on the old index, their answers could not be used, and
   * at 100k articles a thread's open keeps them waiting for seconds.
   */
  serveSnapshot(dir: string | null, files?: SnapshotFiles, columns?: () => SharedColumns): void {
    this.served = { generation: this.served.generation + 1, dir, files, columns };
    for (const t of this.threads) {
      t.settleAll();
      t.open(this.served);
    }
  }

  /** A delta on the served snapshot is served here (the questions the threads hold: as serveSnapshot). */
  serveDelta(delta: SnapshotDelta): void {
    this.served = { ...this.served, generation: this.served.generation + 1, delta };
    for (const t of this.threads) {
      t.settleAll();
      t.post({ type: 'delta', generation: this.served.generation, delta });
    }
  }

  /** The main thread spent `ms` answering: past a quarter of a second in a second, the threads start. */
  noteBusy(ms: number, now = performance.now()): void {
    if (this.started || this.closed || this.size === 0) return;
    if (now - this.windowStart > 1000) {
      this.windowStart = now;
      this.busyMs = 0;
    }
    this.busyMs += ms;
    if (this.busyMs > BUSY_MS_PER_SECOND) this.start();
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    log.info('index', 'starting the engine worker threads', { threads: this.size });
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  /** Answer `query` on a thread holding the served index, or null: none has it, or room, or the thread failed. */
  ask(query: EngineQuery): Promise<WireResult | null> | null {
    let best: EngineThread | undefined;
    for (const t of this.threads)
      if (
        t.generation === this.served.generation &&
        !t.stalled &&
        t.inFlight < MAX_IN_FLIGHT &&
        (!best || t.inFlight < best.inFlight)
      )
        best = t;
    if (!best) return null;
    const generation = this.served.generation;
    return best.ask(this.nextId++, query).then((answer) => {
      // Made on the index served when asked, and still served: else the caller answers on the new one.
      if (!answer || answer.generation !== generation || generation !== this.served.generation) return null;
      this.answered++;
      return answer.result;
    });
  }

  /** For /healthz: threads allowed, running, holding the served index, questions they answered, threads replaced. */
  stats(): { size: number; running: number; ready: number; answered: number; replaced: number } {
    const { size, answered, replaced } = this;
    return { size, running: this.running(), ready: this.ready(), answered, replaced };
  }

  /** Threads running (started and not stopped). */
  running(): number {
    return this.threads.size;
  }

  /** Threads that hold the served index now. */
  ready(): number {
    return [...this.threads].filter((t) => t.generation === this.served.generation).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.threads].map((t) => t.stop()));
    this.threads.clear();
  }

  private spawn(): void {
    if (this.closed) return;
    const thread = new EngineThread(this.url, this.config, this.timing, (error) => {
      this.threads.delete(thread);
      if (this.closed) return;
      this.replaced++;
      // A crash a day after the last one waits a second, not the minute a crash loop earned.
      if (thread.age() >= this.timing.ranWellMs) this.restartMs = this.timing.firstRestartMs;
      log.warn('index', 'an engine worker thread stopped; answering on the main thread until it is replaced', {
        error: error.message,
        restartMs: this.restartMs,
      });
      setTimeout(() => this.spawn(), this.restartMs).unref();
      this.restartMs = Math.min(this.restartMs * 2, 60_000);
    });
    thread.open(this.served);
    this.threads.add(thread);
  }
}

/** One worker thread, and the questions it holds. */
class EngineThread {
  /** The generation it holds (−1: none yet, or its last open failed). */
  generation = -1;
  private readonly pending = new Map<number, (answer: Extract<FromWorker, { type: 'answer' }> | null) => void>();
  private readonly worker: Worker;
  private stopped = false;
  private readonly born = performance.now();
  /** Set while a question of its timed out and it has not said anything since: it is given no questions. */
  private hungTimer: NodeJS.Timeout | null = null;

  constructor(
    url: URL,
    config: WorkerConfig,
    private readonly timing: ThreadTiming,
    private readonly onDeath: (error: Error) => void,
  ) {
    const workerData: WorkerData = { config, logger: loggerSettings() };
    this.worker = new Worker(url, { workerData });
    // An idle thread must not keep the process alive (a server's close, a CLI's end).
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => this.die(new Error(`exited with code ${code}`)));
  }

  /** It stopped (or is stopped as stuck): its questions go back to the caller, and the owner replaces it. */
  private die(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.generation = -1;
    this.settleAll();
    this.clearStall();
    this.onDeath(error);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** A question of its timed out and it has said nothing since. */
  get stalled(): boolean {
    return this.hungTimer !== null;
  }

  /** Milliseconds since it was started. */
  age(): number {
    return performance.now() - this.born;
  }

  open(served: Served): void {
    if (served.dir === null) return;
    this.post({
      type: 'snapshot',
      generation: served.generation,
      dir: served.dir,
      files: served.files,
      // Made here on the first thread's open (the main thread's own first answers make them anyway), then shared.
      columns: served.columns?.(),
      delta: served.delta,
    });
  }

  post(message: ToWorker): void {
    if (!this.stopped) this.worker.postMessage(message);
  }

  ask(id: number, query: EngineQuery): Promise<Extract<FromWorker, { type: 'answer' }> | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending.get(id) !== settle) return;
        this.pending.delete(id);
        resolve(null);
        this.stall();
      }, this.timing.askMs);
      timer.unref();
      const settle = (answer: Extract<FromWorker, { type: 'answer' }> | null) => {
        clearTimeout(timer);
        resolve(answer);
      };
      this.pending.set(id, settle);
      try {
        this.post({ type: 'ask', id, query });
      } catch {
        // A query that cannot be cloned (a caller's object with a function in it): answered by the caller instead.
        this.pending.delete(id);
        settle(null);
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.settleAll();
    this.clearStall();
    await this.worker.terminate();
  }

  /** Questions still held are answered by the caller, on the main thread. */
  settleAll(): void {
    for (const settle of this.pending.values()) settle(null);
    this.pending.clear();
  }

  /**
   * A question timed out: no more questions until the thread says something; if it stays silent, it is stuck
   * (a loop that never ends, say) and is stopped, which replaces it.
   */
  private stall(): void {
    if (this.hungTimer || this.stopped) return;
    log.warn('index', 'an engine worker thread did not answer in time; answering on the main thread', {
      askMs: this.timing.askMs,
    });
    this.hungTimer = setTimeout(() => {
      this.hungTimer = null;
      log.warn('index', 'an engine worker thread stayed silent; replacing it', { hungMs: this.timing.hungMs });
      this.die(new Error(`silent for ${this.timing.hungMs} ms after a question timed out`));
      void this.worker.terminate();
    }, this.timing.hungMs);
    this.hungTimer.unref();
  }

  private clearStall(): void {
    if (this.hungTimer) clearTimeout(this.hungTimer);
    this.hungTimer = null;
  }

  private receive(message: FromWorker): void {
    // Anything it says shows it is not stuck.
    this.clearStall();
    if (message.type === 'index') {
      if (message.error) {
        this.generation = -1;
        log.warn('index', 'an engine worker thread could not open the served index; answering on the main thread', {
          error: message.error,
        });
      } else this.generation = message.generation;
      return;
    }
    const settle = this.pending.get(message.id);
    this.pending.delete(message.id);
    settle?.(message.type === 'answer' ? message : null);
  }
}
