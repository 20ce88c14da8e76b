import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { decodeNdjson } from '../../src/receiver/decode';
import { EventStore } from '../../src/receiver/store';
import type { TraceEvent } from '../../src/trace/events';
import { readFileEvents } from '../../src/trace/fileEvents';
import { emptyReport, summary, type ReadProblem } from '../../src/trace/readReport';
import { openTraceSource, type ReadProgress } from '../../src/trace/source';
import type { TraceSession } from '../../src/trace/session';
import { TraceBuilder, toNdjson } from '../support/traceBuilder';

const ROOT = join(__dirname, '..', '..', '..');

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Three events of one session, each line long enough for gzip to matter. */
function sessionEvents(session: string, startTs: number, workspace = 'ws-test', n = 3): TraceEvent[] {
  const b = new TraceBuilder(session, startTs, workspace);
  const events: TraceEvent[] = [b.open(`${session}.txt`, `${session} `.repeat(30), 1)];
  for (let i = 1; i < n; i++) events.push(b.edit(`${session}.txt`, i + 1, [{ offset: 0, length: 0, text: `${i}` }]));
  return events;
}

function ids(events: readonly TraceEvent[]): string[] {
  return events.map((e) => e.id);
}

suite('readFileEvents', () => {
  let dir: string;
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-file-events-'));
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('reads NDJSON and gzip alike, telling gzip by its magic bytes, not its name', async () => {
    const events = sessionEvents('s1', 1000);
    writeFileSync(join(dir, 'plain.log'), toNdjson(events));
    writeFileSync(join(dir, 'zipped.ndjson'), gzipSync(toNdjson(events)));
    writeFileSync(join(dir, 'not-zipped.ndjson.gz'), toNdjson(events));
    for (const name of ['plain.log', 'zipped.ndjson', 'not-zipped.ndjson.gz']) {
      const problems: ReadProblem[] = [];
      assert.deepEqual(await collect(readFileEvents(join(dir, name), { onProblem: (p) => problems.push(p) })), events, name);
      assert.deepEqual(problems, [], name);
    }
  });

  test('a gzip cut short yields every event before the cut and reports the damage, without throwing', async () => {
    const events = sessionEvents('cut', 1000, 'ws', 40);
    const full = gzipSync(toNdjson(events));
    const file = join(dir, 'cut.ndjson.gz');
    writeFileSync(file, full.subarray(0, full.length - 8)); // without the trailer: all data is there
    const problems: ReadProblem[] = [];
    const report = emptyReport();
    assert.deepEqual(ids(await collect(readFileEvents(file, { report, onProblem: (p) => problems.push(p) }))), ids(events));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].kind, 'gzip');
    assert.match(problems[0].message, /^gzip cut short after [0-9,]+ bytes \(unexpected end of file\)/);
    assert.equal(report.damagedGzip, 1);
    assert.equal(report.corruptLines, 0);

    writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.6)));
    const cutProblems: ReadProblem[] = [];
    const read = await collect(readFileEvents(file, { onProblem: (p) => cutProblems.push(p) }));
    assert.ok(read.length > 0 && read.length < events.length, `${read.length} of ${events.length}`);
    assert.deepEqual(ids(read), ids(events.slice(0, read.length)));
    assert.deepEqual(cutProblems.map((p) => p.kind), ['gzip']);
    assert.match(cutProblems[0].message, /a partial line of [0-9,]+ bytes dropped/);
  });

  test('a gzip corrupt mid-stream yields what came before and reports it as corrupt', async () => {
    // Fixed ids, so the compressed bytes (and where the damage lands) are the same every run:
    // gzip checks its CRC only at the end, so garbage decoded from damaged bytes can look like events.
    const events = sessionEvents('bad', 1000, 'ws', 400).map((e, i) => ({ ...e, id: `event-${i}` }));
    const zipped = gzipSync(toNdjson(events));
    zipped.fill(0xff, Math.floor(zipped.length / 2), Math.floor(zipped.length / 2) + 64);
    const file = join(dir, 'bad.ndjson.gz');
    writeFileSync(file, zipped);
    const problems: ReadProblem[] = [];
    const read = await collect(readFileEvents(file, { chunkBytes: 1024, onProblem: (p) => problems.push(p) }));
    assert.ok(read.length > 0 && read.length < events.length);
    assert.deepEqual(ids(read), ids(events.slice(0, read.length)));
    assert.equal(problems.filter((p) => p.kind === 'gzip').length, 1);
    assert.match(problems.find((p) => p.kind === 'gzip')?.message ?? '', /^gzip (corrupt|cut short) after/);
  });

  test('an unreadable path is reported, not thrown', async () => {
    const problems: ReadProblem[] = [];
    const report = emptyReport();
    assert.deepEqual(await collect(readFileEvents(join(dir, 'missing.ndjson'), { report, onProblem: (p) => problems.push(p) })), []);
    assert.deepEqual(await collect(readFileEvents(dir, { report, onProblem: (p) => problems.push(p) })), []);
    assert.deepEqual(problems.map((p) => p.kind), ['unreadable', 'unreadable']);
    assert.equal(report.unreadableFiles, 2);
    assert.equal(report.files, 0);
  });

  test('counts lines, events, corrupt and too-long lines, unknown kinds and newer schemas', async () => {
    const b = new TraceBuilder('count');
    const ok = b.open('a', 'a', 1);
    const unknown = { ...b.close('a'), kind: 'future.kind' };
    const newer = { ...b.close('a'), schema: 'worktrace/2' };
    const file = join(dir, 'mixed.ndjson');
    writeFileSync(file, [JSON.stringify(ok), '', '{broken', JSON.stringify(unknown), 'x'.repeat(3000), JSON.stringify(newer), ''].join('\r\n'));
    const problems: ReadProblem[] = [];
    const report = emptyReport();
    const read = await collect(readFileEvents(file, { report, maxLineBytes: 1024, onProblem: (p) => problems.push(p) }));
    assert.deepEqual(ids(read), [ok.id, unknown.id]);
    assert.deepEqual(
      problems.map((p) => [p.kind, p.line]),
      [['corrupt', 3], ['too-long', 5], ['newer-schema', 6]],
    );
    assert.deepEqual({ ...report, bytes: 0, lineBufferHighWater: 0 }, {
      ...emptyReport(),
      files: 1,
      lines: 6,
      events: 2,
      corruptLines: 1,
      tooLongLines: 1,
      unknownKinds: 1,
      newerSchema: 1,
    });
    assert.ok(report.bytes > 3000);
  });
});

suite('openTraceSource', () => {
  let dir: string;
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-source-'));
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('orders sessions by workspace (by its earliest start), then start, then id; dedupes and sorts each by seq', async () => {
    const a1 = sessionEvents('a1', 5000, 'ws-a');
    const a2 = sessionEvents('a2', 9000, 'ws-a');
    const b1 = sessionEvents('b1', 7000, 'ws-b');
    const early = sessionEvents('b0', 1000, 'ws-b'); // makes ws-b the first workspace
    const tie = sessionEvents('a0', 5000, 'ws-a'); // same start as a1: by id
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'one.ndjson'), toNdjson([...a1].reverse()));
    writeFileSync(join(dir, 'nested', 'two.ndjson.gz'), gzipSync(toNdjson([...a2, a1[1], ...b1])));
    writeFileSync(join(dir, 'nested', 'deeper', 'three.ndjson'), toNdjson([...early, ...tie, early[0]]));
    writeFileSync(join(dir, 'nested', 'ignored.json'), toNdjson(a1));
    const source = openTraceSource([dir]);
    const index = await source.index();
    assert.deepEqual(
      index.map((s) => s.id),
      ['b0', 'b1', 'a0', 'a1', 'a2'],
    );
    const a1Info = index.find((s) => s.id === 'a1');
    assert.deepEqual(a1Info, {
      id: 'a1',
      workspace: 'ws-a',
      firstTs: a1[0].ts,
      lastTs: a1[2].ts,
      events: 4, // one duplicate
      files: [join(dir, 'nested', 'two.ndjson.gz'), join(dir, 'one.ndjson')],
    });
    const sessions = await collect(source.sessions());
    assert.deepEqual(
      sessions.map((s) => [s.id, s.workspace, ids(s.events)]),
      [
        ['b0', 'ws-b', ids(early)],
        ['b1', 'ws-b', ids(b1)],
        ['a0', 'ws-a', ids(tie)],
        ['a1', 'ws-a', ids(a1)],
        ['a2', 'ws-a', ids(a2)],
      ],
    );
    assert.deepEqual(
      sessions.map((s) => [s.firstTs, s.lastTs]),
      [early, b1, tie, a1, a2].map((e) => [e[0].ts, e[2].ts]),
    );
    assert.equal(source.report.files, 3);
    assert.equal(source.report.events, 17);
    assert.equal(source.report.duplicates, 2);
    assert.equal(summary(source.report), 'read 3 files, 17 events (2 duplicates); skipped: 0 corrupt lines, 0 gzip cut short or corrupt, 0 events of unknown kinds, 0 of a newer schema');
  });

  test('stopping early is fine, and sessions() can be read again without counting duplicates twice', async () => {
    writeFileSync(join(dir, 't.ndjson'), toNdjson([...sessionEvents('x', 1), ...sessionEvents('y', 2), ...sessionEvents('x', 1).slice(0, 1)]));
    const source = openTraceSource([join(dir, 't.ndjson')]);
    for await (const session of source.sessions()) {
      assert.equal(session.id, 'x');
      break;
    }
    const all = await collect(source.sessions());
    assert.deepEqual(all.map((s) => s.id), ['x', 'y']);
    assert.equal(source.report.duplicates, 0); // the third line is another event with the same session, not a copy
    const only = await collect(source.sessions((s) => s.id === 'y'));
    assert.deepEqual(only.map((s) => s.id), ['y']);
  });

  test('a file given twice, or given and found in a folder, is read once; symlinked folders are not followed', async () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'a.ndjson'), toNdjson(sessionEvents('a', 1)));
    symlinkSync(join(dir, 'real'), join(dir, 'link'), 'dir');
    symlinkSync(dir, join(dir, 'real', 'loop'), 'dir');
    const source = openTraceSource([dir, join(dir, 'real', 'a.ndjson')]);
    assert.deepEqual((await source.index()).map((s) => [s.id, s.files]), [['a', [join(dir, 'real', 'a.ndjson')]]]);
    assert.equal(source.report.files, 1);
  });

  test('reports missing paths and corrupt lines once, through onProblem, with a summary line', async () => {
    const events = sessionEvents('p', 1);
    writeFileSync(join(dir, 'p.ndjson'), `${toNdjson(events)}{"cut":\n`);
    const problems: ReadProblem[] = [];
    const source = openTraceSource([join(dir, 'p.ndjson'), join(dir, 'nope')], { onProblem: (p) => problems.push(p) });
    const sessions = await collect(source.sessions());
    assert.deepEqual(ids(sessions[0].events), ids(events));
    assert.deepEqual(problems.map((p) => [p.kind, p.line]), [['unreadable', undefined], ['corrupt', 4]]);
    assert.equal(summary(source.report), 'read 1 file, 3 events (0 duplicates); skipped: 1 corrupt line, 1 unreadable file, 0 gzip cut short or corrupt, 0 events of unknown kinds, 0 of a newer schema');
  });

  test('reports progress of both passes up to the total', async () => {
    writeFileSync(join(dir, 'a.ndjson'), toNdjson(sessionEvents('a', 1, 'ws', 200)));
    writeFileSync(join(dir, 'b.ndjson'), toNdjson([...sessionEvents('b', 2, 'ws', 100), ...sessionEvents('c', 3, 'ws', 100)]));
    const progress: ReadProgress[] = [];
    const source = openTraceSource([dir], { chunkBytes: 4096, onProgress: (p) => progress.push(p) });
    await collect(source.sessions());
    const index = progress.filter((p) => p.pass === 'index');
    const again = progress.filter((p) => p.pass === 'sessions');
    assert.ok(index.length > 2 && again.length > 2);
    for (const pass of [index, again]) {
      assert.deepEqual(pass.map((p) => p.bytesRead), [...pass.map((p) => p.bytesRead)].sort((x, y) => x - y));
      assert.equal(pass[pass.length - 1].bytesRead, pass[0].bytesTotal);
    }
    // b.ndjson holds two sessions: pass 2 reads it twice.
    assert.ok(again[0].bytesTotal > index[0].bytesTotal);
  });

  test("reads the reference receiver's SQLite database, told by its header", async () => {
    const db = join(dir, 'events.db');
    const one = sessionEvents('db-1', 2000);
    const two = sessionEvents('db-2', 1000);
    const store = new EventStore(db);
    try {
      store.insert(decodeNdjson(toNdjson([one[2], two[0], one[0], two[1], one[1], two[2]])).events, 'ndjson');
      // What an earlier receiver, which checked less, may have stored: no schema.
      const raw = '{"id":"x","session":"db-1","seq":9,"ts":1,"kind":"doc.open"}';
      store.insert([{ id: 'x', session: 'db-1', seq: 9, ts: 1, kind: 'doc.open', workspace: '', raw }], 'ndjson');
    } finally {
      store.close();
    }
    writeFileSync(join(dir, 'more.ndjson'), toNdjson([one[0]]));
    const problems: ReadProblem[] = [];
    const source = openTraceSource([db, join(dir, 'more.ndjson')], { onProblem: (p) => problems.push(p) });
    const sessions: TraceSession[] = await collect(source.sessions());
    assert.deepEqual(
      sessions.map((s) => [s.id, ids(s.events)]),
      [
        ['db-2', ids(two)],
        ['db-1', ids(one)],
      ],
    );
    assert.deepEqual(problems.map((p) => [p.kind, p.source, p.line]), [['corrupt', db, 7]]);
    assert.equal(source.report.files, 2);
    assert.equal(source.report.duplicates, 1);
  });

  test('rejects limits that are not positive integers at once', () => {
    assert.throws(() => openTraceSource([dir], { maxLineBytes: 0 }), /maxLineBytes must be a positive integer/);
    assert.throws(() => openTraceSource([dir], { chunkBytes: 1.5 }), /chunkBytes must be a positive integer/);
  });

  test('a file that looks like SQLite but is not is reported as unreadable', async () => {
    const file = join(dir, 'fake.db');
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(100, 7)]));
    const problems: ReadProblem[] = [];
    const source = openTraceSource([file], { onProblem: (p) => problems.push(p) });
    assert.deepEqual(await source.index(), []);
    assert.deepEqual(problems.map((p) => p.kind), ['unreadable']);
    assert.match(problems[0].message, /cannot read the database/);
  });
});

suite('trace reader bundling', () => {
  test('bundling the reader (as the extension will) does not pull better-sqlite3 in', async function () {
    this.timeout(20_000);
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/trace/source.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.includes('src/trace/sqliteRows.ts'), 'the database reader is part of the bundle');
    assert.deepEqual(inputs.filter((i) => i.includes('node_modules')), []);
    assert.doesNotMatch(result.outputFiles[0].text, /require\(["']better-sqlite3["']\)/);
  });
});
