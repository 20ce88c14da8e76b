/**
 * A small trace of the story (edit steps → a failing test run → more edit steps → the same
 * test passing → a commit), with a debug session, a pause, changes on disk, reading and a
 * redaction, for the timeline's unit tests.
 */
import { SCHEMA, type EventBodies, type EventOf, type Kind, type TraceEvent } from '../../src/trace/events';

export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

export class TraceBuilder {
  private seq = 0;
  readonly events: TraceEvent[] = [];

  constructor(
    readonly session = 'sess-1',
    readonly workspace = 'ws-1',
  ) {}

  add<K extends Kind>(kind: K, atSeconds: number, body: EventBodies[K], id?: string): EventOf<K> {
    this.seq++;
    const e = { schema: SCHEMA, id: id ?? `e${this.seq}`, seq: this.seq, ts: T0 + atSeconds * 1000, session: this.session, workspace: this.workspace, kind, ...body } as unknown as EventOf<K>;
    this.events.push(e);
    return e;
  }
}

export const DIFF_A = ['--- src/app.ts', '+++ src/app.ts', '@@ -10,6 +10,7 @@', ' a', ' b', ' c', '-old', '+new', '+more', ' d', ''].join('\n');

export function story(): TraceEvent[] {
  const b = new TraceBuilder();
  b.add('session.start', 0, { vscodeVersion: '1.100.3', extensionVersion: '0.1.0', platform: 'linux', folders: ['app'], repos: [], revision: 2 });
  b.add('goal.start', 1, { goal: 'Fix the login bug', goalId: 'g1', issue: '#42', startTs: T0 + 1000 });
  b.add('doc.open', 2, { path: 'src/app.ts', languageId: 'typescript', eol: '\n', version: 1, replayable: true, text: 'x', length: 1, sha256: 'h' });
  b.add('doc.edit', 3, { path: 'src/app.ts', version: 2, changes: [{ offset: 0, length: 0, text: 'y' }], cause: 'typing' });
  b.add('doc.edit', 4, { path: 'src/app.ts', version: 3, changes: [{ offset: 1, length: 0, text: 'z' }], cause: 'typing' });
  b.add('edit.step', 7, { path: 'src/app.ts', fromVersion: 1, toVersion: 3, diff: DIFF_A, added: 2, removed: 1, edits: 2, startTs: T0 + 3000, durationMs: 1500, cause: 'typing', closedBy: 'run', editIds: ['e4', 'e5'] }, 'step1');
  b.add('terminal.command', 20, { commandLine: 'npm test', confidence: 'high', cwd: '.', exitCode: 1, startTs: T0 + 10_000, durationMs: 10_000, terminal: 'bash', output: '1 failing\n  login works', outputLength: 24, after: ['step1'] }, 'cmd1');
  b.add('test.run', 20, { runner: 'mocha', command: 'npm test', origin: 'terminal', source: 'cmd1', outcome: 'failed', passed: 3, failed: 1, failing: ['login works'], durationMs: 10_000, after: ['step1'] }, 'run1');
  b.add('edit.step', 40, { path: 'src/login.ts', fromVersion: 4, toVersion: 9, diff: '', added: 5, removed: 0, edits: 5, startTs: T0 + 30_000, durationMs: 8000, cause: 'paste', closedBy: 'run', editIds: [] }, 'step2');
  b.add('debug.session', 45, { phase: 'start', sessionId: 'd1', type: 'node', request: 'launch', name: 'Launch app', after: ['step2'] }, 'dbg1');
  b.add('debug.stop', 47, { sessionId: 'd1', reason: 'exception', exception: { message: 'TypeError: x is undefined', frame: { name: 'login', location: { path: 'src/login.ts', line: 12 } } } });
  b.add('capture.pause', 50, { reason: 'paused', until: null });
  b.add('capture.resume', 80, {});
  b.add('debug.session', 85, { phase: 'end', sessionId: 'd1', type: 'node', request: 'launch', name: 'Launch app', durationMs: 40_000, exitCode: 1, exception: 'TypeError: x is undefined', output: 'boom' });
  b.add('terminal.command', 100, { commandLine: 'npm test', confidence: 'high', cwd: '.', exitCode: 0, startTs: T0 + 95_000, durationMs: 5000, terminal: 'bash', output: '4 passing', after: ['step2'] }, 'cmd2');
  b.add('test.run', 100, { runner: 'mocha', command: 'npm test', origin: 'terminal', source: 'cmd2', outcome: 'passed', passed: 4, failed: 0, failing: [], durationMs: 5000, after: ['step2'], transition: 'fixed', previous: 'run1' }, 'run2');
  b.add('file.change', 105, { path: 'package-lock.json', change: 'changed', added: 10, removed: 2, sha256: 'h2', size: 100, by: { by: 'terminal', command: 'npm install', confidence: 'high' } });
  b.add('file.bulk', 106, { count: 300, created: 300, changed: 0, deleted: 0, paths: ['node_modules/a/index.js'], hashes: [null], truncated: true, by: { by: 'terminal', command: 'npm install', confidence: 'high' } });
  b.add('editor.view', 110, { path: 'src/login.ts', ranges: [{ start: 5, end: 40 }], active: true });
  b.add('editor.navigate', 111, { from: { path: 'src/login.ts', line: 12 }, to: { path: 'src/auth.ts', line: 3 }, via: 'definition', trigger: 'keyboard' });
  b.add('editor.selection', 112, { path: 'src/auth.ts', trigger: 'keyboard', selections: [{ start: { line: 3, column: 1 }, end: { line: 3, column: 1 } }], count: 1, chars: 0, lines: 1 });
  b.add('diagnostics.change', 113, { path: 'src/auth.ts', before: { errors: 0, warnings: 0 }, after: { errors: 2, warnings: 0 }, new: [{ severity: 'error', message: 'Cannot find name', line: 7 }] });
  b.add('privacy.redacted', 114, { in: 'terminal.command', field: 'commandLine', rule: 'github-pat', count: 1 });
  b.add('git.commit', 120, { repo: '.', sha: 'abcdef1234567890', parents: ['0123'], branch: 'main', message: 'Fix login\n\nThe token was read too early.', files: [{ path: 'src/login.ts', added: 5, removed: 0 }, { path: 'src/app.ts', added: 2, removed: 1 }], amend: false, origin: 'scm', tests: ['run1', 'run2'], lastTestPassed: true }, 'commit1');
  b.add('goal.end', 125, { goalId: 'g1', outcome: 'done', durationMs: 124_000, note: 'done and pushed' });
  b.add('session.end', 130, { reason: 'deactivate' });
  return b.events;
}
