/**
 * A realistic synthetic session for the timeline benchmark and screenshots: about four hours
 * of work in a few dozen files — keystrokes grouped into edit steps, saves, cursor moves,
 * reading and navigation, problems coming and going, test runs that fail and get fixed,
 * commands and tasks, debug sessions with exceptions, changes on disk by npm and git,
 * commits, a couple of pauses, tasks and redactions — as TraceEvent objects with the story's
 * links (`after`, `previous`, `transition`, a commit's `tests`). Deterministic (seeded).
 */
import { SCHEMA, type EditCause, type EventBodies, type Kind, type TraceEvent } from '../src/trace/events';

export interface GeneratedSession {
  id: string;
  workspace: string;
  firstTs: number;
  lastTs: number;
  events: TraceEvent[];
}

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIRS = ['src', 'src/auth', 'src/api', 'src/ui', 'src/db', 'test', 'test/api', 'scripts'];
const NAMES = ['index', 'login', 'session', 'token', 'router', 'users', 'orders', 'cart', 'form', 'table', 'schema', 'migrate', 'config', 'errors', 'cache', 'queue', 'mailer', 'search', 'billing', 'audit'];
const CAUSES: EditCause[] = ['typing', 'typing', 'typing', 'typing', 'typing', 'typing', 'paste', 'completion', 'suggestion', 'format', 'undo', 'assistant', 'refactor', 'multi-cursor'];
const TESTS = ['login rejects a bad password', 'token refreshes before expiry', 'cart totals include tax', 'orders list is paged', 'search ignores case', 'mailer retries on 503'];

export function generateSession(o: { events?: number; hours?: number; seed?: number; start?: number } = {}): GeneratedSession {
  const target = o.events ?? 50_000;
  const random = rng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const session = 'bench-session-0000000001';
  const workspace = 'ws-bench';
  const start = o.start ?? Date.UTC(2025, 2, 3, 8, 30);
  const span = (o.hours ?? 4) * 3_600_000;
  const events: TraceEvent[] = [];
  let seq = 0;
  let now = start;
  const add = <K extends Kind>(kind: K, body: EventBodies[K], ts = now): string => {
    seq++;
    const id = `ev${String(seq).padStart(8, '0')}`;
    events.push({ schema: SCHEMA, id, seq, ts, session, workspace, kind, ...body } as unknown as TraceEvent);
    return id;
  };
  const files = Array.from({ length: 48 }, (_, i) => `${DIRS[i % DIRS.length]}/${NAMES[(i * 7) % NAMES.length]}${i >= NAMES.length ? i : ''}.ts`);
  const versions = new Map<string, number>();
  let working = files.slice(0, 6);
  let file = working[0];
  let stepsSinceRun: string[] = [];
  let stepsSinceTest: string[] = [];
  const testsSinceCommit: string[] = [];
  let lastTest: { id: string; passed: boolean } | undefined;
  let failing = new Set<string>();
  let goalId: string | undefined;
  let goals = 0;
  let debugs = 0;

  add('session.start', { vscodeVersion: '1.100.3', extensionVersion: '0.1.0', platform: 'linux', folders: ['shop'], repos: [{ root: '.', head: 'a1b2c3d', branch: 'main', dirty: false }], revision: 2 });
  for (const f of working) {
    add('doc.open', { path: f, languageId: 'typescript', eol: '\n', version: 1, replayable: true, length: 1200, sha256: 'h', existing: true });
  }

  const step = (): void => {
    const v = versions.get(file) ?? 1;
    const edits = 3 + Math.floor(random() * 30);
    const stepStart = now;
    const cause = pick(CAUSES);
    const ids: string[] = [];
    for (let k = 0; k < edits && events.length < target; k++) {
      now += 60 + Math.floor(random() * 140);
      ids.push(add('doc.edit', { path: file, version: v + k + 1, changes: [{ offset: 100 + k, length: 0, text: 'x' }], cause }));
      if (random() < 0.25) {
        add('editor.selection', { path: file, trigger: 'keyboard', selections: [{ start: { line: 12, column: k + 1 }, end: { line: 12, column: k + 1 } }], count: 1, chars: 0, lines: 1 });
      }
    }
    const duration = now - stepStart;
    now += 1000;
    const line = 1 + Math.floor(random() * 300);
    const added = 1 + Math.floor(random() * (cause === 'paste' || cause === 'assistant' ? 40 : 8));
    const removed = Math.floor(random() * 4);
    const diff = [`--- ${file}`, `+++ ${file}`, `@@ -${line},${3 + removed} +${line},${3 + added} @@`, '   const user = await users.find(id);', ...Array.from({ length: removed }, (_, i) => `-  const old${i} = legacy(user);`), ...Array.from({ length: added }, (_, i) => `+  const value${i} = compute(user, ${i});`), '   return user;', ''].join('\n');
    const id = add('edit.step', { path: file, fromVersion: v, toVersion: v + ids.length, diff, added, removed, edits: ids.length, startTs: stepStart, durationMs: duration, cause, closedBy: random() < 0.5 ? 'pause' : 'save', editIds: ids });
    versions.set(file, v + ids.length);
    stepsSinceRun.push(id);
    stepsSinceTest.push(id);
    if (random() < 0.6) {
      add('doc.save', { path: file, version: v + ids.length });
    }
    if (random() < 0.6) {
      const errors = random() < 0.35 ? 1 + Math.floor(random() * 2) : 0;
      add('diagnostics.change', { path: file, before: { errors: errors ? 0 : 1, warnings: 0 }, after: { errors, warnings: Math.floor(random() * 2) }, new: errors ? [{ severity: 'error', message: "Property 'id' does not exist on type 'User'.", source: 'ts', code: '2339', line }] : [] });
    }
  };

  const read = (): void => {
    const n = 1 + Math.floor(random() * 4);
    for (let k = 0; k < n; k++) {
      now += 400 + Math.floor(random() * 1800);
      const to = pick(random() < 0.8 ? working : files);
      if (random() < 0.4) {
        add('editor.navigate', { from: { path: file, line: 10 + k }, to: { path: to, line: 1 + Math.floor(random() * 200) }, via: pick(['definition', 'references', 'open', 'history', 'symbol'] as const), trigger: 'keyboard' });
      }
      add('editor.focus', { path: to, languageId: 'typescript' });
      const first = 1 + Math.floor(random() * 250);
      add('editor.view', { path: to, ranges: [{ start: first, end: first + 40 }], active: true });
      add('editor.selection', { path: to, trigger: 'mouse', selections: [{ start: { line: first + 5, column: 1 }, end: { line: first + 5, column: 1 } }], count: 1, chars: 0, lines: 1 });
      file = to;
    }
  };

  const runTests = (): void => {
    const commandStart = now;
    const duration = 3000 + Math.floor(random() * 20_000);
    now += duration;
    const willPass = failing.size > 0 ? random() < 0.55 : random() < 0.8;
    const failed = willPass ? [] : TESTS.filter(() => random() < 0.3).slice(0, 3);
    if (!willPass && failed.length === 0) {
      failed.push(pick(TESTS));
    }
    failing = new Set(failed);
    const passed = 40 - failed.length;
    const output = [`> shop@1.0.0 test`, '> mocha', '', ...failed.map((t, i) => `  ${i + 1}) ${t}`), '', `  ${passed} passing (${(duration / 1000).toFixed(1)}s)`, failed.length ? `  ${failed.length} failing` : '', ...failed.map((t) => `  AssertionError: ${t}: expected 200 to equal 401`)].join('\n');
    const cmd = add('terminal.command', { commandLine: 'npm test', confidence: 'high', cwd: '.', exitCode: failed.length ? 1 : 0, startTs: commandStart, durationMs: duration, terminal: 'bash', shell: 'bash', program: 'npm', output, outputLength: output.length, after: stepsSinceRun });
    stepsSinceRun = [];
    const transition = lastTest && lastTest.passed !== (failed.length === 0) ? (failed.length === 0 ? 'fixed' : 'broke') : undefined;
    const run = add('test.run', { runner: 'mocha', command: 'npm test', origin: 'terminal', source: cmd, outcome: failed.length ? 'failed' : 'passed', passed, failed: failed.length, skipped: 2, failing: failed, durationMs: duration, after: stepsSinceTest, ...(transition ? { transition, previous: lastTest?.id } : {}) });
    stepsSinceTest = [];
    testsSinceCommit.push(run);
    lastTest = { id: run, passed: failed.length === 0 };
  };

  const command = (): void => {
    const commandStart = now;
    const duration = 200 + Math.floor(random() * 4000);
    now += duration;
    const line = pick(['git status', 'ls src', 'npm run build', 'npm install', 'git diff', 'npx tsc --noEmit', 'grep -rn token src']);
    const fails = line === 'npx tsc --noEmit' && random() < 0.5;
    add('terminal.command', { commandLine: line, confidence: 'high', cwd: '.', exitCode: fails ? 2 : 0, startTs: commandStart, durationMs: duration, terminal: 'bash', shell: 'bash', program: line.split(' ')[0], output: fails ? "src/api/users.ts(12,5): error TS2339: Property 'id' does not exist on type 'User'." : 'ok', outputLength: 80, after: stepsSinceRun });
    stepsSinceRun = [];
    if (line === 'npm install') {
      now += 300;
      add('file.change', { path: 'package-lock.json', change: 'changed', added: 40, removed: 12, sha256: 'h', size: 200_000, by: { by: 'terminal', command: line, program: 'npm', confidence: 'high' } });
      add('file.bulk', { count: 1200, created: 900, changed: 300, deleted: 0, paths: ['node_modules/a/index.js'], hashes: [null], truncated: true, by: { by: 'terminal', command: line, program: 'npm', confidence: 'high' } });
    } else if (line === 'npm run build') {
      for (let k = 0; k < 6; k++) {
        add('file.change', { path: `dist/${NAMES[k]}.js`, change: 'changed', added: 20, removed: 18, sha256: 'h', size: 4000, by: { by: 'terminal', command: line, program: 'npm', confidence: 'high' } });
      }
    }
  };

  const task = (): void => {
    const taskStart = now;
    const duration = 1000 + Math.floor(random() * 9000);
    now += duration;
    add('task.run', { name: 'lint', source: 'npm', group: 'build', exitCode: random() < 0.2 ? 1 : 0, startTs: taskStart, durationMs: duration, after: stepsSinceRun });
    stepsSinceRun = [];
  };

  const debug = (): void => {
    const sessionId = `dbg-${++debugs}`;
    add('debug.session', { phase: 'start', sessionId, type: 'node', request: 'launch', name: 'Launch server', configuration: { program: '${workspaceFolder}/src/index.ts' }, after: stepsSinceRun });
    stepsSinceRun = [];
    const stops = Math.floor(random() * 4);
    let exception = false;
    for (let k = 0; k < stops; k++) {
      now += 2000 + Math.floor(random() * 20_000);
      const isException = random() < 0.3;
      exception ||= isException;
      add('debug.stop', { sessionId, reason: isException ? 'exception' : 'breakpoint', ...(isException ? { exception: { message: "TypeError: Cannot read properties of undefined (reading 'id')", frame: { name: 'findUser', location: { path: 'src/api/users.ts', line: 42 } } } } : {}) });
    }
    now += 3000 + Math.floor(random() * 30_000);
    add('debug.session', { phase: 'end', sessionId, type: 'node', request: 'launch', name: 'Launch server', durationMs: 40_000, exitCode: exception ? 1 : 0, ...(exception ? { exception: "TypeError: Cannot read properties of undefined (reading 'id')" } : {}), output: 'Server listening on :3000' });
  };

  const commit = (): void => {
    add('git.commit', { repo: '.', sha: Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0').repeat(5), parents: ['a1b2c3d'], branch: 'main', message: `${pick(['Fix', 'Add', 'Refactor', 'Handle'])} ${pick(NAMES)} ${pick(['validation', 'paging', 'errors', 'retries', 'tests'])}\n\nDetails of the change.`, files: working.slice(0, 3).map((p) => ({ path: p, added: Math.floor(random() * 30), removed: Math.floor(random() * 10) })), amend: false, origin: 'scm', tests: testsSinceCommit.splice(0), lastTestPassed: lastTest ? lastTest.passed : null });
  };

  while (events.length < target - 2 && now < start + span * 4) {
    if (!goalId && goals < 3 && random() < 0.05) {
      goalId = `goal-${++goals}`;
      add('goal.start', { goal: pick(['Fix the login bug', 'Add paging to the orders list', 'Retry mail on 503']), goalId, issue: `#${40 + goals}`, startTs: now });
    }
    const r = random();
    if (r < 0.55) {
      step();
      if (random() < 0.3) {
        file = pick(working);
      }
    } else if (r < 0.75) {
      read();
    } else if (r < 0.83) {
      runTests();
    } else if (r < 0.88) {
      command();
    } else if (r < 0.9) {
      task();
    } else if (r < 0.91) {
      debug();
    } else if (r < 0.925) {
      commit();
      if (goalId && random() < 0.3) {
        add('goal.end', { goalId, outcome: 'done', durationMs: 1_800_000, note: 'merged' });
        goalId = undefined;
      }
    } else if (r < 0.93) {
      working = [...working.slice(1), pick(files)];
      add('file.create', { path: working[working.length - 1] });
    } else if (r < 0.935) {
      add('privacy.redacted', { in: 'terminal.command', field: 'output', rule: 'github-pat', count: 1 });
    } else if (r < 0.937) {
      add('capture.pause', { reason: 'paused', until: null });
      now += 5 * 60_000 + Math.floor(random() * 10 * 60_000);
      add('capture.resume', {});
    } else if (r < 0.938) {
      add('git.checkout', { repo: '.', from: 'main', to: `feature/${pick(NAMES)}`, sha: 'a1b2c3d' });
    } else {
      now += 500 + Math.floor(random() * 5000);
      add('file.change', { path: pick(files), change: 'changed', added: 1 + Math.floor(random() * 10), removed: Math.floor(random() * 5), diff: '@@ -1,1 +1,2 @@\n a\n+b\n', sha256: 'h', size: 1200, by: { by: pick(['git', 'unknown', 'extension'] as const), confidence: 'medium' } });
    }
  }
  if (goalId) {
    add('goal.end', { goalId, outcome: 'handed-off', durationMs: 600_000 });
  }
  add('session.end', { reason: 'deactivate' });
  return { id: session, workspace, firstTs: events[0]?.ts ?? start, lastTs: now, events };
}

/** A session where every event is drawn (no keystrokes, selections or focus changes): the worst case for the page. */
export function allDrawnSession(count = 50_000, seed = 7): GeneratedSession {
  const base = generateSession({ events: Math.round(count * 7.5), hours: 40, seed });
  const drawn = base.events.filter((e) => !['doc.edit', 'editor.selection', 'editor.focus', 'doc.open'].includes(e.kind)).slice(0, count);
  return { ...base, events: drawn, lastTs: drawn[drawn.length - 1]?.ts ?? base.lastTs };
}
