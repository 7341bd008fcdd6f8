import { Worker } from 'node:worker_threads';
import { log, loggerSettings } from '../../logger.ts';
import type { SnapshotDelta } from '../../indexing/snapshotDelta.ts';
import type { EngineQuery } from '../pipeline/answerEngine.ts';
import { engineWorkerUrl } from './engineWorkerUrl.mjs';
import type { SnapshotFiles } from '../../indexing/snapshot.ts';
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
/** A thread that died is replaced after this long, doubling each time up to a minute. */
const FIRST_RESTART_MS = 1000;

/** The index the main thread serves, as a thread is told of it: a snapshot folder and the last delta on it. */
interface Served {
  generation: number;
  dir: string | null;
  files?: SnapshotFiles;
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
  private restartMs = FIRST_RESTART_MS;
  private nextId = 0;
  /** Questions a thread answered (its answer used). */
  answered = 0;

  constructor(
    readonly size: number,
    private readonly config: WorkerConfig,
    private readonly url: URL = engineWorkerUrl,
  ) {}

  /** A new snapshot is served here: the threads open it (until they have, questions are answered here). */
  serveSnapshot(dir: string | null, files?: SnapshotFiles): void {
    this.served = { generation: this.served.generation + 1, dir, files };
    for (const t of this.threads) t.open(this.served);
  }

  /** A delta on the served snapshot is served here. */
  serveDelta(delta: SnapshotDelta): void {
    this.served = { ...this.served, generation: this.served.generation + 1, delta };
    for (const t of this.threads) t.post({ type: 'delta', generation: this.served.generation, delta });
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

  /** For /healthz: threads allowed, running, holding the served index, and questions they answered. */
  stats(): { size: number; running: number; ready: number; answered: number } {
    return { size: this.size, running: this.running(), ready: this.ready(), answered: this.answered };
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
    const thread = new EngineThread(this.url, this.config, (error) => {
      this.threads.delete(thread);
      if (this.closed) return;
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

  constructor(url: URL, config: WorkerConfig, onDeath: (error: Error) => void) {
    const workerData: WorkerData = { config, logger: loggerSettings() };
    this.worker = new Worker(url, { workerData });
    // An idle thread must not keep the process alive (a server's close, a CLI's end).
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    const die = (error: Error) => {
      if (this.stopped) return;
      this.stopped = true;
      this.generation = -1;
      this.settleAll();
      onDeath(error);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`exited with code ${code}`)));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  open(served: Served): void {
    if (served.dir === null) return;
    this.post({
      type: 'snapshot',
      generation: served.generation,
      dir: served.dir,
      files: served.files,
      delta: served.delta,
    });
  }

  post(message: ToWorker): void {
    if (!this.stopped) this.worker.postMessage(message);
  }

  ask(id: number, query: EngineQuery): Promise<Extract<FromWorker, { type: 'answer' }> | null> {
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.post({ type: 'ask', id, query });
      } catch {
        // A query that cannot be cloned (a caller's object with a function in it): answered by the caller instead.
        this.pending.delete(id);
        resolve(null);
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.settleAll();
    await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    if (message.type === 'index') {
      if (message.error) {
        this.generation = -1;
        log.warn('index', 'an engine worker thread could not open the served index; answering on the main thread', {
          error: message.error,
        });
      } else this.generation = message.generation;
      return;
    }
    const resolve = this.pending.get(message.id);
    this.pending.delete(message.id);
    resolve?.(message.type === 'answer' ? message : null);
  }

  /** Questions still held are answered by the caller, on the main thread. */
  private settleAll(): void {
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}
