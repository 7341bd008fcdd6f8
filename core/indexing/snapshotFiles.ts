import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readScanImage } from '../search/scanImage.ts';

/**
 * A snapshot's binary files in shared memory, by their name in its folder
 * (FILES.termModel → its bytes): what an open read, so that a thread given
 * them (postMessage shares them, it copies nothing) opens the same snapshot
 * over the same memory. Each is a SharedArrayBuffer of the file's bytes but
 * the vector scan's (FILES.scan), a shared WebAssembly.Memory holding the
 * file: the scan's kernels read only their own memory, and a thread can run
 * them on another's only if it is given the memory itself.
 */
export type SnapshotFiles = ReadonlyMap<string, SharedArrayBuffer | WebAssembly.Memory>;

/**
 * One open's reader of a snapshot's binary files: each taken from the files
 * it was given when there, else read from the folder into shared memory;
 * `files` lists both, what the open hands on. Nothing read is written to:
 * the decoded models and the scan are views on these bytes, in every thread
 * that holds them.
 */
export class SharedFiles {
  private readonly used = new Map<string, SharedArrayBuffer | WebAssembly.Memory>();

  constructor(
    private readonly dir: string,
    private readonly given?: SnapshotFiles,
  ) {}

  /** Every file read or taken so far. */
  get files(): SnapshotFiles {
    return this.used;
  }

  /** The bytes of `name`: given, or read into a SharedArrayBuffer (rejecting as a read does: ENOENT when missing). */
  async bytes(name: string): Promise<Uint8Array> {
    const given = this.given?.get(name);
    const held = given ?? (await readShared(path.join(this.dir, name)));
    this.used.set(name, held);
    return new Uint8Array(held instanceof WebAssembly.Memory ? held.buffer : held);
  }

  /** The vector scan's file as `ScanVectorIndex.fromImage` takes it: given (a memory, or the file's bytes), or read into a shared memory. */
  async scanImage(name: string, dimensions: number): Promise<WebAssembly.Memory | Uint8Array> {
    const given = this.given?.get(name);
    const held = given ?? (await readScanImage(path.join(this.dir, name), dimensions));
    this.used.set(name, held);
    return held instanceof WebAssembly.Memory ? held : new Uint8Array(held);
  }
}

/** `file` whole in a SharedArrayBuffer of its size, in one read where the system allows. */
async function readShared(file: string): Promise<SharedArrayBuffer> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = new SharedArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    for (let got = 0; got < size;) {
      const { bytesRead } = await handle.read(bytes, got, size - got, got);
      if (bytesRead === 0) throw new Error(`${file} ends early`);
      got += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}
