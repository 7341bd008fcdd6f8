import { expect } from 'chai';
import { collectGarbage } from '../../server/collectGarbage.ts';

describe('collectGarbage: one full collection after a one-off load', () => {
  it('frees what nothing references any more, without a flag on the command line', async () => {
    let garbage: object[] | null = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const ref = new WeakRef(garbage);
    garbage = null;
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(ref.deref()).to.equal(undefined);
  });

  it('keeps gc() out of the global scope, and works again', async () => {
    collectGarbage();
    expect((globalThis as { gc?: unknown }).gc).to.equal(undefined);
    const ref = new WeakRef({ again: true });
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(ref.deref()).to.equal(undefined);
  });
});
