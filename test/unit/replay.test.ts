import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ReplayOptionsError, Replayer, groupSessions, readTrace, replayTrace, type TraceProblem } from '../../src/replay/replay';
import type { TraceEvent } from '../../src/trace/events';
import { TraceBuilder, toNdjson } from '../support/traceBuilder';

function replay(events: readonly TraceEvent[]): Replayer {
  const r = new Replayer();
  for (const e of events) r.apply(e);
  return r;
}

suite('Replayer', () => {
  test('rebuilds a document from its snapshot and edits', () => {
    const b = new TraceBuilder();
    const r = replay([
      b.open('src/a.ts', 'let x = 1;\n', 1, { languageId: 'typescript' }),
      b.edit('src/a.ts', 2, [{ offset: 8, length: 1, text: '42' }]),
      b.edit('src/a.ts', 3, [{ offset: 11, length: 0, text: '\nlet y = x;' }]),
    ]);
    assert.deepEqual(r.get('src/a.ts'), { text: 'let x = 42;\nlet y = x;\n', eol: '\n', languageId: 'typescript', version: 3, replayable: true });
    assert.equal(r.warnings.length, 0);
  });

  test('a later replayable doc.open replaces the state', () => {
    const b = new TraceBuilder();
    const r = replay([
      b.open('a.txt', 'old', 1),
      b.edit('a.txt', 2, [{ offset: 0, length: 0, text: 'x' }]),
      b.open('a.txt', 'fresh\r\n', 1, { languageId: 'markdown' }),
      b.edit('a.txt', 2, [{ offset: 5, length: 0, text: '!' }]),
    ]);
    assert.deepEqual(r.get('a.txt'), { text: 'fresh!\r\n', eol: '\r\n', languageId: 'markdown', version: 2, replayable: true });
  });

  test('a non-replayable doc.open stops replay of that path until the next replayable one', () => {
    const b = new TraceBuilder();
    const events = [
      b.open('big.log', 'small', 1),
      b.open('big.log', 'x'.repeat(10), 2, { replayable: false }),
      b.edit('big.log', 3, [{ offset: 0, length: 0, text: 'ignored' }]),
    ];
    const r = replay(events);
    assert.equal(r.get('big.log')?.replayable, false);
    assert.equal(r.get('big.log')?.text, '');
    r.apply(b.open('big.log', 'back', 4));
    r.apply(b.edit('big.log', 5, [{ offset: 4, length: 0, text: '!' }]));
    assert.deepEqual(r.get('big.log'), { text: 'back!', eol: '\n', languageId: 'plaintext', version: 5, replayable: true });
  });

  test('ignores edits of paths it has no state for', () => {
    const b = new TraceBuilder();
    const r = replay([b.edit('nowhere.txt', 2, [{ offset: 0, length: 0, text: 'x' }])]);
    assert.equal(r.get('nowhere.txt'), undefined);
    assert.equal(r.documents().size, 0);
  });

  test('flags an edit whose version does not increase', () => {
    const b = new TraceBuilder();
    const r = replay([b.open('a.txt', 'abc', 5), b.edit('a.txt', 5, [{ offset: 0, length: 0, text: 'x' }])]);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0].message, /version 5 is not greater than current version 5/);
    assert.equal(r.warnings[0].path, 'a.txt');
    assert.equal(r.get('a.txt')?.text, 'xabc'); // applied anyway
  });

  test('an edit that does not fit makes the path not replayable and is reported with its seq', () => {
    const b = new TraceBuilder();
    const open = b.open('a.txt', 'abc', 1);
    const good = b.edit('a.txt', 2, [{ offset: 3, length: 0, text: 'd' }]);
    const bad = b.edit('a.txt', 3, [{ offset: 99, length: 0, text: 'x' }]);
    const r = replay([open, good, bad]);
    const state = r.get('a.txt');
    assert.equal(state?.replayable, false);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0].seq, bad.seq);
    assert.match(r.warnings[0].message, /change 0 \(offset 99, length 0\) does not fit the text \(4 code units\)/);
  });

  test('a bad edit is reported even when a new snapshot replaces the document before it is read', () => {
    const b = new TraceBuilder();
    const r = replay([b.open('a.txt', 'abc', 1), b.edit('a.txt', 2, [{ offset: 7, length: 0, text: 'x' }]), b.open('a.txt', 'new', 1)]);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0].seq, 2);
    assert.deepEqual(r.get('a.txt'), { text: 'new', eol: '\n', languageId: 'plaintext', version: 1, replayable: true });
  });

  test('file.rename moves the state, and the edits that follow apply at the new path', () => {
    const b = new TraceBuilder();
    const r = replay([
      b.open('old.ts', 'a', 1),
      b.edit('old.ts', 2, [{ offset: 1, length: 0, text: 'b' }]),
      b.rename('old.ts', 'new.ts'),
      b.edit('new.ts', 3, [{ offset: 2, length: 0, text: 'c' }]),
    ]);
    assert.equal(r.get('old.ts'), undefined);
    assert.equal(r.get('new.ts')?.text, 'abc');
  });

  test('a folder rename moves every document below it, and nothing else', () => {
    const b = new TraceBuilder();
    const r = replay([b.open('src/a.ts', 'A', 1), b.open('src/sub/b.ts', 'B', 1), b.open('srcx.ts', 'X', 1), b.rename('src', 'lib')]);
    assert.deepEqual([...r.documents().keys()], ['lib/a.ts', 'lib/sub/b.ts', 'srcx.ts']);
    assert.equal(r.get('lib/sub/b.ts')?.text, 'B');
  });

  test('doc.close keeps the last state; file.delete removes it (and folders remove their contents)', () => {
    const b = new TraceBuilder();
    const r = replay([
      b.open('a.txt', 'kept', 1),
      b.close('a.txt'),
      b.open('gone.txt', 'x', 1),
      b.remove('gone.txt'),
      b.open('dir/one.txt', '1', 1),
      b.open('dir/two.txt', '2', 1),
      b.remove('dir'),
    ]);
    assert.equal(r.get('a.txt')?.text, 'kept');
    assert.deepEqual([...r.documents().keys()], ['a.txt']);
  });

  test('ignores unknown kinds and reports malformed events instead of throwing', () => {
    const b = new TraceBuilder();
    const open = b.open('a.txt', 'abc', 1);
    const unknown = { ...b.close('x'), kind: 'terminal.command', command: 'ls' } as unknown as TraceEvent;
    const malformed = { ...b.edit('a.txt', 2, []), changes: null } as unknown as TraceEvent;
    const noPath = { ...b.open('x', 'x', 1), path: undefined } as unknown as TraceEvent;
    const r = new Replayer();
    r.apply(open);
    r.apply(unknown);
    r.apply(malformed);
    r.apply(noPath);
    assert.equal(r.get('a.txt')?.text, 'abc');
    assert.deepEqual([...r.documents().keys()], ['a.txt']);
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0].message, /malformed doc.edit event: changes is not an array/);
    assert.match(r.warnings[1].message, /malformed doc.open event: path is not a string/);
  });

  test('warns when events of a session are not in seq order', () => {
    const b = new TraceBuilder();
    const first = b.open('a.txt', 'a', 1);
    const second = b.open('b.txt', 'b', 1);
    const r = replay([second, first]);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0].message, /not in seq order/);
  });
});

suite('replayTrace', () => {
  function twoSessions(): { events: TraceEvent[]; s1: TraceBuilder; s2: TraceBuilder } {
    const s1 = new TraceBuilder('session-one', 1000);
    const s2 = new TraceBuilder('session-two', 5000);
    const events = [
      s1.open('a.txt', 'v1', 1),
      s1.edit('a.txt', 2, [{ offset: 2, length: 0, text: '-s1' }]),
      s1.open('only1.txt', 'one', 1),
      s2.open('a.txt', 'v2', 1),
      s2.edit('a.txt', 2, [{ offset: 2, length: 0, text: '-s2a' }]),
      s2.edit('a.txt', 3, [{ offset: 6, length: 0, text: '-s2b' }]),
    ];
    return { events, s1, s2 };
  }

  test('replays sessions in order of first ts; a later snapshot replaces earlier state', () => {
    const { events } = twoSessions();
    const result = replayTrace([...events].reverse()); // input order does not matter
    assert.deepEqual(result.sessions, ['session-one', 'session-two']);
    assert.equal(result.documents.get('a.txt')?.text, 'v2-s2a-s2b');
    assert.equal(result.documents.get('only1.txt')?.text, 'one');
    assert.equal(result.events, 6);
  });

  test('--at with a single session stops after that seq', () => {
    const b = new TraceBuilder();
    const events = [b.open('a.txt', '', 1), b.edit('a.txt', 2, [{ offset: 0, length: 0, text: 'a' }]), b.edit('a.txt', 3, [{ offset: 1, length: 0, text: 'b' }])];
    assert.equal(replayTrace(events, { atSeq: 2 }).documents.get('a.txt')?.text, 'a');
    assert.equal(replayTrace(events, { atSeq: 1 }).documents.get('a.txt')?.text, '');
    assert.equal(replayTrace(events, { atSeq: 99 }).documents.get('a.txt')?.text, 'ab');
  });

  test('--at with several sessions needs a session, and the error lists them', () => {
    const { events } = twoSessions();
    assert.throws(() => replayTrace(events, { atSeq: 1 }), (e: unknown) => e instanceof ReplayOptionsError && /session-one, session-two/.test(e.message));
    assert.throws(() => replayTrace(events, { session: 'nope' }), (e: unknown) => e instanceof ReplayOptionsError && /session-one, session-two/.test(e.message));
  });

  test('--session replays earlier sessions fully, that session up to --at, and no later session', () => {
    const { events } = twoSessions();
    const atFirst = replayTrace(events, { session: 'session-one' });
    assert.equal(atFirst.documents.get('a.txt')?.text, 'v1-s1');
    assert.equal(atFirst.events, 3);
    const mid = replayTrace(events, { session: 'session-two', atSeq: 2 });
    assert.equal(mid.documents.get('a.txt')?.text, 'v2-s2a');
    assert.equal(mid.documents.get('only1.txt')?.text, 'one');
    const early = replayTrace(events, { session: 'session-one', atSeq: 1 });
    assert.equal(early.documents.get('a.txt')?.text, 'v1');
    assert.equal(early.documents.has('only1.txt'), false);
  });

  test('warns when the trace mixes workspaces', () => {
    const a = new TraceBuilder('s1', 1, 'ws-a');
    const b = new TraceBuilder('s2', 2, 'ws-b');
    const result = replayTrace([a.open('x', 'x', 1), b.open('y', 'y', 1)]);
    assert.ok(result.warnings.some((w) => /mixes 2 workspaces/.test(w.message)));
  });
});

suite('groupSessions', () => {
  test('drops duplicate ids, orders by seq within a session and sessions by first ts', () => {
    const late = new TraceBuilder('late', 9000);
    const early = new TraceBuilder('early', 100);
    const l1 = late.open('a', 'a', 1);
    const l2 = late.close('a');
    const e1 = early.open('b', 'b', 1);
    const groups = groupSessions([l2, l1, e1, l1, { ...l2 }]);
    assert.deepEqual(groups.map((g) => g.id), ['early', 'late']);
    assert.deepEqual(groups[1].events.map((e) => e.seq), [1, 2]);
    assert.equal(groups[0].firstTs, e1.ts);
  });
});

suite('readTrace', () => {
  let dir: string;
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-read-'));
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('reads .ndjson and .ndjson.gz files recursively, skipping blank lines and reporting corrupt ones', () => {
    const s1 = new TraceBuilder('s1', 1000);
    const s2 = new TraceBuilder('s2', 500);
    const a = [s1.open('a.txt', 'A', 1), s1.edit('a.txt', 2, [{ offset: 1, length: 0, text: '!' }])];
    const c = [s2.open('c.txt', 'C', 1)];
    writeFileSync(join(dir, 'one.ndjson'), `${JSON.stringify(a[0])}\n\n   \n{not json\n${JSON.stringify({ hello: 'world' })}\n`);
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    // The second event again (at-least-once delivery) plus s2, gzip'd, in a nested folder.
    writeFileSync(join(dir, 'nested', 'deeper', 'two.ndjson.gz'), gzipSync(toNdjson([a[1], a[0], ...c])));
    writeFileSync(join(dir, 'nested', 'ignored.json'), 'not a trace file');
    const problems: TraceProblem[] = [];
    const events = readTrace(dir, (p) => problems.push(p));
    assert.deepEqual(
      events.map((e) => [e.session, e.seq]),
      [['s2', 1], ['s1', 1], ['s1', 2]],
    );
    assert.equal(problems.length, 2);
    assert.deepEqual(problems.map((p) => p.line), [4, 5]);
    assert.match(problems[0].message, /not JSON/);
    assert.match(problems[1].message, /not a trace event/);
  });

  test('reads a single file, and keeps what a truncated gzip (a file still being written) holds', () => {
    const b = new TraceBuilder();
    const events = [b.open('a.txt', 'a'.repeat(200), 1), b.close('a.txt'), b.open('b.txt', 'b'.repeat(200), 1)];
    const full = gzipSync(toNdjson(events));
    const file = join(dir, 'cut.ndjson.gz');
    // Without the 8-byte trailer (CRC and size) all the data is still there.
    writeFileSync(file, full.subarray(0, full.length - 8));
    const problems: TraceProblem[] = [];
    assert.deepEqual(readTrace(file, (p) => problems.push(p)).map((e) => e.id), events.map((e) => e.id));
    assert.deepEqual(problems, []);
    // Cut into the data: what can be read is a prefix of the events; a cut-off line is reported, not thrown.
    writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.7)));
    const cutProblems: TraceProblem[] = [];
    const read = readTrace(file, (p) => cutProblems.push(p));
    assert.ok(read.length < events.length);
    assert.deepEqual(read.map((e) => e.id), events.slice(0, read.length).map((e) => e.id));
    assert.ok(cutProblems.length <= 1);
  });

  test('reports an unreadable file and carries on', () => {
    const b = new TraceBuilder();
    writeFileSync(join(dir, 'bad.ndjson.gz'), 'this is not gzip');
    writeFileSync(join(dir, 'good.ndjson'), toNdjson([b.open('a', 'a', 1)]));
    const problems: TraceProblem[] = [];
    assert.equal(readTrace(dir, (p) => problems.push(p)).length, 1);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /cannot read/);
    assert.equal(problems[0].line, undefined);
  });
});
