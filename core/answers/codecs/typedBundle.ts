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
  const last = header.arrays[header.arrays.length - 1];
  const total = last ? last.offset + entries[entries.length - 1]![1].byteLength : align8(PREAMBLE + reserved);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, reserved, true);
  out.fill(0x20, PREAMBLE, PREAMBLE + reserved);
  out.set(new TextEncoder().encode(json), PREAMBLE);
  header.arrays.forEach((entry, i) => {
    const a = entries[i]![1];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), entry.offset);
  });
  return out;
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
