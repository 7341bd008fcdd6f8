import { readFileSync } from 'node:fs';

/** The calling thread's CPU time (user + system) in milliseconds, or null where /proc/thread-self is not there. */
export function threadCpuMs(): number | null {
  try {
    return cpuMsOfStat(readFileSync('/proc/thread-self/stat', 'latin1'));
  } catch {
    return null;
  }
}

/**
 * A /proc/…/stat line's utime + stime in milliseconds (fields 14 and 15, in
 * the kernel's user-visible ticks, 100 a second on Linux). Fields are counted
 * after the command name's closing parenthesis: the name may hold spaces.
 */
export function cpuMsOfStat(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : null;
}
