import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import type { TestOutcome, TraceSink } from '../trace/events';

/** The shape of the proposed `testObserver` API (feature-detected at run time, never declared). */
interface TestResultSnapshot {
  readonly label: string;
  readonly taskStates: readonly { readonly state: number }[];
  readonly children: readonly TestResultSnapshot[];
}
interface TestRunResult {
  readonly completedAt: number;
  readonly results: readonly TestResultSnapshot[];
}
interface TestObserver {
  readonly onDidChangeTestResults?: vscode.Event<void>;
  readonly testResults?: readonly TestRunResult[];
}

// vscode.TestResultState
const PASSED = 3;
const FAILED = 4;
const SKIPPED = 5;
const ERRORED = 6;

/**
 * Records test runs of test extensions (Test Explorer) as `test.run` (origin `test-api`),
 * where VS Code offers the proposed testObserver API (code-server, Insiders, extension
 * development). On stable desktop builds it is absent and this collector does nothing.
 */
export class TestResultsCollector extends Disposable {
  private readonly seen = new WeakSet<TestRunResult>();

  /** Whether the API exists in this VS Code. */
  static available(): boolean {
    try {
      return typeof (vscode.tests as unknown as TestObserver).onDidChangeTestResults === 'function';
    } catch {
      return false;
    }
  }

  constructor(
    private readonly sink: TraceSink,
    log: Logger,
  ) {
    super();
    const observer = vscode.tests as unknown as TestObserver;
    if (typeof observer.onDidChangeTestResults !== 'function') {
      return;
    }
    this.register(observer.onDidChangeTestResults(guard(log, 'test results', () => this.changed(observer))));
  }

  private changed(observer: TestObserver): void {
    const run = observer.testResults?.[0];
    if (!run || this.seen.has(run)) {
      return;
    }
    this.seen.add(run);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let errored = 0;
    const failing: string[] = [];
    const visit = (item: TestResultSnapshot, trail: string[]): void => {
      const names = [...trail, item.label];
      if (item.children.length === 0) {
        const state = item.taskStates.at(-1)?.state;
        if (state === PASSED) passed++;
        else if (state === SKIPPED) skipped++;
        else if (state === FAILED || state === ERRORED) {
          if (state === FAILED) failed++;
          else errored++;
          if (failing.length < 50) failing.push(names.join(' › '));
        }
      }
      item.children.forEach((child) => visit(child, names));
    };
    run.results.forEach((item) => visit(item, []));
    const outcome: TestOutcome = failed > 0 ? 'failed' : errored > 0 ? 'errored' : passed > 0 ? 'passed' : 'unknown';
    this.sink.emit({
      kind: 'test.run',
      runner: 'test-api',
      command: run.results.map((r) => r.label).join(', ').slice(0, 200),
      origin: 'test-api',
      outcome,
      passed,
      failed: failed + errored,
      skipped,
      failing,
      durationMs: null,
      after: [],
    });
  }
}
