import type { TraceEvent } from './events';

/**
 * One capture session of a trace, as the reader hands it on: its events deduplicated by
 * `id` (delivery is at-least-once; the first copy wins) and in `seq` order.
 */
export interface TraceSession {
  id: string;
  /** The workspace id of its events (the first event's, should a session mix several). */
  workspace: string;
  /** Smallest and largest `ts` of its events. */
  firstTs: number;
  lastTs: number;
  events: TraceEvent[];
}
