/**
 * The episode: one piece of work from a task to its outcome, built from the trace (see
 * episodes/builder.ts). This is the `worktrace` export format, one JSON object per line;
 * `schema/worktrace-episode-1.schema.json` describes the same shape. Every other export
 * format (ATIF, OpenHands, chat messages, Chrome trace, Agent Trace) is written from it.
 *
 * Plain Node; never imports `vscode`.
 */
import type { Authorship, ChangeAttribution, ChangedFile, DiagnosticCounts, EditCause, GoalOutcome, LineRange, SourceLocation, TestOutcome, TracePath } from '../trace/events';

export const EPISODE_SCHEMA = 'worktrace-episode/1';

/** What the engineer set out to do. */
export interface EpisodeGoal {
  /** The engineer's words (explicit), or a description made from the trace (inferred, e.g. `Work on branch fix-login`). */
  text: string;
  url?: string;
  issue?: string;
  /** `explicit`: Start Task…; `inferred`: boundaries found in the trace. Never mixed up. */
  source: 'explicit' | 'inferred';
  /** For an inferred goal: what started it. */
  inferredFrom?: 'branch' | 'session' | 'commit' | 'idle' | 'goal-end';
  /** The `goalId` of an explicit task. */
  goalId?: string;
}

/** Why an episode began or ended. */
export type EpisodeBoundary =
  /** explicit */
  | 'goal.start'
  | 'goal.end'
  /** inferred */
  | 'branch'
  | 'commit-after-pass'
  | 'idle'
  | 'session.start'
  | 'session.end'
  /** the trace has no more events of this workspace */
  | 'trace-end';

/** A repository as the episode found it. */
export interface EpisodeRepo {
  root: string;
  head: string | null;
  branch: string | null;
}

/** A file the episode touches, as it was when the episode began. */
export interface BaseFile {
  path: TracePath;
  /** Whether `text` is the exact content at the episode's start. */
  known: boolean;
  text?: string;
  /** SHA-256 (hex) of the UTF-8 text, when known. */
  sha256?: string;
  /** Why the content is not known. */
  missing?: 'no-snapshot' | 'not-replayable' | 'binary' | 'too-large' | 'created';
}

interface StepBase {
  /** 0-based position in `steps`. */
  index: number;
  /** When the action began (epoch ms). */
  ts: number;
  durationMs: number;
  /** Session the step was recorded in. */
  session: string;
  /** Ids of the trace events the step was made from. */
  eventIds: string[];
}

export interface EditStepData extends StepBase {
  type: 'edit';
  action: { path: TracePath; diff: string; cause: EditCause; added: number; removed: number; edits: number };
  /** Diagnostics of that file that changed after the step, before the next step. */
  observation: { diagnostics: { path: TracePath; before: DiagnosticCounts; after: DiagnosticCounts; new: { severity: string; message: string; line: number; source?: string; code?: string }[] }[] };
}

export interface CommandStepData extends StepBase {
  type: 'command';
  action: { commandLine: string; cwd: string | null; terminal: string; shell?: string; program?: string };
  observation: { exitCode: number | null; output?: string; outputTruncated?: boolean; files?: ChangedFile[] };
  /** Indices of the edit steps this command ran after (its `after` links). */
  after: number[];
}

export interface TaskStepData extends StepBase {
  type: 'task';
  action: { name: string; source: string; group?: string };
  observation: { exitCode: number | null; files?: ChangedFile[] };
  after: number[];
}

export interface TestStepData extends StepBase {
  type: 'test';
  action: { runner: string; command: string; origin: 'terminal' | 'task' | 'debug' | 'test-api' };
  observation: { outcome: TestOutcome; passed?: number; failed?: number; skipped?: number; failing: string[]; transition?: 'fixed' | 'broke' };
  /** Index of the command, task or debug step the run was derived from. */
  source?: number;
  /** Indices of the edit steps the run tested. */
  after: number[];
  /** Index of the previous run of the same command in this episode (the one `transition` compares with). */
  previous?: number;
}

export interface DebugStepData extends StepBase {
  type: 'debug';
  action: { name: string; type: string; request: string; configuration?: Record<string, unknown> };
  observation: {
    stops: { ts: number; reason: string; description?: string; exception?: { message: string; frame?: { name: string; location?: SourceLocation } } }[];
    exitCode?: number | null;
    exception?: string;
    output?: string;
    /** False while the session had not ended when the episode ended. */
    ended: boolean;
  };
  after: number[];
}

export interface CommitStepData extends StepBase {
  type: 'commit';
  action: { repo: string; message: string; branch: string | null; amend: boolean; origin: 'scm' | 'terminal' | 'external' };
  observation: { sha: string; parents: string[]; files: { path: string; added: number | null; removed: number | null }[]; tests: number[]; lastTestPassed: boolean | null; authorship?: Authorship };
}

export interface CheckoutStepData extends StepBase {
  type: 'checkout';
  action: { repo: string; from: string | null; to: string | null };
  observation: { sha: string | null };
}

/** A change made on disk by a tool, agent or git (`file.change`). */
export interface FileChangeStepData extends StepBase {
  type: 'file-change';
  action: { by: ChangeAttribution };
  observation: { path: TracePath; change: 'created' | 'changed' | 'deleted'; diff?: string; added: number; removed: number; omitted?: 'binary' | 'too-large' };
}

/** Many files changed at once (`file.bulk`). */
export interface FileBulkStepData extends StepBase {
  type: 'file-bulk';
  action: { by: ChangeAttribution };
  observation: { count: number; created: number; changed: number; deleted: number; paths: TracePath[]; truncated: boolean };
}

/** What the engineer read (`editor.view`, coalesced). */
export interface ViewStepData extends StepBase {
  type: 'view';
  action: { path: TracePath };
  observation: { ranges: LineRange[] };
}

/** A jump (`editor.navigate`). */
export interface NavigateStepData extends StepBase {
  type: 'navigate';
  action: { from: SourceLocation | null; to: SourceLocation; via: string; trigger: string };
  observation: Record<never, never>;
}

/**
 * An event the builder carries as it is (its body without the envelope): `privacy.redacted`,
 * `capture.pause` / `capture.resume` / `capture.dropped`, `terminal.open`, `debug.breakpoints`,
 * `file.create` / `file.delete` / `file.rename`. Kinds that src/trace/events.ts does not know are
 * skipped and counted, not carried (their shape is not known, so they cannot be checked).
 */
export interface OtherStepData extends StepBase {
  type: 'event';
  action: { kind: string };
  observation: { data: Record<string, unknown> };
}

export type EpisodeStep =
  | EditStepData
  | CommandStepData
  | TaskStepData
  | TestStepData
  | DebugStepData
  | CommitStepData
  | CheckoutStepData
  | FileChangeStepData
  | FileBulkStepData
  | ViewStepData
  | NavigateStepData
  | OtherStepData;

export type StepType = EpisodeStep['type'];

export interface EpisodeOutcome {
  /** Explicit (goal.end) or inferred (`done` after a commit following a passing run; `unknown` otherwise). */
  status: GoalOutcome | 'unknown';
  source: 'explicit' | 'inferred';
  note?: string;
  /** Whether the last test run of the episode passed (null: no test run). */
  lastTestPassed: boolean | null;
  /** Whether a commit was made in the episode. */
  committed: boolean;
  /** Shas of the commits made in the episode, in order. */
  commits: string[];
  /**
   * The episode's final patch: base → end over every touched file, as a git-style unified
   * diff (`diff --git a/p b/p`, `--- a/p`, `+++ b/p`, 3 lines of context; `/dev/null` for
   * created and deleted files), files sorted by path.
   */
  patch: string;
  /** Whether the patch is exact (every touched file replayed from a known base). */
  patchExact: boolean;
}

export interface EpisodeFigures {
  durationMs: number;
  /** Time with activity: the sum of gaps between consecutive events, each capped at 5 minutes. */
  activeMs: number;
  /** Raw `doc.edit` events. */
  edits: number;
  editSteps: number;
  commands: number;
  tasks: number;
  testRuns: number;
  debugSessions: number;
  commits: number;
  fileChanges: number;
  /** failing → passing transitions (`fixed`). */
  fixed: number;
  /** passing → failing transitions (`broke`). */
  broke: number;
}

export interface Episode {
  schema: typeof EPISODE_SCHEMA;
  /** Deterministic: derived from the workspace and the id of the first event. */
  id: string;
  workspace: string;
  /** Sessions the episode spans, in order. */
  sessions: string[];
  goal: EpisodeGoal;
  start: { ts: number; boundary: EpisodeBoundary; repos: EpisodeRepo[] };
  end: { ts: number; boundary: EpisodeBoundary };
  /** Every file the episode touches, sorted by path, with its content at the start. */
  base: BaseFile[];
  steps: EpisodeStep[];
  outcome: EpisodeOutcome;
  figures: EpisodeFigures;
  /** Lines the episode adds (its final patch), by who wrote them, when computed. */
  authorship?: Authorship;
  /** Whether the episode could be rebuilt exactly; `problems` says why not. */
  exact: boolean;
  problems: string[];
}
