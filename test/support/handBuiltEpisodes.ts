/**
 * Hand-built episodes for the export format tests (the episode builder is tested on its own).
 *
 * - {@link invoiceEpisode}: the story. An explicit goal; the engineer reads the test, adds a
 *   failing test, runs `node --test` (fails), jumps to the definition, fixes the code (a
 *   typo raises a diagnostic, the next edit clears it), runs the tests again (pass,
 *   transition `fixed`), commits.
 * - {@link loginEpisode}: edge cases. An inferred goal with unicode; a checkout; a created
 *   file with non-BMP text; an edit that was not replayable (empty diff); a command with a
 *   redacted secret that rewrites a file on disk (folded into it); a failing task; a debug
 *   session stopped on an exception; a bulk change by `git pull`; a capture pause (an event
 *   kind the builder does not model); a change by an unknown program with no content; a jump
 *   and a view; no test run at all.
 * - {@link abandonedEpisode}: an explicit goal with an issue and a URL, one test run from
 *   the editor's test explorer (no command behind it), abandoned.
 */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import { EPISODE_SCHEMA, type Episode, type EpisodeFigures } from '../../src/episodes/episode';
import { stepDiff } from '../../src/semantic/editSteps';

export const T0 = 1_736_000_000_000; // 2025-01-04T14:13:20Z

/** A unified diff of one step, as the episode builder makes it. */
function diff(path: string, before: string, after: string): { diff: string; added: number; removed: number } {
  const d = stepDiff(path, before, after);
  return { diff: d.diff, added: d.added, removed: d.removed };
}

/** A git-style patch of several files (base → end). */
function gitPatch(files: { path: string; before: string | null; after: string | null }[]): string {
  return files
    .map(({ path, before, after }) => {
      const p = structuredPatch(before === null ? '/dev/null' : `a/${path}`, after === null ? '/dev/null' : `b/${path}`, before ?? '', after ?? '', undefined, undefined, { context: 3 });
      return `diff --git a/${path} b/${path}\n${formatPatch(p, FILE_HEADERS_ONLY)}`;
    })
    .join('');
}

function figures(partial: Partial<EpisodeFigures>): EpisodeFigures {
  return { durationMs: 0, activeMs: 0, edits: 0, editSteps: 0, commands: 0, tasks: 0, testRuns: 0, debugSessions: 0, commits: 0, fileChanges: 0, fixed: 0, broke: 0, ...partial };
}

const TOTAL_V0 = "'use strict';\n\nfunction total(items) {\n  return items.reduce((sum, item) => sum + item.price * item.qty, 0);\n}\n\nmodule.exports = { total };\n";
const TOTAL_TYPO =
  "'use strict';\n\nfunction total(items) {\n  const cents = items.reduce((sum, item) => sum + Math.round(item.price * 100) * item.qty, 0)\n  return cents / 100;\n}\n\nmodule.exports = { total };\n";
const TOTAL_V1 =
  "'use strict';\n\nfunction total(items) {\n  const cents = items.reduce((sum, item) => sum + Math.round(item.price * 100) * item.qty, 0);\n  return cents / 100;\n}\n\nmodule.exports = { total };\n";
const TEST_V0 =
  "const test = require('node:test');\nconst assert = require('node:assert');\nconst { total } = require('../src/total');\n\ntest('adds prices', () => {\n  assert.strictEqual(total([{ price: 1, qty: 2 }]), 2);\n});\n";
const TEST_V1 = `${TEST_V0}\ntest('rounds to cents', () => {\n  assert.strictEqual(total([{ price: 0.1, qty: 3 }]), 0.3);\n});\n`;

const FAIL_OUTPUT = `TAP version 13
# Subtest: adds prices
ok 1 - adds prices
  ---
  duration_ms: 0.51
  ...
# Subtest: rounds to cents
not ok 2 - rounds to cents
  ---
  duration_ms: 0.77
  location: '/home/dev/invoice/test/total.test.js:9:1'
  failureType: 'testCodeFailure'
  error: |-
    Expected values to be strictly equal:

    0.30000000000000004 !== 0.3

  code: 'ERR_ASSERTION'
  ...
1..2
# tests 2
# pass 1
# fail 1
`;
const PASS_OUTPUT = `TAP version 13
# Subtest: adds prices
ok 1 - adds prices
# Subtest: rounds to cents
ok 2 - rounds to cents
1..2
# tests 2
# pass 2
# fail 0
`;

/** File texts of the fixtures, before and after (to check that exported edits replay). */
export const TEXTS = { TOTAL_V0, TOTAL_V1, TEST_V0, TEST_V1 };

export const INVOICE_COMMIT = '4f1c2a9be0d7c35a81f6e2d9b0a4c7e1f3d5b8a2';
const INVOICE_HEAD = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';

export function invoiceEpisode(): Episode {
  const editTest = diff('test/total.test.js', TEST_V0, TEST_V1);
  const editTypo = diff('src/total.js', TOTAL_V0, TOTAL_TYPO);
  const editFix = diff('src/total.js', TOTAL_TYPO, TOTAL_V1);
  const s = 'sess-7d1e';
  return {
    schema: EPISODE_SCHEMA,
    id: 'ep-3c9f2a10',
    workspace: 'ws-b41d',
    sessions: [s],
    goal: { text: 'Fix rounding in invoice totals (0.1 × 3 must be 0.30)', source: 'explicit', goalId: 'goal-1' },
    start: { ts: T0, boundary: 'goal.start', repos: [{ root: '.', head: INVOICE_HEAD, branch: 'fix-rounding' }] },
    end: { ts: T0 + 400_000, boundary: 'goal.end' },
    base: [
      { path: 'src/total.js', known: true, text: TOTAL_V0, sha256: 'a'.repeat(64) },
      { path: 'test/total.test.js', known: true, text: TEST_V0, sha256: 'b'.repeat(64) },
    ],
    steps: [
      { index: 0, type: 'view', ts: T0 + 5_000, durationMs: 12_000, session: s, eventIds: ['e01'], action: { path: 'test/total.test.js' }, observation: { ranges: [{ start: 1, end: 8 }] } },
      {
        index: 1,
        type: 'edit',
        ts: T0 + 20_000,
        durationMs: 30_500,
        session: s,
        eventIds: ['e02', 'e03', 'e04'],
        action: { path: 'test/total.test.js', diff: editTest.diff, cause: 'typing', added: editTest.added, removed: editTest.removed, edits: 84 },
        observation: { diagnostics: [] },
      },
      {
        index: 2,
        type: 'command',
        ts: T0 + 60_000,
        durationMs: 1_250,
        session: s,
        eventIds: ['e05'],
        action: { commandLine: 'node --test', cwd: '.', terminal: 'bash', shell: 'bash', program: 'node' },
        observation: { exitCode: 1, output: FAIL_OUTPUT, outputTruncated: false },
        after: [1],
      },
      {
        index: 3,
        type: 'test',
        ts: T0 + 60_000,
        durationMs: 1_250,
        session: s,
        eventIds: ['e06'],
        action: { runner: 'node', command: 'node --test', origin: 'terminal' },
        observation: { outcome: 'failed', passed: 1, failed: 1, skipped: 0, failing: ['rounds to cents'] },
        source: 2,
        after: [1],
      },
      {
        index: 4,
        type: 'navigate',
        ts: T0 + 75_000,
        durationMs: 0,
        session: s,
        eventIds: ['e07'],
        action: { from: { path: 'test/total.test.js', line: 3, column: 11 }, to: { path: 'src/total.js', line: 3, column: 10 }, via: 'definition', trigger: 'keyboard' },
        observation: {},
      },
      {
        index: 5,
        type: 'edit',
        ts: T0 + 90_000,
        durationMs: 2_000,
        session: s,
        eventIds: ['e08'],
        action: { path: 'src/total.js', diff: editTypo.diff, cause: 'paste', added: editTypo.added, removed: editTypo.removed, edits: 1 },
        observation: {
          diagnostics: [{ path: 'src/total.js', before: { errors: 0, warnings: 0 }, after: { errors: 1, warnings: 0 }, new: [{ severity: 'error', message: "';' expected.", line: 4, source: 'ts', code: '1005' }] }],
        },
      },
      {
        index: 6,
        type: 'edit',
        ts: T0 + 95_000,
        durationMs: 400,
        session: s,
        eventIds: ['e09'],
        action: { path: 'src/total.js', diff: editFix.diff, cause: 'typing', added: editFix.added, removed: editFix.removed, edits: 1 },
        observation: { diagnostics: [{ path: 'src/total.js', before: { errors: 1, warnings: 0 }, after: { errors: 0, warnings: 0 }, new: [] }] },
      },
      {
        index: 7,
        type: 'command',
        ts: T0 + 110_000,
        durationMs: 1_100,
        session: s,
        eventIds: ['e10'],
        action: { commandLine: 'node --test', cwd: '.', terminal: 'bash', shell: 'bash', program: 'node' },
        observation: { exitCode: 0, output: PASS_OUTPUT, outputTruncated: false },
        after: [5, 6],
      },
      {
        index: 8,
        type: 'test',
        ts: T0 + 110_000,
        durationMs: 1_100,
        session: s,
        eventIds: ['e11'],
        action: { runner: 'node', command: 'node --test', origin: 'terminal' },
        observation: { outcome: 'passed', passed: 2, failed: 0, skipped: 0, failing: [], transition: 'fixed' },
        source: 7,
        after: [5, 6],
        previous: 3,
      },
      {
        index: 9,
        type: 'commit',
        ts: T0 + 150_000,
        durationMs: 0,
        session: s,
        eventIds: ['e12'],
        action: { repo: '.', message: 'Round invoice totals to cents\n\nFloating-point sums gave 0.30000000000000004.', branch: 'fix-rounding', amend: false, origin: 'scm' },
        observation: {
          sha: INVOICE_COMMIT,
          parents: [INVOICE_HEAD],
          files: [
            { path: 'src/total.js', added: 2, removed: 1 },
            { path: 'test/total.test.js', added: 4, removed: 0 },
          ],
          tests: [3, 8],
          lastTestPassed: true,
          authorship: {
            lines: { typed: 5, pasted: 1, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 },
            files: [
              { path: 'src/total.js', lines: { typed: 1, pasted: 1, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 } },
              { path: 'test/total.test.js', lines: { typed: 4, pasted: 0, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 } },
            ],
            unexplained: 0,
          },
        },
      },
    ],
    outcome: {
      status: 'done',
      source: 'explicit',
      note: 'Rounding fixed; sums are kept in cents.',
      lastTestPassed: true,
      committed: true,
      commits: [INVOICE_COMMIT],
      patch: gitPatch([
        { path: 'src/total.js', before: TOTAL_V0, after: TOTAL_V1 },
        { path: 'test/total.test.js', before: TEST_V0, after: TEST_V1 },
      ]),
      patchExact: true,
    },
    figures: figures({ durationMs: 400_000, activeMs: 160_000, edits: 86, editSteps: 3, commands: 2, testRuns: 2, commits: 1, fixed: 1 }),
    exact: true,
    problems: [],
  };
}

const LOGIN_NEW = "// ログイン 😀\nexport function login(session) {\n  return session.user.name;\n}\n";
const APP_BEFORE_FORMAT = 'import { login } from "./login/例え";\nexport const run = (s) => login(s)\n';
const APP_AFTER_FORMAT = "import { login } from './login/例え';\nexport const run = (s) => login(s);\n";
export const LOGIN_TEXTS = { LOGIN_NEW, APP_BEFORE_FORMAT, APP_AFTER_FORMAT };
export const LOGIN_COMMAND = 'AWS_ACCESS_KEY_ID=«redacted:aws-access-key» npx prettier --write src/app.ts';

export function loginEpisode(): Episode {
  const created = diff('src/login/例え.ts', '', LOGIN_NEW);
  const formatted = diff('src/app.ts', APP_BEFORE_FORMAT, APP_AFTER_FORMAT);
  const s = 'sess-0b2c';
  const t = T0 + 3_600_000;
  return {
    schema: EPISODE_SCHEMA,
    id: 'ep-81d04e5b',
    workspace: 'ws-b41d',
    sessions: [s],
    goal: { text: 'Work on branch fix-login ✨ 修正', source: 'inferred', inferredFrom: 'branch' },
    start: { ts: t, boundary: 'branch', repos: [{ root: '.', head: null, branch: 'main' }] },
    end: { ts: t + 900_000, boundary: 'idle' },
    base: [
      { path: 'config.json', known: false, missing: 'too-large' },
      { path: 'src/app.ts', known: false, missing: 'not-replayable' },
      { path: 'src/login/例え.ts', known: true, text: '', missing: 'created' },
    ],
    steps: [
      { index: 0, type: 'checkout', ts: t, durationMs: 0, session: s, eventIds: ['f01'], action: { repo: '.', from: 'main', to: 'fix-login' }, observation: { sha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00' } },
      {
        index: 1,
        type: 'edit',
        ts: t + 10_000,
        durationMs: 1_500,
        session: s,
        eventIds: ['f02'],
        action: { path: 'src/login/例え.ts', diff: created.diff, cause: 'assistant', added: created.added, removed: created.removed, edits: 1 },
        observation: { diagnostics: [] },
      },
      {
        index: 2,
        type: 'edit',
        ts: t + 20_000,
        durationMs: 3_000,
        session: s,
        eventIds: ['f03', 'f04'],
        action: { path: 'src/app.ts', diff: '', cause: 'programmatic', added: 2, removed: 0, edits: 2 },
        observation: { diagnostics: [] },
      },
      {
        index: 3,
        type: 'command',
        ts: t + 30_000,
        durationMs: 900,
        session: s,
        eventIds: ['f05'],
        action: { commandLine: LOGIN_COMMAND, cwd: null, terminal: 'zsh — login', shell: 'zsh', program: 'prettier' },
        observation: { exitCode: 0, output: 'src/app.ts 42ms\n', outputTruncated: false, files: [{ path: 'src/app.ts', change: 'changed', added: 2, removed: 2 }] },
        after: [1, 2],
      },
      {
        index: 4,
        type: 'file-change',
        ts: t + 30_800,
        durationMs: 0,
        session: s,
        eventIds: ['f06'],
        action: { by: { by: 'terminal', command: LOGIN_COMMAND, terminal: 'zsh — login', program: 'prettier', confidence: 'high' } },
        observation: { path: 'src/app.ts', change: 'changed', diff: formatted.diff, added: formatted.added, removed: formatted.removed },
      },
      {
        index: 5,
        type: 'task',
        ts: t + 60_000,
        durationMs: 8_000,
        session: s,
        eventIds: ['f07'],
        action: { name: 'npm: build', source: 'npm', group: 'build' },
        observation: { exitCode: 2 },
        after: [],
      },
      {
        index: 6,
        type: 'debug',
        ts: t + 120_000,
        durationMs: 6_000,
        session: s,
        eventIds: ['f08', 'f09', 'f10'],
        action: { name: 'Launch login', type: 'pwa-node', request: 'launch', configuration: { program: '${workspaceFolder}/src/app.ts', args: ['--user', 'ünïcödé'], env: ['NODE_ENV'] } },
        observation: {
          stops: [
            {
              ts: t + 124_000,
              reason: 'exception',
              description: 'Paused on exception',
              exception: { message: "TypeError: Cannot read properties of undefined (reading 'name')", frame: { name: 'login', location: { path: 'src/login/例え.ts', line: 3 } } },
            },
          ],
          exitCode: 1,
          exception: "TypeError: Cannot read properties of undefined (reading 'name')",
          output: "Uncaught TypeError: Cannot read properties of undefined (reading 'name')\n    at login (src/login/例え.ts:3:23)\n",
          ended: true,
        },
        after: [1, 2],
      },
      {
        index: 7,
        type: 'file-bulk',
        ts: t + 200_000,
        durationMs: 0,
        session: s,
        eventIds: ['f11'],
        action: { by: { by: 'git', operation: 'pull', confidence: 'high' } },
        observation: { count: 120, created: 20, changed: 95, deleted: 5, paths: ['docs/a.md', 'docs/b.md', 'src/util.ts'], truncated: true },
      },
      { index: 8, type: 'event', ts: t + 300_000, durationMs: 0, session: s, eventIds: ['f12'], action: { kind: 'capture.pause' }, observation: { data: { reason: 'paused', until: null } } },
      {
        index: 9,
        type: 'file-change',
        ts: t + 400_000,
        durationMs: 0,
        session: s,
        eventIds: ['f13'],
        action: { by: { by: 'unknown', confidence: 'low' } },
        observation: { path: 'config.json', change: 'changed', added: 0, removed: 0, omitted: 'too-large' },
      },
      { index: 10, type: 'navigate', ts: t + 500_000, durationMs: 0, session: s, eventIds: ['f14'], action: { from: null, to: { path: 'src/app.ts', line: 1 }, via: 'open', trigger: 'mouse' }, observation: {} },
      {
        index: 11,
        type: 'view',
        ts: t + 500_500,
        durationMs: 20_000,
        session: s,
        eventIds: ['f15', 'f16'],
        action: { path: 'src/app.ts' },
        observation: {
          ranges: [
            { start: 1, end: 20 },
            { start: 30, end: 45 },
          ],
        },
      },
    ],
    outcome: {
      status: 'unknown',
      source: 'inferred',
      lastTestPassed: null,
      committed: false,
      commits: [],
      patch: gitPatch([{ path: 'src/login/例え.ts', before: null, after: LOGIN_NEW }]),
      patchExact: false,
    },
    figures: figures({ durationMs: 900_000, activeMs: 210_000, edits: 3, editSteps: 2, commands: 1, tasks: 1, debugSessions: 1, fileChanges: 3 }),
    exact: false,
    problems: ['src/app.ts: no replayable snapshot before its first edit', 'config.json: too large to record'],
  };
}

export function abandonedEpisode(): Episode {
  const s = 'sess-55aa';
  const t = T0 + 86_400_000;
  return {
    schema: EPISODE_SCHEMA,
    id: 'ep-e7f3b2c9',
    workspace: 'ws-9e0f',
    sessions: [s, 'sess-55ab'],
    goal: { text: 'Speed up the CSV import', source: 'explicit', goalId: 'goal-9', issue: 'PROJ-123', url: 'https://tracker.example.com/PROJ-123' },
    start: { ts: t, boundary: 'goal.start', repos: [{ root: '.', head: '1111111111111111111111111111111111111111', branch: 'main' }] },
    end: { ts: t + 60_000, boundary: 'goal.end' },
    base: [],
    steps: [
      {
        index: 0,
        type: 'test',
        ts: t + 10_000,
        durationMs: 3_000,
        session: s,
        eventIds: ['g01'],
        action: { runner: 'test-api', command: 'csv import suite', origin: 'test-api' },
        observation: { outcome: 'passed', passed: 3, failed: 0, failing: [] },
        after: [],
      },
    ],
    outcome: { status: 'abandoned', source: 'explicit', note: 'Needs a streaming parser first.', lastTestPassed: true, committed: false, commits: [], patch: '', patchExact: true },
    figures: figures({ durationMs: 60_000, activeMs: 13_000, testRuns: 1 }),
    exact: true,
    problems: [],
  };
}

export function fixtureEpisodes(): Episode[] {
  return [invoiceEpisode(), loginEpisode(), abandonedEpisode()];
}
