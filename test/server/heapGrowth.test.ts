import { expect } from 'chai';
import { execFileSync } from 'node:child_process';

/**
 * Full collections (V8's --trace-gc "Mark-Compact" lines) while a child
 * process builds some 150 MB of objects it keeps, with the cap set first or not.
 */
function fullCollections(cap: boolean): number {
  const script = `
    import { capHeapGrowth } from './server/heapGrowth.ts';
    if (${cap}) capHeapGrowth();
    const kept = [];
    for (let i = 0; i < 2_000_000; i++) kept.push({ i, s: 'item ' + i });
    console.log(kept.length);`;
  const out = execFileSync(process.execPath, ['--trace-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line.includes('Mark-Compact')).length;
}

describe('capHeapGrowth: the served heap kept near what it holds', function () {
  this.timeout(60_000);
  it('makes V8 collect in full more often as the heap grows, set at run time rather than on the command line', () => {
    const uncapped = fullCollections(false);
    const capped = fullCollections(true);
    expect(capped, `${capped} capped vs ${uncapped} uncapped`).to.be.greaterThan(uncapped + 1);
  });
});
