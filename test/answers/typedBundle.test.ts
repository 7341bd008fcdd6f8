import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { bundlePieces, decodeBundle, encodeBundle, joinPieces } from '../../core/answers/codecs/typedBundle.ts';
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

describe('typed bundles written in pieces', () => {
  const big = new Float32Array(1000).map((_, i) => i / 7);
  // Odd lengths and a view into a larger array: padding after each, and the view's own bytes only.
  const odd = {
    ids: Int32Array.from([3, -1, 7]),
    kinds: Uint8Array.from([0, 1, 2, 3, 1]),
    view: big.subarray(3, 10),
    counts: Uint16Array.from([0, 65535, 7]),
    none: new Float32Array(0),
    last: Uint8Array.from([9, 8, 7]),
  };
  const meta = { words: ['contraseña', 'password'], idf: 1.2345678901234567 };
  const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  it('are the bytes encodeBundle wrote before pieces (the same files as older builds)', () => {
    // The hashes of encodeBundle's output at main ff274e4, before it was written in pieces.
    expect(sha(joinPieces(bundlePieces(meta, odd)))).to.equal(
      '44dadac897072ae91b58552c38892567a0cbe81bef19214ef2dbb33f8f3dcd02',
    );
    expect(sha(joinPieces(bundlePieces({}, {})))).to.equal(
      'b219eb9b0a630b8e047a88410214f00e1a8e35300183890de2aa8f373264601b',
    );
    expect(sha(joinPieces(bundlePieces(meta, { only: Uint8Array.from([1]) })))).to.equal(
      '63be20c05d8f5dd1216dbd3c96bc8ea5b6d588fad185fb31f6814d40fcbec5a7',
    );
    expect(sha(encodeBundle(meta, odd))).to.equal(sha(joinPieces(bundlePieces(meta, odd))));
  });

  it('write each array from its own bytes, not a copy', () => {
    const pieces = bundlePieces(meta, odd);
    expect(pieces.some((p) => p.buffer === big.buffer && p.byteOffset === 12 && p.byteLength === 28)).to.equal(true);
  });
});
