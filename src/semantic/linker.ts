/**
 * The linking part of the semantic layer: turns separate events into one story
 *
 *     edit steps → a test run that fails → more edit steps → the same test passing → a commit
 *
 * - Before a terminal command, task, test run or debug session is recorded, the open edit
 *   step is closed, and the run carries `after`: the ids of the edit steps since the
 *   previous run of the same kind.
 * - Terminal commands, tasks and debug sessions recognised as test runs give a derived
 *   `test.run` (runner, counts, failing tests), with `transition` (`fixed` / `broke`) when
 *   its outcome differs from the previous run of the same command.
 * - A commit carries the test runs since the previous commit and whether the last passed,
 *   and a commit the collector could not attribute is attributed to a `git commit` typed
 *   in a terminal shortly before.
 *
 * Plain Node. `enrich` runs in the Recorder before an event is stamped; `observe` sees
 * every stamped event.
 */
import type { EventOf, NewEvent, NewEventOf, TestOutcome, TraceEvent } from '../trace/events';
import { parseTestOutput, recogniseTestCommand, recogniseTestTask, type TestRunner } from './testRuns';

type RunKind = 'terminal.command' | 'task.run' | 'test.run' | 'debug.session';

export interface LinkerOptions {
  /** Derive test.run events (worktrace.capture.tests). */
  tests: () => boolean;
  /** A `git commit` command this recent (ms) before a commit makes its origin `terminal`. */
  terminalCommitWindowMs?: number;
}

/** Normalises a command line for "the same command" (whitespace, env prefixes kept). */
export function commandKey(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

const GIT_COMMIT = /(?:^|[;&|]\s*|\s)git(?:\s+-[Cc]\s+\S+)*\s+commit\b/;

export class Linker {
  /** Edit-step ids since the previous run of each kind. */
  private readonly stepsSince: Record<RunKind, string[]> = { 'terminal.command': [], 'task.run': [], 'test.run': [], 'debug.session': [] };
  private readonly lastOutcome = new Map<string, { id: string; outcome: TestOutcome }>();
  private testsSinceCommit: { id: string; outcome: TestOutcome }[] = [];
  private lastGitCommitCommand: { ts: number; cwd: string | null } | undefined;

  constructor(
    private readonly emit: (event: NewEvent) => void,
    private readonly closeSteps: () => void,
    private readonly options: LinkerOptions,
  ) {}

  /** Adds the links to an event before it is stamped. */
  enrich(event: NewEvent): NewEvent {
    switch (event.kind) {
      case 'terminal.command':
      case 'task.run':
      case 'test.run':
        this.closeSteps();
        return this.withAfter(event);
      case 'debug.session':
        if (event.phase === 'start') {
          this.closeSteps();
          return this.withAfter(event);
        }
        return event;
      case 'git.commit':
        return this.linkCommit(event);
      default:
        return event;
    }
  }

  private withAfter<E extends NewEventOf<RunKind>>(event: E): E {
    const kind = event.kind;
    const after = this.stepsSince[kind];
    this.stepsSince[kind] = [];
    if (kind === 'test.run') {
      const run: NewEventOf<'test.run'> = event;
      const key = commandKey(run.command);
      const previous = this.lastOutcome.get(key);
      const enriched: NewEventOf<'test.run'> = { ...run, after };
      if (previous && (previous.outcome === 'passed' || previous.outcome === 'failed') && (run.outcome === 'passed' || run.outcome === 'failed') && previous.outcome !== run.outcome) {
        enriched.transition = run.outcome === 'passed' ? 'fixed' : 'broke';
        enriched.previous = previous.id;
      }
      return enriched as E;
    }
    return { ...event, after };
  }

  private linkCommit(event: NewEventOf<'git.commit'>): NewEventOf<'git.commit'> {
    const tests = this.testsSinceCommit;
    this.testsSinceCommit = [];
    const last = tests.at(-1);
    const linked: NewEventOf<'git.commit'> = {
      ...event,
      tests: tests.map((t) => t.id),
      lastTestPassed: last ? last.outcome === 'passed' : null,
    };
    const window = this.options.terminalCommitWindowMs ?? 60_000;
    if (event.origin === 'external' && this.lastGitCommitCommand && Date.now() - this.lastGitCommitCommand.ts <= window) {
      linked.origin = 'terminal';
      this.lastGitCommitCommand = undefined;
    }
    return linked;
  }

  /** Sees every stamped event: collects step ids, remembers outcomes, derives test runs. */
  observe(event: TraceEvent): void {
    switch (event.kind) {
      case 'edit.step':
        for (const kind of Object.keys(this.stepsSince) as RunKind[]) {
          this.stepsSince[kind].push(event.id);
        }
        return;
      case 'test.run':
        this.lastOutcome.set(commandKey(event.command), { id: event.id, outcome: event.outcome });
        this.testsSinceCommit.push({ id: event.id, outcome: event.outcome });
        return;
      case 'terminal.command':
        if (GIT_COMMIT.test(event.commandLine) && event.exitCode !== 1) {
          this.lastGitCommitCommand = { ts: event.ts, cwd: event.cwd };
        }
        this.deriveFromTerminal(event);
        return;
      case 'task.run':
        this.deriveFromTask(event);
        return;
      case 'debug.session':
        if (event.phase === 'end') {
          this.deriveFromDebug(event);
        }
        return;
      default:
        return;
    }
  }

  private deriveFromTerminal(event: EventOf<'terminal.command'>): void {
    if (!this.options.tests()) {
      return;
    }
    const runner = recogniseTestCommand(event.commandLine);
    if (!runner) {
      return;
    }
    this.emitTestRun(runner, event.commandLine, 'terminal', event.id, event.output, event.exitCode, event.durationMs);
  }

  private deriveFromTask(event: EventOf<'task.run'>): void {
    if (!this.options.tests()) {
      return;
    }
    const match = recogniseTestTask(event.name, event.group === 'test' ? 'test' : event.group === 'build' ? 'build' : undefined);
    if (!match) {
      return;
    }
    this.emitTestRun(match.runner ?? 'task', event.name, 'task', event.id, undefined, event.exitCode, event.durationMs);
  }

  private deriveFromDebug(event: EventOf<'debug.session'>): void {
    if (!this.options.tests() || event.parent) {
      return;
    }
    const config = event.configuration ?? {};
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
    const parts = [config.runtimeExecutable, config.program, ...list(config.runtimeArgs), ...list(config.args)].filter((p): p is string => typeof p === 'string');
    const runner = recogniseTestCommand(parts.join(' ').replace(/\S*\/node_modules\/\.bin\//g, '').replace(/\S*\/node_modules\/(\w+)\/bin\/\S+/g, '$1'));
    if (!runner) {
      return;
    }
    this.emitTestRun(runner, event.name, 'debug', event.id, event.output, event.exitCode ?? null, event.durationMs ?? null);
  }

  private emitTestRun(runner: TestRunner | 'task', command: string, origin: 'terminal' | 'task' | 'debug', source: string, output: string | undefined, exitCode: number | null, durationMs: number | null): void {
    // Without output (tasks, output capture off) only the exit code speaks.
    const summary =
      output === undefined
        ? { outcome: exitCode === 0 ? ('passed' as const) : exitCode === null ? ('unknown' as const) : ('failed' as const), failing: [] as string[], detected: undefined, passed: undefined, failed: undefined, skipped: undefined }
        : parseTestOutput(output, exitCode, runner === 'task' ? undefined : runner);
    this.emit({
      kind: 'test.run',
      runner: summary.detected ?? runner,
      command,
      origin,
      source,
      outcome: summary.outcome,
      ...(summary.passed !== undefined ? { passed: summary.passed } : {}),
      ...(summary.failed !== undefined ? { failed: summary.failed } : {}),
      ...(summary.skipped !== undefined ? { skipped: summary.skipped } : {}),
      failing: summary.failing.slice(0, 50),
      durationMs,
      after: [],
    });
  }
}
