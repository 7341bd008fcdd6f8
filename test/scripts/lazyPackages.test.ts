import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileServer } from '../../scripts/compileServer.mjs';
import { activity } from '../bot/fakeChannel.ts';
import { startServerProcess } from '../helpers/child.ts';
import { postJson } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Packages a default start (no DATABASE_URL, REDIS_URL, IMAP_URL, OpenAI, SMTP) has no use for: each costs start-up CPU. */
const UNCONFIGURED = [
  'botbuilder', // loaded with the bot, on the first activity
  '@langchain/openai',
  '@langchain/core/messages',
  'imapflow',
  'postal-mime',
  'redis',
  'pg',
  'nodemailer', // loaded with the first mail
];

/**
 * The packages a compiled module loads when it is imported: its static
 * imports, and those of the chunks it imports statically, transitively.
 * What it imports dynamically (import()) is loaded only when that runs.
 */
function staticPackages(file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, specifier] of code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?"([^"]+)";?$/gm)) {
    if (specifier!.startsWith('.')) staticPackages(path.resolve(path.dirname(file), specifier!), seen, packages);
    else packages.add(specifier!);
  }
  return packages;
}

describe('a default start loads only the packages its config uses (issue #16)', function () {
  this.timeout(180_000);
  // Inside the checkout, so that the bundle finds node_modules as dist/server/main.mjs does.
  const outDir = path.join(ROOT, 'dist', `spec-lazy-${process.pid}`);
  const outFile = path.join(outDir, 'main.mjs');
  before(async () => {
    await compileServer({ outFile });
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('the compiled server imports none of the unconfigured packages at start', () => {
    const loaded = staticPackages(outFile);
    expect(loaded, 'the bundle should still import express at start').to.include('express');
    expect(UNCONFIGURED.filter((p) => loaded.has(p))).to.deep.equal([]);
  });

  it('the compiled server still answers the bot, loading it on the first activity', async () => {
    const tmp = tempDir();
    const server = await startServerProcess({ DATA_DIR: path.join(tmp.dir, 'data') }, 150_000, { entry: outFile });
    try {
      const res = await postJson(
        `${server.url}/api/messages`,
        activity({ deliveryMode: 'expectReplies', text: 'How do I reset my password?' }),
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.activities).to.have.length.greaterThan(0);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      tmp.cleanup();
    }
  });
});
