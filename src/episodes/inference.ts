/**
 * Where episodes begin and end, decided from the trace alone (so traces written before
 * `goal.start` existed get episodes too). Explicit tasks always win:
 *
 * - `goal.start` opens an explicit episode (closing an open inferred one, or another task);
 *   `goal.end` of its `goalId` ends it. A task open when its session ends waits for the next
 *   session of the workspace: a `goal.start` with `resumed: true` and the same `goalId` (or a
 *   `goal.end` of it) before any activity continues it; anything else settles it at its
 *   session's end (`session.end`), and the end of the workspace's trace at `trace-end`.
 *   Nothing else splits an explicit episode.
 * - Without a task: a `git.checkout` to another branch closes the open episode (`branch`)
 *   and opens `Work on branch <to>` with the checkout; a `git.commit` after a passing run (its
 *   `lastTestPassed`, or the episode's last test run) ends the episode with it, `done`
 *   (`commit-after-pass`); a gap of `idleGapMs` between consecutive events of a session
 *   closes it at the event before the gap (`idle`); the end of a session closes it
 *   (`session.end`). The next activity opens a new inferred episode, named after the branch
 *   and the folders and marked with the boundary that came before it.
 *
 * Activity is what a person or a tool does to the work: edits, changes of files, runs,
 * debugging, git, reading (`editor.view`) and jumps (`editor.navigate`). Opening, saving,
 * focusing, selecting, diagnostics, session and capture markers are not: they join an open
 * episode but never open one.
 *
 * Plain Node; never imports `vscode`.
 */
import type { GoalOutcome, Kind, TraceEvent } from '../trace/events';
import type { EpisodeBoundary, EpisodeGoal } from './episode';

/** Kinds that open an episode when none is open. */
const ACTIVITY: ReadonlySet<Kind> = new Set<Kind>([
  'doc.edit',
  'edit.step',
  'file.create',
  'file.delete',
  'file.rename',
  'file.change',
  'file.bulk',
  'terminal.command',
  'task.run',
  'test.run',
  'debug.session',
  'debug.stop',
  'debug.breakpoints',
  'git.commit',
  'git.checkout',
  'editor.view',
  'editor.navigate',
]);

export function isActivity(event: TraceEvent): boolean {
  return ACTIVITY.has(event.kind);
}

/** How an episode ends, as inference decides it. */
export interface Closing {
  boundary: EpisodeBoundary;
  outcome: { status: GoalOutcome | 'unknown'; source: 'explicit' | 'inferred'; note?: string };
}

/** How an episode begins. */
export interface Opening {
  goal: EpisodeGoal;
  boundary: EpisodeBoundary;
}

/** What to do with one event, in this order. */
export interface Decision {
  /** A gap of `idleGapMs` or more came before this event. */
  idle?: true;
  /** Settle the explicit episode of the previous session: it was not resumed (ends at that session's last event). */
  settle?: Closing;
  /** Close the open episode before this event (it ends at the event before). */
  closeBefore?: Closing;
  /** Open a new episode with this event. */
  open?: Opening;
  /** Continue the explicit episode of the previous session with this event. */
  resume?: true;
  /** Whether the event belongs to the open episode (after `open` or `resume`); false: it lies between episodes. */
  join: boolean;
  /** Close the episode after this event (its last). */
  closeAfter?: Closing;
  /** Something odd about the event (it is still used). */
  problem?: string;
}

/** What to do at the end of a session. */
export interface SessionEnd {
  /** Close the open (inferred) episode. */
  close?: Closing;
  /** The open explicit episode waits for the next session of the workspace. */
  suspend?: true;
}

export interface InferenceOptions {
  /** A gap this long (ms) between consecutive events of a session ends an inferred episode. */
  idleGapMs: number;
  /** The name of an inferred episode that did not start with a branch switch. */
  describe: () => string;
}

interface Open {
  explicit: boolean;
  goalId?: string;
  /** Outcome of the last test run in the episode (null: none yet). */
  lastTestPassed: boolean | null;
}

type InferredFrom = NonNullable<EpisodeGoal['inferredFrom']>;

const UNKNOWN_END = { status: 'unknown', source: 'inferred' } as const;

/** The boundary state machine of one workspace. */
export class BoundaryInference {
  private open: Open | undefined;
  /** An explicit episode whose session ended, waiting for a resume. */
  private pending: Open | undefined;
  /** The boundary that came last: it marks the next inferred episode. */
  private last: { boundary: EpisodeBoundary; from: InferredFrom } = { boundary: 'session.start', from: 'session' };
  /** Largest `ts` seen in the current session. */
  private lastTs: number | undefined;

  constructor(private readonly options: InferenceOptions) {}

  /** Whether an explicit episode waits for the next session. */
  get suspended(): boolean {
    return this.pending !== undefined;
  }

  startSession(): void {
    this.lastTs = undefined;
    this.last = { boundary: 'session.start', from: 'session' };
  }

  decide(event: TraceEvent): Decision {
    const d: Decision = { join: false };
    if (this.lastTs !== undefined && event.ts - this.lastTs >= this.options.idleGapMs) {
      d.idle = true;
      if (this.open && !this.open.explicit) {
        d.closeBefore = { boundary: 'idle', outcome: UNKNOWN_END };
        this.open = undefined;
      }
      if (!this.open) {
        this.last = { boundary: 'idle', from: 'idle' };
      }
    }
    this.lastTs = this.lastTs === undefined ? event.ts : Math.max(this.lastTs, event.ts);

    switch (event.kind) {
      case 'goal.start':
        return this.goalStart(event, d);
      case 'goal.end':
        return this.goalEnd(event, d);
      default:
        break;
    }
    const activity = isActivity(event);
    if (this.pending && activity) {
      d.settle = { boundary: 'session.end', outcome: UNKNOWN_END };
      this.pending = undefined;
    }
    if (event.kind === 'git.checkout' && event.to !== null && event.to !== event.from && !this.open?.explicit) {
      if (this.open) {
        d.closeBefore = { boundary: 'branch', outcome: UNKNOWN_END };
      }
      this.open = { explicit: false, lastTestPassed: null };
      d.open = { goal: { text: `Work on branch ${event.to}`, source: 'inferred', inferredFrom: 'branch' }, boundary: 'branch' };
      this.last = { boundary: 'branch', from: 'branch' };
      d.join = true;
      return d;
    }
    if (!this.open) {
      if (!activity) {
        return d;
      }
      this.open = { explicit: false, lastTestPassed: null };
      d.open = { goal: { text: this.options.describe(), source: 'inferred', inferredFrom: this.last.from }, boundary: this.last.boundary };
    }
    d.join = true;
    const open = this.open;
    if (event.kind === 'test.run') {
      open.lastTestPassed = event.outcome === 'passed';
    } else if (event.kind === 'git.commit' && !open.explicit && (event.lastTestPassed === true || open.lastTestPassed === true)) {
      d.closeAfter = { boundary: 'commit-after-pass', outcome: { status: 'done', source: 'inferred' } };
      this.open = undefined;
      this.last = { boundary: 'commit-after-pass', from: 'commit' };
    }
    return d;
  }

  private goalStart(event: Extract<TraceEvent, { kind: 'goal.start' }>, d: Decision): Decision {
    if (this.pending) {
      if (this.pending.goalId === event.goalId) {
        this.open = this.pending;
        this.pending = undefined;
        d.resume = true;
        d.join = true;
        return d;
      }
      d.settle = { boundary: 'session.end', outcome: UNKNOWN_END };
      this.pending = undefined;
    }
    if (this.open?.explicit && this.open.goalId === event.goalId) {
      d.join = true; // the same task announced again (a resume within the session): it goes on
      return d;
    }
    if (this.open) {
      d.closeBefore = { boundary: 'goal.start', outcome: UNKNOWN_END };
    }
    this.open = { explicit: true, goalId: event.goalId, lastTestPassed: null };
    const goal: EpisodeGoal = { text: event.goal, source: 'explicit', goalId: event.goalId };
    if (event.url !== undefined) goal.url = event.url;
    if (event.issue !== undefined) goal.issue = event.issue;
    d.open = { goal, boundary: 'goal.start' };
    d.join = true;
    return d;
  }

  private goalEnd(event: Extract<TraceEvent, { kind: 'goal.end' }>, d: Decision): Decision {
    if (this.pending?.goalId === event.goalId) {
      // ended right after a reload, before its resume was announced: the same episode
      this.open = this.pending;
      this.pending = undefined;
      d.resume = true;
    }
    if (this.open?.explicit && this.open.goalId === event.goalId) {
      d.join = true;
      d.closeAfter = { boundary: 'goal.end', outcome: { status: event.outcome, source: 'explicit', ...(event.note !== undefined ? { note: event.note } : {}) } };
      this.open = undefined;
      this.last = { boundary: 'goal.end', from: 'goal-end' };
      return d;
    }
    d.problem = `goal.end of ${JSON.stringify(event.goalId)} matches no open task`;
    d.join = this.open !== undefined;
    return d;
  }

  endSession(): SessionEnd {
    this.lastTs = undefined;
    const open = this.open;
    this.open = undefined;
    if (!open) {
      return {};
    }
    if (open.explicit) {
      this.pending = open;
      return { suspend: true };
    }
    return { close: { boundary: 'session.end', outcome: UNKNOWN_END } };
  }

  /** The workspace has no more sessions: the waiting explicit episode ends with the trace. */
  endWorkspace(): Closing | undefined {
    if (!this.pending) {
      return undefined;
    }
    this.pending = undefined;
    return { boundary: 'trace-end', outcome: UNKNOWN_END };
  }
}
