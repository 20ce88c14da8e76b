/**
 * Where the timeline gets sessions from: the trace as written (after redaction and
 * exclusion), never anything else. A small interface of the timeline's own, so the view
 * does not depend on how traces are read.
 *
 * How it maps to the streaming trace reader (src/trace/reader…, `openTraceSource(paths)`),
 * for the integrator:
 * - `list()`    ← `openTraceSource(paths).index()`: each indexed session becomes a
 *                 SessionSummary `{ id, workspace, firstTs, lastTs, events: <event count> }`
 *                 (`folders` and `goal` when the index has them; the timeline fills them in
 *                 once a session is loaded).
 * - `load(id, onChunk, onProblem, signal)` ← iterate `openTraceSource(paths).sessions()`
 *                 (with the same `onProblem` callback: each problem the reader reports is
 *                 passed on) until the `TraceSession` whose `id` is `id`, hand its `events`
 *                 to `onChunk` (in one call, or in slices if the reader offers them), stop
 *                 early when `signal` is aborted, and resolve with the reader's one-line
 *                 problem summary, if any. An unknown id loads nothing (no error): the live
 *                 session may not be written yet.
 * `paths` are the local trace files (worktrace.file.directory, or `traces` in the global
 * storage).
 */
import type { TraceEvent } from '../trace/events';
import type { SessionSummary } from './protocol';

/** A part of the trace that could not be read. */
export interface LibraryProblem {
  message: string;
  file?: string;
  line?: number;
}

export interface LoadResult {
  /** One line saying what could not be read (the reader's summary), when something could not. */
  problemSummary?: string;
}

export interface SessionLibrary {
  /** The sessions that can be shown, any order. */
  list(): Promise<SessionSummary[]>;
  /**
   * Reads one session: its events, in `seq` order, deduplicated by `id`, in one or more
   * calls of `onChunk`; damage is reported through `onProblem` and reading goes on past it.
   */
  load(id: string, onChunk: (events: readonly TraceEvent[]) => void, onProblem: (problem: LibraryProblem) => void, signal?: AbortSignal): Promise<LoadResult | void>;
}

/** A library over sessions held in memory (tests, the benchmark, a host that read them already). */
export class MemoryLibrary implements SessionLibrary {
  constructor(
    private readonly sessions: readonly { id: string; workspace: string; firstTs: number; lastTs: number; events: readonly TraceEvent[] }[],
    private readonly problems: ReadonlyMap<string, { problems: LibraryProblem[]; summary: string }> = new Map(),
    private readonly sliceSize = 10_000,
  ) {}

  list(): Promise<SessionSummary[]> {
    return Promise.resolve(this.sessions.map((s) => ({ id: s.id, workspace: s.workspace, firstTs: s.firstTs, lastTs: s.lastTs, events: s.events.length })));
  }

  async load(id: string, onChunk: (events: readonly TraceEvent[]) => void, onProblem: (problem: LibraryProblem) => void, signal?: AbortSignal): Promise<LoadResult | void> {
    const session = this.sessions.find((s) => s.id === id);
    if (!session) {
      return;
    }
    const damage = this.problems.get(id);
    for (const p of damage?.problems ?? []) {
      onProblem(p);
    }
    for (let i = 0; i < session.events.length; i += this.sliceSize) {
      if (signal?.aborted) {
        return;
      }
      onChunk(session.events.slice(i, i + this.sliceSize));
      await Promise.resolve(); // a reader yields between slices
    }
    return damage ? { problemSummary: damage.summary } : undefined;
  }
}
