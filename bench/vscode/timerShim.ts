/**
 * Bench build only (esbuild `inject`, see bench/vscode/extensionBuild.ts): replaces the
 * free `setTimeout`, `setInterval` and `setImmediate` of Worktrace's bundles, and of nothing
 * else in the extension host, so the probe can say how often Worktrace's own timers fire
 * and how long their callbacks run. The released bundle has none of this.
 */
import { performance } from 'node:perf_hooks';
import { noteBlock } from './turns';
import { traceOrigins } from './origins';

export interface TimerStats {
  /** Callbacks run since the last reset. */
  fires: number;
  /** Longest callback, in milliseconds of wall time (which includes any time the OS gave the core to another process). */
  longestMs: number;
  /**
   * Longest block a callback caused on the extension host's thread: the smaller of its wall time
   * and the process's CPU time meanwhile (process.cpuUsage: user + system, all threads), as in
   * ListenerStats.longestBlockMs.
   */
  longestBlockMs: number;
  /** Sum of all callbacks, in milliseconds of wall time and of the process's CPU time meanwhile. */
  totalMs: number;
  totalCpuMs: number;
  /** Sum over the callbacks of min(wall, process CPU): a bound on the thread's own time in them that neither other processes nor other threads inflate alone. */
  totalBlockMs: number;
  /** With --profile (unless WORKTRACE_BENCH_ORIGINS=0) or WORKTRACE_BENCH_ORIGINS=1: fires per place the timer was set (the first frame in Worktrace's code). */
  origins?: Record<string, number>;
  /** With --profile or WORKTRACE_BENCH_ORIGINS: where the longest callback's timer was set, in wall time and as a block (longestBlockMs). */
  longestOrigin?: string;
  longestBlockOrigin?: string;
}

/**
 * One record for the whole extension host: the shim is injected into each bundle of the bench
 * build (the entry and the recorder), and the probe in the entry reads what both counted.
 */
const shared = globalThis as { __worktraceBenchTimers?: TimerStats };
export const timerStats: TimerStats = (shared.__worktraceBenchTimers ??= { fires: 0, longestMs: 0, longestBlockMs: 0, totalMs: 0, totalCpuMs: 0, totalBlockMs: 0 });

export function resetTimerStats(): void {
  timerStats.fires = 0;
  timerStats.longestMs = 0;
  timerStats.longestBlockMs = 0;
  timerStats.totalMs = 0;
  timerStats.totalCpuMs = 0;
  timerStats.totalBlockMs = 0;
  timerStats.origins = traceOrigins ? {} : undefined;
  timerStats.longestOrigin = undefined;
  timerStats.longestBlockOrigin = undefined;
}

/**
 * Where the timer is being set: the caller's frame and the one before it (a wrapper such as a
 * clock's setTimeout would name only itself); a stack is taken only when asked for.
 */
function origin(): string | undefined {
  if (!traceOrigins) return undefined;
  const frames = (new Error().stack ?? '').split('\n').slice(4, 6).map((f) => f.trim().replace(/^at /, '').replace(/\(.*[\\/]/, '('));
  return frames.join(' ← ') || '?';
}

type Callback = (...args: unknown[]) => void;

function measured(callback: Callback): Callback {
  const from = origin();
  return function (this: unknown, ...args: unknown[]): void {
    if (from !== undefined && timerStats.origins) timerStats.origins[from] = (timerStats.origins[from] ?? 0) + 1;
    // The process's CPU is read before the clock starts: reading it (getrusage, summed over
    // every thread of the process) is not the callback's time, and right after VS Code's own
    // work it took tens of microseconds, five to ten times what Worktrace's listeners took in a replace.
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    try {
      callback.apply(this, args);
    } finally {
      const took = performance.now() - started;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const blockMs = Math.min(took, cpuMs); // see TimerStats.longestBlockMs
      if (blockMs > timerStats.longestBlockMs) {
        timerStats.longestBlockMs = blockMs;
        timerStats.longestBlockOrigin = from;
      }
      timerStats.totalCpuMs += cpuMs;
      timerStats.totalBlockMs += blockMs;
      noteBlock(blockMs, from !== undefined ? `a timer set ${from}` : 'a timer', started, started + took);
      timerStats.fires++;
      timerStats.totalMs += took;
      if (took > timerStats.longestMs) {
        timerStats.longestMs = took;
        timerStats.longestOrigin = from;
      }
    }
  };
}

const real = { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval, setImmediate: globalThis.setImmediate };

function benchSetTimeout(callback: Callback, ms?: number, ...args: unknown[]): NodeJS.Timeout {
  return real.setTimeout(measured(callback), ms, ...args);
}

function benchSetInterval(callback: Callback, ms?: number, ...args: unknown[]): NodeJS.Timeout {
  return real.setInterval(measured(callback), ms, ...args);
}

function benchSetImmediate(callback: Callback, ...args: unknown[]): NodeJS.Immediate {
  return real.setImmediate(measured(callback), ...args);
}

export { benchSetTimeout as setTimeout, benchSetInterval as setInterval, benchSetImmediate as setImmediate };
