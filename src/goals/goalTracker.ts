/**
 * The engineer's current task ("Start Task…" / "End Task…"): what they set out to do, since
 * when, and its link. It survives a window reload (the VS Code layer stores it), and every
 * session in which capture runs while it is open starts with a `goal.start` for it
 * (`resumed: true` when it began in an earlier session), so an episode can span sessions.
 * `goal.end` closes it with the outcome. Inferred boundaries are never written to the
 * trace: they are found later, from the trace alone (episodes/). Plain Node.
 */
import { nanoid } from 'nanoid';
import type { GoalOutcome, NewEvent } from '../trace/events';
import type { IssueRef } from './issueRef';

export interface CurrentGoal {
  goalId: string;
  goal: string;
  url?: string;
  issue?: string;
  /** Epoch ms. */
  startTs: number;
}

export interface GoalTrackerHooks {
  /** Records an event (through the Recorder: the privacy stage redacts the goal and note). */
  emit(event: NewEvent): void;
  /** Whether capture is recording now (a goal started while paused is written when capture resumes). */
  recording(): boolean;
  /** Stores the current goal (undefined: none) so that it survives a window reload. */
  persist(goal: CurrentGoal | undefined): PromiseLike<void> | void;
}

/** The longest goal and note kept (characters); the input boxes ask for one line. */
export const MAX_GOAL_CHARS = 500;
export const MAX_NOTE_CHARS = 2_000;

export class GoalTracker {
  private current: CurrentGoal | undefined;
  /** Whether this session's trace already has the goal.start of the current goal. */
  private written = false;
  private readonly listeners = new Set<() => void>();
  private persisting: PromiseLike<void> | void = undefined;
  /** When this tracker (this window's session) began: an older goal is resumed. */
  private readonly sessionStart: number;

  constructor(
    private readonly hooks: GoalTrackerHooks,
    private readonly now: () => number = Date.now,
  ) {
    this.sessionStart = now();
  }

  get goal(): CurrentGoal | undefined {
    return this.current;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A goal stored by an earlier window; written (resumed) once capture runs. */
  restore(goal: CurrentGoal | undefined): void {
    if (!this.current && goal) {
      this.current = goal;
      this.written = false;
      this.changed();
    }
  }

  /** Starts a task; an open one is ended first as handed off (the engineer moved on without saying). */
  start(goal: string, ref?: IssueRef): CurrentGoal {
    if (this.current) {
      this.end('handed-off', 'a new task was started');
    }
    const text = oneLine(goal, MAX_GOAL_CHARS);
    this.current = { goalId: nanoid(), goal: text, ...(ref ?? {}), startTs: this.now() };
    this.written = false;
    this.persisting = this.hooks.persist(this.current);
    this.writeStart();
    this.changed();
    return this.current;
  }

  /** Ends the current task; false when there is none. */
  end(outcome: GoalOutcome, note?: string): boolean {
    const goal = this.current;
    if (!goal) {
      return false;
    }
    if (this.hooks.recording()) {
      this.writeStart(); // a task started and ended while paused still gets its start
      const kept = note === undefined ? '' : oneLine(note, MAX_NOTE_CHARS);
      this.hooks.emit({ kind: 'goal.end', goalId: goal.goalId, outcome, ...(kept ? { note: kept } : {}), durationMs: Math.max(0, this.now() - goal.startTs) });
    }
    this.current = undefined;
    this.written = false;
    this.persisting = this.hooks.persist(undefined);
    this.changed();
    return true;
  }

  /** Capture (re)started in this window (session start, resume): writes the current goal's start if not yet written. */
  attached(): void {
    this.writeStart();
  }

  /** Resolves once the last change is stored. */
  async whenPersisted(): Promise<void> {
    await this.persisting;
  }

  private writeStart(): void {
    const goal = this.current;
    if (!goal || this.written || !this.hooks.recording()) {
      return;
    }
    this.written = true;
    const resumed = goal.startTs < this.sessionStart;
    this.hooks.emit({
      kind: 'goal.start',
      goal: goal.goal,
      goalId: goal.goalId,
      ...(goal.url ? { url: goal.url } : {}),
      ...(goal.issue ? { issue: goal.issue } : {}),
      ...(resumed ? { resumed: true } : {}),
      startTs: goal.startTs,
    });
  }

  private changed(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Checks a stored goal (a file from an older version, or damaged). */
export function storedGoal(value: unknown): CurrentGoal | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  if (typeof v.goalId !== 'string' || typeof v.goal !== 'string' || typeof v.startTs !== 'number' || !Number.isFinite(v.startTs)) {
    return undefined;
  }
  return {
    goalId: v.goalId,
    goal: v.goal,
    startTs: v.startTs,
    ...(typeof v.url === 'string' ? { url: v.url } : {}),
    ...(typeof v.issue === 'string' ? { issue: v.issue } : {}),
  };
}
