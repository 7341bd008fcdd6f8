import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DeflectError } from '../errors.ts';

export class DataDirLockedError extends DeflectError {
  override name = 'DataDirLockedError';
  constructor(dir: string, pid: number) {
    super(
      'data_dir_locked',
      `the data directory ${dir} is in use by another Deflect process (pid ${pid}); stop it or set DATA_DIR to another folder`,
    );
  }
}

/**
 * One writer per data directory: a lock file holding the owner's pid,
 * created exclusively. A lock left by a process that no longer runs is taken over.
 */
export async function lockDataDir(dir: string, name = 'deflect'): Promise<() => Promise<void>> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await fs.rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && isAlive(pid)) throw new DataDirLockedError(dir, pid);
      await fs.rm(file, { force: true });
    }
  }
  throw new DeflectError('data_dir_locked', `could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
