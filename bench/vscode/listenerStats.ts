/**
 * Bench build only: the record of Worktrace's listeners of VS Code's events, kept by
 * vscodeShim.ts in the recorder's bundle and read and reset by probe.ts in the entry's. One
 * object for the whole extension host, shared through globalThis, so the entry need not load
 * `vscode` to read it.
 */
export interface ListenerStats {
  calls: number;
  /** Sum of the listeners' wall time and of the process's CPU time meanwhile (ms). */
  totalMs: number;
  totalCpuMs: number;
  /** Sum over the calls of min(wall, process CPU): a bound on the thread's own time in them (see longestBlockMs). */
  totalBlockMs: number;
  /** The longest call in wall time, and which event. */
  longestMs: number;
  longestEvent?: string;
  /**
   * The longest block a call caused on the extension host's thread, as the smaller of its wall
   * time (which counts time the OS gave the core to another process) and the process's CPU time
   * meanwhile (which counts the process's other threads: the garbage collector's helpers, file
   * I/O): the thread's own time is at most either. Node 20 has no per-thread CPU clock.
   */
  longestBlockMs: number;
  /** The event of that call. */
  longestBlockEvent?: string;
  /** CPU ms by event. */
  byEvent: Record<string, number>;
}

const empty = (): ListenerStats => ({ calls: 0, totalMs: 0, totalCpuMs: 0, totalBlockMs: 0, longestMs: 0, longestBlockMs: 0, byEvent: {} });

const shared = globalThis as { __worktraceBenchListeners?: ListenerStats; __worktraceBenchTwins?: ListenerStats };

/** The one record of this extension host. */
export function listenerStats(): ListenerStats {
  return (shared.__worktraceBenchListeners ??= empty());
}

/**
 * The record of the no-op twins (vscodeShim.ts): for each listener Worktrace subscribes, the
 * shim subscribes one that does nothing to the same event, right after it, timed the same way.
 * What the twins measure is the floor of the measurement on this machine: the shim's own cost,
 * and the garbage collector's and the OS's pauses that land in a callback whatever it does.
 */
export function twinStats(): ListenerStats {
  return (shared.__worktraceBenchTwins ??= empty());
}

/** Starts counting afresh (the same objects: the shim keeps references). */
export function resetListenerStats(): void {
  for (const s of [listenerStats(), twinStats()]) {
    delete s.longestEvent;
    delete s.longestBlockEvent;
    Object.assign(s, empty());
  }
}
