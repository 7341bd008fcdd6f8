import { closeSync, openSync, readSync, promises as fs } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * JSON for a snapshot file, in ASCII: every character past U+007E written as
 * a \u escape. The same JSON (any reader parses it to the same values), but
 * a file without a byte past 127 decodes to a one-byte string, two to three
 * times faster than UTF-8 text with a few accented letters in it, which
 * makes the whole string two-byte (articles.json at 10k articles: 0.3 s of
 * CPU and a 70 MB string before, 0.1 s and 35 MB after).
 */
export function asciiJson(value: unknown): string {
  return escapeNonAscii(JSON.stringify(value));
}

/** `json` with every character past U+007E escaped (a surrogate pair as two escapes, as JSON allows). */
export function escapeNonAscii(json: string): string {
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NON_ASCII = /[\u007f-\uffff]/g;

/** Bytes read at a time by `readJsonText`. */
const READ_PIECE = 1 << 20;

/**
 * A snapshot's JSON file as text: ASCII or UTF-8, whichever wrote it. Read a
 * piece at a time, not as one Buffer: glibc serves a large Buffer from its
 * own mapping and, when it is freed, raises its mmap threshold to that size
 * (up to 32 MB), so later native blocks up to that size come from its heap
 * and stay in RSS once freed. articles.json's one read (22 MB at 10k
 * articles) made a served snapshot's RSS about 20 MB higher for the same
 * live memory.
 */
export async function readJsonText(file: string): Promise<string> {
  const handle = await fs.open(file);
  try {
    const piece = Buffer.allocUnsafeSlow(READ_PIECE);
    // It keeps a character cut between two pieces for the next; TextDecoder's streaming mode took twice as long.
    const decoder = new StringDecoder('utf8');
    const texts: string[] = [];
    for (;;) {
      const { bytesRead } = await handle.read(piece, 0, READ_PIECE, null);
      if (!bytesRead) break;
      texts.push(decoder.write(piece.subarray(0, bytesRead)));
    }
    texts.push(decoder.end());
    // Joined into one flat string: JSON.parse of one built by += (a rope) took half again as long.
    return texts.join('');
  } finally {
    await handle.close();
  }
}

/**
 * A text file's lines (without their line feeds), read a piece at a time as
 * they are asked for: a reader that parses each line as it comes never holds
 * the whole text (see MiniSearchIndex.fromJsonLines). The file is opened
 * now, so a missing one throws here; it is closed when the lines run out or
 * the caller stops early.
 */
export function readTextLines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  return linesOfFile(fd);
}

function* linesOfFile(fd: number): Generator<string> {
  try {
    const piece = Buffer.allocUnsafeSlow(READ_PIECE);
    const decoder = new StringDecoder('utf8');
    let partial = '';
    for (;;) {
      const bytesRead = readSync(fd, piece, 0, READ_PIECE, null);
      const text = partial + (bytesRead ? decoder.write(piece.subarray(0, bytesRead)) : decoder.end());
      let from = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', from)) {
        yield text.slice(from, end);
        from = end + 1;
      }
      partial = text.slice(from);
      if (!bytesRead) break;
    }
    yield partial;
  } finally {
    closeSync(fd);
  }
}

/** Elements serialised per piece by `asciiJsonPieces`: small strings, a few hundred kilobytes each. */
const ELEMENTS_PER_PIECE = 256;

/**
 * `asciiJson(values)` in pieces to write one after another, a few hundred
 * elements each: a snapshot writes articles.json and items.json (36 and 26
 * MB at 10k articles) without the whole text, its escaped copy and its
 * bytes in memory at once. Each piece is a slice of the array serialised by
 * JSON.stringify, brackets taken off, so the text is JSON.stringify's.
 *
 * `lines`: each element on a line of its own ("[", the elements one per
 * line, each but the last followed by a comma, then "]"): still one JSON
 * text, JSON.stringify's with line feeds between elements (a serialised
 * element holds none), which a reader can parse a line at a time
 * (`readJsonArray`) and so let go of part of each element before the
 * next is read.
 */
export function* asciiJsonPieces(values: readonly unknown[], options: { lines?: boolean } = {}): Generator<string> {
  if (!values.length) {
    yield '[]';
    return;
  }
  const [open, between, close] = options.lines ? ['[\n', ',\n', '\n]'] : ['[', ',', ']'];
  for (let i = 0; i < values.length; i += ELEMENTS_PER_PIECE) {
    const end = Math.min(values.length, i + ELEMENTS_PER_PIECE);
    const slice = values.slice(i, end);
    // Element by element, a value JSON drops (undefined, a function) is null, as in an array.
    const inner = options.lines
      ? slice.map((v) => JSON.stringify(v) ?? 'null').join(between)
      : JSON.stringify(slice).slice(1, -1);
    yield escapeNonAscii(`${i ? between : open}${inner}${end === values.length ? close : ''}`);
  }
}

/** How long `readJsonArray` parses before it lets the event loop go. */
const SLICE_MS = 10;

/**
 * A JSON array's elements, each given to `each` as it is parsed, and what
 * it returns: from a file written by `asciiJsonPieces(…, { lines: true })`
 * a line at a time, so the whole text is never held, and with the event
 * loop let go of every SLICE_MS (a server reads a newly published
 * snapshot's articles while it answers: half a second of parsing at 10k
 * articles held every request up); any other JSON array (a file written
 * before, on one line) is read and parsed whole, as it was.
 */
export async function readJsonArray<T, U = T>(file: string, each: (value: T) => U): Promise<U[]> {
  // Told apart by its first line, "[": a one-line file read as lines would be joined a piece at a time.
  if (!(await startsWith(file, '[\n'))) return (JSON.parse(await readJsonText(file)) as T[]).map(each);
  const lines = readTextLines(file);
  lines.next();
  const out: U[] = [];
  let sliceStart = performance.now();
  for (const line of lines) {
    if (line === ']') {
      lines.return(undefined);
      return out;
    }
    out.push(each(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as T));
    if ((out.length & 15) === 0 && performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  throw new SyntaxError(`${file} ends before its closing bracket`);
}

async function startsWith(file: string, prefix: string): Promise<boolean> {
  const handle = await fs.open(file);
  try {
    const head = Buffer.alloc(prefix.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).toString('latin1') === prefix;
  } finally {
    await handle.close();
  }
}

/** `escapeNonAscii(json)` in pieces of at most a million characters (every escape is of one UTF-16 unit, so any cut will do). */
export function* escapedPieces(json: string): Generator<string> {
  const PIECE = 1 << 20;
  for (let i = 0; i < json.length; i += PIECE) yield escapeNonAscii(json.slice(i, i + PIECE));
  if (!json.length) yield '';
}
