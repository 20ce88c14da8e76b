/**
 * What the bench reads of processes from outside, through /proc (Linux): the extension hosts
 * code-server started, their CPU time (their own and that of children they waited for, such
 * as git processes Worktrace runs) and resident memory.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Pids of the running extension host processes. */
export function extensionHostPids(): Set<number> {
  const pids = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes('--type=extensionHost')) pids.add(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

/** A `stat` file of /proc (a process's or a thread's): its name and its CPU times in milliseconds. */
function readStat(file: string): { name: string; ownMs: number; childrenMs: number } {
  const stat = readFileSync(file, 'utf8');
  // Fields after the name (which may hold spaces and parentheses) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = [fields[11], fields[12], fields[13], fields[14]].map(Number);
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ownMs: ((utime + stime) * 1000) / TICKS_PER_SECOND, childrenMs: ((cutime + cstime) * 1000) / TICKS_PER_SECOND };
}

/** CPU time of the process in milliseconds: user + system, its own and its waited-for children's. */
export function cpuMs(pid: number): number {
  const { ownMs, childrenMs } = readStat(`/proc/${pid}/stat`);
  return ownMs + childrenMs;
}

/**
 * CPU time of the process's main thread in milliseconds (user + system; the thread whose id is
 * the pid): the extension host's event loop, where every extension's handlers run, without the
 * process's other threads (the garbage collector's helpers, the file I/O pool).
 */
export function mainThreadCpuMs(pid: number): number {
  return readStat(`/proc/${pid}/task/${pid}/stat`).ownMs;
}

/**
 * CPU time of the process's threads (ms): `main` (the event loop), the others summed by thread
 * name (in Node 20 the file I/O pool and the garbage collector's helpers are all named `node`).
 * Threads that ended meanwhile are missing; for a breakdown, not a total.
 */
export function threadCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const thread = readStat(`/proc/${pid}/task/${tid}/stat`);
      const name = tid === String(pid) ? 'main' : `${thread.name} (other threads)`;
      byName.set(name, (byName.get(name) ?? 0) + thread.ownMs);
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return byName;
}

/** Resident memory of the process in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the process is idle: CPU below `busyFraction` (2 %) over `windowMs`, twice in a row (at most
 * `maxMs`). Resolves the moment the idleness began (ms since epoch), so a caller can time
 * "until the workbench is idle again" without the windows it took to be sure.
 */
export async function idleAgain(pids: number[], { windowMs = 300, maxMs = 60_000, busyFraction = 0.02 } = {}): Promise<number> {
  const started = Date.now();
  let quietSince: number | undefined;
  let quietWindows = 0;
  let last = pids.map(cpuMs);
  for (;;) {
    const windowStart = Date.now();
    await sleep(windowMs);
    const now = pids.map(cpuMs);
    const busy = now.some((v, i) => v - last[i] > windowMs * busyFraction + 10); // one tick of slack
    last = now;
    if (busy) {
      quietSince = undefined;
      quietWindows = 0;
    } else {
      quietSince ??= windowStart;
      if (++quietWindows >= 2) return quietSince;
    }
    if (Date.now() - started > maxMs) return Date.now();
  }
}
