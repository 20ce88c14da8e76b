import * as assert from 'node:assert/strict';
import { ReplayOptionsError, Replayer, replaySessions, replayTrace } from '../../src/replay/replay';
import type { TraceEvent } from '../../src/trace/events';
import { sha256 } from '../../src/trace/identity';
import type { TraceSession } from '../../src/trace/session';
import { TOOL, TraceBuilder } from '../support/traceBuilder';

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

suite('Replayer: changes on disk (file.change)', () => {
  test('a snapshot (text) sets the state; its eol is read from the text; the hash is checked', () => {
    const b = new TraceBuilder();
    const r = replay([b.diskSnapshot('gen/a.txt', 'one\r\ntwo\r\n', { change: 'created' })]);
    assert.deepEqual(r.get('gen/a.txt'), { text: 'one\r\ntwo\r\n', eol: '\r\n', languageId: 'plaintext', version: 0, replayable: true });
    assert.deepEqual(r.warnings, []);
  });

  test('a snapshot replaces an editor state, keeping its languageId and version', () => {
    const b = new TraceBuilder();
    const r = replay([b.open('a.ts', 'old', 3, { languageId: 'typescript' }), b.diskSnapshot('a.ts', 'new\n')]);
    assert.deepEqual(r.get('a.ts'), { text: 'new\n', eol: '\n', languageId: 'typescript', version: 3, replayable: true });
  });

  test('changes apply to the known content, and are checked against sha256', () => {
    const b = new TraceBuilder();
    const r = replay([
      b.open('a.txt', 'hello world', 1),
      b.diskEdit('a.txt', [{ offset: 6, length: 5, text: 'there' }], 'hello there'),
      b.diskEdit('a.txt', [{ offset: 0, length: 0, text: '> ' }]), // no hash: not checked
    ]);
    assert.equal(r.get('a.txt')?.text, '> hello there');
    assert.deepEqual(r.warnings, []);
  });

  test('changes to content that is not known: a warning, and the path stays not replayable', () => {
    const b = new TraceBuilder();
    const unknown = b.diskEdit('never-seen.txt', [{ offset: 0, length: 0, text: 'x' }], 'x');
    const r = replay([unknown, b.open('big.txt', '', 1, { replayable: false }), b.diskEdit('big.txt', [{ offset: 0, length: 0, text: 'y' }])]);
    assert.equal(r.get('never-seen.txt')?.replayable, false);
    assert.equal(r.get('big.txt')?.replayable, false);
    assert.deepEqual(
      r.warnings.map((w) => [w.seq, w.path]),
      [
        [unknown.seq, 'never-seen.txt'],
        [3, 'big.txt'],
      ],
    );
    assert.match(r.warnings[0].message, /changes content that is not known; not replayable until its next snapshot/);
    r.apply(b.diskSnapshot('never-seen.txt', 'fresh'));
    assert.equal(r.get('never-seen.txt')?.text, 'fresh');
  });

  test('a hash mismatch is a warning and makes the path not replayable until its next snapshot', () => {
    const b = new TraceBuilder();
    const open = b.open('a.txt', 'abc', 1);
    const bad = b.diskEdit('a.txt', [{ offset: 0, length: 0, text: 'x' }], 'something else');
    const r = replay([open, bad, b.edit('a.txt', 2, [{ offset: 0, length: 0, text: 'ignored' }])]);
    assert.equal(r.get('a.txt')?.replayable, false);
    assert.match(r.get('a.txt')?.reason ?? '', /does not match its sha256/);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0].seq, bad.seq);
    const snapshotWithWrongHash = b.diskSnapshot('b.txt', 'text', { sha256: 'f'.repeat(64) });
    r.apply(snapshotWithWrongHash);
    assert.equal(r.get('b.txt')?.replayable, false);
    r.apply(b.open('a.txt', 'back', 1));
    assert.equal(r.get('a.txt')?.text, 'back');
  });

  test('deleted removes the state and remembers the deletion; omitted content is known but not replayable', () => {
    const b = new TraceBuilder();
    const r = replay([
      b.open('a.txt', 'a', 1),
      b.diskDelete('a.txt'),
      b.stamp({ kind: 'file.change', path: 'img.png', change: 'created', added: 0, removed: 0, sha256: 'ab', size: 9, omitted: 'binary', by: TOOL }),
    ]);
    assert.equal(r.get('a.txt'), undefined);
    assert.deepEqual(r.deletedPaths(), ['a.txt']);
    assert.deepEqual(r.get('img.png'), { text: '', eol: '\n', languageId: 'plaintext', version: 0, replayable: false, reason: 'file.change seq 3 by terminal: content not recorded (binary)' });
    r.apply(b.diskSnapshot('a.txt', 'again'));
    assert.deepEqual(r.deletedPaths(), []);
  });

  test('editor: true changes nothing (the doc.edit with cause external carried the content)', () => {
    const b = new TraceBuilder();
    const open = b.open('a.txt', 'abc', 1);
    const reload = b.edit('a.txt', 2, [{ offset: 0, length: 3, text: 'xyz' }], 'external');
    const change = { ...b.diskEdit('a.txt', [{ offset: 0, length: 3, text: 'WRONG' }], 'WRONG'), editor: true };
    const r = replay([open, reload, change]);
    assert.equal(r.get('a.txt')?.text, 'xyz');
    assert.deepEqual(r.warnings, []);
  });

  test('a file open in the editor deleted on disk (editor: true) is gone from replay too', () => {
    const b = new TraceBuilder();
    const r = replay([b.open('a.txt', 'abc', 1), { ...b.diskDelete('a.txt'), editor: true }]);
    assert.equal(r.get('a.txt'), undefined);
    assert.deepEqual(r.deletedPaths(), ['a.txt']);
  });

  test('a created file whose changes start from empty is rebuilt without a snapshot', () => {
    const b = new TraceBuilder();
    const created = { ...b.diskEdit('new.txt', [{ offset: 0, length: 0, text: 'hello\r\n' }], 'hello\r\n'), change: 'created' as const };
    const r = replay([created]);
    assert.equal(r.get('new.txt')?.text, 'hello\r\n');
    assert.equal(r.get('new.txt')?.eol, '\r\n');
    assert.deepEqual(r.warnings, []);
  });

  test('file.delete remembers the deleted paths (a folder and what was below it); a rename or a new open forgets them', () => {
    const b = new TraceBuilder();
    const r = replay([b.open('dir/a.txt', 'a', 1), b.open('dir/b.txt', 'b', 1), b.remove('dir'), b.open('c.txt', 'c', 1), b.rename('c.txt', 'dir/a.txt')]);
    assert.deepEqual(r.deletedPaths(), ['dir', 'dir/b.txt']);
  });
});

suite('Replayer: many files changed at once (file.bulk)', () => {
  test('listed paths become not replayable until their next snapshot; others stay', () => {
    const b = new TraceBuilder();
    const r = replay([b.open('a.txt', 'a', 1), b.close('a.txt'), b.open('b.txt', 'b', 1), b.close('b.txt'), b.open('open.txt', 'o', 1), b.bulk(['a.txt', 'unknown.txt', 'open.txt'])]);
    assert.equal(r.get('a.txt')?.replayable, false);
    assert.match(r.get('a.txt')?.reason ?? '', /file\.bulk seq 6/);
    assert.equal(r.get('open.txt')?.text, 'o', 'a document open in the editor keeps its state (the editor records its reload)');
    assert.equal(r.get('b.txt')?.text, 'b');
    assert.equal(r.get('unknown.txt'), undefined);
    assert.deepEqual(r.warnings, []);
    r.apply(b.edit('a.txt', 2, [{ offset: 0, length: 0, text: 'ignored' }]));
    assert.equal(r.get('a.txt')?.replayable, false);
    r.apply(b.open('a.txt', 'A', 3));
    assert.equal(r.get('a.txt')?.text, 'A');
  });

  test('a listed path whose hash after the change is that of its state stays replayable, truncated list or not', () => {
    const b = new TraceBuilder();
    const before = [b.open('same.txt', 'same\n', 1), b.close('same.txt'), b.open('other.txt', 'before\n', 1), b.close('other.txt'), b.open('unlisted.txt', 'u', 1), b.close('unlisted.txt')];
    const bulk = b.bulk(['same.txt', 'other.txt'], { count: 500, truncated: true, hashes: [sha256('same\n'), sha256('before\n').replace(/^./, (c) => (c === '0' ? '1' : '0'))] });
    const r = replay([...before, bulk]);
    assert.equal(r.get('same.txt')?.text, 'same\n', 'its hash says the file holds what replay has');
    assert.equal(r.get('other.txt')?.replayable, false, 'another hash: changed');
    assert.equal(r.get('unlisted.txt')?.replayable, false, 'not listed in a truncated list: unknown');
  });

  test('a truncated list makes every state of that workspace stale, with one warning naming the event', () => {
    const ours = new TraceBuilder('s1', 1, 'ws-ours');
    const theirs = new TraceBuilder('s2', 2, 'ws-theirs');
    const before = [ours.open('a.txt', 'a', 1), ours.close('a.txt'), ours.open('b.txt', 'b', 1), ours.close('b.txt'), ours.open('open.txt', 'o', 1), theirs.open('c.txt', 'c', 1), ours.remove('gone.txt')];
    const bulk = ours.bulk(['a.txt'], { count: 5000, truncated: true });
    const r = replay([...before, bulk]);
    assert.equal(r.get('a.txt')?.replayable, false);
    assert.equal(r.get('b.txt')?.replayable, false);
    assert.equal(r.get('c.txt')?.text, 'c');
    assert.equal(r.get('open.txt')?.text, 'o');
    assert.deepEqual(r.deletedPaths(), []); // it may exist again
    assert.equal(r.warnings.length, 1);
    assert.deepEqual([r.warnings[0].session, r.warnings[0].seq], ['s1', bulk.seq]);
    assert.match(r.warnings[0].message, /file\.bulk lists 1 of the 5000 files it changed: every document of workspace ws-ours not open in the editor is not replayable until its next snapshot/);
    r.apply(ours.diskSnapshot('b.txt', 'B'));
    assert.equal(r.get('b.txt')?.text, 'B');
  });
});

suite('TraceReplay and replaySessions (streaming)', () => {
  function sessionOf(b: TraceBuilder, events: TraceEvent[]): TraceSession {
    return { id: b.session, workspace: b.workspace, firstTs: events[0]?.ts ?? 0, lastTs: events[events.length - 1]?.ts ?? 0, events };
  }

  test('feeds sessions one at a time, stops after the chosen session and seq, and tells the last event', async () => {
    const s1 = new TraceBuilder('one', 1);
    const s2 = new TraceBuilder('two', 2);
    const first = sessionOf(s1, [s1.open('a.txt', 'a', 1), s1.edit('a.txt', 2, [{ offset: 1, length: 0, text: 'b' }])]);
    const secondEvents = [s2.open('a.txt', 'x', 1), s2.edit('a.txt', 2, [{ offset: 1, length: 0, text: 'y' }]), s2.edit('a.txt', 3, [{ offset: 2, length: 0, text: 'z' }])];
    const second = sessionOf(s2, secondEvents);
    let fed = 0;
    async function* sessions(): AsyncGenerator<TraceSession> {
      for (const s of [first, second, sessionOf(new TraceBuilder('three', 3), [])]) {
        fed++;
        yield await Promise.resolve(s);
      }
    }
    const result = await replaySessions(['one', 'two', 'three'], sessions(), { session: 'two', atSeq: 2 });
    assert.equal(result.documents.get('a.txt')?.text, 'xy');
    assert.equal(result.last, secondEvents[1]);
    assert.equal(result.events, 4);
    assert.equal(fed, 2, 'sessions after the chosen one are not read');
    await assert.rejects(replaySessions(['one', 'two'], sessions(), { atSeq: 1 }), ReplayOptionsError);
  });
});
