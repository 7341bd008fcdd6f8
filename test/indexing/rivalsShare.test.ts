import { expect } from 'chai';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { classifierRivals, exactRivalsPay } from '../../core/answers/learners/rivals.ts';
import { controlBlock, helperGone, SharedRivals, type RivalsJob } from '../../core/indexing/rivalsShare.ts';
import { rivalsWorkerUrl } from '../../core/indexing/termModelWorkerUrl.mjs';
import { topicalKb, type Kb } from '../helpers/rivalsKb.ts';

const K = 10;
/** 400 articles sharing most of 700 common features: past the exact search's cost, so found in chunks. */
const BUDGETED = topicalKb(400, 700, 17);
/** 300 articles sharing 40 common features: the exact search, found whole by one thread. */
const EXACT = topicalKb(300, 40, 13);

const listsOf = (lists: Int32Array[]) => lists.map((r) => [...r]);

/** The fit's side, and a real helper thread on the other end of its port, until the helper exits. */
function withHelper(): { rivals: SharedRivals; control: Int32Array; exited: Promise<void> } {
  const control = controlBlock();
  const { port1, port2 } = new MessageChannel();
  const helper = new Worker(rivalsWorkerUrl, { workerData: { control, port: port2 }, transferList: [port2] });
  const exited = new Promise<void>((resolve, reject) => {
    helper.once('error', reject);
    helper.once('exit', () => (helperGone(control), resolve()));
  });
  return { rivals: new SharedRivals(control, port1), control, exited };
}

/** The fit's side with no thread at the other end: what the helper was sent is kept to play its part by hand. */
function alone(): { rivals: SharedRivals; control: Int32Array; sent: Promise<RivalsJob>; port: MessagePort } {
  const control = controlBlock();
  const { port1, port2 } = new MessageChannel();
  const sent = new Promise<RivalsJob>((resolve) => port2.once('message', resolve));
  return { rivals: new SharedRivals(control, port1), control, sent, port: port2 };
}

describe("The classifier's rivals found with a helper thread", function () {
  this.timeout(60_000);

  for (const [name, kb] of [
    ['budgeted, in chunks', BUDGETED],
    ['exact, whole', EXACT],
  ] as [string, Kb][]) {
    it(`gives classifierRivals' lists (${name}), whichever thread found each`, async () => {
      expect(exactRivalsPay(kb.postings, kb.sums.length)).to.equal(kb === EXACT);
      const { rivals, control, exited } = withHelper();
      rivals.begin(kb.postings, kb.sums, K);
      // The helper starts on them first, as it does while the fit goes on: its first signal (the order made, or a chunk).
      for (let waited = 0; Atomics.load(control, 1) === 0 && waited < 10_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(listsOf(rivals.find(kb.postings, kb.sums, K))).to.deep.equal(
        listsOf(classifierRivals(kb.postings, kb.sums, K)),
      );
      await exited;
    });
  }

  it('finds them alone when the helper is gone before it began', () => {
    for (const kb of [BUDGETED, EXACT]) {
      const { rivals, control, port } = alone();
      rivals.begin(kb.postings, kb.sums, K);
      helperGone(control);
      expect(listsOf(rivals.find(kb.postings, kb.sums, K))).to.deep.equal(
        listsOf(classifierRivals(kb.postings, kb.sums, K)),
      );
      port.close();
    }
  });

  it('finds again what a helper took and never finished, and the order it left half made', async () => {
    for (const kb of [BUDGETED, EXACT]) {
      const { rivals, control, sent, port } = alone();
      rivals.begin(kb.postings, kb.sums, K);
      const job = await sent;
      // A helper that died mid-way: the order begun, the first chunk taken, half its lists written wrong.
      Atomics.store(control, 2, 1);
      Atomics.add(control, 0, 1);
      Atomics.store(job.chunks, 0, 1);
      job.lists.fill(7, 0, job.lists.length / 2);
      job.lengths.fill(3, 0, job.lengths.length / 2);
      job.ordered.rows.fill(1);
      helperGone(control);
      expect(listsOf(rivals.find(kb.postings, kb.sums, K))).to.deep.equal(
        listsOf(classifierRivals(kb.postings, kb.sums, K)),
      );
      port.close();
    }
  });

  it('is told nothing when the fit asks for other rivals than it began: they are found as classifierRivals', () => {
    const { rivals, port } = alone();
    expect(listsOf(rivals.find(EXACT.postings, EXACT.sums, K))).to.deep.equal(
      listsOf(classifierRivals(EXACT.postings, EXACT.sums, K)),
    );
    port.close();
  });
});
