import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { fsyncDir } from '../storage/atomicFile.ts';
import { IndexCorruptError } from './snapshot.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The archive's first bytes, so a foreign or older blob is refused instead of misread. */
const MAGIC = 'deflect-snapshot/1\n';

/**
 * A snapshot folder (flat: the files named in snapshot.ts's FILES) as one
 * buffer to store elsewhere: a JSON header naming each file and its size,
 * then the files' bytes, gzipped (fast level: the JSON files shrink several
 * times, the vectors hardly, and the archive is made once per publication).
 * zlib runs on libuv's pool, so a server publishing keeps answering.
 */
export async function packSnapshot(dir: string): Promise<{ archive: Buffer; sha256: string }> {
  const names = (await fs.readdir(dir)).sort();
  const parts: Buffer[] = [];
  const files: { name: string; size: number }[] = [];
  for (const name of names) {
    const stat = await fs.stat(path.join(dir, name));
    if (!stat.isFile()) continue;
    const bytes = await fs.readFile(path.join(dir, name));
    files.push({ name, size: bytes.byteLength });
    parts.push(bytes);
  }
  const header = Buffer.from(`${MAGIC}${JSON.stringify({ files })}\n`);
  const archive = await gzipAsync(Buffer.concat([header, ...parts]), { level: 1 });
  return { archive, sha256: sha256Of(archive) };
}

/** Write an archive's files into `dir` (created; must not exist), each fsynced, then the folder. */
export async function unpackSnapshot(archive: Buffer, dir: string, sha256?: string): Promise<void> {
  if (sha256 && sha256Of(archive) !== sha256)
    throw new IndexCorruptError(`the snapshot archive for ${path.basename(dir)} does not match its checksum`);
  const raw = await gunzipAsync(archive);
  const headerEnd = raw.indexOf(0x0a, MAGIC.length);
  if (raw.subarray(0, MAGIC.length).toString() !== MAGIC || headerEnd < 0)
    throw new IndexCorruptError('not a Deflect snapshot archive');
  const { files } = JSON.parse(raw.subarray(MAGIC.length, headerEnd).toString()) as {
    files: { name: string; size: number }[];
  };
  await fs.mkdir(dir);
  const placed: { name: string; bytes: Buffer }[] = [];
  let offset = headerEnd + 1;
  for (const { name, size } of files) {
    // Names come from another machine: never let one climb out of the folder.
    if (name !== path.basename(name) || name.startsWith('.'))
      throw new IndexCorruptError(`snapshot archive names '${name}'`);
    if (offset + size > raw.byteLength) throw new IndexCorruptError('the snapshot archive is truncated');
    placed.push({ name, bytes: raw.subarray(offset, offset + size) });
    offset += size;
  }
  // All at once: one after the other, each fsync waited for its own journal commit, and on a disk
  // busy with the database's writes a dozen of them took longer than the download (bench/snapshotSpread.ts).
  await Promise.all(
    placed.map(async ({ name, bytes }) => {
      const handle = await fs.open(path.join(dir, name), 'w');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }),
  );
  await fsyncDir(dir);
}

function sha256Of(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}
