/**
 * The public shapes of test-run recognition: the runners, the outcomes, the summary of a
 * run's output, and the limits the parsers keep to. Plain Node; never imports `vscode`.
 */

export type TestRunner =
  | 'npm'
  | 'yarn'
  | 'pnpm'
  | 'jest'
  | 'vitest'
  | 'mocha'
  | 'node'
  | 'pytest'
  | 'go'
  | 'cargo'
  | 'maven'
  | 'gradle'
  | 'dotnet'
  | 'rspec'
  | 'phpunit';

export const TEST_RUNNERS: readonly TestRunner[] = [
  'npm', 'yarn', 'pnpm', 'jest', 'vitest', 'mocha', 'node', 'pytest', 'go', 'cargo', 'maven', 'gradle', 'dotnet', 'rspec', 'phpunit',
];

export type TestOutcome = 'passed' | 'failed' | 'errored' | 'unknown';

export interface TestSummary {
  /**
   * - `failed`: the runner counted failing tests, or (without counts) printed failures.
   * - `errored`: the tests could not run, or not all of them (compile errors, collection
   *   errors, a crash before the first test, a suite that failed to load), or the command
   *   failed although no test did (exit code ≠ 0 with no failures counted), or it failed
   *   and printed nothing recognisable.
   * - `passed`: counts without failures and an exit code of 0 or unknown; also a test
   *   command that exited 0 without a recognisable summary.
   * - `unknown`: nothing recognisable and no exit code.
   */
  outcome: TestOutcome;
  passed?: number;
  /** Failing tests; tests that errored (pytest `error`, surefire `Errors`, phpunit `Errors`) count here. */
  failed?: number;
  /** Skipped, ignored, pending, todo and expected-failure (pytest `xfailed`) tests. */
  skipped?: number;
  /** Names of failing tests where the output names them: at most {@link MAX_FAILING_NAMES}, each at most {@link MAX_NAME_LENGTH} characters. */
  failing: string[];
  /** The format actually found in the output (a package manager is never detected; the runner it ran is). */
  detected?: TestRunner;
}

export const MAX_FAILING_NAMES = 50;
export const MAX_NAME_LENGTH = 300;
/** Lines longer than this (in UTF-16 code units) are ignored by the output parsers. */
export const MAX_PARSED_LINE = 4096;
