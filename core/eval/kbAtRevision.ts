import { execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ValidationError } from '../errors.ts';

const run = promisify(execFile);

/**
 * Write the KB folder as it was at a git revision into `into` (read-only for
 * the repository: `git archive`, nothing checked out). A KB folder that did
 * not exist then gives an empty folder: every article is new.
 */
export async function kbAtRevision(kbDir: string, revision: string, into: string): Promise<void> {
  if (!/^[\w./~^@{}-]+$/.test(revision) || revision.startsWith('-'))
    throw new ValidationError(`'${revision}' is not a git revision`);
  const root = (
    await git(path.resolve(kbDir), ['rev-parse', '--show-toplevel']).catch((error: Error) => {
      if (error instanceof ValidationError) throw error;
      throw new ValidationError(`${kbDir} is not inside a git repository`);
    })
  ).trim();
  const rel = path.relative(root, path.resolve(kbDir)).split(path.sep).join('/') || '.';
  await git(root, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).catch(() => {
    throw new ValidationError(`'${revision}' is not a commit in ${root}`);
  });
  await mkdir(into, { recursive: true });
  const listed = await git(root, ['ls-tree', '-d', '--name-only', revision, '--', rel === '.' ? '.' : rel]);
  if (rel !== '.' && !listed.trim()) return;
  await new Promise<void>((resolve, reject) => {
    const archive = spawn('git', ['-C', root, 'archive', '--format=tar', revision, '--', rel], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const strip = rel === '.' ? [] : [`--strip-components=${rel.split('/').length}`];
    const tar = spawn('tar', ['-x', '-C', into, ...strip], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let errors = '';
    archive.stderr.on('data', (d) => (errors += String(d)));
    tar.stderr.on('data', (d) => (errors += String(d)));
    archive.on('error', reject);
    tar.on('error', reject);
    tar.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`could not extract ${rel} at ${revision}: ${errors.trim()}`)),
    );
  });
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    return (await run('git', ['-C', cwd, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ValidationError('git is not installed');
    throw error;
  }
}
