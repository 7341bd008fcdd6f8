/**
 * `npm start`'s prestart step for the browser pages: the widget, the leads'
 * dashboard and the agents' inbox are built (`tsx widget/build.ts`, …, each
 * a process of its own: 2–3 s of CPU together) only when one of their
 * sources is newer than their oldest built file, or a build is missing.
 * Plain JavaScript, so that a start with current pages starts no tsx at all.
 *
 *   node scripts/buildPagesWhenStale.mjs
 */
import { spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Each page's folder: its build is `<page>/build.ts`, its output `<page>/dist/`. */
export const PAGES = ['widget', 'dashboard', 'agent'];
/** What the pages' bundles read besides their own folders (and esbuild's version, through the lock file). */
const SHARED_SOURCES = ['web', 'core/contracts', 'package-lock.json'];

/** Why the pages must be built again under `root`, or null when every built file is newer than every source. */
export async function pagesStaleness(root = ROOT) {
  let oldestOutput = Infinity;
  for (const page of PAGES) {
    const outputs = await files(path.join(root, page, 'dist'));
    if (!outputs.length) return `${page}/dist is missing`;
    for (const f of outputs) oldestOutput = Math.min(oldestOutput, (await stat(f)).mtimeMs);
  }
  const sources = [...PAGES, ...SHARED_SOURCES].map((p) => path.join(root, p));
  for (const source of sources)
    for (const f of await files(source))
      if ((await stat(f)).mtimeMs > oldestOutput) return `${path.relative(root, f)} changed`;
  return null;
}

/** Every file under `p` (or `p` itself), leaving out built folders; none when it does not exist. */
async function files(p) {
  const s = await stat(p).catch(() => null);
  if (!s) return [];
  if (!s.isDirectory()) return [p];
  const out = [];
  for (const entry of await readdir(p, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || (entry.isDirectory() && entry.name === 'dist')) continue;
    out.push(...(await files(path.join(p, entry.name))));
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const reason = await pagesStaleness();
  if (reason) {
    console.log(`building the pages (${reason})`);
    for (const page of PAGES) {
      const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
      const r = spawnSync(tsx, [`${page}/build.ts`], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
}
