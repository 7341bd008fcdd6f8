import { threadCpuMs } from '../threadCpu.ts';

/** One stage of an index build: its wall time, and the CPU time of the thread that ran it (null off Linux). */
export interface BuildStage {
  name: string;
  /**
   * 'main' for the build's own thread; the workers' threads (the vector graph's, the term model's and its rivals'
   * helper, the calibration folds') run beside it.
   */
  thread: 'main' | 'graph worker' | 'term worker' | 'rivals helper' | 'fold worker';
  wallMs: number;
  cpuMs: number | null;
}

/**
 * The build's stages in the order they end, each timed from the end of the
 * one before: where a build's time goes, printed by `npm run index` and
 * logged by a server's cold build. CPU is the thread's own (not the
 * process's, which counts the graph's worker and V8's helper threads too),
 * so a stage's wall above its CPU is time the thread waited or was not run.
 */
export class BuildStages {
  private readonly done: BuildStage[] = [];
  private wall = performance.now();
  private cpu = threadCpuMs();

  /** End the main thread's current stage under `name`; the next one starts now. */
  end(name: string): void {
    const wall = performance.now();
    const cpu = threadCpuMs();
    this.done.push({
      name,
      thread: 'main',
      wallMs: wall - this.wall,
      cpuMs: cpu === null || this.cpu === null ? null : cpu - this.cpu,
    });
    this.wall = wall;
    this.cpu = cpu;
  }

  /** Record a stage that ran on another thread (not part of the main thread's sequence). */
  add(stage: BuildStage): void {
    this.done.push(stage);
  }

  get stages(): readonly BuildStage[] {
    return this.done;
  }
}
