/**
 * Bench build only (esbuild `inject`, see bench/vscode/extensionBuild.ts): replaces the
 * free `setTimeout`, `setInterval` and `setImmediate` of Worktrace's bundles, and of nothing
 * else in the extension host, so the probe can say how often Worktrace's own timers fire
 * and how long their callbacks run. The released bundle has none of this.
 */
import { performance } from 'node:perf_hooks';

export interface TimerStats {
  /** Callbacks run since the last reset. */
  fires: number;
  /** Longest callback, in milliseconds of wall time (which includes any time the OS gave the core to another process). */
  longestMs: number;
  /**
   * Longest callback in milliseconds of the extension host's CPU time (process.cpuUsage: user +
   * system, all its threads), which does not count the time other processes held the core.
   */
  longestCpuMs: number;
  /** Sum of all callbacks, in milliseconds of wall time and of the process's CPU time meanwhile. */
  totalMs: number;
  totalCpuMs: number;
  /** With --profile: fires per place the timer was set (the first frame in Worktrace's code). */
  origins?: Record<string, number>;
  /** With --profile: where the longest callback's timer was set, and the one that took the most CPU time. */
  longestOrigin?: string;
  longestCpuOrigin?: string;
}

/**
 * One record for the whole extension host: the shim is injected into each bundle of the bench
 * build (the entry and the recorder), and the probe in the entry reads what both counted.
 */
const shared = globalThis as { __worktraceBenchTimers?: TimerStats };
export const timerStats: TimerStats = (shared.__worktraceBenchTimers ??= { fires: 0, longestMs: 0, longestCpuMs: 0, totalMs: 0, totalCpuMs: 0 });
const traceOrigins = process.env.WORKTRACE_BENCH_CPU_PROFILE !== undefined;

export function resetTimerStats(): void {
  timerStats.fires = 0;
  timerStats.longestMs = 0;
  timerStats.longestCpuMs = 0;
  timerStats.totalMs = 0;
  timerStats.totalCpuMs = 0;
  timerStats.origins = traceOrigins ? {} : undefined;
  timerStats.longestOrigin = undefined;
  timerStats.longestCpuOrigin = undefined;
}

/** Where the timer is being set: the caller's frame (a stack is taken only when profiling). */
function origin(): string | undefined {
  return traceOrigins ? (new Error().stack?.split('\n')[4] ?? '?').trim() : undefined;
}

type Callback = (...args: unknown[]) => void;

function measured(callback: Callback): Callback {
  const from = origin();
  return function (this: unknown, ...args: unknown[]): void {
    if (from !== undefined && timerStats.origins) timerStats.origins[from] = (timerStats.origins[from] ?? 0) + 1;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    try {
      callback.apply(this, args);
    } finally {
      const took = performance.now() - started;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (cpuMs > timerStats.longestCpuMs) {
        timerStats.longestCpuMs = cpuMs;
        timerStats.longestCpuOrigin = from;
      }
      timerStats.totalCpuMs += cpuMs;
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
