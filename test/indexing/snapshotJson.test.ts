import { expect } from 'chai';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  asciiJson,
  asciiJsonPieces,
  escapedPieces,
  escapeNonAscii,
  readJsonArray,
  readJsonText,
  readTextLines,
} from '../../core/indexing/snapshotJson.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Elements of every kind a snapshot's arrays hold, with accents, emoji (surrogate pairs) and a value JSON drops. */
function element(i: number): unknown {
  if (i % 97 === 5) return undefined;
  if (i % 13 === 0) return { id: `a${i}`, toJSON: () => ({ label: i, text: `pièce ${i} 🚀` }) };
  return { id: `art-${i}`, title: `Contraseña ${i}`, tags: ['vpn', 'ñandú'], n: i / 3, ok: i % 2 === 0, none: null };
}

describe('snapshot JSON written in pieces', () => {
  for (const length of [0, 1, 255, 256, 257, 700])
    it(`gives the text asciiJson gives, joined: ${length} elements`, () => {
      const values = Array.from({ length }, (_, i) => element(i));
      const pieces = [...asciiJsonPieces(values)];
      expect(pieces.join('')).to.equal(asciiJson(values));
      expect(pieces.length).to.equal(Math.max(1, Math.ceil(length / 256)));
    });

  for (const length of [0, 1, 256, 700])
    it(`writes an element a line, one JSON text with asciiJson's values, read back a line at a time: ${length} elements`, async () => {
      const values = Array.from({ length }, (_, i) => element(i));
      const text = [...asciiJsonPieces(values, { lines: true })].join('');
      expect(JSON.parse(text)).to.deep.equal(JSON.parse(asciiJson(values)));
      expect(text).to.match(/^[\x00-\x7f]*$/);
      if (length) expect(text.split('\n')).to.have.length(length + 2);
      const dir = tempDir();
      try {
        const file = path.join(dir.dir, 'articles.json');
        writeFileSync(file, text);
        const seen: unknown[] = [];
        const read = await readJsonArray(file, (v) => (seen.push(v), v));
        expect(read).to.deep.equal(JSON.parse(text));
        expect(seen).to.deep.equal(read);
      } finally {
        dir.cleanup();
      }
    });

  it('reads an array written on one line (before the line layout) whole, each element handed over the same', async () => {
    const dir = tempDir();
    try {
      const values = Array.from({ length: 300 }, (_, i) => element(i));
      const file = path.join(dir.dir, 'articles.json');
      writeFileSync(file, [...asciiJsonPieces(values)].join(''));
      expect(await readJsonArray(file, (v) => ({ v }))).to.deep.equal(
        JSON.parse(asciiJson(values)).map((v: unknown) => ({ v })),
      );
    } finally {
      dir.cleanup();
    }
  });

  it('refuses a file of lines cut before its closing bracket, and one that does not exist', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir.dir, 'articles.json');
      const text = [...asciiJsonPieces([1, 2, 3].map(element), { lines: true })].join('');
      writeFileSync(file, text.slice(0, text.lastIndexOf('\n')));
      const refused = (f: string) =>
        readJsonArray(f, (v) => v).then(
          () => expect.fail('read'),
          (e: unknown) => e,
        );
      expect(await refused(file))
        .to.be.instanceOf(SyntaxError)
        .with.property('message')
        .match(/closing bracket/);
      writeFileSync(file, text.slice(0, text.length - 10));
      expect(await refused(file)).to.be.instanceOf(SyntaxError);
      expect(await refused(path.join(dir.dir, 'none.json'))).to.have.property('code', 'ENOENT');
    } finally {
      dir.cleanup();
    }
  });

  it('lets the event loop go while it reads a long array a line at a time: a server reads a new snapshot while it answers', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir.dir, 'articles.json');
      const values = Array.from({ length: 2000 }, (_, i) => element(i));
      writeFileSync(file, [...asciiJsonPieces(values, { lines: true })].join(''));
      // Set by a callback queued at the first element: without a break in the reading it runs only after the last.
      let ran = false;
      const seen: boolean[] = [];
      const read = await readJsonArray(file, (v: unknown) => {
        if (!seen.length) setImmediate(() => (ran = true));
        // About 30 ms of parsing in all, past the reader's slice.
        for (const until = performance.now() + 0.015; performance.now() < until;);
        seen.push(ran);
        return v;
      });
      expect(read).to.deep.equal(JSON.parse(JSON.stringify(values)));
      expect(seen.indexOf(true)).to.be.greaterThan(0);
      expect(seen.at(-1)).to.equal(true);
    } finally {
      dir.cleanup();
    }
  });

  it('escapes a long text in pieces to what escapeNonAscii gives, a pair of surrogates cut or not', () => {
    const json = JSON.stringify('x'.repeat((1 << 20) - 1) + '🚀é' + 'y'.repeat(1 << 20) + 'ñ');
    const pieces = [...escapedPieces(json)];
    expect(pieces.length).to.equal(3);
    expect(pieces.join('')).to.equal(escapeNonAscii(json));
    expect([...escapedPieces('')].join('')).to.equal('');
  });

  it('reads a file back piece by piece as the text it holds, UTF-8 characters cut between pieces or not', async () => {
    const dir = tempDir();
    try {
      // A piece is 1 MiB: 'ñ' (2 bytes) and '🚀' (4 bytes) fall across the first two boundaries, then an empty file.
      const text = `"${'x'.repeat((1 << 20) - 2)}ñ${'y'.repeat((1 << 20) - 3)}🚀é"`;
      for (const content of [text, asciiJson(text), '']) {
        const file = path.join(dir.dir, 'text.json');
        writeFileSync(file, content);
        expect(await readJsonText(file)).to.equal(content);
      }
    } finally {
      dir.cleanup();
    }
  });

  it('reads a file line by line as the lines it holds, lines and UTF-8 characters cut between pieces or not', () => {
    const dir = tempDir();
    try {
      // A line ends exactly at the first piece's end; 'ñ' and '🚀' fall across the next boundaries; a last empty line.
      const lines = [
        'x'.repeat((1 << 20) - 1),
        `${'y'.repeat((1 << 20) - 1)}ñ${'z'.repeat(1 << 20)}🚀é`,
        '',
        'end',
        '',
      ];
      for (const content of [lines.join('\n'), 'one line', '']) {
        const file = path.join(dir.dir, 'lines.txt');
        writeFileSync(file, content);
        expect([...readTextLines(file)]).to.deep.equal(content.split('\n'));
      }
    } finally {
      dir.cleanup();
    }
  });

  it('opens the file at once (a missing one throws there) and closes it when the reader stops early', () => {
    const dir = tempDir();
    try {
      expect(() => readTextLines(path.join(dir.dir, 'missing.txt'))).to.throw(/ENOENT/);
      const file = path.join(dir.dir, 'lines.txt');
      writeFileSync(file, 'a\nb\nc');
      const open = () => readdirSync('/proc/self/fd').length;
      const before = open();
      const lines = readTextLines(file);
      expect(lines.next().value).to.equal('a');
      expect(open()).to.equal(before + 1);
      lines.return(undefined);
      expect(open()).to.equal(before);
    } finally {
      dir.cleanup();
    }
  });
});
