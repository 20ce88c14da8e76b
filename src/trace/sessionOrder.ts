/**
 * The order in which a trace is handed on: sessions grouped by workspace, each session's
 * events deduplicated by id and in `seq` order. The streaming source and the in-memory
 * helpers (`readTrace`, `replayTrace`) both use these functions. Plain Node.
 */
import type { TraceEvent } from './events';
import type { TraceSession } from './session';

/** What a session is ordered by. */
export interface SessionKey {
  id: string;
  workspace: string;
  firstTs: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts sessions by workspace (workspaces by their earliest session's `firstTs`, then by
 * workspace id), then by `firstTs`, then by session id. A consumer can carry per-workspace
 * state from session to session and finish a workspace when the next one begins.
 */
export function sortSessions<T extends SessionKey>(sessions: readonly T[]): T[] {
  const workspaceStart = new Map<string, number>();
  for (const s of sessions) {
    const start = workspaceStart.get(s.workspace);
    if (start === undefined || s.firstTs < start) {
      workspaceStart.set(s.workspace, s.firstTs);
    }
  }
  const startOf = (s: T): number => workspaceStart.get(s.workspace) ?? s.firstTs;
  return [...sessions].sort(
    (a, b) => startOf(a) - startOf(b) || compareText(a.workspace, b.workspace) || a.firstTs - b.firstTs || compareText(a.id, b.id),
  );
}

/**
 * One session's events as handed on: the first copy of each id kept (delivery is
 * at-least-once), then sorted by `seq`; equal seqs keep their reading order.
 */
export function orderSessionEvents(events: readonly TraceEvent[]): { events: TraceEvent[]; duplicates: number } {
  const seen = new Set<string>();
  const kept: TraceEvent[] = [];
  for (const event of events) {
    if (!seen.has(event.id)) {
      seen.add(event.id);
      kept.push(event);
    }
  }
  kept.sort((a, b) => a.seq - b.seq); // Array.prototype.sort is stable
  return { events: kept, duplicates: events.length - kept.length };
}

/** A session built from its ordered events: workspace of the first, smallest and largest `ts`. */
export function sessionOf(id: string, ordered: TraceEvent[]): TraceSession {
  let firstTs = Infinity;
  let lastTs = -Infinity;
  for (const e of ordered) {
    firstTs = Math.min(firstTs, e.ts);
    lastTs = Math.max(lastTs, e.ts);
  }
  return { id, workspace: ordered[0]?.workspace ?? '', firstTs: ordered.length > 0 ? firstTs : 0, lastTs: ordered.length > 0 ? lastTs : 0, events: ordered };
}

/**
 * Groups events (in any order) into sessions with {@link orderSessionEvents}, sorted with
 * {@link sortSessions}. For traces held in memory; the streaming source does the same one
 * session at a time.
 */
export function groupSessions(events: readonly TraceEvent[]): TraceSession[] {
  const bySession = new Map<string, TraceEvent[]>();
  for (const event of events) {
    let list = bySession.get(event.session);
    if (list === undefined) {
      bySession.set(event.session, (list = []));
    }
    list.push(event);
  }
  return sortSessions([...bySession].map(([id, list]) => sessionOf(id, orderSessionEvents(list).events)));
}

/** The events of {@link groupSessions}, flattened: the order replay consumes them in. */
export function orderEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return groupSessions(events).flatMap((s) => s.events);
}
