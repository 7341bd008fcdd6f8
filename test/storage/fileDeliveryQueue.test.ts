import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { FileDeliveryQueue } from '../../core/storage/fileDeliveryQueue.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** What the embedded queue adds to the contract suite: its journal on disk. */
describe('FileDeliveryQueue: the embedded journal', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());
  const journal = () => path.join(tmp.dir, 'webhooks', 'deliveries.jsonl');
  const lines = () => readFileSync(journal(), 'utf8').split('\n').filter(Boolean);
  const payload = (n: number) => ({ ticket: { id: `T-${n}` } });

  it('a line torn by a crash is dropped at open, and what is appended after it is kept', async () => {
    const first = await FileDeliveryQueue.open(tmp.dir);
    const a = await first.enqueue({ event: 'ticket.created', payload: payload(1) });
    appendFileSync(journal(), '{"put":{"id":"torn","event":"ticket.cr');
    const second = await FileDeliveryQueue.open(tmp.dir);
    const b = await second.enqueue({ event: 'ticket.created', payload: payload(2) });
    const third = await FileDeliveryQueue.open(tmp.dir);
    expect((await third.all()).map((d) => d.id)).to.deep.equal([a.id, b.id]);
  });

  it('a restart keeps each delivery owed with its state, and rewrites the journal to one line per delivery', async () => {
    const first = await FileDeliveryQueue.open(tmp.dir);
    const done = await first.enqueue({ event: 'ticket.created', payload: payload(1) });
    const waiting = await first.enqueue({ event: 'ticket.created', payload: payload(2) });
    await first.claim('w', { limit: 2, leaseMs: 60_000 });
    await first.delivered(done.id);
    await first.failed(waiting.id, 'w', { error: 'HTTP 503', retryInMs: 60_000 });
    expect(lines()).to.have.length(4);

    const second = await FileDeliveryQueue.open(tmp.dir);
    const [kept] = await second.all();
    expect(kept).to.include({ id: waiting.id, status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(await second.claim('w', { limit: 1, leaseMs: 60_000 })).to.deep.equal([]);
    expect(lines()).to.have.length(1);
  });
});
