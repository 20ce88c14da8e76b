/**
 * Whether a VS Code task runs tests, from its command line, its group or its name. Plain
 * Node; never imports `vscode`.
 */
import { gradleRunsTests, mavenRunsTests, recogniseTestCommand, TEST_SCRIPT } from './recognise';
import type { TestRunner } from './types';

/** How a task was recognised as running tests. */
export interface TestTaskMatch {
  /** The runner, when the command line or the task's name tells. */
  runner?: TestRunner;
  /** `command`: its command line runs tests; `group`: it is in the `test` group; `name`: its name says so. */
  reason: 'command' | 'group' | 'name';
}

/**
 * Whether a VS Code task runs tests: its command line is a test command (whatever its
 * group), or it is in the `test` group, or (outside the `build` group) its name is a test
 * command or test script (`npm: test`, `npm: test:unit - packages/app`, `test`,
 * `cargo test`, `rust: cargo test`, `gradle: test`). `name` is the task's label or name,
 * with or without the `source: ` prefix VS Code shows.
 */
export function recogniseTestTask(name: string, group: 'test' | 'build' | undefined, commandLine?: string): TestTaskMatch | undefined {
  if (commandLine !== undefined) {
    const runner = recogniseTestCommand(commandLine);
    if (runner) return { runner, reason: 'command' };
  }
  const fromName = recogniseTaskName(name);
  if (group === 'test') return fromName.runner ? { runner: fromName.runner, reason: 'group' } : { reason: 'group' };
  if (group === 'build' || !fromName.isTest) return undefined;
  return fromName.runner ? { runner: fromName.runner, reason: 'name' } : { reason: 'name' };
}

const TASK_SOURCE = /^([\w.-]+): (.+)$/;

function recogniseTaskName(name: string): { isTest: boolean; runner?: TestRunner } {
  let label = name.trim().slice(0, 1000);
  let source: string | undefined;
  const m = TASK_SOURCE.exec(label);
  if (m) {
    source = m[1].toLowerCase();
    label = m[2];
  }
  // npm tasks in sub-folders: `npm: test - packages/app`.
  const dash = label.indexOf(' - ');
  const script = dash >= 0 ? label.slice(0, dash).trim() : label;
  if (source === 'npm' || source === 'yarn' || source === 'pnpm') {
    return TEST_SCRIPT.test(script) ? { isTest: true, runner: source } : { isTest: false };
  }
  const runner = recogniseTestCommand(label);
  if (runner) return { isTest: true, runner };
  if (source === 'gradle' || source === 'maven') {
    const args = label.split(/\s+/);
    if (source === 'gradle' ? gradleRunsTests(args) : mavenRunsTests(args)) return { isTest: true, runner: source };
  }
  if (TEST_SCRIPT.test(script) || /^(?:run |unit |integration |e2e )?tests?$/i.test(script)) return { isTest: true };
  return { isTest: false };
}
