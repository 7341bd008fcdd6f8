/**
 * Builds the agents' inbox into agent/dist/, as dashboard/build.ts builds the dashboard:
 *   inbox.js   src/index.ts and its modules in one minified script
 *   inbox.css  the page's stylesheet, minified
 * The server serves them under /agent/ and the page itself (inbox.html) at /agent.
 * Run directly with `tsx agent/build.ts` (`npm start` and the specs' setup run it first).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const AGENT_DIST = join(here, 'dist');

/** The dashboard's browsers (ES2019 syntax). */
const TARGET = ['es2019', 'chrome80', 'firefox78', 'safari14.1', 'edge80'];

/** Bundles the inbox; returns each written file with its size in bytes. */
export async function buildAgentInbox(outDir: string = AGENT_DIST): Promise<Array<{ file: string; bytes: number }>> {
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
  if (!script) throw new Error('esbuild produced no output for agent/src/index.ts');
  const css = await transform(await readFile(join(here, 'inbox.css'), 'utf8'), {
    loader: 'css',
    minify: true,
    target: TARGET,
  });
  const outputs: Array<[string, string]> = [
    ['inbox.js', script],
    ['inbox.css', css.code],
  ];
  for (const [file, code] of outputs) await writeFile(join(outDir, file), code);
  return outputs.map(([file, code]) => ({ file, bytes: Buffer.byteLength(code) }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildAgentInbox().then(
    (files) => {
      for (const f of files) console.log(`agent/dist/${f.file.padEnd(10)} ${f.bytes} B`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
