import { expect } from 'chai';
import { CodeNumbering, CodeTable } from '../../core/answers/lexical/codeTable.ts';

/** Feature codes as textFeatures makes them: unsigned 32-bit hashes, half of them above 2^31. */
function codes(n: number): number[] {
  let s = 7;
  return Array.from({ length: n }, () => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0));
}

describe('CodeNumbering', () => {
  it('numbers codes in order of first use, as a Map filled code by code did, through every growth', () => {
    const input = codes(20_000);
    const numbering = new CodeNumbering();
    const reference = new Map<number, number>();
    // Each code met twice, the second time after thousands of others: it keeps its first id.
    for (const code of [...input, ...input.slice().reverse()]) {
      if (!reference.has(code)) reference.set(code, reference.size);
      expect(numbering.idOf(code)).to.equal(reference.get(code));
    }
    expect(numbering.size).to.equal(reference.size);
    expect([...numbering.byId()]).to.deep.equal([...reference.keys()]);
  });

  it('gives the codes by id that CodeTable looks up, so a fitted space finds each of its features', () => {
    const numbering = new CodeNumbering();
    const input = codes(3_000);
    for (const code of input) numbering.idOf(code);
    const table = CodeTable.of(numbering.byId());
    input.forEach((code, id) => expect(table.get(code)).to.equal(id));
    expect(table.get(12345)).to.equal(undefined);
  });
});
