import { promises as fs } from 'node:fs';
import { IndexMismatchError } from '../errors.ts';
import { sharedKernelMemory } from '../answers/learners/wasmKernel.ts';
import { VectorScan } from './vectorScan.ts';

/** vectors.scan: this magic, the dimensions and the vector count (u32, little-endian), each vector's scale (f32), then the int8 columns, one per dimension. */
export const SCAN_MAGIC = 'DFLSCAN1';
export const SCAN_HEADER_BYTES = 16;
/** Bytes after an image's file: the kernel's last block of the last column reads up to 15 bytes past it. */
const SLACK = 16;

/** The vector count in a scan file's `header`; IndexMismatchError unless it is a scan of `dimensions` whose file is `size` bytes. */
export function scanCount(header: Uint8Array, dimensions: number, size: number, name: string): number {
  const view = Buffer.from(header.buffer, header.byteOffset, SCAN_HEADER_BYTES);
  const count = view.readUInt32LE(12);
  if (
    view.toString('latin1', 0, 8) !== SCAN_MAGIC ||
    view.readUInt32LE(8) !== dimensions ||
    size !== SCAN_HEADER_BYTES + count * 4 + count * dimensions
  )
    throw new IndexMismatchError(
      `vector index ${name} is not a scan of ${dimensions} dimensions (${size} bytes, ${count} vectors)`,
    );
  return count;
}

/**
 * A scan file read whole into a shared WebAssembly memory, as `scanOfImage`
 * reads it in place: one thread reads the file, and any thread the memory is
 * posted to scans the same bytes. A truncated or foreign file throws before
 * anything is allocated.
 */
export async function readScanImage(file: string, dimensions: number): Promise<WebAssembly.Memory> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = new Uint8Array(SCAN_HEADER_BYTES);
    await handle.read(header, 0, SCAN_HEADER_BYTES, 0);
    scanCount(header, dimensions, size, file);
    const memory = sharedKernelMemory(size + SLACK);
    const bytes = new Uint8Array(memory.buffer, 0, size);
    for (let got = 0; got < size;) {
      const { bytesRead } = await handle.read(bytes, got, size - got, got);
      if (bytesRead === 0) throw new IndexMismatchError(`vector index ${file} ends early`);
      got += bytesRead;
    }
    return memory;
  } finally {
    await handle.close();
  }
}

/**
 * The scan of `image`: a shared memory from `readScanImage`, read in place
 * (the scan adds only its own scratch pages to it), or a scan file's bytes,
 * copied into a scan of this thread's own. Throws as a foreign or truncated
 * file does.
 */
export function scanOfImage(image: WebAssembly.Memory | Uint8Array, dimensions: number, name: string): VectorScan {
  const bytes = image instanceof WebAssembly.Memory ? new Uint8Array(image.buffer) : image;
  if (bytes.byteLength < SCAN_HEADER_BYTES) throw new IndexMismatchError(`vector index ${name} is truncated`);
  const count = new DataView(bytes.buffer, bytes.byteOffset, SCAN_HEADER_BYTES).getUint32(12, true);
  const size = SCAN_HEADER_BYTES + count * 4 + count * dimensions;
  // A memory holds the file, its slack, then the scratch of the scans on it: only the file's part is checked.
  const fileBytes =
    image instanceof WebAssembly.Memory ? Math.min(size, Math.max(0, bytes.byteLength - SLACK)) : bytes.byteLength;
  scanCount(bytes, dimensions, fileBytes, name);
  const scalesAt = SCAN_HEADER_BYTES;
  const matrixAt = scalesAt + count * 4;
  if (image instanceof WebAssembly.Memory)
    return new VectorScan(dimensions, count, { image: { memory: image, matrixAt, scalesAt } });
  const scan = new VectorScan(dimensions, count);
  scan.scales().set(new Float32Array(bytes.slice(scalesAt, matrixAt).buffer));
  scan.bytes().set(bytes.subarray(matrixAt, size));
  return scan;
}
