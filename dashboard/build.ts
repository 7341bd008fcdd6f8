/**
 * Builds the leads' dashboard into dashboard/dist/, as widget/build.ts builds the widget:
 *   reports.js   src/index.ts and its modules in one minified script
 *   reports.css  the page's stylesheet, minified
 * The server serves them under /dashboard/ and the page itself (reports.html) at /reports.
 * Run directly with `tsx dashboard/build.ts` (`npm start` and `npm test` run it first).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const DASHBOARD_DIST = join(here, 'dist');

/** Browsers a lead may open it in: the widget's list (ES2019 syntax). */
const TARGET = ['es2019', 'chrome80', 'firefox78', 'safari14.1', 'edge80'];

/** Bundles the dashboard; returns each written file with its size in bytes. */
export async function buildDashboard(outDir: string = DASHBOARD_DIST): Promise<Array<{ file: string; bytes: number }>> {
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(here, 'src/index.ts')],
    bundle: true,
    write: false,
    // A classic script, so the page needs no type="module" and nothing leaks into the global scope.
    format: 'iife',
    minify: true,
    target: TARGET,
    charset: 'utf8',
    legalComments: 'none',
  });
  const script = result.outputFiles[0]?.text;
  if (!script) throw new Error('esbuild produced no output for dashboard/src/index.ts');
  const css = await transform(await readFile(join(here, 'reports.css'), 'utf8'), {
    loader: 'css',
    minify: true,
    target: TARGET,
  });
  const outputs: Array<[string, string]> = [
    ['reports.js', script],
    ['reports.css', css.code],
  ];
  for (const [file, code] of outputs) await writeFile(join(outDir, file), code);
  return outputs.map(([file, code]) => ({ file, bytes: Buffer.byteLength(code) }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildDashboard().then(
    (files) => {
      for (const f of files) console.log(`dashboard/dist/${f.file.padEnd(12)} ${f.bytes} B`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
