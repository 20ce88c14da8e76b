import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeNdjson } from '../../src/receiver/decode';
import { EventStore } from '../../src/receiver/store';
import { emptyReport, type ReadProblem } from '../../src/trace/readReport';
import { readTrace } from '../../src/trace/readTrace';
import { groupSessions, sortSessions } from '../../src/trace/sessionOrder';
import { openTraceSource } from '../../src/trace/source';
import { TraceBuilder, toNdjson } from '../support/traceBuilder';

suite('groupSessions and sortSessions', () => {
  test('drops duplicate ids, orders by seq within a session and sessions by first ts', () => {
    const late = new TraceBuilder('late', 9000);
    const early = new TraceBuilder('early', 100);
    const l1 = late.open('a', 'a', 1);
    const l2 = late.close('a');
    const e1 = early.open('b', 'b', 1);
    const groups = groupSessions([l2, l1, e1, l1, { ...l2 }]);
    assert.deepEqual(
      groups.map((g) => g.id),
      ['early', 'late'],
    );
    assert.deepEqual(
      groups[1].events.map((e) => e.seq),
      [1, 2],
    );
    assert.deepEqual([groups[0].firstTs, groups[0].lastTs, groups[0].workspace], [e1.ts, e1.ts, 'ws-test']);
    assert.deepEqual([groups[1].firstTs, groups[1].lastTs], [l1.ts, l2.ts]);
  });

  test('keeps the sessions of a workspace together, workspaces in order of their earliest session', () => {
    const sorted = sortSessions([
      { id: 'b-late', workspace: 'b', firstTs: 50 },
      { id: 'a-late', workspace: 'a', firstTs: 30 },
      { id: 'b-early', workspace: 'b', firstTs: 10 },
      { id: 'a-early', workspace: 'a', firstTs: 20 },
      { id: 'c', workspace: 'c', firstTs: 10 },
      { id: 'a-tie', workspace: 'a', firstTs: 20 },
    ]);
    assert.deepEqual(
      sorted.map((s) => s.id),
      ['b-early', 'b-late', 'c', 'a-early', 'a-tie', 'a-late'],
    );
  });

  test('equal seqs keep their reading order', () => {
    const b = new TraceBuilder('s');
    const first = b.open('a', 'a', 1);
    const second = { ...b.close('a'), seq: first.seq };
    assert.deepEqual(
      groupSessions([first, second])[0].events,
      [first, second],
    );
  });
});

suite('readTrace (synchronous)', () => {
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
    const problems: ReadProblem[] = [];
    const report = emptyReport();
    const events = readTrace(dir, (p) => problems.push(p), { report });
    assert.deepEqual(
      events.map((e) => [e.session, e.seq]),
      [
        ['s2', 1],
        ['s1', 1],
        ['s1', 2],
      ],
    );
    assert.deepEqual(
      problems.map((p) => [p.source, p.line]),
      [
        [join(dir, 'one.ndjson'), 4],
        [join(dir, 'one.ndjson'), 5],
      ],
    );
    assert.match(problems[0].message, /not JSON/);
    assert.match(problems[1].message, /not a trace event/);
    assert.equal(report.duplicates, 1);
    assert.equal(report.events, 4);
  });

  test('reads what a gzip cut short holds, reporting the damage', () => {
    const b = new TraceBuilder();
    const events = [b.open('a.txt', 'a'.repeat(200), 1), b.close('a.txt'), b.open('b.txt', 'b'.repeat(200), 1)];
    const full = gzipSync(toNdjson(events));
    const file = join(dir, 'cut.ndjson.gz');
    writeFileSync(file, full.subarray(0, full.length - 8)); // without the trailer all the data is still there
    const problems: ReadProblem[] = [];
    assert.deepEqual(
      readTrace(file, (p) => problems.push(p)).map((e) => e.id),
      events.map((e) => e.id),
    );
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['gzip'],
    );
    assert.match(problems[0].message, /^gzip cut short after/);
    writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.7)));
    const cutProblems: ReadProblem[] = [];
    const read = readTrace(file, (p) => cutProblems.push(p));
    assert.ok(read.length < events.length);
    assert.deepEqual(
      read.map((e) => e.id),
      events.slice(0, read.length).map((e) => e.id),
    );
    assert.deepEqual(
      cutProblems.map((p) => p.kind),
      ['gzip'],
    );
  });

  test('a .gz name does not make a file gzip: it is read by its content', () => {
    const b = new TraceBuilder();
    writeFileSync(join(dir, 'bad.ndjson.gz'), 'this is not gzip');
    writeFileSync(join(dir, 'good.ndjson'), toNdjson([b.open('a', 'a', 1)]));
    const problems: ReadProblem[] = [];
    assert.equal(readTrace(dir, (p) => problems.push(p)).length, 1);
    assert.deepEqual(
      problems.map((p) => [p.kind, p.line]),
      [['corrupt', 1]],
    );
  });

  test('throws when the path does not exist', () => {
    assert.throws(() => readTrace(join(dir, 'nope')), /ENOENT/);
  });

  test('reads the same events in the same order as the streaming source, databases included', async () => {
    const one = new TraceBuilder('one', 10, 'ws-2');
    const two = new TraceBuilder('two', 20, 'ws-1');
    const three = new TraceBuilder('three', 5, 'ws-1');
    const e1 = [one.open('a', 'a', 1), one.close('a')];
    const e2 = [two.open('b', 'b', 1), two.close('b')];
    const e3 = [three.open('c', 'c', 1)];
    writeFileSync(join(dir, 'x.ndjson'), toNdjson([e1[1], e2[0], e3[0]]));
    writeFileSync(join(dir, 'y.ndjson.gz'), gzipSync(toNdjson([e1[0], e2[1], e2[1]])));
    const store = new EventStore(join(dir, 'receiver.db'));
    try {
      store.insert(decodeNdjson(toNdjson([e3[0], e1[0]])).events, 'ndjson');
    } finally {
      store.close();
    }
    const paths = [dir, join(dir, 'receiver.db')];
    const fromSync = paths.flatMap((p) => readTrace(p));
    const streamed = [];
    for await (const session of openTraceSource(paths).sessions()) streamed.push(...session.events);
    assert.deepEqual(
      streamed.map((e) => e.id),
      [...e3, ...e2, ...e1].map((e) => e.id),
    );
    assert.deepEqual(
      groupSessions(fromSync).flatMap((s) => s.events),
      streamed,
    );
  });
});
