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
  /** The longest call: wall ms, CPU ms, and which event. */
  longestMs: number;
  longestCpuMs: number;
  longestEvent?: string;
  /** The event whose listener took the most CPU time. */
  longestCpuEvent?: string;
  /** CPU ms by event. */
  byEvent: Record<string, number>;
}

const empty = (): ListenerStats => ({ calls: 0, totalMs: 0, totalCpuMs: 0, longestMs: 0, longestCpuMs: 0, byEvent: {} });

const shared = globalThis as { __worktraceBenchListeners?: ListenerStats };

/** The one record of this extension host. */
export function listenerStats(): ListenerStats {
  return (shared.__worktraceBenchListeners ??= empty());
}

/** Starts counting afresh (the same object: the shim keeps a reference). */
export function resetListenerStats(): void {
  const s = listenerStats();
  delete s.longestEvent;
  delete s.longestCpuEvent;
  Object.assign(s, empty());
}
