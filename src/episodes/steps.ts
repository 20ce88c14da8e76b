/**
 * The steps of one episode: the trace's events of one piece of work turned into ordered
 * action/observation pairs (src/episodes/episode.ts), with the trace's links (`after`,
 * `source`, `previous`, a commit's test runs) turned into step indices within the episode.
 *
 * - `edit.step` → `edit`; the `diagnostics.change` events of its file that follow, until the
 *   next step, are its observation;
 * - `terminal.command` → `command`, `task.run` → `task`, `test.run` → `test`;
 * - a debug session (start, stops, end) → one `debug` step, at the place of its start;
 * - `git.commit` → `commit`, `git.checkout` → `checkout`;
 * - `file.change` → `file-change`, `file.bulk` → `file-bulk`;
 * - `editor.view` → `view` (consecutive views of one file coalesce), `editor.navigate` → `navigate`;
 * - markers and file operations (`privacy.redacted`, `capture.*`, `terminal.open`,
 *   `debug.breakpoints`, `file.create`/`delete`/`rename`) → `event` steps carrying their body;
 * - documents, focus, selections, sessions and goals make no step.
 *
 * Values are copied field by field (no field a later format revision adds leaks into the
 * episode). Plain Node; never imports `vscode`.
 */
import { commandKey } from '../semantic/linker';
import { EDIT_CAUSES, type ChangeAttribution, type ChangedFile, type EditCause, type EventOf, type LineRange, type SourceLocation, type TraceEvent, type Authorship, type AuthorshipCounts } from '../trace/events';
import type { DebugStepData, EpisodeStep, StepType, TestStepData } from './episode';

const ENVELOPE = new Set(['schema', 'id', 'seq', 'ts', 'session', 'workspace', 'kind']);

/** Kinds carried as `event` steps. */
const CARRIED = new Set<TraceEvent['kind']>(['privacy.redacted', 'capture.pause', 'capture.resume', 'capture.dropped', 'terminal.open', 'debug.breakpoints', 'file.create', 'file.delete', 'file.rename']);

function attribution(by: ChangeAttribution): ChangeAttribution {
  const copy: ChangeAttribution = { by: by.by, confidence: by.confidence };
  if (by.command !== undefined) copy.command = by.command;
  if (by.terminal !== undefined) copy.terminal = by.terminal;
  if (by.program !== undefined) copy.program = by.program;
  if (by.operation !== undefined) copy.operation = by.operation;
  return copy;
}

function changedFiles(files: readonly ChangedFile[]): ChangedFile[] {
  return files.map((f) => ({ path: f.path, change: f.change, added: f.added, removed: f.removed }));
}

function location(l: SourceLocation): SourceLocation {
  return l.column === undefined ? { path: l.path, line: l.line } : { path: l.path, line: l.line, column: l.column };
}

function counts(c: AuthorshipCounts): AuthorshipCounts {
  return { typed: c.typed, pasted: c.pasted, completion: c.completion, assistant: c.assistant, tool: c.tool, formatter: c.formatter, refactor: c.refactor, unknown: c.unknown };
}

function authorship(a: Authorship): Authorship {
  return { lines: counts(a.lines), files: a.files.map((f) => ({ path: f.path, lines: counts(f.lines) })), unexplained: a.unexplained };
}

/** A cause of a newer format revision becomes `programmatic` (the catch-all of edits not told apart). */
function knownCause(cause: string): EditCause {
  return (EDIT_CAUSES as readonly string[]).includes(cause) ? (cause as EditCause) : 'programmatic';
}

/** Sorted, overlapping and adjacent ranges merged. */
export function mergeRanges(ranges: readonly LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: LineRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + 1) {
      last.end = Math.max(last.end, r.end);
    } else {
      merged.push({ start: r.start, end: r.end });
    }
  }
  return merged;
}

/** The event's body without its envelope. */
function body(event: TraceEvent): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (!ENVELOPE.has(key)) data[key] = value;
  }
  return data;
}

/** Where a debug session started, for a session whose start lies before the episode. */
export type DebugStartLookup = (sessionId: string) => EventOf<'debug.session'> | undefined;

export class StepCollector {
  readonly steps: EpisodeStep[] = [];
  /** Event id → index of the step made from it. */
  private readonly byEvent = new Map<string, number>();
  /** Debug session id → its step. */
  private readonly debugSteps = new Map<string, DebugStepData>();
  /** Normalised test command → its last test step. */
  private readonly lastTest = new Map<string, number>();

  constructor(private readonly debugStart: DebugStartLookup = () => undefined) {}

  /** Consumes one event of the episode (any kind; kinds that make no step are ignored). */
  add(event: TraceEvent): void {
    switch (event.kind) {
      case 'edit.step':
        this.push(event.id, {
          index: 0,
          type: 'edit',
          ts: event.startTs,
          durationMs: Math.max(0, event.durationMs),
          session: event.session,
          eventIds: [event.id, ...event.editIds],
          action: { path: event.path, diff: event.diff, cause: knownCause(event.cause), added: event.added, removed: event.removed, edits: event.edits },
          observation: { diagnostics: [] },
        });
        return;
      case 'diagnostics.change':
        this.diagnostics(event);
        return;
      case 'terminal.command':
        this.push(event.id, {
          index: 0,
          type: 'command',
          ...this.timing(event, event.startTs, event.durationMs),
          action: {
            commandLine: event.commandLine,
            cwd: event.cwd,
            terminal: event.terminal,
            ...(event.shell !== undefined ? { shell: event.shell } : {}),
            ...(event.program !== undefined ? { program: event.program } : {}),
          },
          observation: {
            exitCode: event.exitCode,
            ...(event.output !== undefined ? { output: event.output } : {}),
            ...(event.outputTruncated !== undefined ? { outputTruncated: event.outputTruncated } : {}),
            ...(event.files !== undefined ? { files: changedFiles(event.files) } : {}),
          },
          after: this.indices(event.after, 'edit'),
        });
        return;
      case 'task.run':
        this.push(event.id, {
          index: 0,
          type: 'task',
          ...this.timing(event, event.startTs, event.durationMs),
          action: { name: event.name, source: event.source, ...(event.group !== undefined ? { group: event.group } : {}) },
          observation: { exitCode: event.exitCode, ...(event.files !== undefined ? { files: changedFiles(event.files) } : {}) },
          after: this.indices(event.after, 'edit'),
        });
        return;
      case 'test.run':
        this.testRun(event);
        return;
      case 'debug.session':
      case 'debug.stop':
        this.debug(event);
        return;
      case 'git.commit':
        this.push(event.id, {
          index: 0,
          type: 'commit',
          ...this.timing(event, null, null),
          action: { repo: event.repo, message: event.message, branch: event.branch, amend: event.amend, origin: event.origin },
          observation: {
            sha: event.sha,
            parents: [...event.parents],
            files: event.files.map((f) => ({ path: f.path, added: f.added, removed: f.removed })),
            tests: this.indices(event.tests, 'test'),
            lastTestPassed: event.lastTestPassed,
            ...(event.authorship !== undefined ? { authorship: authorship(event.authorship) } : {}),
          },
        });
        return;
      case 'git.checkout':
        this.push(event.id, { index: 0, type: 'checkout', ...this.timing(event, null, null), action: { repo: event.repo, from: event.from, to: event.to }, observation: { sha: event.sha } });
        return;
      case 'file.change':
        this.push(event.id, {
          index: 0,
          type: 'file-change',
          ...this.timing(event, null, null),
          action: { by: attribution(event.by) },
          observation: {
            path: event.path,
            change: event.change,
            ...(event.diff !== undefined ? { diff: event.diff } : {}),
            added: event.added,
            removed: event.removed,
            ...(event.omitted !== undefined ? { omitted: event.omitted } : {}),
          },
        });
        return;
      case 'file.bulk':
        this.push(event.id, {
          index: 0,
          type: 'file-bulk',
          ...this.timing(event, null, null),
          action: { by: attribution(event.by) },
          observation: { count: event.count, created: event.created, changed: event.changed, deleted: event.deleted, paths: [...event.paths], truncated: event.truncated },
        });
        return;
      case 'editor.view':
        this.view(event);
        return;
      case 'editor.navigate':
        this.push(event.id, {
          index: 0,
          type: 'navigate',
          ...this.timing(event, null, null),
          action: { from: event.from === null ? null : location(event.from), to: location(event.to), via: event.via, trigger: event.trigger },
          observation: {},
        });
        return;
      default:
        if (CARRIED.has(event.kind)) {
          this.push(event.id, { index: 0, type: 'event', ...this.timing(event, null, null), action: { kind: event.kind }, observation: { data: body(event) } });
        }
        return;
    }
  }

  /** The episode ended: a debug session still running lasts until the last event of its session in the episode. */
  finish(sessionEnd: (session: string) => number): void {
    for (const step of this.debugSteps.values()) {
      if (!step.observation.ended) {
        step.durationMs = Math.max(0, sessionEnd(step.session) - step.ts);
      }
    }
  }

  private push(eventId: string, step: EpisodeStep): EpisodeStep {
    step.index = this.steps.length;
    this.steps.push(step);
    this.byEvent.set(eventId, step.index);
    return step;
  }

  private timing(event: TraceEvent, startTs: number | null, durationMs: number | null): { ts: number; durationMs: number; session: string; eventIds: string[] } {
    const duration = durationMs === null ? 0 : Math.max(0, durationMs);
    return { ts: startTs ?? event.ts - duration, durationMs: duration, session: event.session, eventIds: [event.id] };
  }

  /** Indices of the steps of type `type` made from these event ids (others are outside the episode). */
  private indices(ids: readonly string[], type: StepType): number[] {
    const result: number[] = [];
    for (const id of ids) {
      const index = this.byEvent.get(id);
      if (index !== undefined && this.steps[index].type === type && !result.includes(index)) {
        result.push(index);
      }
    }
    return result;
  }

  private diagnostics(event: EventOf<'diagnostics.change'>): void {
    const last = this.steps[this.steps.length - 1];
    if (last?.type !== 'edit' || last.action.path !== event.path) {
      return;
    }
    last.observation.diagnostics.push({
      path: event.path,
      before: { errors: event.before.errors, warnings: event.before.warnings },
      after: { errors: event.after.errors, warnings: event.after.warnings },
      new: event.new.map((n) => ({
        severity: n.severity,
        message: n.message,
        line: n.line,
        ...(n.source !== undefined ? { source: n.source } : {}),
        ...(n.code !== undefined ? { code: n.code } : {}),
      })),
    });
    last.eventIds.push(event.id);
  }

  private testRun(event: EventOf<'test.run'>): void {
    const source = event.source === undefined ? undefined : this.byEvent.get(event.source);
    const key = commandKey(event.command);
    const linked = event.previous === undefined ? undefined : this.byEvent.get(event.previous);
    const previous = linked !== undefined && this.steps[linked].type === 'test' ? linked : this.lastTest.get(key);
    const timing = this.timing(event, null, event.durationMs);
    if (source !== undefined) {
      timing.ts = this.steps[source].ts;
    }
    const step: TestStepData = {
      index: 0,
      type: 'test',
      ...timing,
      action: { runner: event.runner, command: event.command, origin: event.origin },
      observation: {
        outcome: event.outcome,
        ...(event.passed !== undefined ? { passed: event.passed } : {}),
        ...(event.failed !== undefined ? { failed: event.failed } : {}),
        ...(event.skipped !== undefined ? { skipped: event.skipped } : {}),
        failing: [...event.failing],
        ...(event.transition !== undefined ? { transition: event.transition } : {}),
      },
      ...(source !== undefined ? { source } : {}),
      after: this.indices(event.after, 'edit'),
      ...(previous !== undefined ? { previous } : {}),
    };
    this.push(event.id, step);
    this.lastTest.set(key, step.index);
  }

  private debug(event: EventOf<'debug.session'> | EventOf<'debug.stop'>): void {
    let step = this.debugSteps.get(event.sessionId);
    if (!step) {
      const start = event.kind === 'debug.session' && event.phase === 'start' ? event : this.debugStart(event.sessionId);
      const described = start ?? (event.kind === 'debug.session' ? event : undefined);
      step = {
        index: 0,
        type: 'debug',
        ts: start?.ts ?? event.ts,
        durationMs: 0,
        session: event.session,
        eventIds: [],
        action: {
          name: described?.name ?? event.sessionId,
          type: described?.type ?? 'unknown',
          request: described?.request ?? 'unknown',
          ...(described?.configuration !== undefined ? { configuration: described.configuration } : {}),
        },
        observation: { stops: [], ended: false },
        after: start === event && start.after !== undefined ? this.indices(start.after, 'edit') : [],
      };
      this.push(event.id, step);
      this.debugSteps.set(event.sessionId, step);
    } else {
      this.byEvent.set(event.id, step.index);
    }
    if (!step.eventIds.includes(event.id)) {
      step.eventIds.push(event.id);
    }
    if (event.kind === 'debug.stop') {
      step.observation.stops.push({
        ts: event.ts,
        reason: event.reason,
        ...(event.description !== undefined ? { description: event.description } : {}),
        ...(event.exception !== undefined
          ? {
              exception: {
                message: event.exception.message,
                ...(event.exception.frame !== undefined
                  ? { frame: { name: event.exception.frame.name, ...(event.exception.frame.location !== undefined ? { location: location(event.exception.frame.location) } : {}) } }
                  : {}),
              },
            }
          : {}),
      });
    } else if (event.phase === 'end') {
      const o = step.observation;
      if (event.exitCode !== undefined) o.exitCode = event.exitCode;
      if (event.exception !== undefined) o.exception = event.exception;
      if (event.output !== undefined) o.output = event.output;
      o.ended = true;
      step.durationMs = Math.max(0, event.durationMs ?? event.ts - step.ts);
    }
  }

  private view(event: EventOf<'editor.view'>): void {
    const last = this.steps[this.steps.length - 1];
    if (last?.type === 'view' && last.action.path === event.path) {
      const view = last;
      view.observation.ranges = mergeRanges([...view.observation.ranges, ...event.ranges]);
      view.durationMs = Math.max(view.durationMs, event.ts - view.ts);
      view.eventIds.push(event.id);
      this.byEvent.set(event.id, view.index);
      return;
    }
    this.push(event.id, { index: 0, type: 'view', ...this.timing(event, null, null), action: { path: event.path }, observation: { ranges: mergeRanges(event.ranges) } });
  }
}
