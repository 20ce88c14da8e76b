/**
 * The timeline model: turns trace events (as the reader or the recorder hands them on,
 * after redaction and exclusion) into items in typed-array columns, one lane per file and
 * one per kind of activity, with the links of the story kept for the details panel.
 *
 * Append-only: a live session appends batches and each `append` says which items are new
 * and which earlier ones changed (a debug session that ended, a pause that was resumed,
 * open bands that grew), so only that is sent to the page. Events are kept as they came
 * (the detail table: `detailOf(item)` is an index into `events`), and details are built
 * from them only when asked (details.ts). This is not a parser of the trace format: it
 * takes `TraceEvent` objects.
 */
import { EDIT_CAUSES, type EventOf, type TraceEvent } from '../trace/events';
import { ATTRIBUTIONS, DiagnosticsStatus, Flag, GoalStatus, ItemKind, PauseStatus, RunStatus, TestStatus } from './codes';
import { ItemColumns, type ItemValues } from './columns';
import { LaneGroup, LaneRegistry } from './lanes';
import * as summary from './summarize';

/** What one `append` changed. */
export interface ModelDelta {
  /** New items are [from, to). */
  from: number;
  to: number;
  /** Items before `from` whose duration, status, flags, intensity or summary changed (ascending). */
  updated: number[];
  /** New lanes are [lanesFrom, lanes.count). */
  lanesFrom: number;
}

export interface TimelineModelOptions {
  /** Epoch ms that item starts are counted from (default: the first event's `ts`). */
  origin?: number;
}

type Items = Map<number, number[]>;

function add(map: Items, key: number, value: number): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

function exitStatus(code: number | null | undefined): number {
  return code === null || code === undefined ? RunStatus.Unknown : code === 0 ? RunStatus.Ok : RunStatus.Failed;
}

const TEST_STATUS = { passed: TestStatus.Passed, failed: TestStatus.Failed, errored: TestStatus.Errored, unknown: TestStatus.Unknown } as const;
const GOAL_STATUS = { done: GoalStatus.Done, abandoned: GoalStatus.Abandoned, 'handed-off': GoalStatus.HandedOff } as const;
const PAUSE_STATUS = { paused: PauseStatus.Paused, disabled: PauseStatus.Disabled, untrusted: PauseStatus.Untrusted } as const;

export class TimelineModel {
  readonly items = new ItemColumns();
  readonly lanes = new LaneRegistry();
  readonly summaries: string[] = [];
  /** Every event appended, in order: the detail table. */
  readonly events: TraceEvent[] = [];
  /** Epoch ms that starts are counted from; set by the options or the first event. */
  origin: number | undefined;
  firstTs = Infinity;
  lastTs = -Infinity;
  /** Workspace folder names, from session.start. */
  folders: string[] | undefined;
  /** The latest task (goal.start). */
  goal: string | undefined;

  private detail = new Uint32Array(1024);
  /** The event that ended a paired item (debug session end, goal.end, capture.resume). */
  private readonly ends = new Map<number, TraceEvent>();
  /** Highest `seq` appended: a session's events come in `seq` order, so anything at or below it is a duplicate. */
  private maxSeq = 0;
  /** Ids of events without a usable `seq`. */
  private readonly seen = new Set<string>();
  private readonly itemOfId = new Map<string, number>();
  private readonly testedByMap: Items = new Map();
  private readonly derivedMap: Items = new Map();
  private readonly stopsMap: Items = new Map();
  private readonly laterRunsMap: Items = new Map();
  private readonly open = new Set<number>();
  private readonly openDebug = new Map<string, number>();
  private readonly openGoals = new Map<string, number>();
  private openPause: number | undefined;
  private readonly counts = new Map<string, number>();
  /** Every file path the events name (what the page may ask the host to open). */
  private readonly paths = new Set<string>();
  private readonly undrawn = new Map<string, number>();
  private updated = new Set<number>();

  constructor(options: TimelineModelOptions = {}) {
    this.origin = options.origin;
  }

  get count(): number {
    return this.items.count;
  }

  /**
   * Appends events of one session in `seq` order (as the reader hands them on and the
   * recorder records them). Duplicates are skipped: what was read from the trace and then
   * also recorded live, or delivered twice (at-least-once).
   */
  append(events: readonly TraceEvent[]): ModelDelta {
    const from = this.items.count;
    const lanesFrom = this.lanes.count;
    this.updated = new Set();
    for (const e of events) {
      const seq = e?.seq;
      if (typeof seq === 'number' && seq > 0) {
        if (seq <= this.maxSeq) {
          continue;
        }
        this.maxSeq = seq;
      } else if (typeof e?.id !== 'string' || this.seen.has(e.id)) {
        continue;
      } else {
        this.seen.add(e.id);
      }
      this.add(e);
    }
    this.extendOpenItems();
    const updated = [...this.updated].filter((i) => i < from).sort((a, b) => a - b);
    return { from, to: this.items.count, updated, lanesFrom };
  }

  /** Index into `events` of the item's (first) event. */
  detailOf(item: number): number {
    return this.detail[item] ?? 0;
  }

  eventOf(item: number): TraceEvent | undefined {
    return item >= 0 && item < this.items.count ? this.events[this.detailOf(item)] : undefined;
  }

  /** The event that ended a paired item, if it ended. */
  endOf(item: number): TraceEvent | undefined {
    return this.ends.get(item);
  }

  /** The item made from the event with this id. */
  itemOf(eventId: string): number | undefined {
    return this.itemOfId.get(eventId);
  }

  /** From an edit step: the runs (commands, tasks, tests, debug sessions) whose `after` names it. */
  testedBy(item: number): readonly number[] {
    return this.testedByMap.get(item) ?? [];
  }

  /** From a command, task or debug session: the test runs recognised in it. */
  derivedFrom(item: number): readonly number[] {
    return this.derivedMap.get(item) ?? [];
  }

  /** From a debug session: its stops. */
  stopsOf(item: number): readonly number[] {
    return this.stopsMap.get(item) ?? [];
  }

  /** From a test run: later runs whose `previous` is this one (the run that fixed or broke it). */
  laterRuns(item: number): readonly number[] {
    return this.laterRunsMap.get(item) ?? [];
  }

  /** Events per kind, all of them. */
  kindCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** Events that are counted but not drawn as an item of their own (keystrokes are in edit steps…), by kind. */
  notDrawn(): { kind: string; count: number }[] {
    return [...this.undrawn].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  }

  /** A file path the session's events name (what the page may ask to open). */
  hasPath(path: string): boolean {
    return this.paths.has(path);
  }

  private rel(ts: number): number {
    return ts - (this.origin ?? 0);
  }

  private item(event: number, values: ItemValues, text: string): number {
    const i = this.items.push(values);
    this.summaries[i] = text;
    if (this.detail.length <= i) {
      const next = new Uint32Array(this.detail.length * 2);
      next.set(this.detail);
      this.detail = next;
    }
    this.detail[i] = event;
    return i;
  }

  private mark(event: number, ts: number, lane: number, kind: number, status: number, flags: number, intensity: number, text: string): number {
    return this.item(event, { start: this.rel(ts), duration: 0, lane, kind, status, flags, intensity }, text);
  }

  private touch(item: number): void {
    this.updated.add(item);
  }

  private close(item: number, endTs: number, end: TraceEvent, status: number, flags: number, text: string): void {
    const start = this.items.start[item] ?? 0;
    this.items.duration[item] = Math.max(0, this.rel(endTs) - start);
    this.items.status[item] = status;
    this.items.flags[item] = flags & ~Flag.Open;
    this.summaries[item] = text;
    this.ends.set(item, end);
    this.open.delete(item);
    this.touch(item);
  }

  /** Open bands reach the latest event. */
  private extendOpenItems(): void {
    if (!Number.isFinite(this.lastTs)) {
      return;
    }
    const last = this.rel(this.lastTs);
    for (const i of this.open) {
      const duration = Math.max(0, last - (this.items.start[i] ?? 0));
      if (duration !== this.items.duration[i]) {
        this.items.duration[i] = duration;
        this.touch(i);
      }
    }
  }

  private links(run: number, after: readonly string[] | undefined): void {
    for (const id of after ?? []) {
      const step = this.itemOfId.get(id);
      if (step !== undefined) {
        add(this.testedByMap, step, run);
      }
    }
  }

  private add(e: TraceEvent): void {
    this.events.push(e);
    const ev = this.events.length - 1;
    this.counts.set(e.kind, (this.counts.get(e.kind) ?? 0) + 1);
    if (this.origin === undefined) {
      this.origin = e.ts;
    }
    this.firstTs = Math.min(this.firstTs, e.ts);
    this.lastTs = Math.max(this.lastTs, e.ts);
    this.notePaths(e);
    if (!this.addItem(e, ev)) {
      this.undrawn.set(e.kind, (this.undrawn.get(e.kind) ?? 0) + 1);
    }
  }

  private notePaths(e: TraceEvent): void {
    switch (e.kind) {
      case 'edit.step':
      case 'doc.save':
      case 'file.create':
      case 'file.change':
      case 'editor.view':
      case 'diagnostics.change':
        this.paths.add(e.path);
        return;
      case 'file.rename':
        this.paths.add(e.to);
        return;
      case 'editor.navigate':
        this.paths.add(e.to.path);
        if (e.from) {
          this.paths.add(e.from.path);
        }
        return;
      case 'debug.stop':
        if (e.exception?.frame?.location) {
          this.paths.add(e.exception.frame.location.path);
        }
        return;
      default:
        return;
    }
  }

  /** Adds or completes the item of one event; false when the event is not drawn. */
  private addItem(e: TraceEvent, ev: number): boolean {
    const L = this.lanes;
    switch (e.kind) {
      case 'edit.step': {
        const i = this.item(
          ev,
          { start: this.rel(e.startTs), duration: Math.max(0, e.durationMs), lane: L.file(e.path), kind: ItemKind.EditStep, status: Math.max(0, EDIT_CAUSES.indexOf(e.cause)), flags: 0, intensity: e.added + e.removed },
          summary.editStepSummary(e),
        );
        this.itemOfId.set(e.id, i);
        return true;
      }
      case 'doc.save':
        this.mark(ev, e.ts, L.file(e.path), ItemKind.Save, 0, 0, 0, summary.fileOpSummary(e));
        return true;
      case 'file.create':
        this.mark(ev, e.ts, L.file(e.path), ItemKind.FileCreate, 0, 0, 0, summary.fileOpSummary(e));
        return true;
      case 'file.delete':
        this.mark(ev, e.ts, L.file(e.path), ItemKind.FileDelete, 0, 0, 0, summary.fileOpSummary(e));
        return true;
      case 'file.rename':
        this.mark(ev, e.ts, L.file(e.to), ItemKind.FileRename, 0, 0, 0, summary.fileOpSummary(e));
        return true;
      case 'terminal.command':
      case 'task.run': {
        const duration = Math.max(0, e.durationMs ?? 0);
        const start = e.startTs ?? e.ts - duration;
        const isCommand = e.kind === 'terminal.command';
        const i = this.item(
          ev,
          { start: this.rel(start), duration, lane: L.group(LaneGroup.Runs), kind: isCommand ? ItemKind.Command : ItemKind.Task, status: exitStatus(e.exitCode), flags: 0, intensity: e.filesCount ?? e.files?.length ?? 0 },
          isCommand ? summary.commandSummary(e) : summary.taskSummary(e),
        );
        this.itemOfId.set(e.id, i);
        this.links(i, e.after);
        return true;
      }
      case 'test.run':
        this.addTestRun(e, ev);
        return true;
      case 'debug.session':
        this.addDebug(e, ev);
        return true;
      case 'debug.stop': {
        const parent = this.openDebug.get(e.sessionId);
        const exception = e.reason === 'exception' || e.exception !== undefined;
        const i = this.mark(ev, e.ts, L.group(LaneGroup.Debug), ItemKind.DebugStop, 0, exception ? Flag.Exception : 0, 0, summary.debugStopSummary(e));
        if (parent !== undefined) {
          add(this.stopsMap, parent, i);
          if (exception && !((this.items.flags[parent] ?? 0) & Flag.Exception)) {
            this.items.flags[parent] = (this.items.flags[parent] ?? 0) | Flag.Exception;
            this.touch(parent);
          }
        }
        return true;
      }
      case 'git.commit': {
        const lines = e.files.reduce((n, f) => n + (f.added ?? 0) + (f.removed ?? 0), 0);
        const status = e.lastTestPassed === null ? RunStatus.Unknown : e.lastTestPassed ? RunStatus.Ok : RunStatus.Failed;
        const i = this.mark(ev, e.ts, L.group(LaneGroup.Commits), ItemKind.Commit, status, 0, lines, summary.commitSummary(e));
        this.itemOfId.set(e.id, i);
        return true;
      }
      case 'git.checkout':
        this.mark(ev, e.ts, L.group(LaneGroup.Commits), ItemKind.Checkout, 0, 0, 0, summary.checkoutSummary(e));
        return true;
      case 'file.change':
        this.mark(ev, e.ts, L.group(LaneGroup.Disk), ItemKind.DiskChange, Math.max(0, ATTRIBUTIONS.indexOf(e.by.by)), 0, e.added + e.removed, summary.diskChangeSummary(e));
        return true;
      case 'file.bulk':
        this.mark(ev, e.ts, L.group(LaneGroup.Disk), ItemKind.DiskBulk, Math.max(0, ATTRIBUTIONS.indexOf(e.by.by)), 0, e.count, summary.diskBulkSummary(e));
        return true;
      case 'editor.view':
        this.mark(ev, e.ts, L.group(LaneGroup.Reading), ItemKind.View, 0, 0, e.ranges.reduce((n, r) => n + r.end - r.start + 1, 0), summary.viewSummary(e));
        return true;
      case 'editor.navigate':
        this.mark(ev, e.ts, L.group(LaneGroup.Reading), ItemKind.Navigate, 0, 0, 0, summary.navigateSummary(e));
        return true;
      case 'goal.start':
      case 'goal.end':
        this.addGoal(e, ev);
        return true;
      case 'capture.pause': {
        if (this.openPause !== undefined) {
          const previous = this.openPause;
          this.openPause = undefined;
          this.close(previous, e.ts, e, this.items.status[previous] ?? 0, this.items.flags[previous] ?? 0, this.summaries[previous] ?? '');
        }
        const i = this.mark(ev, e.ts, L.group(LaneGroup.Capture), ItemKind.Pause, PAUSE_STATUS[e.reason] ?? PauseStatus.Paused, Flag.Open, 0, summary.pauseSummary(e, false));
        this.open.add(i);
        this.openPause = i;
        return true;
      }
      case 'capture.resume': {
        const i = this.openPause;
        if (i === undefined) {
          return false;
        }
        this.openPause = undefined;
        const pause = this.eventOf(i);
        this.close(i, e.ts, e, this.items.status[i] ?? 0, this.items.flags[i] ?? 0, pause?.kind === 'capture.pause' ? summary.pauseSummary(pause, true) : 'paused');
        return true;
      }
      case 'privacy.redacted':
        this.mark(ev, e.ts, L.group(LaneGroup.Privacy), ItemKind.Redaction, 0, 0, e.count, summary.redactionSummary(e));
        return true;
      case 'diagnostics.change': {
        const status = e.after.errors > e.before.errors ? DiagnosticsStatus.Worse : e.after.errors < e.before.errors ? DiagnosticsStatus.Better : DiagnosticsStatus.Same;
        this.mark(ev, e.ts, L.group(LaneGroup.Problems), ItemKind.Diagnostics, status, 0, e.after.errors, summary.diagnosticsSummary(e));
        return true;
      }
      case 'session.start':
        this.folders = [...e.folders];
        this.mark(ev, e.ts, L.group(LaneGroup.Capture), ItemKind.SessionStart, 0, 0, 0, summary.sessionStartSummary(e));
        return true;
      case 'session.end':
        this.mark(ev, e.ts, L.group(LaneGroup.Capture), ItemKind.SessionEnd, 0, 0, 0, summary.sessionEndSummary(e));
        return true;
      case 'capture.dropped':
        this.mark(ev, e.ts, L.group(LaneGroup.Capture), ItemKind.Dropped, 0, 0, e.count, summary.droppedSummary(e));
        return true;
      case 'terminal.open':
        if (e.captured) {
          return false;
        }
        this.mark(ev, e.ts, L.group(LaneGroup.Runs), ItemKind.TerminalUncaptured, 0, 0, 0, summary.uncapturedTerminalSummary(e));
        return true;
      default:
        // doc.edit (in edit steps), doc.open, doc.close, doc.excluded, editor.focus,
        // editor.selection, debug.breakpoints: counted, not drawn.
        return false;
    }
  }

  private addTestRun(e: EventOf<'test.run'>, ev: number): void {
    const source = e.source === undefined ? undefined : this.itemOfId.get(e.source);
    let start = this.rel(e.ts - Math.max(0, e.durationMs ?? 0));
    let duration = Math.max(0, e.durationMs ?? 0);
    if (source !== undefined) {
      // Drawn where the command, task or debug session that ran the tests is.
      start = this.items.start[source] ?? start;
      duration = this.items.duration[source] ?? duration;
    }
    const flags = (e.transition === 'fixed' ? Flag.Fixed : 0) | (e.transition === 'broke' ? Flag.Broke : 0);
    const i = this.item(
      ev,
      { start, duration, lane: this.lanes.group(LaneGroup.Tests), kind: ItemKind.TestRun, status: TEST_STATUS[e.outcome] ?? TestStatus.Unknown, flags, intensity: e.failed ?? 0 },
      summary.testRunSummary(e),
    );
    this.itemOfId.set(e.id, i);
    this.links(i, e.after);
    if (source !== undefined) {
      add(this.derivedMap, source, i);
    }
    const previous = e.previous === undefined ? undefined : this.itemOfId.get(e.previous);
    if (previous !== undefined) {
      add(this.laterRunsMap, previous, i);
    }
  }

  private addDebug(e: EventOf<'debug.session'>, ev: number): void {
    const lane = this.lanes.group(LaneGroup.Debug);
    if (e.phase === 'start') {
      const i = this.mark(ev, e.ts, lane, ItemKind.Debug, RunStatus.Unknown, Flag.Open, 0, summary.debugSummary(e, undefined));
      this.itemOfId.set(e.id, i);
      this.open.add(i);
      this.openDebug.set(e.sessionId, i);
      this.links(i, e.after);
      return;
    }
    const i = this.openDebug.get(e.sessionId);
    const exception = e.exception ? Flag.Exception : 0;
    if (i === undefined) {
      // Started before capture did: drawn from its duration.
      const duration = Math.max(0, e.durationMs ?? 0);
      const j = this.item(ev, { start: this.rel(e.ts - duration), duration, lane, kind: ItemKind.Debug, status: exitStatus(e.exitCode), flags: exception, intensity: 0 }, summary.debugSummary(undefined, e));
      this.itemOfId.set(e.id, j);
      return;
    }
    this.openDebug.delete(e.sessionId);
    const start = this.eventOf(i);
    this.close(i, e.ts, e, exitStatus(e.exitCode), (this.items.flags[i] ?? 0) | exception, summary.debugSummary(start?.kind === 'debug.session' ? start : undefined, e));
  }

  private addGoal(e: EventOf<'goal.start'> | EventOf<'goal.end'>, ev: number): void {
    const lane = this.lanes.group(LaneGroup.Task);
    if (e.kind === 'goal.start') {
      this.goal = e.goal;
      const continued = e.resumed === true && e.startTs < this.firstTs;
      const i = this.item(
        ev,
        { start: this.rel(Math.max(e.startTs, this.firstTs)), duration: 0, lane, kind: ItemKind.Goal, status: GoalStatus.Open, flags: Flag.Open | (continued ? Flag.Continued : 0), intensity: 0 },
        summary.goalSummary(e, undefined),
      );
      this.open.add(i);
      this.openGoals.set(e.goalId, i);
      return;
    }
    const i = this.openGoals.get(e.goalId);
    const status = GOAL_STATUS[e.outcome] ?? GoalStatus.Done;
    if (i === undefined) {
      const from = e.ts - Math.max(0, e.durationMs);
      const start = Math.max(from, this.firstTs);
      this.item(ev, { start: this.rel(start), duration: e.ts - start, lane, kind: ItemKind.Goal, status, flags: from < this.firstTs ? Flag.Continued : 0, intensity: 0 }, summary.goalSummary(undefined, e));
      return;
    }
    this.openGoals.delete(e.goalId);
    const start = this.eventOf(i);
    this.close(i, e.ts, e, status, this.items.flags[i] ?? 0, summary.goalSummary(start?.kind === 'goal.start' ? start : undefined, e));
  }
}
