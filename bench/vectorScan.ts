import { loadavg } from 'node:os';
import { VectorScan } from '../core/search/vectorScan.ts';

/**
 * What VectorScan's `dot` costs in CPU, WebAssembly SIMD against the
 * JavaScript loop, rounds alternating (a shared machine's load moves between
 * runs): `npx tsx bench/vectorScan.ts [--sizes 683,7000,70000,700000]
 * [--rounds 3] [--nnz 44,150]`. 1,024 dimensions (the hashing embedder's);
 * random int8 rows and random queries of distinct dimensions with weights in
 * ±32767 (within the caller's bound). Also the CPU of filling the matrix
 * row by row with setRow (quantising is not counted: the rows are made
 * beforehand) and the memory each size takes.
 */
const DIMENSIONS = 1024;
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const sizes = arg('sizes', '683,7000,70000,700000').split(',').map(Number);
const nnzs = arg('nnz', '44,150').split(',').map(Number);
const rounds = Number(arg('rounds', '3'));

let seed = 7;
const random = (lo: number, hi: number) => {
  seed = (seed * 16807) % 2147483647;
  return lo + (seed % (hi - lo + 1));
};
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const load = () => loadavg()[0]!.toFixed(2);

/** CPU µs per call of `f`, over at least `budget` µs of CPU and 3 calls. */
function perCall(f: () => void, budget = 300_000): number {
  const started = cpuMicros();
  let calls = 0;
  let spent = 0;
  do {
    f();
    calls++;
    spent = cpuMicros() - started;
  } while (spent < budget || calls < 3);
  return spent / calls;
}

function queries(nnz: number, n: number): { dims: Int32Array; weights: Int32Array }[] {
  return Array.from({ length: n }, () => {
    const picked = new Set<number>();
    while (picked.size < nnz) picked.add(random(0, DIMENSIONS - 1));
    return {
      dims: Int32Array.from(picked),
      weights: Int32Array.from({ length: nnz }, () => random(-32767, 32767)),
    };
  });
}

const pool = Array.from({ length: 256 }, () => Int8Array.from({ length: DIMENSIONS }, () => random(-128, 127)));
const byNnz = new Map(nnzs.map((nnz) => [nnz, queries(nnz, 64)]));
console.log(`VectorScan, ${DIMENSIONS} dimensions, CPU µs per dot (load average at each line)`);
for (const rows of sizes) {
  let started = cpuMicros();
  const simd = new VectorScan(DIMENSIONS, rows);
  const allocated = cpuMicros() - started;
  started = cpuMicros();
  for (let r = 0; r < rows; r++) simd.setRow(r, pool[r % pool.length]!);
  const filled = cpuMicros() - started;
  const plain = new VectorScan(DIMENSIONS, rows, { kernel: false });
  plain.bytes().set(simd.bytes());
  console.log(
    `N ${rows}: memory ${simd.bytes().buffer.byteLength} bytes (${simd.kernel}), ` +
      `new ${(allocated / 1000).toFixed(1)} ms + setRow ${(filled / rows).toFixed(2)} µs/row = ${((allocated + filled) / 1000).toFixed(1)} ms CPU, load ${load()}`,
  );
  for (const [nnz, qs] of byNnz) {
    const q = qs[0]!;
    const a = [...simd.dot(q.dims, q.weights, nnz, rows)];
    const b = [...plain.dot(q.dims, q.weights, nnz, rows)];
    if (a.some((v, i) => v !== b[i])) throw new Error(`the two kernels differ at N ${rows}, nnz ${nnz}`);
  }
  for (let round = 0; round < rounds; round++)
    for (const scan of [simd, plain])
      for (const [nnz, qs] of byNnz) {
        let i = 0;
        const call = () => {
          const q = qs[i++ % qs.length]!;
          scan.dot(q.dims, q.weights, nnz, rows);
        };
        if (round === 0) perCall(call, 50_000); // tier-up (WebAssembly starts in its baseline compiler)
        const us = perCall(call, scan.kernel === 'js' && rows >= 700_000 ? 1_000_000 : 300_000);
        console.log(
          `  round ${round + 1} ${scan.kernel.padEnd(9)} nnz ${nnz}: ${us.toFixed(1)} µs/dot, load ${load()}`,
        );
      }
}
