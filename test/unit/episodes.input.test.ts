import * as assert from 'node:assert/strict';
import { buildEpisodes } from '../../src/episodes/builder';
import { newBuildReport } from '../../src/episodes/report';
import { checkEvent } from '../../src/episodes/validate';
import type { Kind, NewEvent, TraceEvent } from '../../src/trace/events';
import type { TraceSession } from '../../src/trace/session';
import { applyEpisodePatch, build, sessionsOf } from '../support/episodes';
import { validateEvent } from '../support/schema';
import { TraceBuilder } from '../support/traceBuilder';

const by = { by: 'terminal', command: 'node gen.js', confidence: 'high' } as const;

/** One valid body of every kind: a Record over Kind, so a new kind does not compile until added here. */
const BODIES: Record<Kind, NewEvent> = {
  'session.start': { kind: 'session.start', vscodeVersion: '1.100.3', extensionVersion: '0.1.0', platform: 'linux', folders: ['app'], repos: [{ root: '.', head: null, branch: 'main', dirty: true }], revision: 2 },
  'session.end': { kind: 'session.end', reason: 'deactivate' },
  'doc.open': { kind: 'doc.open', path: 'a.js', languageId: 'javascript', eol: '\n', version: 1, replayable: false, length: 5, sha256: 'f'.repeat(64), omitted: 'too-large' },
  'doc.excluded': { kind: 'doc.excluded', path: 'excluded:0123456789abcdef' },
  'doc.edit': { kind: 'doc.edit', path: 'a.js', version: 2, changes: [{ offset: 0, length: 0, text: 'x' }], cause: 'completion' },
  'doc.save': { kind: 'doc.save', path: 'a.js', version: 2 },
  'doc.close': { kind: 'doc.close', path: 'a.js' },
  'file.create': { kind: 'file.create', path: 'b.js' },
  'file.delete': { kind: 'file.delete', path: 'b.js' },
  'file.rename': { kind: 'file.rename', from: 'a.js', to: 'c.js' },
  'editor.focus': { kind: 'editor.focus', path: null },
  'terminal.open': { kind: 'terminal.open', terminal: 'bash', captured: false },
  'terminal.command': { kind: 'terminal.command', commandLine: 'node gen.js', confidence: 'high', cwd: null, exitCode: null, startTs: null, durationMs: null, terminal: 'bash', program: 'node', files: [{ path: 'gen.ts', change: 'created', added: 3, removed: 0 }], filesCount: 1, after: [] },
  'task.run': { kind: 'task.run', name: 'build', source: 'Workspace', exitCode: 0, startTs: 1, durationMs: 2, after: ['x'] },
  'test.run': { kind: 'test.run', runner: 'jest', command: 'npx jest', origin: 'test-api', outcome: 'errored', failing: ['a > b'], durationMs: null, after: [] },
  'debug.session': { kind: 'debug.session', phase: 'start', sessionId: 'd', type: 'node', request: 'launch', name: 'Run', parent: 'p', configuration: { program: 'a.js', args: [] }, after: [] },
  'debug.stop': { kind: 'debug.stop', sessionId: 'd', reason: 'breakpoint', description: 'Paused' },
  'debug.breakpoints': { kind: 'debug.breakpoints', added: [{ path: 'a.js', line: 1 }, { function: 'main' }], removed: [] },
  'diagnostics.change': { kind: 'diagnostics.change', path: 'a.js', before: { errors: 0, warnings: 0 }, after: { errors: 1, warnings: 0 }, new: [{ severity: 'error', message: 'm', line: 1, code: '2322' }] },
  'git.commit': {
    kind: 'git.commit',
    repo: '.',
    sha: 'a'.repeat(40),
    parents: [],
    branch: null,
    message: 'm',
    files: [{ path: 'a.js', added: null, removed: null }],
    amend: true,
    origin: 'external',
    author: 'Ada',
    tests: [],
    lastTestPassed: null,
    authorship: { lines: { typed: 1, pasted: 0, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 }, files: [], unexplained: 0 },
  },
  'git.checkout': { kind: 'git.checkout', repo: '.', from: null, to: null, sha: null },
  'capture.pause': { kind: 'capture.pause', reason: 'paused', until: null },
  'capture.resume': { kind: 'capture.resume' },
  'privacy.redacted': { kind: 'privacy.redacted', in: 'doc.edit', field: 'changes', rule: 'jwt', count: 2 },
  'capture.dropped': { kind: 'capture.dropped', count: 3, reason: 'corrupt' },
  'goal.start': { kind: 'goal.start', goal: 'g', goalId: 'g-1', resumed: true, startTs: 1 },
  'goal.end': { kind: 'goal.end', goalId: 'g-1', outcome: 'done', durationMs: 5 },
  'file.change': { kind: 'file.change', path: 'bin.png', change: 'created', added: 0, removed: 0, sha256: 'e'.repeat(64), size: 10, omitted: 'binary', by },
  'file.bulk': { kind: 'file.bulk', count: 2, created: 2, changed: 0, deleted: 0, paths: ['x', 'y'], hashes: ['d'.repeat(64), null], truncated: false, by },
  'editor.view': { kind: 'editor.view', path: 'a.js', ranges: [{ start: 1, end: 2 }], active: false },
  'editor.selection': { kind: 'editor.selection', path: 'a.js', trigger: 'edit', selections: [{ start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }], count: 1, chars: 1, lines: 1 },
  'editor.navigate': { kind: 'editor.navigate', from: null, to: { path: 'a.js', line: 1 }, via: 'history', trigger: 'unknown' },
  'edit.step': { kind: 'edit.step', path: 'a.js', fromVersion: 1, toVersion: 2, diff: '', added: 0, removed: 0, edits: 1, startTs: 1, durationMs: 0, cause: 'format', closedBy: 'run', editIds: ['x'.repeat(21)] },
};

/** A small session: a snapshot, one edit step, a test command. */
function session(b: TraceBuilder): TraceEvent[] {
  const start = b.stamp({ kind: 'session.start', vscodeVersion: '1.100.3', extensionVersion: '0.1.0', platform: 'linux', folders: ['app'], repos: [] });
  const open = b.open('src/a.ts', 'let a = 1;\n');
  const edit = b.edit('src/a.ts', 2, [{ offset: 8, length: 1, text: '2' }]);
  return [
    start,
    open,
    edit,
    b.stamp({ kind: 'edit.step', path: 'src/a.ts', fromVersion: 1, toVersion: 2, diff: '', added: 1, removed: 1, edits: 1, startTs: edit.ts, durationMs: 0, cause: 'typing', closedBy: 'run', editIds: [edit.id] }),
    b.stamp({ kind: 'terminal.command', commandLine: 'make', confidence: 'high', cwd: '.', exitCode: 0, startTs: null, durationMs: 5, terminal: 'bash', after: [] }),
  ];
}

/** A raw value put into a session as if the reader had read it from disk. */
function raw(b: TraceBuilder, fields: Record<string, unknown>): TraceEvent {
  return { ...b.stamp({ kind: 'capture.resume' }), ...fields };
}

suite('episodes: events the builder can use', () => {
  test('every valid event of every kind passes (and fits the trace schema)', () => {
    const b = new TraceBuilder('s', 1_700_000_000_000, 'ws');
    for (const [kind, body] of Object.entries(BODIES)) {
      const event = b.stamp(body);
      assert.deepEqual(validateEvent(event), [], `sample of ${kind} fits the trace schema`);
      assert.deepEqual(checkEvent(event), { ok: true, event }, kind);
    }
  });

  test('unknown kinds, other schemas and wrong types are told apart', () => {
    const b = new TraceBuilder('s', 1_700_000_000_000, 'ws');
    const verdict = (v: unknown): string => {
      const c = checkEvent(v);
      return c.ok ? 'ok' : `${c.reason}: ${c.message}`;
    };
    assert.equal(verdict({ ...b.stamp(BODIES['doc.close']), kind: 'editor.hover' }), 'unknown-kind: unknown kind "editor.hover"');
    assert.equal(verdict({ ...b.stamp(BODIES['doc.close']), schema: 'worktrace/2' }), 'newer-schema: schema "worktrace/2" is not worktrace/1');
    assert.equal(verdict({ ...b.stamp(BODIES['doc.edit']), changes: 'oops' }), 'malformed: malformed doc.edit: changes is not an array');
    assert.equal(verdict({ ...b.stamp(BODIES['doc.edit']), changes: [{ offset: '1', length: 0, text: '' }] }), 'malformed: malformed doc.edit: changes[0].offset is not a finite number');
    assert.equal(verdict({ ...b.stamp(BODIES['test.run']), outcome: 'maybe' }), 'malformed: malformed test.run: outcome is not one of passed, failed, errored, unknown');
    assert.equal(verdict({ ...b.stamp(BODIES['git.commit']), lastTestPassed: 'yes' }), 'malformed: malformed git.commit: lastTestPassed is not a boolean');
    assert.equal(verdict({ ...b.stamp(BODIES['editor.navigate']), to: null }), 'malformed: malformed editor.navigate: to is not an object');
    assert.equal(verdict({ ...b.stamp(BODIES['doc.close']), ts: '2024-01-01' }), 'malformed: malformed envelope: ts is not a finite number');
    for (const v of [null, 42, 'doc.close', [], {}]) {
      assert.match(verdict(v), /^malformed: malformed envelope/);
    }
  });
});

suite('episodes: bad input', () => {
  test('a repeated event id is read once', async () => {
    const b = new TraceBuilder('s1');
    const events = session(b);
    const withDuplicate = [...events.slice(0, 3), events[2], ...events.slice(3)];
    const { episodes, report, problems } = await build(withDuplicate);
    assert.equal(report.skipped.duplicate, 1);
    assert.deepEqual(
      problems.map((p) => [p.reason, p.eventId]),
      [['duplicate', events[2].id]],
    );
    assert.equal(episodes[0].figures.edits, 1);
    assert.equal(applyEpisodePatch(episodes[0]).get('src/a.ts'), 'let a = 2;\n', 'the edit is applied once');
  });

  test('edits of a file never snapshotted: the episode is built but not exact, and says which file and why', async () => {
    const b = new TraceBuilder('s1');
    const before = session(b);
    const edit = b.edit('src/x.ts', 7, [{ offset: 0, length: 0, text: 'x' }]);
    const events = [
      ...before,
      edit,
      b.stamp({ kind: 'edit.step', path: 'src/x.ts', fromVersion: 6, toVersion: 7, diff: '', added: 0, removed: 0, edits: 1, startTs: edit.ts, durationMs: 0, cause: 'typing', closedBy: 'pause', editIds: [edit.id] }),
    ];
    const { episodes, report, problems } = await build(events);
    const [e] = episodes;
    assert.equal(e.exact, false);
    assert.equal(e.outcome.patchExact, false);
    assert.deepEqual(e.base.find((f) => f.path === 'src/x.ts'), { path: 'src/x.ts', known: false, missing: 'no-snapshot' });
    assert.deepEqual(e.problems, ['src/x.ts: content at the start not known: the trace has no content of it (no doc.open snapshot or file.change text before)']);
    assert.ok(!e.outcome.patch.includes('src/x.ts'), 'a file without a base is left out of the patch');
    assert.equal(applyEpisodePatch(e).get('src/a.ts'), 'let a = 2;\n', 'the other files are exact');
    assert.equal(report.notExact, 1);
    assert.deepEqual(
      problems.map((p) => [p.reason, p.episode]),
      [['inexact', e.id]],
    );
  });

  test('a file too large to record: its base and end are not known, and the episode says so', async () => {
    const b = new TraceBuilder('s1');
    const events = session(b);
    const big = b.open('big.json', 'x'.repeat(50), 1, { replayable: false });
    const edit = b.edit('big.json', 2, [{ offset: 0, length: 0, text: 'y' }]);
    events.push(big, edit, b.stamp({ kind: 'edit.step', path: 'big.json', fromVersion: 1, toVersion: 2, diff: '', added: 0, removed: 0, edits: 1, startTs: edit.ts, durationMs: 0, cause: 'paste', closedBy: 'pause', editIds: [edit.id] }));
    const [e] = (await build(events)).episodes;
    assert.deepEqual(e.base.find((f) => f.path === 'big.json'), { path: 'big.json', known: false, missing: 'too-large' });
    assert.deepEqual(e.problems, ['big.json: content at the start not known: over the capture size limit (no content recorded)']);
    assert.equal(e.outcome.patchExact, false);
  });

  test('events of unknown kinds and of a newer schema are skipped and counted; the episode is as without them', async () => {
    const b = new TraceBuilder('s1');
    const events = session(b);
    const clean = await build(events);
    const odd = [
      ...events.slice(0, 2),
      raw(b, { kind: 'editor.hover', path: 'src/a.ts' }),
      { ...events[2], id: 'x'.repeat(21), schema: 'worktrace/2' } as unknown as TraceEvent,
      ...events.slice(2),
    ];
    const { episodes, report, problems } = await build(odd);
    assert.deepEqual(report.skipped, { 'unknown-kind': 1, 'newer-schema': 1, malformed: 0, duplicate: 0 });
    assert.equal(report.events, events.length + 2);
    assert.deepEqual(
      problems.map((p) => [p.reason, p.kind, p.session]),
      [
        ['unknown-kind', 'editor.hover', 's1'],
        ['newer-schema', 'doc.edit', 's1'],
      ],
    );
    assert.equal(JSON.stringify(episodes), JSON.stringify(clean.episodes));
  });

  test('malformed bodies never throw: they are skipped, counted, reported, and the episode says what it lacks', async () => {
    const b = new TraceBuilder('s1');
    const events = session(b);
    const bad: TraceEvent[] = [
      raw(b, { ...BODIES['terminal.command'], exitCode: 'x' }),
      raw(b, { kind: 'doc.edit', path: 'src/a.ts', version: 3, changes: 'oops', cause: 'typing' }),
      raw(b, { kind: 'test.run', runner: 'jest', command: 'jest', origin: 'terminal', outcome: 'maybe', failing: [], durationMs: 1, after: [] }),
      raw(b, { kind: 'goal.start', goal: 'g', goalId: 42 }),
      raw(b, { ts: 'yesterday' }),
      null as unknown as TraceEvent,
      7 as unknown as TraceEvent,
    ];
    const [s1] = sessionsOf(events);
    const { episodes, report, problems } = await build([{ ...s1, events: [...s1.events, ...bad] }]);
    assert.equal(report.skipped.malformed, bad.length);
    assert.equal(problems.filter((p) => p.reason === 'malformed').length, bad.length);
    assert.ok(problems.some((p) => p.reason === 'malformed' && p.kind === 'terminal.command' && /exitCode is not a finite number/.test(p.message)));
    const [e] = episodes;
    assert.deepEqual(
      e.steps.map((s) => s.type),
      ['edit', 'command'],
    );
    assert.equal(e.exact, false);
    assert.ok(e.problems.some((p) => p.startsWith('src/a.ts: content at the end not known: a malformed doc.edit of it was skipped')), e.problems.join('\n'));
    assert.ok(e.problems.some((p) => p.startsWith('a malformed terminal.command was skipped')), e.problems.join('\n'));
  });

  test('an edit that does not fit the replayed text is a replay problem and the file is not exact', async () => {
    const b = new TraceBuilder('s1');
    const events = [...session(b), b.edit('src/a.ts', 3, [{ offset: 99, length: 0, text: '!' }])];
    const { episodes, problems } = await build(events);
    assert.ok(problems.some((p) => p.reason === 'replay' && /src\/a\.ts: change 0 \(offset 99/.test(p.message)));
    assert.match(episodes[0].problems.join('\n'), /^src\/a\.ts: content at the end not known: replay lost track: change 0/m);
  });

  test('a goal.end of no open task is reported and kept as a plain event', async () => {
    const b = new TraceBuilder('s1');
    const events = [...session(b), b.stamp({ kind: 'goal.end', goalId: 'nope', outcome: 'done', durationMs: 0 })];
    const { episodes, problems } = await build(events);
    assert.equal(episodes.length, 1);
    assert.deepEqual(
      problems.map((p) => [p.reason, p.message]),
      [['goal', 'goal.end of "nope" matches no open task']],
    );
  });

  test('a synchronous iterable of sessions works too, and the report is filled as the build goes', async () => {
    const b = new TraceBuilder('s1');
    const sessions: TraceSession[] = sessionsOf(session(b));
    const report = newBuildReport();
    const seen: number[] = [];
    for await (const _episode of buildEpisodes(sessions, { report })) {
      seen.push(report.episodes);
    }
    assert.deepEqual(seen, [1]);
    assert.equal(report.sessions, 1);
  });
});
