import { FACTS_VERSION, HASH_COLUMNS, INT_COLUMNS, type DayFacts } from './dayFacts.ts';

/** The event file the facts were made from: while it keeps its size and mtime, the facts stand. */
export interface FactSource {
  size: number;
  mtimeMs: number;
}

const MAGIC = 0x44465834; // "DFX4"

/**
 * The report cache file of one day: a small JSON header (version, source,
 * strings, column lengths) followed by the numeric columns as raw binary,
 * 8-byte aligned. Loading it is a file read and typed-array views — no
 * parsing of a million numbers — which is most of what keeps reports fast.
 */
export function encodeFacts(facts: DayFacts, source: FactSource): Buffer {
  const lengths = Object.fromEntries([...HASH_COLUMNS, ...INT_COLUMNS].map((c) => [c, facts[c].length]));
  const header = Buffer.from(
    JSON.stringify({ v: FACTS_VERSION, day: facts.day, source, strings: facts.strings, lengths }),
    'utf8',
  );
  const headerEnd = align(8 + header.length);
  const parts: Buffer[] = [];
  const prefix = Buffer.alloc(headerEnd);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(header.length, 4);
  header.copy(prefix, 8);
  parts.push(prefix);
  for (const c of [...HASH_COLUMNS, ...INT_COLUMNS]) {
    const col = facts[c];
    const bytes = Buffer.from(col.buffer, col.byteOffset, col.byteLength);
    parts.push(bytes, Buffer.alloc(align(bytes.length) - bytes.length));
  }
  return Buffer.concat(parts);
}

/** The facts and their source, or null when the file is not a cache of this version (or is damaged). */
export function decodeFacts(file: Buffer): { facts: DayFacts; source: FactSource } | null {
  if (file.length < 8 || file.readUInt32LE(0) !== MAGIC) return null;
  const headerLength = file.readUInt32LE(4);
  let header: { v: number; day: string; source: FactSource; strings: string[]; lengths: Record<string, number> };
  try {
    header = JSON.parse(file.toString('utf8', 8, 8 + headerLength));
  } catch {
    return null;
  }
  if (header.v !== FACTS_VERSION) return null;
  // Typed arrays need aligned memory; a Buffer from readFile usually is, but not always.
  const buf = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  let at = align(8 + headerLength);
  const columns: Record<string, Int32Array | Float64Array> = {};
  for (const c of [...HASH_COLUMNS, ...INT_COLUMNS]) {
    const n = header.lengths[c] ?? 0;
    const Type = (HASH_COLUMNS as readonly string[]).includes(c) ? Float64Array : Int32Array;
    const bytes = n * Type.BYTES_PER_ELEMENT;
    if (at + bytes > buf.length) return null;
    columns[c] = new Type(buf.buffer as ArrayBuffer, buf.byteOffset + at, n);
    at += align(bytes);
  }
  return {
    source: header.source,
    facts: { v: FACTS_VERSION, day: header.day, strings: header.strings, ...columns } as DayFacts,
  };
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}
