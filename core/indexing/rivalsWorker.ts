// Helper thread of a term model's fit (started by TermModelThread beside the
// term model's worker): it waits for the fit's centroids, finds its share of
// the classifier's rivals on the memory both share (rivalsShare.ts), and says
// its own CPU time. Run from the sources through rivalsWorker.mjs; compiled
// beside the server's bundle (scripts/compileServer.mjs).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { threadCpuMs } from '../threadCpu.ts';
import { sumsOf, workOn, type RivalsJob } from './rivalsShare.ts';

const { control, port } = workerData as { control: Int32Array; port: MessagePort };
// The fit's thread closes its end once it has the rivals, or when it ends without needing them: this thread then ends.
port.once('message', (job: RivalsJob) => {
  workOn(control, job, sumsOf(job));
  parentPort!.postMessage({ cpuMs: threadCpuMs() });
  port.close();
});
