import * as assert from 'node:assert/strict';
import { EDIT_CAUSES, type Kind, type TraceEvent } from '../../src/trace/events';
import { loadSchema, validateEvent } from '../support/schema';
import { TraceBuilder, sha256 } from '../support/traceBuilder';

const b = new TraceBuilder('session-1', 1_700_000_000_000, 'ws-1');
const editId = b.edit('a.ts', 2, []).id;

/** One valid event of every kind: a Record over Kind, so a new kind does not compile until added here. */
const SAMPLES: Record<Kind, TraceEvent> = {
  'session.start': b.stamp({
    kind: 'session.start',
    vscodeVersion: '1.100.0',
    extensionVersion: '0.1.0',
    platform: 'linux',
    folders: ['main', 'docs'],
    repos: [
      { root: '.', head: '0123456789abcdef0123456789abcdef01234567', branch: 'main', dirty: false },
      { root: 'docs', head: null, branch: null, dirty: true },
    ],
  }),
  'session.end': b.stamp({ kind: 'session.end', reason: 'deactivate' }),
  'privacy.redacted': b.stamp({ kind: 'privacy.redacted', in: 'terminal.command', field: 'output', rule: 'aws-access-key', count: 1 }),
  'capture.pause': b.stamp({ kind: 'capture.pause', reason: 'paused', until: null }),
  'capture.resume': b.stamp({ kind: 'capture.resume' }),
  'doc.excluded': b.stamp({ kind: 'doc.excluded', path: 'excluded:0123456789abcdef' }),
  'capture.dropped': b.stamp({ kind: 'capture.dropped', count: 3, reason: 'spool-full' }),
  'terminal.open': b.stamp({ kind: 'terminal.open', terminal: 'bash', shell: 'bash', captured: false }),
  'terminal.command': b.stamp({ kind: 'terminal.command', commandLine: 'npm test', confidence: 'high', cwd: '.', exitCode: 1, startTs: 1, durationMs: 20, terminal: 'bash', output: 'ℹ fail 1', outputLength: 8, outputTruncated: false, after: ['x'] }),
  'task.run': b.stamp({ kind: 'task.run', name: 'build', source: 'Workspace', group: 'build', exitCode: 7, startTs: 1, durationMs: 5, after: [] }),
  'test.run': b.stamp({ kind: 'test.run', runner: 'node', command: 'node --test', origin: 'terminal', source: 'id', outcome: 'passed', passed: 2, failed: 0, skipped: 0, failing: [], durationMs: 30, after: [], transition: 'fixed', previous: 'p' }),
  'debug.session': b.stamp({ kind: 'debug.session', phase: 'end', sessionId: 'd1', type: 'pwa-node', request: 'launch', name: 'Run', durationMs: 10, exitCode: 1, exception: 'Error: boom' }),
  'debug.stop': b.stamp({ kind: 'debug.stop', sessionId: 'd1', reason: 'exception', exception: { message: 'boom', frame: { name: 'main', location: { path: 'src/a.js', line: 3 } } } }),
  'debug.breakpoints': b.stamp({ kind: 'debug.breakpoints', added: [{ path: 'src/a.js', line: 3 }, { function: 'main' }], removed: [] }),
  'diagnostics.change': b.stamp({ kind: 'diagnostics.change', path: 'src/a.ts', before: { errors: 0, warnings: 0 }, after: { errors: 1, warnings: 0 }, new: [{ severity: 'error', message: "Type 'string' is not assignable", source: 'ts', code: '2322', line: 3 }] }),
  'git.commit': b.stamp({ kind: 'git.commit', repo: '.', sha: 'a'.repeat(40), parents: ['b'.repeat(40)], branch: 'main', message: 'Fix', files: [{ path: 'src/a.js', added: 1, removed: 1 }], amend: false, origin: 'terminal', tests: [], lastTestPassed: null }),
  'git.checkout': b.stamp({ kind: 'git.checkout', repo: '.', from: 'main', to: 'feature', sha: 'c'.repeat(40) }),
  'doc.open': b.open('src/a.ts', 'const x = "😀";\r\n', 1, { languageId: 'typescript' }),
  'doc.edit': b.edit('src/a.ts', 2, [{ offset: 3, length: 1, text: '\t' }, { offset: 0, length: 0, text: '' }], 'multi-cursor'),
  'doc.save': b.save('src/a.ts', 2),
  'doc.close': b.close('src/a.ts'),
  'file.create': b.stamp({ kind: 'file.create', path: 'src/new.ts' }),
  'file.delete': b.remove('src/new.ts'),
  'file.rename': b.rename('src/a.ts', 'src/b.ts'),
  'editor.focus': b.stamp({ kind: 'editor.focus', path: 'src/b.ts', languageId: 'typescript' }),
  'goal.start': b.stamp({ kind: 'goal.start', goal: 'Fix the flaky login test', goalId: 'g-1', url: 'https://example.invalid/issues/42', issue: '#42', startTs: 1_700_000_000_000 }),
  'goal.end': b.stamp({ kind: 'goal.end', goalId: 'g-1', outcome: 'handed-off', note: 'needs review', durationMs: 60_000 }),
  'file.change': b.stamp({
    kind: 'file.change',
    path: 'src/gen.ts',
    change: 'changed',
    changes: [{ offset: 0, length: 1, text: 'b' }],
    diff: '--- src/gen.ts\n+++ src/gen.ts\n@@ -1 +1 @@\n-a\n+b\n',
    added: 1,
    removed: 1,
    sha256: 'f'.repeat(64),
    size: 2,
    by: { by: 'terminal', command: 'node gen.js', terminal: 'bash', program: 'node', confidence: 'high' },
  }),
  'file.bulk': b.stamp({ kind: 'file.bulk', count: 1000, created: 0, changed: 998, deleted: 2, paths: ['a.ts'], hashes: [null], truncated: true, by: { by: 'git', operation: 'checkout', confidence: 'high' } }),
  'editor.view': b.stamp({ kind: 'editor.view', path: 'src/a.ts', ranges: [{ start: 1, end: 40 }, { start: 60, end: 70 }], active: true }),
  'editor.selection': b.stamp({ kind: 'editor.selection', path: 'src/a.ts', trigger: 'mouse', selections: [{ start: { line: 3, column: 1 }, end: { line: 4, column: 5 } }], count: 1, chars: 30, lines: 2 }),
  'editor.navigate': b.stamp({ kind: 'editor.navigate', from: { path: 'src/a.ts', line: 3, column: 7 }, to: { path: 'src/b.ts', line: 1 }, via: 'definition', trigger: 'keyboard' }),
  'edit.step': b.stamp({
    kind: 'edit.step',
    path: 'src/b.ts',
    fromVersion: 1,
    toVersion: 2,
    diff: '--- src/b.ts\n+++ src/b.ts\n@@ -1,1 +1,1 @@\n-a\n+b\n',
    added: 1,
    removed: 1,
    edits: 1,
    startTs: 1_700_000_000_100,
    durationMs: 0,
    cause: 'typing',
    closedBy: 'pause',
    editIds: [editId],
  }),
};

function mutate(event: TraceEvent, change: Record<string, unknown>, remove: string[] = []): unknown {
  const copy: Record<string, unknown> = { ...event, ...change };
  for (const key of remove) delete copy[key];
  return copy;
}

suite('schema/worktrace-1.schema.json', () => {
  test('describes exactly the kinds of events.ts', () => {
    const schema = loadSchema();
    const properties = schema.properties as Record<string, { enum?: unknown[] }>;
    assert.deepEqual([...(properties.kind.enum ?? [])].sort(), Object.keys(SAMPLES).sort());
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  });

  for (const [kind, event] of Object.entries(SAMPLES)) {
    test(`accepts a valid ${kind} event`, () => {
      assert.equal(event.kind, kind);
      assert.deepEqual(validateEvent(event), []);
    });

    test(`rejects an unknown property on ${kind}`, () => {
      const errors = validateEvent(mutate(event, { surprise: 1 }));
      assert.ok(errors.some((e) => e.includes('surprise')), errors.join('; '));
    });
  }

  test('accepts the optional fields and variants', () => {
    assert.deepEqual(validateEvent(b.open('big.bin', 'x', 1, { replayable: false })), []);
    assert.deepEqual(validateEvent(mutate(SAMPLES['doc.open'], { existing: true })), []);
    assert.deepEqual(validateEvent(b.focus(null)), []);
    assert.deepEqual(validateEvent(b.stamp({ kind: 'session.end', reason: 'disabled' })), []);
    for (const cause of EDIT_CAUSES) {
      assert.deepEqual(validateEvent(b.edit('a', 3, [], cause)), [], cause);
    }
  });

  test('rejects bad envelopes', () => {
    const e = SAMPLES['doc.close'];
    const bad: unknown[] = [
      mutate(e, { schema: 'worktrace/2' }),
      mutate(e, { id: 'short' }),
      mutate(e, { id: 'a'.repeat(20) + '!' }),
      mutate(e, { seq: 0 }),
      mutate(e, { seq: 1.5 }),
      mutate(e, { ts: '2024-01-01' }),
      mutate(e, { session: 42 }),
      mutate(e, {}, ['workspace']),
      mutate(e, {}, ['kind']),
      mutate(e, { kind: 'doc.unknown' }),
      null,
      'doc.close',
      [],
    ];
    for (const event of bad) {
      assert.notDeepEqual(validateEvent(event), [], JSON.stringify(event));
    }
  });

  test('rejects bad bodies', () => {
    const bad: unknown[] = [
      mutate(SAMPLES['doc.open'], { eol: '\r' }),
      mutate(SAMPLES['doc.open'], { sha256: sha256('x').toUpperCase() }),
      mutate(SAMPLES['doc.open'], { omitted: 'too-big' }),
      mutate(SAMPLES['doc.open'], {}, ['sha256']),
      mutate(SAMPLES['doc.edit'], { cause: 'autocomplete' }),
      mutate(SAMPLES['doc.edit'], { changes: [{ offset: -1, length: 0, text: '' }] }),
      mutate(SAMPLES['doc.edit'], { changes: [{ offset: 0, length: 0 }] }),
      mutate(SAMPLES['doc.edit'], { changes: [{ offset: 0, length: 0, text: '', extra: true }] }),
      mutate(SAMPLES['file.rename'], {}, ['to']),
      mutate(SAMPLES['editor.focus'], { path: 3 }),
      mutate(SAMPLES['session.start'], { repos: [{ root: '.', head: null, branch: null }] }),
      mutate(SAMPLES['session.end'], { reason: 'crash' }),
      mutate(SAMPLES['edit.step'], { closedBy: 'idle' }),
      mutate(SAMPLES['edit.step'], { editIds: [] }),
      mutate(SAMPLES['edit.step'], { added: -1 }),
      // A body field of another kind is not allowed.
      mutate(SAMPLES['doc.close'], { version: 3 }),
    ];
    for (const event of bad) {
      assert.notDeepEqual(validateEvent(event), [], JSON.stringify(event));
    }
  });
});
