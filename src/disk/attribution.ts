/**
 * What made a change on disk (`ChangeAttribution`), from the activity the VS Code layer
 * reports: terminal commands, tasks and git moves (HEAD or a ref changed). Also collects,
 * per command and task, the files it changed (`terminal.command.files`, `task.run.files`).
 * Plain Node; time comes from an injected clock.
 *
 * Rules for a change observed at time t (the watcher reports a change 20–100 ms after it was
 * made, and the changes of a short command after its end):
 * 1. Candidates are the commands and tasks *running* at t: started at or before t and not
 *    ended, or ended less than `lagMs` (500 ms) before t — such a change was most likely made
 *    while the command still ran.
 *    - one candidate → it, `high` (`medium` if it already ended and another command or task
 *      also ended within the grace window);
 *    - several → the latest started, `medium`.
 * 2. No candidate, but commands or tasks ended within `graceMs` (1.5 s) before t → the one
 *    that ended last, `medium`.
 * 3. The chosen activity gives `by: 'terminal'` (command line, terminal name, program) or
 *    `by: 'task'` (its name as `command`).
 * 4. A git move within `gitWindowMs` (1 s) of the change makes it `by: 'git'`, `high`, keeping
 *    the command, terminal and program of the chosen terminal command if any (a task's name as
 *    `command`). The operation comes from the command line when the command runs git (and names
 *    an operation), else from the moves: a move of `refs/stash` (or its reflog message) →
 *    `stash`, otherwise the reflog message of the latest move, otherwise `other`.
 * 5. A terminal command that runs git but moved nothing (`git restore`, `git checkout -- f`,
 *    `git apply`) is `by: 'git'` with the operation of its command line and the confidence of
 *    rules 1–2.
 * 6. Otherwise `unknown`, `low`.
 *
 * A change is grouped with the others of the same source ({@link Attributed.source}) into
 * one batch by the change tracker; a batch is attributed once, and rule 4 is applied to the
 * whole batch (a move within the window of any of its changes) when it closes.
 *
 * Memory: running activities are kept; ended ones are dropped once their files were taken
 * ({@link takeFiles}), or after `keepEndedMs` (5 min) or beyond 256 ended; moves older than
 * 10 s are dropped. Per activity at most 200 files are listed; the count of distinct paths is
 * exact up to 100,000.
 */
import type { ChangeAttribution, ChangedFile, TracePath } from '../trace/events';
import { gitOperationOfCommand, gitOperationOfReflog, type GitOperation } from './gitOperation';
import { programOf } from './program';

export interface AttributionOptions {
  /** Time source (epoch ms). Default Date.now. */
  now?: () => number;
  /** A command or task that ended this recently still counts as running. Default 500. */
  lagMs?: number;
  /** A change this long after a command or task ended is still tied to it. Default 1500. */
  graceMs?: number;
  /** A git move this close (before or after) to a change makes it git's. Default 1000. */
  gitWindowMs?: number;
  /** Ended activities whose files nobody took are dropped after this long. Default 300,000. */
  keepEndedMs?: number;
}

export interface CommandStart {
  commandLine: string;
  /** The terminal's name. */
  terminal: string;
  startTs: number;
}

export interface TaskStart {
  name: string;
  startTs: number;
}

export interface GitMove {
  /** Message of the last reflog line of `.git/logs/HEAD` (or of the ref that moved), when it could be read. */
  reflogMessage?: string;
  /** The ref that moved, relative to the git folder (`HEAD`, `refs/heads/main`, `refs/stash`), when known. */
  ref?: string;
}

/** An attribution and the source its change is batched with. */
export interface Attributed {
  /** `command:<key>`, `task:<key>`, `git` or `unknown`. */
  source: string;
  by: ChangeAttribution;
}

export interface FileList {
  /** At most {@link MAX_LISTED}, in the order first changed (bulk batches: sorted). */
  files: ChangedFile[];
  /** Distinct files changed. */
  count: number;
}

/** Files listed per command or task. */
export const MAX_LISTED = 200;
const MAX_DISTINCT = 100_000;
const MAX_ENDED = 256;
const MOVE_MEMORY_MS = 10_000;
const MAX_MOVES = 64;

interface Activity {
  kind: 'command' | 'task';
  source: string;
  startTs: number;
  endTs: number | undefined;
  /** Command line, or the task's name. */
  command: string;
  terminal?: string;
  program?: string;
  gitOperation?: GitOperation;
  listed: Map<TracePath, ChangedFile>;
  distinct: Set<TracePath>;
  /** Files counted without being told apart (bulk paths beyond the list, beyond MAX_DISTINCT). */
  uncounted: number;
  taken: boolean;
  waiters: ((endTs: number | undefined) => void)[];
}

interface Move extends GitMove {
  ts: number;
}

/**
 * Two changes of one file in a row as one: created + changed → created, created + deleted →
 * nothing (undefined: a temporary file), deleted + created → changed (replaced), changed +
 * deleted → deleted.
 */
export function mergeChange(previous: ChangedFile['change'], next: ChangedFile['change']): ChangedFile['change'] | undefined {
  if (previous === 'created') {
    return next === 'deleted' ? undefined : 'created'; // created and deleted again: nothing is left
  }
  if (previous === 'deleted') {
    return next === 'deleted' ? 'deleted' : 'changed'; // deleted and written again: replaced
  }
  return next === 'created' ? 'changed' : next;
}

export class Attribution {
  private readonly activities = new Map<string, Activity>();
  private moves: Move[] = [];
  private readonly now: () => number;
  readonly lagMs: number;
  readonly graceMs: number;
  readonly gitWindowMs: number;
  private readonly keepEndedMs: number;

  constructor(options: AttributionOptions = {}) {
    this.now = options.now ?? Date.now;
    this.lagMs = options.lagMs ?? 500;
    this.graceMs = Math.max(options.graceMs ?? 1_500, this.lagMs);
    this.gitWindowMs = options.gitWindowMs ?? 1_000;
    this.keepEndedMs = options.keepEndedMs ?? 300_000;
  }

  // --- activity reported by the VS Code layer ------------------------------------------------

  /** A terminal command started (`onDidStartTerminalShellExecution`); `key` is unique per execution. */
  commandStarted(key: string, start: CommandStart): void {
    this.prune();
    this.start(`command:${key}`, {
      kind: 'command',
      startTs: start.startTs,
      command: start.commandLine,
      terminal: start.terminal,
      program: programOf(start.commandLine),
      gitOperation: gitOperationOfCommand(start.commandLine),
    });
  }

  commandEnded(key: string, endTs: number): void {
    this.end(`command:${key}`, endTs);
  }

  /** A task's process started (`onDidStartTaskProcess`). */
  taskStarted(key: string, start: TaskStart): void {
    this.prune();
    this.start(`task:${key}`, { kind: 'task', startTs: start.startTs, command: start.name });
  }

  taskEnded(key: string, endTs: number): void {
    this.end(`task:${key}`, endTs);
  }

  /** HEAD or a ref moved at `ts` (the VS Code layer watches `.git/HEAD`, `.git/refs/**`, `.git/logs/HEAD`). */
  gitMoved(ts: number, move: GitMove = {}): void {
    const horizon = this.now() - MOVE_MEMORY_MS;
    this.moves = this.moves.filter((m) => m.ts >= horizon);
    this.moves.push({ ts, ...move });
    if (this.moves.length > MAX_MOVES) {
      this.moves.splice(0, this.moves.length - MAX_MOVES);
    }
  }

  // --- attribution ------------------------------------------------------------------------------

  /** What made a change observed at `ts` (default now), and the source it is batched with. */
  attribute(ts: number = this.now()): Attributed {
    const chosen = this.choose(ts);
    const moves = this.movesWithin(ts - this.gitWindowMs, ts + this.gitWindowMs);
    return this.build(chosen?.activity, chosen?.confidence, moves);
  }

  /**
   * The final attribution of a batch first attributed as `initial` whose changes were observed
   * from `firstTs` to `lastTs`: rule 4 with every move known now within the window of the batch.
   */
  resolve(initial: Attributed, firstTs: number, lastTs: number): ChangeAttribution {
    if (initial.by.by === 'git' && initial.by.confidence === 'high') {
      return initial.by;
    }
    const moves = this.movesWithin(firstTs - this.gitWindowMs, lastTs + this.gitWindowMs);
    if (moves.length === 0) {
      return initial.by;
    }
    const activity = this.activities.get(initial.source);
    const confidence = initial.by.confidence === 'low' ? undefined : initial.by.confidence;
    return this.build(activity, confidence, moves).by;
  }

  // --- files per command and task -----------------------------------------------------------

  /** A file the batch of `source` changed (ignored for sources other than commands and tasks). */
  recordFile(source: string, file: ChangedFile): void {
    const a = this.activities.get(source);
    if (!a) {
      return;
    }
    const known = a.listed.get(file.path);
    if (known) {
      const change = mergeChange(known.change, file.change);
      if (change === undefined) {
        a.listed.delete(file.path);
        a.distinct.delete(file.path);
        return;
      }
      known.change = change;
      known.added += file.added;
      known.removed += file.removed;
      return;
    }
    if (a.distinct.has(file.path)) {
      return; // changed again, beyond the listed ones
    }
    if (a.distinct.size >= MAX_DISTINCT) {
      a.uncounted++;
    } else {
      a.distinct.add(file.path);
    }
    if (a.listed.size < MAX_LISTED) {
      a.listed.set(file.path, { ...file });
    }
  }

  /** A bulk batch of `source`: its first files (sorted, line counts 0), how many it had in all, and every path it kept (`paths`). */
  recordBulk(source: string, files: readonly ChangedFile[], count: number, paths: Iterable<TracePath> = []): void {
    const a = this.activities.get(source);
    if (!a) {
      return;
    }
    for (const f of files) {
      this.recordFile(source, f);
    }
    // Every path the bulk kept counts as distinct, so a late report of one of them (recorded
    // as a single change after the summary) is not counted a second time.
    const counted = new Set<TracePath>();
    for (const path of paths) {
      if (!a.distinct.has(path)) {
        if (a.distinct.size >= MAX_DISTINCT) {
          break;
        }
        a.distinct.add(path);
      }
      counted.add(path);
    }
    const known = counted.size + files.filter((f) => !counted.has(f.path)).length;
    a.uncounted += Math.max(0, count - known);
  }

  /** Resolves with the end time of `source` once it ended (at once when it did); undefined for an unknown source. */
  /** Whether `source` (a command or task) has started and not ended (or ended less than the lag ago: its changes still come). */
  isRunning(source: string, now: number = this.now()): boolean {
    const a = this.activities.get(source);
    return a !== undefined && (a.endTs === undefined || now - a.endTs < this.lagMs);
  }

  endOf(source: string): Promise<number | undefined> {
    const a = this.activities.get(source);
    if (!a) {
      return Promise.resolve(undefined);
    }
    if (a.endTs !== undefined) {
      return Promise.resolve(a.endTs);
    }
    return new Promise((resolve) => a.waiters.push(resolve));
  }

  /** The files `source` changed so far; the activity is dropped afterwards if it ended. */
  takeFiles(source: string): FileList {
    const a = this.activities.get(source);
    if (!a) {
      return { files: [], count: 0 };
    }
    a.taken = true;
    if (a.endTs !== undefined) {
      this.activities.delete(source);
    }
    return { files: [...a.listed.values()].map((f) => ({ ...f })), count: a.distinct.size + a.uncounted };
  }

  /** Ends every wait of {@link endOf} (with undefined) and forgets everything. */
  dispose(): void {
    for (const a of this.activities.values()) {
      for (const w of a.waiters.splice(0)) w(undefined);
    }
    this.activities.clear();
    this.moves = [];
  }

  /** Activities kept (for tests and diagnostics). */
  get size(): number {
    return this.activities.size;
  }

  // --- internals ----------------------------------------------------------------------------

  private start(source: string, info: Pick<Activity, 'kind' | 'startTs' | 'command' | 'terminal' | 'program' | 'gitOperation'>): void {
    const previous = this.activities.get(source);
    for (const w of previous?.waiters.splice(0) ?? []) w(undefined);
    this.activities.set(source, {
      ...info,
      source,
      endTs: undefined,
      listed: new Map(),
      distinct: new Set(),
      uncounted: 0,
      taken: false,
      waiters: [],
    });
  }

  private end(source: string, endTs: number): void {
    const a = this.activities.get(source);
    if (!a || a.endTs !== undefined) {
      return;
    }
    a.endTs = Math.max(endTs, a.startTs);
    for (const w of a.waiters.splice(0)) w(a.endTs);
  }

  private prune(): void {
    const now = this.now();
    const ended: Activity[] = [];
    for (const a of this.activities.values()) {
      if (a.endTs === undefined) continue;
      if ((a.taken && now - a.endTs > this.graceMs) || now - a.endTs > this.keepEndedMs) {
        this.activities.delete(a.source);
      } else {
        ended.push(a);
      }
    }
    if (ended.length > MAX_ENDED) {
      ended.sort((x, y) => (x.endTs ?? 0) - (y.endTs ?? 0));
      for (const a of ended.slice(0, ended.length - MAX_ENDED)) this.activities.delete(a.source);
    }
  }

  private choose(ts: number): { activity: Activity; confidence: 'high' | 'medium' } | undefined {
    const running: Activity[] = [];
    const recent: Activity[] = [];
    for (const a of this.activities.values()) {
      if (a.startTs > ts) continue;
      if (a.endTs === undefined || a.endTs >= ts - this.lagMs) running.push(a);
      else if (ts - a.endTs <= this.graceMs) recent.push(a);
    }
    if (running.length > 0) {
      const latest = running.reduce((x, y) => (y.startTs > x.startTs ? y : x));
      const competitor = running.length > 1 || (latest.endTs !== undefined && recent.length > 0);
      return { activity: latest, confidence: competitor ? 'medium' : 'high' };
    }
    if (recent.length > 0) {
      return { activity: recent.reduce((x, y) => ((y.endTs ?? 0) > (x.endTs ?? 0) ? y : x)), confidence: 'medium' };
    }
    return undefined;
  }

  private movesWithin(from: number, to: number): Move[] {
    return this.moves.filter((m) => m.ts >= from && m.ts <= to);
  }

  private operationOfMoves(moves: readonly Move[]): GitOperation {
    const ops = moves.map((m) => (m.ref === 'refs/stash' ? 'stash' : m.reflogMessage !== undefined ? gitOperationOfReflog(m.reflogMessage) : undefined));
    if (ops.includes('stash')) {
      return 'stash'; // git stash also writes "reset: moving to HEAD" to HEAD's reflog
    }
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i];
      if (op !== undefined) return op;
    }
    return 'other';
  }

  private build(activity: Activity | undefined, confidence: 'high' | 'medium' | undefined, moves: readonly Move[]): Attributed {
    const source = activity?.source ?? (moves.length > 0 ? 'git' : 'unknown');
    const who: Pick<ChangeAttribution, 'command' | 'terminal' | 'program'> = {};
    if (activity) {
      who.command = activity.command;
      if (activity.terminal !== undefined) who.terminal = activity.terminal;
      if (activity.program !== undefined) who.program = activity.program;
    }
    if (moves.length > 0) {
      const fromCommand = activity?.gitOperation;
      const operation = fromCommand !== undefined && fromCommand !== 'other' ? fromCommand : this.operationOfMoves(moves);
      return { source, by: { by: 'git', ...who, operation, confidence: 'high' } };
    }
    if (!activity || confidence === undefined) {
      return { source, by: { by: 'unknown', confidence: 'low' } };
    }
    if (activity.gitOperation !== undefined) {
      return { source, by: { by: 'git', ...who, operation: activity.gitOperation, confidence } };
    }
    return { source, by: { by: activity.kind === 'task' ? 'task' : 'terminal', ...who, confidence } };
  }
}
