/**
 * Builds the embeddable widget into widget/dist/:
 *   widget.js      the loader a host page includes (launcher + window.Deflect)
 *   widget-app.js  the conversation UI, fetched on first use
 *   playground.js  the script of the /widget/playground page (not part of the widget budget)
 * Run directly with `tsx widget/build.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform, type BuildOptions, type Plugin } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = join(here, 'dist');

/** Browsers the bundle must run in: ES2019 syntax, with the widget's DOM APIs. */
const TARGET = ['es2019', 'chrome80', 'firefox78', 'safari14.1', 'edge80'];

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles and minifies the widget; returns each written file with its raw and gzipped size. */
export async function buildWidget(outDir: string = DIST_DIR): Promise<BuiltFile[]> {
  await mkdir(outDir, { recursive: true });
  const app = await bundle('src/app/index.ts', {});
  // The loader asks for the app by content hash, so caches never mix two versions.
  const version = createHash('sha256').update(app).digest('hex').slice(0, 10);
  const loader = await bundle('src/loader/index.ts', { __APP_VERSION__: JSON.stringify(version) });
  const playground = await bundle('src/playground/index.ts', {});
  const outputs: Array<[string, string]> = [
    ['widget.js', loader],
    ['widget-app.js', app],
    ['playground.js', playground],
  ];
  const built: BuiltFile[] = [];
  for (const [file, code] of outputs) {
    await writeFile(join(outDir, file), code);
    built.push({ file, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length });
  }
  return built;
}

async function bundle(entry: string, define: Record<string, string>): Promise<string> {
  const options: BuildOptions = {
    entryPoints: [join(here, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    target: TARGET,
    charset: 'utf8',
    legalComments: 'none',
    define,
    plugins: [cssText],
  };
  const result = await build(options);
  const out = result.outputFiles?.[0];
  if (!out) throw new Error(`esbuild produced no output for ${entry}`);
  return out.text;
}

/** Imports .css files as minified strings, adopted into the shadow root at runtime. */
const cssText: Plugin = {
  name: 'css-text',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { code } = await transform(source, { loader: 'css', minify: true, target: TARGET });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: 'js' };
    });
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWidget().then(
    (files) => {
      for (const f of files) console.log(`widget/dist/${f.file.padEnd(14)} ${f.bytes} B, ${f.gzipBytes} B gzipped`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
