import { expect } from 'chai';
import { decodeBundle, encodeBundle } from '../../core/answers/codecs/typedBundle.ts';
import { CodeTable } from '../../core/answers/lexical/codeTable.ts';

describe('typed bundles (the snapshot files of fitted models)', () => {
  const arrays = {
    ids: Int32Array.from([3, -1, 7]),
    codes: Uint32Array.from([0xffffffff, 0, 42]),
    weights: Float32Array.from([0.5, -0.25, 1e-7]),
    kinds: Uint8Array.from([0, 1, 2, 3, 1]),
    counts: Uint16Array.from([0, 65535, 7]),
    none: new Float32Array(0),
  };
  const meta = { words: ['contraseña', 'password'], idf: 1.2345678901234567 };

  it('read back every array and the header exactly, as views on the bytes, not copies', () => {
    const bytes = encodeBundle(meta, arrays);
    const back = decodeBundle(bytes);
    expect(back.meta).to.deep.equal(meta);
    for (const [name, a] of Object.entries(arrays)) {
      const b = back.arrays.get(name)!;
      expect(b.constructor).to.equal(a.constructor);
      expect([...b]).to.deep.equal([...a]);
      expect(b.buffer).to.equal(bytes.buffer);
    }
  });

  it('refuse a truncated file or one of another kind', () => {
    const bytes = encodeBundle(meta, arrays);
    expect(() => decodeBundle(bytes.subarray(0, bytes.length - 4))).to.throw(/truncated/);
    expect(() => decodeBundle(bytes.subarray(0, 20))).to.throw(/truncated/);
    expect(() => decodeBundle(new Uint8Array(64))).to.throw(/known version/);
  });

  it('are copied once when the bytes start misaligned, with the same content', () => {
    const bytes = encodeBundle(meta, arrays);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect([...decodeBundle(shifted.subarray(1)).arrays.get('weights')!]).to.deep.equal([...arrays.weights]);
  });
});

describe('CodeTable', () => {
  it('numbers each code by its position and knows no other code', () => {
    // Codes whose low bits are all alike (a feature kind) must still spread over the table.
    const codes = Uint32Array.from({ length: 5000 }, (_, i) => ((i * 2654435761) & ~3) >>> 0);
    const table = CodeTable.of(codes);
    codes.forEach((code, id) => expect(table.get(code)).to.equal(id));
    expect(table.get(1)).to.equal(undefined);
    expect(table.get(0xfffffffd)).to.equal(undefined);
    const restored = CodeTable.restore(table.codes, table.slots);
    expect(restored.get(codes[4321]!)).to.equal(4321);
  });
});
