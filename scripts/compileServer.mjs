/**
 * `npm start`'s prestart step: server/main.ts and everything it imports,
 * bundled by esbuild into dist/server/main.mjs (git-ignored), so the server
 * starts on plain JavaScript instead of having tsx transpile some 280 files
 * at every start (about two seconds of CPU, half a warm start on the sample
 * KB). Packages stay in node_modules (`packages: 'external'`).
 *
 * Compiles only when a source changed: the bundle's inputs, with their sizes
 * and modification times, are kept beside it (inputs.json), and a start whose
 * sources all match skips esbuild. Plain JavaScript, so it runs before
 * anything is compiled; the specs and the other commands keep running on tsx.
 *
 *   node scripts/compileServer.mjs            compile when stale, print what it did
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'server/main.ts');
/** The compiled server, which `npm start` runs. */
export const SERVER_BUNDLE = path.join(ROOT, 'dist/server/main.mjs');
/**
 * Worker threads' (and the child index build's) entries, compiled beside the bundle under these names: the
 * server starts them from there (core/indexing/termModelWorkerUrl.mjs,
 * foldClassifierWorkerUrl.mjs, core/answers/threads/engineWorkerUrl.mjs, core/indexing/child/indexChildUrl.mjs), without tsx, which the sources' bootstraps
 * of the same names register.
 */
const WORKERS = {
  termModelWorker: path.join(ROOT, 'core/indexing/termModelWorker.ts'),
  rivalsWorker: path.join(ROOT, 'core/indexing/rivalsWorker.ts'),
  foldClassifierWorker: path.join(ROOT, 'core/indexing/foldClassifierWorker.ts'),
  engineWorker: path.join(ROOT, 'core/answers/threads/engineWorker.ts'),
  indexChild: path.join(ROOT, 'core/indexing/child/indexChild.ts'),
};

/**
 * Compiles `entry` into `outFile` unless the bundle is current.
 * Returns whether it compiled, and why.
 */
export async function compileServer({ entry = ENTRY, outFile = SERVER_BUNDLE } = {}) {
  const stampFile = `${outFile}.inputs.json`;
  const reason = await staleness(outFile, stampFile);
  if (!reason) return { compiled: false, reason: 'current' };
  // Imported here: a start with a current bundle does not load esbuild at all.
  const { build } = await import('esbuild');
  const outDir = path.dirname(outFile);
  // Built beside the bundle, then moved in: a server starting meanwhile never sees half a bundle.
  const tmpDir = path.join(outDir, `.build-${process.pid}`);
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  const entryName = path.basename(outFile, '.mjs');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { ...WORKERS, [entryName]: entry },
    outdir: tmpDir,
    outExtension: { '.js': '.mjs' },
    // What a dynamic import() loads (the bot, e-mail, PostgreSQL, Redis, OpenAI adapters) becomes a chunk of its
    // own, and the packages it imports load with it: a server loads only what its config uses.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceLocations(outDir)],
  });
  const inputs = {};
  // Besides the sources: what decides how they compile (tsconfig, esbuild's version, this script).
  const settings = ['tsconfig.json', 'package-lock.json', 'scripts/compileServer.mjs'];
  for (const file of [...Object.keys(result.metafile.inputs), ...settings]) {
    const abs = path.resolve(ROOT, file);
    // A missing setting (a checkout without a lock file) is compared as missing: stale once it appears.
    const s = await stat(abs).catch(() => ({ size: -1, mtimeMs: -1 }));
    inputs[path.relative(outDir, abs)] = [s.size, s.mtimeMs];
  }
  // Chunks first, the entry last: chunks are named by their content, so one a running server may still load
  // is never replaced by other code, and the entry names only chunks already in place. Old chunks are left.
  const files = (await readdir(tmpDir)).sort(
    (a, b) => Number(a.startsWith(entryName)) - Number(b.startsWith(entryName)),
  );
  for (const file of files) await rename(path.join(tmpDir, file), path.join(outDir, file));
  await rm(tmpDir, { recursive: true, force: true });
  await writeFile(stampFile, JSON.stringify(inputs));
  return { compiled: true, reason };
}

/** Why the bundle must be compiled again, or null when every input is as it was compiled. */
async function staleness(outFile, stampFile) {
  let inputs;
  try {
    await stat(outFile);
    inputs = JSON.parse(await readFile(stampFile, 'utf8'));
  } catch {
    return 'no compiled server yet';
  }
  for (const [file, [size, mtimeMs]] of Object.entries(inputs)) {
    const s = await stat(path.resolve(path.dirname(outFile), file)).catch(() => ({ size: -1, mtimeMs: -1 }));
    if (s.size !== size || s.mtimeMs !== mtimeMs)
      return `${path.relative(ROOT, path.resolve(path.dirname(outFile), file))} changed`;
  }
  return null;
}

/**
 * Each module keeps the `import.meta.url` of its source file, as a URL
 * relative to the bundle: the code finds its worker scripts, the migrations
 * and the pages' assets beside its source (core/search/hnswBuildWorker.mjs,
 * migrations/postgres/), and the checkout can move.
 */
function sourceLocations(outDir) {
  return {
    name: 'source-locations',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        let contents = await readFile(args.path, 'utf8');
        if (contents.includes('import.meta.url')) {
          const relative = path.relative(outDir, args.path).split(path.sep).join('/');
          contents = contents.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
          );
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  compileServer().then(
    ({ compiled, reason }) => {
      if (compiled) console.log(`dist/server/main.mjs compiled (${reason})`);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
