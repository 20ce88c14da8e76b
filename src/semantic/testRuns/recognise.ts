/**
 * Which test runner a command line, as typed in a shell, starts: wrappers, package managers
 * and each runner's own test commands. Plain Node; never imports `vscode`.
 */
import { splitCommands } from './commandLine';
import type { TestRunner } from './types';

/** Longest command line examined by {@link recogniseTestCommand}. */
export const MAX_COMMAND_LINE = 16 * 1024;

/** Programs that just run the rest of their arguments as a command. */
const PLAIN_WRAPPERS = new Set(['time', 'command', 'exec', 'nohup', 'builtin', 'noglob', 'stdbuf', 'unbuffer']);
export const TEST_SCRIPT = /^(?:test|tests|spec|specs)(?:[:._-][\w:.@/+-]*)?$/i;
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

export function mavenRunsTests(args: string[]): boolean {
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

export function gradleRunsTests(args: string[]): boolean {
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
