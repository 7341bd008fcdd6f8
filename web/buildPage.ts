/**
 * One way to build a static page's assets (the leads' dashboard, the agents'
 * inbox): its src/index.ts and modules bundled into one minified classic
 * script, its stylesheet minified, both written to the page's dist/.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';

/** Browsers a lead or an agent may open the pages in: the widget's list (ES2019 syntax). */
const TARGET = ['es2019', 'chrome80', 'firefox78', 'safari14.1', 'edge80'];

export interface PageAssets {
  /** The page's folder, holding src/index.ts and the stylesheet. */
  dir: string;
  /** The stylesheet's file name in `dir`. */
  stylesheet: string;
  /** The written files' names: the script and the stylesheet. */
  outputs: { script: string; stylesheet: string };
}

/** Bundles the page into `outDir`; returns each written file with its size in bytes. */
export async function buildPage(page: PageAssets, outDir: string): Promise<Array<{ file: string; bytes: number }>> {
  await mkdir(outDir, { recursive: true });
  const entry = join(page.dir, 'src/index.ts');
  const result = await build({
    entryPoints: [entry],
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
  if (!script) throw new Error(`esbuild produced no output for ${entry}`);
  const css = await transform(await readFile(join(page.dir, page.stylesheet), 'utf8'), {
    loader: 'css',
    minify: true,
    target: TARGET,
  });
  const outputs: Array<[string, string]> = [
    [page.outputs.script, script],
    [page.outputs.stylesheet, css.code],
  ];
  for (const [file, code] of outputs) await writeFile(join(outDir, file), code);
  return outputs.map(([file, code]) => ({ file, bytes: Buffer.byteLength(code) }));
}

/** Runs a page's build when its file is the command run (`tsx dashboard/build.ts`), printing what it wrote. */
export function buildWhenRun(
  moduleUrl: string,
  label: string,
  run: () => Promise<Array<{ file: string; bytes: number }>>,
) {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  run().then(
    (files) => {
      for (const f of files) console.log(`${label}/${f.file.padEnd(12)} ${f.bytes} B`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
