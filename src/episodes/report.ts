/**
 * What the episode builder tells its caller besides the episodes: counters (a report the
 * caller passes in and reads afterwards) and problems (one callback per problem). Plain
 * Node; never imports `vscode`.
 */

/** Why an event was left out of every episode. */
export type SkipReason =
  /** a `kind` that src/trace/events.ts does not know (a newer writer, or garbage) */
  | 'unknown-kind'
  /** a `schema` other than `worktrace/1` */
  | 'newer-schema'
  /** a body (or envelope) whose fields have the wrong types */
  | 'malformed'
  /** an `id` already seen in its session */
  | 'duplicate';

export const SKIP_REASONS: readonly SkipReason[] = ['unknown-kind', 'newer-schema', 'malformed', 'duplicate'];

/** Counters of one build; pass a fresh one ({@link newBuildReport}) and read it when the build is done. */
export interface BuildReport {
  /** Sessions read. */
  sessions: number;
  /** Events read (skipped ones included). */
  events: number;
  /** Episodes emitted. */
  episodes: number;
  /** Episodes emitted with `exact: false`. */
  notExact: number;
  /** Episodes found but not emitted because they have no step. */
  empty: number;
  /** Events skipped, by reason. */
  skipped: Record<SkipReason, number>;
}

export function newBuildReport(): BuildReport {
  return { sessions: 0, events: 0, episodes: 0, notExact: 0, empty: 0, skipped: { 'unknown-kind': 0, 'newer-schema': 0, malformed: 0, duplicate: 0 } };
}

/** Something the builder could not use as it is; building carries on. */
export interface EpisodeProblem {
  /**
   * - a {@link SkipReason}: the event was skipped;
   * - `goal`: a `goal.end` that matches no open task (kept as a plain event);
   * - `order`: sessions of one workspace that are not together in the input (each run of them is built on its own);
   * - `replay`: a warning of the replayer (e.g. an edit that does not fit the replayed text);
   * - `inexact`: an episode whose patch is not exact (`message` says which file and why; also in `episode.problems`).
   */
  reason: SkipReason | 'goal' | 'order' | 'replay' | 'inexact';
  message: string;
  workspace: string;
  session?: string;
  seq?: number;
  /** The event's id, when it has one. */
  eventId?: string;
  /** The event's kind, when it has one. */
  kind?: string;
  /** The episode concerned (`inexact`). */
  episode?: string;
}
