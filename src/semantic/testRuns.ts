/**
 * Recognising test runs in terminals and tasks, for the `test.run` event: which command
 * lines run tests, and what a runner's output says about the run (counts, outcome, names
 * of the failing tests). Plain Node; never imports `vscode`.
 *
 * Output parsing is line based: every runner's parser walks the lines once and matches
 * short, anchored patterns; lines longer than {@link MAX_PARSED_LINE} are skipped (no
 * summary line is that long), so megabytes of output parse in linear time.
 */
import { stripTerminalSequences } from './terminalText';

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
/** Longest command line examined by {@link recogniseTestCommand}. */
export const MAX_COMMAND_LINE = 16 * 1024;

// ---------------------------------------------------------------------------------------
// Command lines

/** Programs that just run the rest of their arguments as a command. */
const PLAIN_WRAPPERS = new Set(['time', 'command', 'exec', 'nohup', 'builtin', 'noglob', 'stdbuf', 'unbuffer']);
const TEST_SCRIPT = /^(?:test|tests|spec|specs)(?:[:._-][\w:.@/+-]*)?$/i;
const NO_VALUE_HELP = new Set(['--help', '-h', '--version']);

/**
 * The test runner a command line, as typed in a shell, starts; undefined when it does not
 * run tests. Handles `;`, `&&`, `||`, `&`, pipes and newlines (the first segment that runs
 * tests wins: `cd app && npm test | tee log` → `npm`), subshells and groups, quotes, env
 * assignments (`CI=1 npm test`), the wrappers `time`, `env`, `command`, `exec`, `nohup`,
 * `nice`, `timeout`, `xvfb-run`, `cross-env`, `dotenv --`, `sh -c '…'`, `npx`/`pnpx`/
 * `bunx`/`npm exec`/`yarn dlx`/`pnpm dlx`/`pnpm exec`, `bundle exec`, `uv`/`poetry`/
 * `pipenv`/`pdm`/`hatch run`, and paths to the program (`./node_modules/.bin/jest`,
 * `vendor/bin/phpunit`, `./mvnw`, `.\gradlew.bat`). `sudo` is not a wrapper: `sudo npm
 * test` is not recognised.
 *
 * Decisions: Maven `test`, `verify`, `integration-test` and the surefire/failsafe goals
 * run tests (so `mvn -q verify` counts) unless `-DskipTests`/`-Dmaven.test.skip` is given;
 * `package`, `install` and `deploy` also run tests but are build commands and do not
 * count. Gradle tasks `test`, `check`, `test<Variant>`, `…Test` (e.g. `integrationTest`,
 * `:app:testDebugUnitTest`) count; `build` does not. npm/yarn/pnpm scripts named `test`,
 * `tests`, `spec`, or starting with one of them and `:`, `-`, `_`, `.` (`test:unit`,
 * `test-e2e`) count, as do `npm it`/`cit`/`install-test`.
 */
export function recogniseTestCommand(commandLine: string): TestRunner | undefined {
  return recogniseIn(commandLine.slice(0, MAX_COMMAND_LINE), 0);
}

function recogniseIn(commandLine: string, depth: number): TestRunner | undefined {
  for (const words of splitCommands(commandLine)) {
    const runner = recogniseWords(words, depth);
    if (runner) return runner;
  }
  return undefined;
}

/**
 * Splits a shell command line into simple commands (lists of words), at unquoted `;`,
 * `&`, `&&`, `|`, `||`, `|&`, newlines, `(`, `)`, `{`, `}` and backticks (not the `&` of
 * `2>&1`). Removes quotes and backslash escapes, except that a backslash before a letter,
 * digit, `.`, `_` or `-` is kept (Windows paths; in sh it would just drop the backslash);
 * a `#` starting a word starts a comment. Linear time.
 */
export function splitCommands(commandLine: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const s = commandLine;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'") {
      inWord = true;
      const close = s.indexOf("'", i + 1);
      const end = close < 0 ? s.length : close;
      word += s.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`\n'.includes(s[j + 1])) j++;
        word += s[j];
      }
      i = j;
    } else if (ch === '\\' && /[\w.-]/.test(s[i + 1] ?? '')) {
      inWord = true; // a Windows path (`.\gradlew`, `C:\tools\jest.cmd`); in sh `\x` is just `x`
      word += ch;
    } else if (ch === '\\') {
      inWord = true;
      if (i + 1 < s.length) {
        i++;
        if (s[i] !== '\n') word += s[i];
      }
    } else if (ch === ' ' || ch === '\t') {
      endWord();
    } else if (ch === '&' && (s[i - 1] === '>' || s[i - 1] === '<' || s[i + 1] === '>')) {
      inWord = true; // a redirection: `2>&1`, `&>log`
      word += ch;
    } else if (ch === '\n' || ch === '\r' || ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')' || ch === '`') {
      endCommand();
    } else if ((ch === '{' || ch === '}') && !inWord && (i + 1 >= s.length || ' \t\n;'.includes(s[i + 1]))) {
      endCommand(); // a group's braces, not `{a,b}` brace expansion
    } else if (ch === '#' && !inWord) {
      const eol = s.indexOf('\n', i);
      i = eol < 0 ? s.length : eol - 1;
    } else {
      inWord = true;
      word += ch;
    }
  }
  endCommand();
  return commands;
}

/** The program name of a word: its base name, lower-cased, without a Windows extension. */
function programName(word: string): string {
  const slash = Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\'));
  const base = word.slice(slash + 1).toLowerCase();
  return base.replace(/\.(?:cmd|exe|bat|ps1|sh|js|cjs|mjs)$/, '');
}

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function recogniseWords(input: string[], depth: number): TestRunner | undefined {
  let words = input;
  // Unwrap env assignments and wrappers (bounded: each step consumes at least one word).
  for (let guard = 0; guard < 16 && words.length > 0; guard++) {
    const next = unwrap(words, depth);
    if (next === undefined) break;
    if (typeof next === 'string') return next === 'none' ? undefined : next;
    words = next;
  }
  if (words.length === 0) return undefined;
  const program = programName(words[0]);
  const args = words.slice(1);
  if (args.some((a) => NO_VALUE_HELP.has(a)) && program !== 'npm' && program !== 'yarn' && program !== 'pnpm') return undefined;
  return recogniseProgram(program, args);
}

/**
 * One unwrapping step: the words without a leading env assignment or wrapper, a runner
 * found in an inner command line (`sh -c '…'`), `'none'` when the wrapper's inner command
 * runs no tests, or undefined when there is nothing to unwrap.
 */
function unwrap(words: string[], depth: number): string[] | TestRunner | 'none' | undefined {
  const first = words[0];
  if (ENV_ASSIGNMENT.test(first)) return words.slice(1);
  const program = programName(first);
  const rest = words.slice(1);
  if (PLAIN_WRAPPERS.has(program)) return skipFlags(rest, new Set());
  switch (program) {
    case 'env':
      return skipWhile(skipFlags(rest, new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string'])), (w) => ENV_ASSIGNMENT.test(w));
    case 'nice':
      return skipFlags(rest, new Set(['-n', '--adjustment']));
    case 'timeout': {
      const afterFlags = skipFlags(rest, new Set(['-s', '--signal', '-k', '--kill-after']));
      return afterFlags.slice(1); // the duration
    }
    case 'xvfb-run':
      return skipFlags(rest, new Set(['-n', '--server-num', '-s', '--server-args', '-f', '--auth-file', '-e', '--error-file', '-p', '--xauth-protocol']));
    case 'cross-env':
    case 'cross-env-shell':
      return skipWhile(rest, (w) => ENV_ASSIGNMENT.test(w));
    case 'dotenv': {
      const dash = rest.indexOf('--');
      return dash < 0 ? 'none' : rest.slice(dash + 1);
    }
    case 'sh':
    case 'bash':
    case 'zsh':
    case 'dash':
    case 'ksh':
    case 'pwsh':
    case 'powershell':
    case 'cmd': {
      const c = rest.findIndex((w) => w === '-c' || w === '-lc' || w === '-Command' || w === '-command' || w === '/c' || w === '/C');
      if (c < 0 || c + 1 >= rest.length || depth >= 3) return 'none';
      // POSIX shells take one argument (the others are $0, $1…); cmd and PowerShell the rest of the line.
      const inner = program === 'cmd' || program === 'pwsh' || program === 'powershell' ? rest.slice(c + 1).join(' ') : rest[c + 1];
      return recogniseIn(inner, depth + 1) ?? 'none';
    }
    case 'npx':
    case 'pnpx':
    case 'bunx': {
      const c = rest.findIndex((w) => w === '-c' || w === '--call');
      if (c >= 0) return c + 1 < rest.length && depth < 3 ? recogniseIn(rest[c + 1], depth + 1) ?? 'none' : 'none';
      return skipFlags(rest, new Set(['-p', '--package']));
    }
    case 'bundle':
      return rest[0] === 'exec' ? rest.slice(1) : undefined;
    case 'uv':
    case 'poetry':
    case 'pipenv':
    case 'pdm':
    case 'hatch':
    case 'rye':
      return rest[0] === 'run' ? skipFlags(rest.slice(1), new Set(['--with', '--python', '-p', '--env', '-e', '--project', '--directory'])) : undefined;
    default:
      return undefined;
  }
}

/** Drops leading flags (and the values of those in `withValue`) and a `--`. */
function skipFlags(words: string[], withValue: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < words.length && words[i].startsWith('-')) {
    if (words[i] === '--') return words.slice(i + 1);
    i += withValue.has(words[i]) ? 2 : 1;
  }
  return words.slice(i);
}

function skipWhile(words: string[], pred: (w: string) => boolean): string[] {
  let i = 0;
  while (i < words.length && pred(words[i])) i++;
  return words.slice(i);
}

/** Runners that can be started by name through `npx`, `yarn`, `pnpm exec`… */
function directRunner(program: string, args: string[]): TestRunner | undefined {
  switch (program) {
    case 'jest':
      return 'jest';
    case 'vitest': {
      const sub = args.find((a) => !a.startsWith('-'));
      return sub === 'bench' || sub === 'init' || sub === 'list' ? undefined : 'vitest';
    }
    case 'mocha':
    case '_mocha':
      return 'mocha';
    case 'node':
    case 'tsx':
      return nodeRunsTests(args) ? 'node' : undefined;
    case 'pytest':
    case 'py.test':
      return 'pytest';
    case 'rspec':
      return 'rspec';
    case 'phpunit':
      return 'phpunit';
    default:
      return undefined;
  }
}

function recogniseProgram(program: string, args: string[]): TestRunner | undefined {
  const direct = directRunner(program, args);
  if (direct) return direct;
  if (program === 'node' || program === 'tsx') return undefined;
  switch (program) {
    case 'npm':
      return npmRunsTests(args) ? 'npm' : npmExec(args);
    case 'yarn':
      return packageManager('yarn', args);
    case 'pnpm':
      return packageManager('pnpm', args);
    case 'python':
    case 'python3':
    case 'py':
    case 'pypy3':
      return pythonModule(args) === 'pytest' ? 'pytest' : undefined;
    case 'go':
      return args[0] === 'test' ? 'go' : undefined;
    case 'cargo': {
      const rest = args[0]?.startsWith('+') ? args.slice(1) : args; // toolchain
      const sub = skipFlags(rest, new Set(['--manifest-path', '-Z', '--config', '-C']))[0];
      return sub === 'test' || sub === 't' ? 'cargo' : undefined;
    }
    case 'mvn':
    case 'mvnw':
    case 'mvnd':
      return mavenRunsTests(args) ? 'maven' : undefined;
    case 'gradle':
    case 'gradlew':
      return gradleRunsTests(args) ? 'gradle' : undefined;
    case 'dotnet':
      return args[0] === 'test' ? 'dotnet' : undefined;
    case 'rake':
      return args.includes('spec') || args.some((a) => a.startsWith('spec:')) ? 'rspec' : undefined;
    case 'php': {
      const script = args.find((a) => !a.startsWith('-'));
      return script !== undefined && programName(script) === 'phpunit' ? 'phpunit' : undefined;
    }
    default:
      return undefined;
  }
}

/** `node [options] --test [files]`: `--test` before the script (after it, it is the script's). */
function nodeRunsTests(args: string[]): boolean {
  const withValue = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--test-timeout', '--test-shard', '--watch-path', '--input-type', '--stack-size']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--test') return true;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '--') return false;
    if (!a.startsWith('-')) return false; // the script
    if (withValue.has(a)) i++;
  }
  return false;
}

const NPM_TEST_COMMANDS = new Set(['test', 't', 'tst', 'it', 'cit', 'install-test', 'install-ci-test', 'clean-install-test', 'sit']);
const NPM_RUN = new Set(['run', 'run-script', 'rum', 'urn']);
const NPM_FLAGS_WITH_VALUE = new Set(['--prefix', '-C', '-w', '--workspace', '--loglevel', '--userconfig', '--cache', '--registry']);

function npmRunsTests(args: string[]): boolean {
  const rest = skipFlags(args, NPM_FLAGS_WITH_VALUE);
  const sub = rest[0];
  if (sub === undefined) return false;
  if (NPM_TEST_COMMANDS.has(sub)) return true;
  if (NPM_RUN.has(sub)) {
    const script = skipFlags(rest.slice(1), NPM_FLAGS_WITH_VALUE)[0];
    return script !== undefined && TEST_SCRIPT.test(script);
  }
  return false;
}

/** `npm exec [--] jest`, `npm x jest`: the runner started. */
function npmExec(args: string[]): TestRunner | undefined {
  const rest = skipFlags(args, NPM_FLAGS_WITH_VALUE);
  if (rest[0] !== 'exec' && rest[0] !== 'x') return undefined;
  const inner = skipFlags(rest.slice(1), new Set(['-p', '--package', '-c', '--call']));
  return inner.length > 0 ? directRunner(programName(inner[0]), inner.slice(1)) : undefined;
}

const YARN_PNPM_FLAGS_WITH_VALUE = new Set(['--cwd', '-C', '--dir', '--filter', '-F', '--workspace-root', '--reporter', '--loglevel']);

/** `yarn test`, `yarn run test:unit`, `yarn jest`, `pnpm -r test`, `pnpm exec vitest`… */
function packageManager(pm: 'yarn' | 'pnpm', args: string[]): TestRunner | undefined {
  let rest = skipFlags(args, YARN_PNPM_FLAGS_WITH_VALUE);
  if (pm === 'yarn' && rest[0] === 'workspace') rest = rest.slice(2); // yarn workspace <name> <script>
  if (pm === 'yarn' && rest[0] === 'workspaces') rest = skipFlags(rest.slice(rest[1] === 'foreach' ? 2 : 1), YARN_PNPM_FLAGS_WITH_VALUE);
  let sub = rest[0];
  if (sub === undefined) return undefined;
  if (sub === 'exec' || sub === 'dlx') {
    const inner = skipFlags(rest.slice(1), new Set(['-p', '--package']));
    return inner.length > 0 ? directRunner(programName(inner[0]), inner.slice(1)) : undefined;
  }
  if (sub === 'run' || sub === 'run-script') {
    rest = skipFlags(rest.slice(1), YARN_PNPM_FLAGS_WITH_VALUE);
    sub = rest[0];
    if (sub === undefined) return undefined;
  } else if (sub === 't' || sub === 'tst') {
    return pm;
  }
  if (TEST_SCRIPT.test(sub)) return pm;
  // `yarn jest`, `pnpm vitest run`: a binary of the project.
  return directRunner(programName(sub), rest.slice(1));
}

/** `python -m pytest` → `pytest`: the module run with `-m`, if any. */
function pythonModule(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-m') return args[i + 1];
    if (a.startsWith('-m') && a.length > 2) return a.slice(2);
    if (a === '-c' || !a.startsWith('-')) return undefined;
    if (a === '-W' || a === '-X') i++;
  }
  return undefined;
}

const MAVEN_TEST_GOALS = /^(?:test|verify|integration-test|surefire:test|failsafe:integration-test|failsafe:verify|(?:[\w.-]+:)?maven-surefire-plugin(?::[\w.-]+)?:test)$/;

function mavenRunsTests(args: string[]): boolean {
  if (args.some((a) => a === '-DskipTests' || a === '-DskipTests=true' || a === '-Dmaven.test.skip' || a === '-Dmaven.test.skip=true')) return false;
  const withValue = new Set(['-f', '--file', '-pl', '--projects', '-P', '--activate-profiles', '-s', '--settings', '-gs', '--global-settings', '-rf', '--resume-from', '-T', '--threads', '-l', '--log-file', '-t', '--toolchains']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-')) {
      if (withValue.has(a)) i++;
      continue;
    }
    if (MAVEN_TEST_GOALS.test(a)) return true;
  }
  return false;
}

function gradleRunsTests(args: string[]): boolean {
  const withValue = new Set(['-x', '--exclude-task', '-p', '--project-dir', '-b', '--build-file', '-c', '--settings-file', '-g', '--gradle-user-home', '-I', '--init-script', '--tests', '-D', '-P', '--console', '--warning-mode', '--max-workers']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-')) {
      if (withValue.has(a)) i++;
      continue;
    }
    const task = a.slice(a.lastIndexOf(':') + 1);
    if (task === 'test' || task === 'check' || /^test[A-Z0-9]\w*$/.test(task) || (/^[a-z]\w*Test$/.test(task) && !task.startsWith('compile'))) return true;
  }
  return false;
}

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

// ---------------------------------------------------------------------------------------
// Output

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

class Found {
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

function int(s: string | undefined): number {
  return s === undefined ? 0 : Number.parseInt(s, 10) || 0;
}

/** `2 failed, 1 skipped, 3 passed` (separator `,`) or `2 failed | 3 passed` (`|`) → word → number. */
function countParts(text: string, separator: string): Map<string, number> {
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

function get(counts: ReadonlyMap<string, number>, ...keys: string[]): number {
  let n = 0;
  for (const k of keys) n += counts.get(k) ?? 0;
  return n;
}

/** `Label  <parts> N total` (jest) → the parts before the total and the total. */
function jestCounts(line: string, label: string): { parts: Map<string, number>; total: number } | undefined {
  if (!line.startsWith(label)) return undefined;
  const parts = line.slice(label.length).split(',');
  const total = /^\s*(\d+) total\s*$/.exec(parts[parts.length - 1]);
  if (!total) return undefined;
  return { parts: countParts(parts.slice(0, -1).join(','), ','), total: int(total[1]) };
}

// jest ----------------------------------------------------------------------------------

/**
 * jest: `Tests:       1 failed, 2 skipped, 3 passed, 6 total` (the last one: the TTY
 * status area redraws it), failing names from `● Suite › test` headings. `Test suite
 * failed to run` with no test run is `errored`; so is a failed suite without failing tests.
 */
export const parseJest: OutputParser = (lines) => {
  const f = new Found('jest');
  let suiteFailedToRun = false;
  let total = 0;
  let failedSuites = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const tests = jestCounts(line, 'Tests:');
    if (tests) {
      total = tests.total;
      f.setCount(i, get(tests.parts, 'passed'), get(tests.parts, 'failed'), get(tests.parts, 'skipped', 'todo', 'pending'));
      continue;
    }
    const suites = jestCounts(line, 'Test Suites:');
    if (suites) {
      failedSuites = get(suites.parts, 'failed');
      f.mark(i);
      continue;
    }
    const t = line.trim();
    if (t.startsWith('● ')) {
      const name = t.slice(2).trim();
      if (name === 'Test suite failed to run') suiteFailedToRun = true;
      else if (name !== 'Console' && !name.endsWith(':')) f.fail(name);
    } else if (/^FAIL \S/.test(t)) {
      f.failedMarker = true;
    }
  }
  if (f.counted && total === 0 && (failedSuites > 0 || suiteFailedToRun)) f.noTestsRan = true;
  else if (suiteFailedToRun || failedSuites > 0) f.errored = true;
  return f.result();
};

// vitest --------------------------------------------------------------------------------

/** `Tests  1 failed | 2 passed (3)` / `Tests  no tests` → parts, or undefined. */
function vitestCounts(line: string, label: string): { parts: Map<string, number>; none: boolean } | undefined {
  const t = line.trim();
  if (!t.startsWith(label)) return undefined;
  const rest = t.slice(label.length).trim();
  if (rest === 'no tests') return { parts: new Map(), none: true };
  const total = /\((\d+)\)$/.exec(rest);
  if (!total || !/^\d/.test(rest)) return undefined;
  return { parts: countParts(rest.slice(0, total.index), '|'), none: false };
}

/** A name without vitest's trailing duration (`subtracts 4ms`). */
function withoutDuration(text: string): string {
  const space = text.lastIndexOf(' ');
  return space > 0 && /^\d+(?:\.\d+)?m?s$/.test(text.slice(space + 1)) ? text.slice(0, space) : text;
}

/**
 * vitest: `Tests  1 failed | 2 passed | 1 skipped (4)` (the last one: the TTY view
 * redraws it), failing names from `FAIL  file > suite > test` lines, or from `×`/`✗` lines
 * when there are none. `Tests  no tests` with failed files is `errored`.
 */
export const parseVitest: OutputParser = (lines) => {
  const f = new Found('vitest');
  let noTests = false;
  let failedFiles = 0;
  const crossed: string[] = [];
  let sawFailLine = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const tests = vitestCounts(line, 'Tests ');
    if (tests) {
      noTests = tests.none;
      f.setCount(i, get(tests.parts, 'passed'), get(tests.parts, 'failed'), get(tests.parts, 'skipped', 'todo', 'expected fail'));
      continue;
    }
    const files = vitestCounts(line, 'Test Files ');
    if (files) {
      failedFiles = get(files.parts, 'failed');
      f.mark(i);
      continue;
    }
    const t = line.trim();
    if (t.startsWith('FAIL ')) {
      sawFailLine = true;
      f.failedMarker = true;
      const name = t.slice(5).trim();
      if (name.includes(' > ')) f.fail(name);
    } else if (t.startsWith('× ') || t.startsWith('✗ ')) {
      crossed.push(withoutDuration(t.slice(2).trim()));
    } else if (t.startsWith('⎯') && t.includes(' Failed Suites ')) {
      f.failedMarker = true;
    }
  }
  if (!sawFailLine) for (const name of crossed) f.fail(name);
  if (f.counted && noTests && failedFiles > 0) f.noTestsRan = true;
  else if (failedFiles > 0 && f.failed === 0) f.errored = true;
  return f.result();
};

// mocha ---------------------------------------------------------------------------------

const MOCHA_PASSING = /^\s*(\d+) passing \(\d+(?:ms|s|m|h)\)\s*$/;
const MOCHA_FAILING = /^\s*(\d+) failing\s*$/;
const MOCHA_PENDING = /^\s*(\d+) pending\s*$/;
const MOCHA_ENTRY = /^\s+(\d+)\) (.+)$/;

/**
 * mocha (spec and the other reporters that end with the epilogue): `N passing (2ms)`,
 * `N pending`, `N failing` (summed when several runs follow one another), failing names
 * from the numbered list after `N failing` (`1) suite` / `nested` / `test title:`), joined
 * with spaces as mocha's `fullTitle()` does. `Exception during run:` or `No test files
 * found` is `errored`.
 */
export const parseMocha: OutputParser = (lines) => {
  const f = new Found('mocha');
  let inList = false;
  let expected = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = MOCHA_PASSING.exec(line);
    if (m) {
      f.count(i, int(m[1]), 0, 0);
      inList = false;
      continue;
    }
    m = MOCHA_FAILING.exec(line);
    if (m) {
      f.count(i, 0, int(m[1]), 0);
      inList = true;
      expected = 1;
      continue;
    }
    m = MOCHA_PENDING.exec(line);
    if (m) {
      f.count(i, 0, 0, int(m[1]));
      continue;
    }
    const t = line.trim();
    if (t.startsWith('Exception during run: ') || t.startsWith('Error: No test files found')) {
      f.error(i);
      continue;
    }
    if (!inList) continue;
    m = MOCHA_ENTRY.exec(line);
    if (m && int(m[1]) === expected) {
      expected++;
      const parts = [m[2].trim()];
      let j = i;
      while (!parts[parts.length - 1].endsWith(':') && j + 1 < lines.length && j - i < 20) {
        const next = lines[++j].trim();
        if (next === '') break;
        parts.push(next);
      }
      const last = parts[parts.length - 1];
      if (last.endsWith(':')) {
        parts[parts.length - 1] = last.slice(0, -1);
        f.fail(parts.join(' '));
        i = j;
      }
    }
  }
  return f.result();
};

// node --test ---------------------------------------------------------------------------

const NODE_COUNT = /^(?:#|ℹ) (tests|suites|pass|fail|cancelled|skipped|todo)\s+(\d+)\s*$/;
const NODE_TAP_RESULT = /^\s*(not ok|ok) \d+(?: - (.*))?$/;
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** `✖ name (1.2ms)` / `✖ name (1.2ms) # SKIP` → name. */
function nodeTtyFailure(line: string): string | undefined {
  const t = line.trim();
  if (!t.startsWith('✖ ')) return undefined;
  let body = t.slice(2);
  const hash = body.lastIndexOf(' # ');
  if (hash >= 0 && body.endsWith(')') === false) body = body.slice(0, hash);
  const open = body.lastIndexOf(' (');
  if (open < 0 || !/^ \(\d+(?:\.\d+)?m?s\)$/.test(body.slice(open))) return undefined;
  return body.slice(0, open);
}

/**
 * `node --test`: the spec reporter (`ℹ tests 3`, `ℹ pass 2`, `ℹ fail 1`…) and TAP
 * (`# tests 3`, `# pass 2`…). Cancelled tests count as failed, todo tests as skipped.
 * Failing names: the spec reporter's `✖ failing tests:` list (or, without it, the `✖`
 * lines that are not suites), TAP `not ok` lines that are neither suites nor parents of
 * failing subtests, nor `# TODO`. When every failure is a test file (a file that failed to
 * load is reported as a failing test named by its path) and none passed, no test ran.
 */
export const parseNode: OutputParser = (lines) => {
  const f = new Found('node');
  const counts = new Map<string, number>();
  let pendingTap: string | undefined;
  let tapIsParent = false;
  const commitTap = (): void => {
    if (pendingTap !== undefined && !tapIsParent) f.fail(pendingTap);
    pendingTap = undefined;
    tapIsParent = false;
  };
  const suites = new Set<string>();
  const ttyFailures: string[] = [];
  const listed: string[] = [];
  let inFailingList = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const c = NODE_COUNT.exec(line);
    if (c) {
      counts.set(c[1], (counts.get(c[1]) ?? 0) + int(c[2]));
      f.mark(i);
      continue;
    }
    const tap = NODE_TAP_RESULT.exec(line);
    if (tap) {
      commitTap();
      const title = (tap[2] ?? '').trim();
      if (tap[1] === 'not ok' && !/\s#\s*TODO\b/i.test(title)) {
        const hash = title.search(/\s#\s*SKIP\b/i);
        pendingTap = hash >= 0 ? title.slice(0, hash) : title;
      }
      continue;
    }
    const t = line.trim();
    if (pendingTap !== undefined) {
      if (t === "type: 'suite'" || t === "failureType: 'subtestsFailed'") tapIsParent = true;
      else if (t === '...') commitTap();
      continue;
    }
    if (t === '✖ failing tests:') {
      inFailingList = true;
      f.failedMarker = true;
      continue;
    }
    if (t.startsWith('▶ ')) {
      if (!inFailingList) suites.add(t.slice(2).trim());
      continue;
    }
    const name = nodeTtyFailure(line);
    if (name !== undefined) {
      if (!inFailingList) ttyFailures.push(name);
      else if (!/^\s/.test(line)) listed.push(name);
    }
  }
  commitTap();
  for (const name of listed.length > 0 ? listed : ttyFailures.filter((n) => !suites.has(n))) f.fail(name);
  if (counts.has('tests') && counts.has('pass') && counts.has('fail')) {
    const failed = get(counts, 'fail', 'cancelled');
    const passed = get(counts, 'pass');
    f.count(f.lastLine, passed, failed, get(counts, 'skipped', 'todo'));
    const names = [...f.names];
    if (failed > 0 && passed === 0 && names.length > 0 && names.every((n) => SCRIPT_FILE.test(n))) f.noTestsRan = true;
  }
  return f.result();
};

// pytest --------------------------------------------------------------------------------

const PYTEST_COUNTS = /^(?:\d+ [a-z]+|no tests ran)(?:, \d+ [a-z]+)*$/;
const PYTEST_DURATION = / in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?$/;

/** `==== 1 failed, 2 passed in 0.12s ====` or, with `-q`, `1 failed, 2 passed in 0.12s` → the counts text. */
function pytestSummary(line: string): string | undefined {
  let t = line;
  if (t.startsWith('=')) {
    if (!t.endsWith('=')) return undefined;
    let a = 0;
    let b = t.length;
    while (a < b && t[a] === '=') a++;
    while (b > a && t[b - 1] === '=') b--;
    t = t.slice(a, b).trim();
  }
  const d = PYTEST_DURATION.exec(t);
  if (!d) return undefined;
  const counts = t.slice(0, d.index);
  return PYTEST_COUNTS.test(counts) ? counts : undefined;
}

/**
 * pytest: `==== 1 failed, 2 passed, 1 skipped in 0.12s ====` (or the `-q` form without
 * the rule). `error`s count as failed, `xfailed` as skipped, `xpassed` as passed;
 * `deselected` and warnings are not counted. Failing names from the short test summary
 * (`FAILED tests/test_x.py::test_name - …`, `ERROR …`), or from `-v` result lines without
 * it. Errors with no test run (collection errors), or `Interrupted:`, mean no test ran.
 */
export const parsePytest: OutputParser = (lines) => {
  const f = new Found('pytest');
  let errors = 0;
  let ran = 0;
  const verbose: string[] = [];
  let listed = false;
  let interrupted = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const summary = pytestSummary(line);
    if (summary !== undefined) {
      const c = countParts(summary, ',');
      const e = get(c, 'error', 'errors');
      errors += e;
      const passed = get(c, 'passed', 'xpassed');
      const failed = get(c, 'failed');
      const skipped = get(c, 'skipped', 'xfailed');
      ran += passed + failed + skipped;
      f.count(i, passed, failed + e, skipped);
      continue;
    }
    if (line.startsWith('FAILED ') || line.startsWith('ERROR ')) {
      const rest = line.slice(line.indexOf(' ') + 1);
      const dash = rest.indexOf(' - ');
      const id = dash >= 0 ? rest.slice(0, dash) : rest;
      if (id.includes('::') || /\.py$/.test(id)) {
        // a node id (`tests/test_x.py::test_y[a b]`) or a module that failed to collect
        f.fail(id);
        listed = true;
        continue;
      }
    }
    if (line.startsWith('!') && line.includes(' Interrupted: ')) {
      interrupted = true;
      f.mark(i);
      continue;
    }
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(0, space).includes('::') && /^ (?:FAILED|ERROR)(?:\s|$)/.test(line.slice(space))) verbose.push(line.slice(0, space));
  }
  if (!listed) for (const name of verbose) f.fail(name);
  if (f.counted && ran === 0 && (errors > 0 || interrupted)) f.noTestsRan = true;
  else if (interrupted) f.errored = true;
  return f.result();
};

// go test -------------------------------------------------------------------------------

const GO_OK = /^ok\s+(\S+)\s+(?:\d+(?:\.\d+)?s|\(cached\))(?:\s|$)/;
const GO_FAIL_PKG = /^FAIL\s+(\S+)\s+(?:\d+(?:\.\d+)?s|\[(build failed|setup failed)\])\s*$/;
const GO_RESULT = /^(\s*)--- (PASS|FAIL|SKIP): (\S+) \(\d+(?:\.\d+)?s\)/;

/**
 * go test: with `-v` (`=== RUN` lines present) the counts are top-level tests (`--- PASS`,
 * `--- FAIL`, `--- SKIP` without indentation; subtests are not counted). Without `-v` Go
 * prints no line per passing test, so the counts are packages: `ok` lines passed, `FAIL
 * pkg 0.01s` lines failed. Failing names are the `--- FAIL:` names, subtests included
 * (`TestTable/big`), or the failing packages when no test is named. A package that does
 * not build (`[build failed]`, `[setup failed]`) makes the run `errored` unless tests failed.
 */
export const parseGo: OutputParser = (lines) => {
  const f = new Found('go');
  let verbose = false;
  let okPkgs = 0;
  let failPkgs = 0;
  const tests = { pass: 0, fail: 0, skip: 0 };
  const failedPkgs: string[] = [];
  let failedTests = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('=== RUN ')) {
      verbose = true;
      continue;
    }
    let m = GO_OK.exec(line);
    if (m) {
      okPkgs++;
      f.mark(i);
      continue;
    }
    m = GO_FAIL_PKG.exec(line);
    if (m) {
      if (m[2] !== undefined) {
        f.error(i);
      } else {
        f.mark(i);
        failPkgs++;
        failedPkgs.push(m[1]);
      }
      continue;
    }
    m = GO_RESULT.exec(line);
    if (m) {
      f.mark(i);
      if (m[2] === 'FAIL') {
        f.fail(m[3]);
        failedTests++;
      }
      if (m[1] === '') {
        if (m[2] === 'PASS') tests.pass++;
        else if (m[2] === 'FAIL') tests.fail++;
        else tests.skip++;
      }
    }
  }
  if (verbose && tests.pass + tests.fail + tests.skip > 0) f.count(f.lastLine, tests.pass, tests.fail, tests.skip);
  else if (okPkgs + failPkgs > 0) f.count(f.lastLine, okPkgs, failPkgs, 0);
  if (failedTests === 0) for (const p of failedPkgs) f.fail(p);
  return f.result();
};

// cargo test ----------------------------------------------------------------------------

const CARGO_RESULT = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured; (\d+) filtered out/;
const CARGO_TEST_FAILED = /^test (.+) \.\.\. FAILED$/;
const CARGO_STDOUT = /^---- (.+) stdout ----$/;

/**
 * cargo test: every `test result:` line (unit tests, each integration test, doc tests)
 * summed; ignored tests count as skipped. Failing names from `test x ... FAILED` and
 * `---- x stdout ----`. `error[E…]` or `could not compile` is `errored`.
 */
export const parseCargo: OutputParser = (lines) => {
  const f = new Found('cargo');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = CARGO_RESULT.exec(line);
    if (m) {
      f.count(i, int(m[1]), int(m[2]), int(m[3]));
      continue;
    }
    m = CARGO_TEST_FAILED.exec(line) ?? CARGO_STDOUT.exec(line);
    if (m) {
      f.fail(m[1]);
      continue;
    }
    if (/^error\[E\d{4}\]/.test(line) || line.startsWith('error: could not compile `')) f.error(i);
  }
  return f.result();
};

// maven surefire ------------------------------------------------------------------------

const MAVEN_PREFIX = /^\[(?:INFO|ERROR|WARNING|WARN|DEBUG)\] ?/;
const MAVEN_TESTS_RUN = /^Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)(.*)$/;
const MAVEN_LIST_HEADER = /^(?:Failures|Errors|Failed tests|Tests in error|Flakes):\s*$/;

/** `com.example.CalcTest.subtracts -- Time elapsed: 0.003 s <<< FAILURE!` (surefire 3) or `subtracts(com.example.CalcTest)  Time elapsed: …` (2) → the test. */
function mavenFailureLine(line: string): string | undefined {
  if (!line.endsWith('<<< FAILURE!') && !line.endsWith('<<< ERROR!')) return undefined;
  if (line.startsWith('Tests run:')) return undefined;
  let end = line.indexOf(' -- ');
  if (end < 0) end = line.indexOf('Time elapsed:');
  return end > 0 ? line.slice(0, end).trim() : undefined;
}

/** `CalcTest.subtracts:7 expected…`, `subtracts(com.example.CalcTest): expected…`, `CalcTest » IllegalState` → the test. */
function mavenListEntry(text: string): string {
  let end = text.length;
  const colon = text.search(/:(?:\d|\s|$)/);
  if (colon >= 0) end = colon;
  const space = text.indexOf(' ');
  if (space >= 0 && space < end) end = space;
  return text.slice(0, end);
}

/**
 * Maven surefire/failsafe: the aggregated `Tests run: 3, Failures: 1, Errors: 0, Skipped:
 * 0` line after `Results:` (one per module, summed; the per-class lines with `Time
 * elapsed` only when there is no aggregate). Errors count as failed. Failing names from
 * the `Failures:`/`Errors:` lists of the results (`CalcTest.subtracts`), or from the
 * `<<< FAILURE!` lines. `COMPILATION ERROR`, `Compilation failure`, a crashed fork, and
 * `BUILD FAILURE` without failing tests are `errored`.
 */
export const parseMaven: OutputParser = (lines) => {
  const f = new Found('maven');
  const aggregate = { run: 0, failed: 0, skipped: 0, found: false, line: -1 };
  const perClass = { run: 0, failed: 0, skipped: 0, found: false, line: -1 };
  const fallback: string[] = [];
  let inList = false;
  let listed = false;
  let buildFailed = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const prefixed = MAVEN_PREFIX.exec(raw);
    const line = prefixed ? raw.slice(prefixed[0].length) : raw;
    const m = MAVEN_TESTS_RUN.exec(line);
    if (m) {
      inList = false;
      const into = m[5].includes('Time elapsed') ? perClass : aggregate;
      into.run += int(m[1]);
      into.failed += int(m[2]) + int(m[3]);
      into.skipped += int(m[4]);
      into.found = true;
      into.line = i;
      continue;
    }
    if (prefixed && MAVEN_LIST_HEADER.test(line)) {
      inList = true;
      continue;
    }
    if (inList) {
      const entry = /^ {2,}(\S.*)$/.exec(line);
      if (entry) {
        if (!/^Run \d+:/.test(entry[1])) {
          f.fail(mavenListEntry(entry[1]));
          listed = true;
        }
        continue;
      }
      if (line.trim() === '') continue;
      inList = false;
    }
    const failure = mavenFailureLine(line);
    if (failure !== undefined) {
      fallback.push(failure);
      continue;
    }
    if (/^COMPILATION ERROR\s*:?\s*$/.test(line) || line.includes(': Compilation failure') || line.includes('The forked VM terminated without properly saying goodbye') || line.includes('There was an error in the forked process')) {
      f.error(i);
    } else if (prefixed && line === 'BUILD SUCCESS') {
      f.passedMarker = true;
      f.mark(i);
    } else if (prefixed && line === 'BUILD FAILURE') {
      buildFailed = true;
      f.mark(i);
    } else if (line.includes('There are test failures')) {
      f.failedMarker = true;
    }
  }
  const use = aggregate.found ? aggregate : perClass.found ? perClass : undefined;
  if (use) f.count(use.line, use.run - use.failed - use.skipped, use.failed, use.skipped);
  if (!listed) for (const name of fallback) f.fail(name);
  // A failed build without failing tests: something else failed (a plugin, a crashed fork…).
  if (buildFailed && f.failed === 0 && !f.failedMarker && f.names.size === 0) f.errored = true;
  return f.result();
};

// gradle --------------------------------------------------------------------------------

const GRADLE_SUMMARY = /^(\d+) tests? completed, (\d+) failed(?:, (\d+) skipped)?\s*$/;
const GRADLE_BUILD = /^BUILD (SUCCESSFUL|FAILED)(?: in \S+)?\s*$/;

/**
 * Gradle: `3 tests completed, 1 failed, 1 skipped` (printed by each test task that had
 * failures, summed); a passing run prints no counts, only `BUILD SUCCESSFUL` (passed,
 * without counts). Failing names from `CalcTest > method() FAILED`. A failed compile task
 * (`Execution failed for task ':compileTestJava'`, `Compilation failed`, Kotlin `e:`
 * lines), or `BUILD FAILED` without failing tests, is `errored`. Needs a `BUILD …` line or
 * the summary to be recognised at all.
 */
export const parseGradle: OutputParser = (lines) => {
  const f = new Found('gradle');
  let built = false;
  let buildFailed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = GRADLE_SUMMARY.exec(line);
    if (m) {
      const failed = int(m[2]);
      const skipped = int(m[3]);
      f.count(i, int(m[1]) - failed - skipped, failed, skipped);
      continue;
    }
    const b = GRADLE_BUILD.exec(line);
    if (b || line.startsWith('FAILURE: Build failed')) {
      built = true;
      f.mark(i);
      if (b?.[1] === 'SUCCESSFUL') f.passedMarker = true;
      else buildFailed = true;
      continue;
    }
    if (line.endsWith(' FAILED') && !line.startsWith('>') && !line.startsWith(':') && !/^\s/.test(line)) {
      const name = line.slice(0, -' FAILED'.length);
      if (name.includes(' > ')) f.fail(name);
      continue;
    }
    if (/^Execution failed for task '[^']*:compile\w*'\.?$/.test(line) || line.startsWith('> Compilation failed') || /^e: \S/.test(line)) {
      f.error(i);
    } else if (line.startsWith('> There were failing tests.')) {
      f.failedMarker = true;
    }
  }
  // A failed build without failing tests: something else failed (a crashed test JVM, a check task…).
  if (buildFailed && f.failed === 0 && !f.failedMarker && f.names.size === 0) f.errored = true;
  return built || f.counted ? f.result() : undefined;
};

// dotnet test ---------------------------------------------------------------------------

const DOTNET_SUMMARY = /^\s*(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+),\s+Total:\s+(\d+)/;
const DOTNET_OLD_TOTAL = /^\s*Total tests:\s+(\d+)\s*$/;
const DOTNET_OLD_COUNT = /^\s*(Passed|Failed|Skipped):\s+(\d+)\s*$/;

/** `  Failed Namespace.Class.Method [12 ms]` → the test. */
function dotnetFailedTest(line: string): string | undefined {
  const t = line.trim();
  if (!t.startsWith('Failed ') || !t.endsWith(']')) return undefined;
  const open = t.lastIndexOf(' [');
  return open > 7 ? t.slice(7, open).trim() : undefined;
}

/**
 * dotnet test (VSTest): `Failed!  - Failed:     1, Passed:     3, Skipped:     0, Total:
 * 4, …` (one per test project, summed), or the .NET Core 3.x `Total tests:` block.
 * Failing names from `  Failed Namespace.Class.Method [12 ms]`. Compiler errors (`error
 * CS0103:`) and `Build FAILED.` are `errored`.
 */
export const parseDotnet: OutputParser = (lines) => {
  const f = new Found('dotnet');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = DOTNET_SUMMARY.exec(line);
    if (m) {
      f.count(i, int(m[2]), int(m[1]), int(m[3]));
      continue;
    }
    m = DOTNET_OLD_TOTAL.exec(line);
    if (m) {
      const c = new Map<string, number>();
      let j = i + 1;
      for (; j < lines.length && j <= i + 4; j++) {
        const k = DOTNET_OLD_COUNT.exec(lines[j]);
        if (!k) break;
        c.set(k[1], int(k[2]));
      }
      f.count(j - 1, get(c, 'Passed'), get(c, 'Failed'), get(c, 'Skipped'));
      i = j - 1;
      continue;
    }
    const name = dotnetFailedTest(line);
    if (name !== undefined) {
      f.fail(name);
      continue;
    }
    if (/: error (?!TS\d)[A-Z]{2,}\d{3,}:/.test(line) || /^\s*Build FAILED\.\s*$/.test(line)) f.error(i); // CS…, MSB…, NU…; TS… is tsc
    else if (/^\s*Test Run Failed\.\s*$/.test(line)) f.failedMarker = true;
  }
  return f.result();
};

// rspec ---------------------------------------------------------------------------------

const RSPEC_SUMMARY = /^(\d+) examples?, (\d+) failures?(?:, (\d+) pending)?(?:, (\d+) errors? occurred outside of examples)?\s*$/;
const RSPEC_RERUN = /^rspec (\S+) # (.+)$/;

/**
 * RSpec: `3 examples, 1 failure, 1 pending` (pending counts as skipped), failing names
 * (descriptions) from `rspec ./spec/x_spec.rb:12 # Description`. Errors outside of
 * examples (a spec file that does not load) with no example run mean no test ran; with
 * examples run, they make a run without failures `errored`.
 */
export const parseRspec: OutputParser = (lines) => {
  const f = new Found('rspec');
  let examples = 0;
  let outside = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = RSPEC_SUMMARY.exec(line);
    if (m) {
      examples += int(m[1]);
      outside += int(m[4]);
      const failed = int(m[2]);
      const pending = int(m[3]);
      f.count(i, int(m[1]) - failed - pending, failed, pending);
      continue;
    }
    m = RSPEC_RERUN.exec(line);
    if (m) {
      f.fail(m[2]);
      continue;
    }
    if (line.startsWith('An error occurred while loading ')) f.error(i);
  }
  if (f.counted && examples === 0 && outside > 0) f.noTestsRan = true;
  else if (outside > 0) f.errored = true;
  return f.result();
};

// phpunit -------------------------------------------------------------------------------

const PHPUNIT_OK = /^OK \((\d+) tests?, (\d+) assertions?\)\s*$/;
const PHPUNIT_COUNTS = /^Tests: (\d+), Assertions: (\d+)((?:, [A-Za-z ]+: \d+)*)\.?\s*$/;
const PHPUNIT_SECTION = /^There (?:was|were) \d+ ([a-z ]+?):\s*$/i;
const PHPUNIT_ENTRY = /^(\d+)\) (\S.*)$/;

/**
 * PHPUnit: `OK (3 tests, 5 assertions)` or `Tests: 5, Assertions: 3, Errors: 1, Failures:
 * 2, Skipped: 1.` (errors count as failed, incomplete as skipped; warnings and risky tests
 * as passed). Failing names from the numbered `1) CalcTest::testMethod` entries of the
 * `There were N errors:` / `failures:` sections. A PHP fatal or parse error is `errored`.
 */
export const parsePhpunit: OutputParser = (lines) => {
  const f = new Found('phpunit');
  let failingSection = false;
  let expected = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = PHPUNIT_OK.exec(line);
    if (m) {
      f.count(i, int(m[1]), 0, 0);
      continue;
    }
    m = PHPUNIT_COUNTS.exec(line);
    if (m) {
      const c = new Map<string, number>();
      for (const part of m[3].split(', ')) {
        const kv = /^([A-Za-z ]+): (\d+)$/.exec(part);
        if (kv) c.set(kv[1].toLowerCase(), int(kv[2]));
      }
      const failed = get(c, 'errors', 'failures');
      const skipped = get(c, 'skipped', 'incomplete');
      f.count(i, int(m[1]) - failed - skipped, failed, skipped);
      continue;
    }
    m = PHPUNIT_SECTION.exec(line);
    if (m) {
      failingSection = /^(?:errors?|failures?)$/i.test(m[1]);
      expected = 1;
      continue;
    }
    if (failingSection) {
      m = PHPUNIT_ENTRY.exec(line);
      if (m && int(m[1]) === expected) {
        expected++;
        f.fail(m[2]);
        continue;
      }
    }
    if (/^(?:FAILURES|ERRORS)!\s*$/.test(line)) {
      f.failedMarker = true;
      f.mark(i);
    } else if (/^(?:PHP )?(?:Fatal|Parse) error: /.test(line)) {
      f.error(i);
    }
  }
  return f.result();
};

// ---------------------------------------------------------------------------------------

export const OUTPUT_PARSERS: readonly OutputParser[] = [parseJest, parseVitest, parseMocha, parseNode, parsePytest, parseGo, parseCargo, parseMaven, parseGradle, parseDotnet, parseRspec, parsePhpunit];

/** Compile errors and tool failures that mean no test ran, whatever the runner. */
function genericError(lines: readonly string[]): boolean {
  for (const line of lines) {
    if (/\(\d+,\d+\): error TS\d+:/.test(line) || /:\d+:\d+ - error TS\d+:/.test(line)) return true; // tsc
    if (line.startsWith('npm ERR! ') || line.startsWith('npm error ') || line.startsWith('ERR_PNPM_') || line.startsWith('error Command failed with exit code')) return true;
  }
  return false;
}

/** The output's lines for the parsers: escape sequences removed, lines over {@link MAX_PARSED_LINE} blanked. */
export function outputLines(output: string): string[] {
  const raw = output.includes('\x1b') || output.includes('\r') || output.includes('\x9b') || output.includes('\b');
  const lines = (raw ? stripTerminalSequences(output) : output).split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].length > MAX_PARSED_LINE) lines[i] = '';
  return lines;
}

/**
 * What a test run's output says: counts, outcome and failing tests. `output` may be raw
 * terminal output (escape sequences are stripped here) or already stripped text.
 *
 * Every runner's format is tried whatever `runner` says (`npm test` may run jest, mocha,
 * vitest, `node --test`…). When several formats have counts, the one of `runner` wins,
 * else the one whose summary comes last; formats without counts are considered only when
 * none has counts. Counts of one format are summed over its summaries (cargo's unit,
 * integration and doc tests; Maven modules; Gradle test tasks; dotnet test projects;
 * consecutive mocha runs…), except jest's and vitest's, whose TTY view redraws the
 * summary: their last summary holds. See {@link TestSummary.outcome} for the outcomes.
 */
export function parseTestOutput(output: string, exitCode: number | null | undefined, runner?: TestRunner): TestSummary {
  const lines = outputLines(output);
  const exitKnown = typeof exitCode === 'number';
  const exitFailed = exitKnown && exitCode !== 0;
  const chosen = choose(
    OUTPUT_PARSERS.map((parse) => parse(lines)).filter((r): r is RunnerParse => r !== undefined),
    runner,
  );
  if (!chosen) {
    const outcome: TestOutcome = exitFailed || genericError(lines) ? 'errored' : exitKnown ? 'passed' : 'unknown';
    return { outcome, failing: [] };
  }
  const summary: TestSummary = { outcome: 'unknown', failing: chosen.failing, detected: chosen.runner };
  if (chosen.counted) {
    summary.passed = chosen.passed;
    summary.failed = chosen.failed;
    summary.skipped = chosen.skipped;
    if (chosen.noTestsRan) summary.outcome = 'errored';
    else if ((chosen.failed ?? 0) > 0) summary.outcome = 'failed';
    else if (chosen.errored || exitFailed) summary.outcome = 'errored';
    else summary.outcome = 'passed';
  } else if (chosen.errored) {
    summary.outcome = 'errored';
  } else if (chosen.failedMarker) {
    summary.outcome = 'failed';
  } else {
    summary.outcome = exitFailed ? 'errored' : 'passed'; // a success marker
  }
  return summary;
}

function choose(found: readonly RunnerParse[], hint: TestRunner | undefined): RunnerParse | undefined {
  const counted = found.filter((r) => r.counted);
  const pool = counted.length > 0 ? counted : found;
  if (pool.length === 0) return undefined;
  return pool.find((r) => r.runner === hint) ?? pool.reduce((best, r) => (r.lastLine > best.lastLine ? r : best));
}
