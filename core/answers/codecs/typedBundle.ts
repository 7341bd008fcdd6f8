/**
 * Named typed arrays and a small JSON header in one file, laid out so that
 * reading it back is taking views on the file's bytes: no parsing, no copy.
 * A large fitted model (millions of postings) loads in the time the disk
 * takes to read it. Layout, little-endian: magic "DFTB", version, the
 * header's length in bytes, the header (UTF-8 JSON: `meta` and each array's
 * name, type, offset and length), then every array at an 8-byte aligned
 * offset from the start of the file.
 */
const MAGIC = 0x42544644; // "DFTB"
const VERSION = 1;
const PREAMBLE = 12;

const TYPES = {
  i32: Int32Array,
  u32: Uint32Array,
  f32: Float32Array,
  u16: Uint16Array,
  u8: Uint8Array,
} as const;
type TypeName = keyof typeof TYPES;

/** The arrays a bundle can hold. */
export type BundleArray = Int32Array | Uint32Array | Float32Array | Uint16Array | Uint8Array;

interface Header {
  meta: unknown;
  arrays: { name: string; type: TypeName; offset: number; length: number }[];
}

/** `arrays` and `meta` (anything JSON can hold: counts, word lists) as one file's bytes. */
export function encodeBundle(meta: unknown, arrays: Record<string, BundleArray>): Uint8Array {
  return joinPieces(bundlePieces(meta, arrays));
}

/** Pieces of bytes as one array of its own. */
export function joinPieces(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * The bytes `encodeBundle` gives, in pieces to write one after another: the
 * header, then each array's own bytes (a view, not a copy) and the padding
 * after it. A snapshot writes its term model (150 MB at 10k articles) so,
 * without a second copy of every array in one buffer.
 */
export function bundlePieces(meta: unknown, arrays: Record<string, BundleArray>): Uint8Array[] {
  const entries = Object.entries(arrays);
  const header: Header = { meta, arrays: [] };
  // Offsets depend on the header's length and the header lists them: lay the arrays out after a header of
  // the final length, found by growing a guess until the header fits in it.
  let reserved = 0;
  let json = '';
  for (;;) {
    let at = align8(PREAMBLE + reserved);
    header.arrays = entries.map(([name, a]) => {
      const entry = { name, type: typeNameOf(a), offset: at, length: a.length };
      at = align8(at + a.byteLength);
      return entry;
    });
    json = JSON.stringify(header);
    const bytes = Buffer.byteLength(json);
    if (bytes <= reserved) break;
    reserved = bytes + 64;
  }
  const first = header.arrays[0]?.offset ?? align8(PREAMBLE + reserved);
  const head = new Uint8Array(first);
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, reserved, true);
  head.fill(0x20, PREAMBLE, PREAMBLE + reserved);
  head.set(new TextEncoder().encode(json), PREAMBLE);
  const pieces: Uint8Array[] = [head];
  header.arrays.forEach((entry, i) => {
    const a = entries[i]![1];
    pieces.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    // Zeros up to the next array's offset; none after the last, which ends the file.
    const next = header.arrays[i + 1];
    if (next) pieces.push(new Uint8Array(next.offset - entry.offset - a.byteLength));
  });
  return pieces;
}

/** A bundle read back: its meta, and its arrays as views on `bytes` (copied once only if `bytes` is misaligned). */
export function decodeBundle(bytes: Uint8Array): { meta: unknown; arrays: Map<string, BundleArray> } {
  if (bytes.byteLength < PREAMBLE) throw new Error('bundle is truncated');
  // Views need 4-byte alignment in the underlying buffer; a file read whole has its own, aligned one.
  if (bytes.byteOffset % 8 !== 0) bytes = new Uint8Array(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION)
    throw new Error('not a bundle of a known version');
  const reserved = view.getUint32(8, true);
  if (PREAMBLE + reserved > bytes.byteLength) throw new Error('bundle is truncated');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE, PREAMBLE + reserved))) as Header;
  const arrays = new Map<string, BundleArray>();
  for (const { name, type, offset, length } of header.arrays) {
    const Type = TYPES[type];
    if (!Type || offset % 8 !== 0 || offset + length * Type.BYTES_PER_ELEMENT > bytes.byteLength)
      throw new Error(`bundle array ${name} is truncated`);
    arrays.set(name, new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + offset, length));
  }
  return { meta: header.meta, arrays };
}

/** The array `name` of a decoded bundle, checked to be of the expected type. */
export function arrayOf<T extends BundleArray>(
  arrays: Map<string, BundleArray>,
  name: string,
  type: new (...args: never[]) => T,
): T {
  const a = arrays.get(name);
  if (!(a instanceof type)) throw new Error(`bundle has no ${type.name} ${name}`);
  return a;
}

function typeNameOf(a: BundleArray): TypeName {
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Uint16Array) return 'u16';
  return 'u8';
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
