import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { startServerProcess } from '../helpers/child.ts';
import { postJson } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * A full disk, for real: the data directory is a tiny tmpfs. Writes must fail
 * with 503 and leave what was stored before intact. Mounting needs root (CI
 * runs as root); elsewhere the test says why it is skipped.
 */
describe('disk full', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof tempDir>;
  let mount: string;

  before(function () {
    tmp = tempDir();
    mount = path.join(tmp.dir, 'data');
    mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount], { stdio: 'pipe' });
    } catch (error) {
      console.log(`      (skipped: cannot mount a tmpfs here: ${(error as Error).message.split('\n')[0]})`);
      tmp.cleanup();
      this.skip();
    }
  });
  after(() => {
    if (!mount) return;
    try {
      execFileSync('umount', [mount], { stdio: 'pipe' });
    } catch {
      // not mounted
    }
    tmp?.cleanup();
  });

  it('answers 503 on writes when the disk is full and keeps the old data intact', async () => {
    const kb = path.join(tmp.dir, 'kb');
    writeKb(kb, { 'a.md': buildArticle({ id: 'a', title: 'Set up the VPN', questions: ['how do I set up the VPN'] }) });
    const server = await startServerProcess({ DATA_DIR: mount, KB_DIR: kb });
    try {
      const first = await postJson(`${server.url}/api/tickets`, { email: 'before@example.com' });
      expect(first.status).to.equal(201);
      const before = readFileSync(path.join(mount, 'tickets.json'), 'utf8');
      // Fill the disk to the last byte.
      const filler = path.join(mount, 'filler');
      try {
        writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
      } catch {
        // ENOSPC: as much as fits was written
      }
      const ticket = await postJson(`${server.url}/api/tickets`, {
        email: 'during@example.com',
        description: 'x'.repeat(4000),
      });
      expect(ticket.status).to.equal(503);
      expect(ticket.body.error.code).to.equal('unavailable');
      // The event file's last page may still have room for a question or two; those are stored and acknowledged.
      const statuses: number[] = [];
      for (let i = 0; i < 10 && !statuses.includes(503); i++)
        statuses.push(
          (await postJson(`${server.url}/api/ask`, { question: 'how do I set up the VPN? '.repeat(40) })).status,
        );
      expect(statuses).to.include(503);
      expect(statuses.filter((x) => x !== 200 && x !== 503)).to.deep.equal([]);
      expect(readFileSync(path.join(mount, 'tickets.json'), 'utf8')).to.equal(before);
      // Space comes back: service comes back, without a restart.
      rmSync(filler);
      const after = await postJson(`${server.url}/api/tickets`, { email: 'after@example.com' });
      expect(after.status).to.equal(201);
      expect(after.body.id).to.equal('T-000002');
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
});
