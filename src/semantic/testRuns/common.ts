/**
 * What every runner's output parser shares: the shape of its result ({@link RunnerParse}),
 * the {@link Found} accumulator that builds it, and small helpers for counts. Plain Node;
 * never imports `vscode`.
 */
import { MAX_FAILING_NAMES, MAX_NAME_LENGTH, type TestRunner } from './types';

/** What one runner's parser found in the output. Exported for tests. */
export interface RunnerParse {
  runner: TestRunner;
  passed?: number;
  failed?: number;
  skipped?: number;
  failing: string[];
  /** A summary with counts was found. */
  counted: boolean;
  /** Index of the last summary or marker line found; chooses between formats. */
  lastLine: number;
  /** The counts are not about tests: none could run (every file failed to load, collection errors…). */
  noTestsRan: boolean;
  /** The output shows that tests could not run, or not all of them (compile, collection or load errors, a crash). */
  errored: boolean;
  /** The output shows failures (without necessarily counting them). */
  failedMarker: boolean;
  /** The output shows success without counting tests (Gradle's `BUILD SUCCESSFUL`, Maven's `BUILD SUCCESS`). */
  passedMarker: boolean;
}

export type OutputParser = (lines: readonly string[]) => RunnerParse | undefined;

export class Found {
  passed = 0;
  failed = 0;
  skipped = 0;
  counted = false;
  lastLine = -1;
  noTestsRan = false;
  errored = false;
  failedMarker = false;
  passedMarker = false;
  private readonly failingNames = new Set<string>();

  constructor(private readonly runner: TestRunner) {}

  get names(): ReadonlySet<string> {
    return this.failingNames;
  }

  fail(name: string): void {
    const n = name.trim();
    if (n === '' || this.failingNames.size >= MAX_FAILING_NAMES) return;
    this.failingNames.add(n.length > MAX_NAME_LENGTH ? `${n.slice(0, MAX_NAME_LENGTH - 1)}…` : n);
  }

  count(line: number, passed: number, failed: number, skipped: number): void {
    this.passed += Math.max(0, passed);
    this.failed += Math.max(0, failed);
    this.skipped += Math.max(0, skipped);
    this.counted = true;
    this.mark(line);
  }

  /** Replaces earlier counts (for formats that redraw their summary: the last one holds). */
  setCount(line: number, passed: number, failed: number, skipped: number): void {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.count(line, passed, failed, skipped);
  }

  mark(line: number): void {
    if (line > this.lastLine) this.lastLine = line;
  }

  /** Marks an error that kept tests from running. */
  error(line: number): void {
    this.errored = true;
    this.mark(line);
  }

  result(): RunnerParse | undefined {
    const failing = [...this.failingNames];
    if (!this.counted && !this.errored && !this.failedMarker && !this.passedMarker && failing.length === 0) return undefined;
    const r: RunnerParse = {
      runner: this.runner,
      failing,
      counted: this.counted,
      lastLine: this.lastLine,
      noTestsRan: this.noTestsRan,
      errored: this.errored || this.noTestsRan,
      failedMarker: this.failedMarker || failing.length > 0,
      passedMarker: this.passedMarker,
    };
    if (this.counted) {
      r.passed = this.passed;
      r.failed = this.failed;
      r.skipped = this.skipped;
    }
    return r;
  }
}

export function int(s: string | undefined): number {
  return s === undefined ? 0 : Number.parseInt(s, 10) || 0;
}

/** `2 failed, 1 skipped, 3 passed` (separator `,`) or `2 failed | 3 passed` (`|`) → word → number. */
export function countParts(text: string, separator: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const part of text.split(separator)) {
    const m = /^(\d+) ([a-z][a-z ]*)$/i.exec(part.trim());
    if (m) {
      const key = m[2].toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + int(m[1]));
    }
  }
  return counts;
}

export function get(counts: ReadonlyMap<string, number>, ...keys: string[]): number {
  let n = 0;
  for (const k of keys) n += counts.get(k) ?? 0;
  return n;
}
