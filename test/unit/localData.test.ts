import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { MemoryLogger } from '../../src/common/logger';
import { deleteLocalData, describeLocalData } from '../../src/pipeline/localData/deleteLocalData';
import type { ForgetOptions } from '../../src/pipeline/localData/folders';
import { forgetRecent } from '../../src/pipeline/localData/forgetRecent';
import { decodeSegment, encodeRecord } from '../../src/pipeline/records';
import { ackName, openName, parseSegmentName, readyName, segmentBase, sendingName } from '../../src/pipeline/segments';
import { Spool } from '../../src/pipeline/spool';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const SINCE = T0 + 60_000;
const DAY = '2024-05-01';
const DEAD = '999999999xdead0001';
const LIVE = `${process.pid}xa11ce001`;

let seq = 0;
/** An event's JSON; `ts` undefined leaves it out. */
function ev(ts: number | undefined, extra: Record<string, unknown> = {}): string {
  seq++;
  return JSON.stringify({ schema: 'worktrace/1', id: `id-${seq}`, seq, ...(ts !== undefined ? { ts } : {}), session: 's1', workspace: 'w', kind: 'doc.save', path: `f${seq}.txt`, version: 1, ...extra });
}
const old = (i = 0): string => ev(T0 + i);
const recent = (i = 0): string => ev(SINCE + i);

function encode(lines: string[]): Buffer {
  return Buffer.from(lines.map(encodeRecord).join(''), 'utf8');
}

suite('your data', () => {
  let dir: string;
  let spoolDir: string;
  let segments: string;
  let failed: string;
  let traces: string;

  setup(async () => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-yourdata-'));
    spoolDir = join(dir, 'spool');
    segments = join(spoolDir, 'segments');
    failed = join(spoolDir, 'failed');
    traces = join(dir, 'traces');
    for (const d of [segments, failed, traces]) {
      await fs.mkdir(d, { recursive: true });
    }
  });

  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function forget(extra: Partial<ForgetOptions> = {}): ReturnType<typeof forgetRecent> {
    return forgetRecent({ spoolDirectory: spoolDir, traceDirectory: traces, sinceTs: SINCE, busyWaitMs: 0, ...extra });
  }

  /** Writes a segment; returns its base and file name. */
  async function segment(lines: string[], state: 'ready' | 'open' | 'sending' = 'ready', options: { owner?: string; counter?: number; claimer?: string; data?: Buffer } = {}): Promise<{ base: string; file: string; data: Buffer }> {
    const data = options.data ?? encode(lines);
    const base = segmentBase(T0, options.owner ?? DEAD, options.counter ?? 0);
    const file = state === 'open' ? openName(base) : state === 'ready' ? readyName(base, lines.length, data.length) : sendingName(base, lines.length, data.length, options.claimer ?? DEAD);
    await fs.writeFile(join(segments, file), data);
    return { base, file, data };
  }

  async function segmentFiles(): Promise<string[]> {
    return (await fs.readdir(segments)).filter((f) => parseSegmentName(f) !== undefined).sort();
  }

  async function heartbeat(owner: string): Promise<void> {
    await fs.writeFile(join(segments, `owner-${owner}.alive`), String(Date.now()));
  }

  /** Every file left in `directory` (sorted). */
  async function files(directory: string): Promise<string[]> {
    return (await fs.readdir(directory)).sort();
  }

  suite('forgetRecent: spool segments', () => {
    test('removes the recent records of a ready segment; the rest survives byte for byte under an updated name', async () => {
      const lines = [old(1), recent(1), old(2), ev(SINCE) /* exactly at the cut */, old(3), recent(2)];
      const { base, file, data } = await segment(lines);
      const result = await forget();
      assert.deepEqual(result, { spoolRecords: 3, traceEvents: 0, files: 1, notes: [] });
      const left = await segmentFiles();
      assert.equal(left.length, 1);
      assert.notEqual(left[0], file, 'the old name is gone');
      const name = parseSegmentName(left[0]);
      assert.ok(name);
      assert.equal(name.state, 'ready');
      assert.equal(name.createdAt, T0, 'the creation time (delivery order) is kept');
      assert.notEqual(name.base, base, 'a new base: batch ids never name a different content');
      const rewritten = await fs.readFile(join(segments, left[0]));
      const records = data.toString('utf8').split(/(?<=\n)/);
      assert.equal(rewritten.toString('utf8'), records[0] + records[2] + records[4], 'kept records are the original bytes');
      assert.equal(name.records, 3);
      assert.equal(name.bytes, rewritten.length);
      const decoded = decodeSegment(rewritten);
      assert.deepEqual(decoded.lines, [lines[0], lines[2], lines[4]]);
      assert.equal(decoded.skipped, 0);
      assert.equal(decoded.damage, undefined);
    });

    test('a segment with nothing to remove is left as it is', async () => {
      const { file, data } = await segment([old(1), old(2)]);
      const result = await forget();
      assert.deepEqual(result, { spoolRecords: 0, traceEvents: 0, files: 0, notes: [] });
      assert.deepEqual(await segmentFiles(), [file]);
      assert.deepEqual(await fs.readFile(join(segments, file)), data);
    });

    test('a segment that becomes empty is deleted with its ack', async () => {
      const { base } = await segment([recent(1), recent(2), recent(3)]);
      await fs.writeFile(join(segments, ackName(base)), '1');
      const keep = await segment([old(1)], 'ready', { counter: 1 });
      const result = await forget();
      assert.equal(result.spoolRecords, 3);
      assert.equal(result.files, 1);
      assert.deepEqual(await segmentFiles(), [keep.file]);
      assert.deepEqual((await files(segments)).filter((f) => f.endsWith('.ack')), []);
    });

    test('the ack is carried over: a spool delivers exactly the kept records not yet delivered', async () => {
      const lines = [old(1), recent(1), old(2), old(3), recent(2)];
      const { base } = await segment(lines);
      await fs.writeFile(join(segments, ackName(base)), '2'); // old(1) and recent(1) were delivered
      const result = await forget();
      assert.equal(result.spoolRecords, 2);
      const [file] = await segmentFiles();
      const name = parseSegmentName(file);
      assert.ok(name);
      assert.equal(await fs.readFile(join(segments, ackName(name.base)), 'utf8'), '1');
      await assert.rejects(fs.access(join(segments, ackName(base))), 'the old ack is gone');
      const spool = new Spool({ directory: spoolDir, maxBytes: 1e9, writeIntervalMs: 0, sealRecords: 1000, sealAfterMs: 60_000 }, new MemoryLogger());
      const claimed = await spool.claim();
      assert.ok(claimed);
      assert.equal(claimed.records, 3);
      const loaded = await spool.load(claimed);
      assert.deepEqual(loaded.lines.slice(loaded.acked), [lines[2], lines[3]]);
      assert.equal(loaded.skipped, 0);
    });

    test('a segment whose kept records were all delivered already is deleted', async () => {
      const { base } = await segment([old(1), old(2), recent(1)]);
      await fs.writeFile(join(segments, ackName(base)), '2');
      const result = await forget();
      assert.equal(result.spoolRecords, 1);
      assert.deepEqual(await files(segments), []);
    });

    test('a damaged segment: the intact records are kept (minus the recent ones), the damaged tail is dropped and reported', async () => {
      const lines = [old(1), recent(1), old(2)];
      const good = encode(lines);
      const damaged = Buffer.concat([good, Buffer.from(encodeRecord(old(3)).replace('"ts"', '"tz"')), encode([recent(2)])]);
      const { file } = await segment([...lines, 'x', 'y'], 'ready', { data: damaged });
      const result = await forget();
      assert.equal(result.spoolRecords, 1);
      assert.equal(result.files, 1);
      assert.equal(result.notes.length, 1);
      assert.equal(result.notes[0].kind, 'damaged');
      assert.equal(result.notes[0].file, join(segments, file));
      assert.equal(result.notes[0].records, 2);
      assert.match(result.notes[0].detail, /corrupt record/);
      const [left] = await segmentFiles();
      const decoded = decodeSegment(await fs.readFile(join(segments, left)));
      assert.deepEqual(decoded.lines, [lines[0], lines[2]]);
      assert.equal(decoded.damage, undefined);
      assert.equal(parseSegmentName(left)?.records, 2);
    });

    test('a torn tail is dropped even when no intact record is recent; a wholly unreadable segment is deleted', async () => {
      const lines = [old(1), old(2)];
      const torn = Buffer.concat([encode(lines), Buffer.from(encodeRecord(recent(1)).slice(0, 30))]);
      await segment(lines, 'ready', { data: torn });
      await segment(['?'], 'ready', { counter: 1, data: Buffer.from('garbage without a newline') });
      const result = await forget();
      assert.equal(result.spoolRecords, 0);
      assert.equal(result.files, 2);
      assert.deepEqual(
        result.notes.map((n) => [n.kind, n.records]),
        [
          ['damaged', 1],
          ['damaged', 1],
        ],
      );
      const left = await segmentFiles();
      assert.equal(left.length, 1);
      assert.deepEqual(decodeSegment(await fs.readFile(join(segments, left[0]))), { lines, skipped: 0, goodBytes: encode(lines).length });
    });

    test('events whose ts cannot be read are kept', async () => {
      const lines = [ev(undefined), ev(undefined, { ts: String(SINCE + 5) }), 'not json at all', '[1,2]', ev(undefined, { body: { ts: SINCE + 9 } }), recent(1)];
      await segment(lines);
      const result = await forget();
      assert.equal(result.spoolRecords, 1);
      const [left] = await segmentFiles();
      assert.deepEqual(decodeSegment(await fs.readFile(join(segments, left))).lines, lines.slice(0, 5));
    });

    test('the open segment of a live writer is left alone and reported; one of a dead writer is cut and sealed', async () => {
      await heartbeat(LIVE);
      const live = await segment([old(1), recent(1)], 'open', { owner: LIVE });
      const dead = await segment([old(2), recent(2), recent(3)], 'open', { owner: DEAD, counter: 1 });
      const result = await forget();
      assert.equal(result.spoolRecords, 2);
      assert.deepEqual(
        result.notes.map((n) => [n.kind, n.file]),
        [['busy', join(segments, live.file)]],
      );
      assert.deepEqual(await fs.readFile(join(segments, live.file)), live.data);
      const left = await segmentFiles();
      assert.equal(left.length, 2);
      const sealed = left.find((f) => f !== live.file) ?? '';
      assert.equal(parseSegmentName(sealed)?.state, 'ready');
      assert.equal(parseSegmentName(sealed)?.records, 1);
      assert.deepEqual(decodeSegment(await fs.readFile(join(segments, sealed))).lines, [decodeSegment(dead.data).lines[0]]);
    });

    test('a writer whose heartbeat is stale counts as gone, as the spool decides', async () => {
      await heartbeat(LIVE);
      await segment([old(1), recent(1)], 'open', { owner: LIVE });
      const result = await forget({ now: Date.now() + 120_000 });
      assert.equal(result.spoolRecords, 1);
      assert.deepEqual(result.notes, []);
    });

    test('a segment a live sender is delivering is left alone; one claimed by a dead sender is taken over', async () => {
      await heartbeat(LIVE);
      const busy = await segment([recent(1)], 'sending', { claimer: LIVE });
      await segment([old(1), recent(2)], 'sending', { claimer: DEAD, counter: 1 });
      const result = await forget({ busyWaitMs: 50 });
      assert.equal(result.spoolRecords, 1);
      assert.deepEqual(
        result.notes.map((n) => [n.kind, n.file]),
        [['busy', join(segments, busy.file)]],
      );
      const left = await segmentFiles();
      assert.equal(left.length, 2);
      assert.ok(left.includes(busy.file));
      assert.equal(parseSegmentName(left.find((f) => f !== busy.file) ?? '')?.state, 'ready');
    });

    test('a segment a live sender gives back while the run waits is then cut', async () => {
      await heartbeat(LIVE);
      const lines = [old(1), recent(1)];
      const busy = await segment(lines, 'sending', { claimer: LIVE });
      const data = encode(lines);
      const release = new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          fs.rename(join(segments, busy.file), join(segments, readyName(busy.base, 2, data.length))).then(resolve, reject);
        }, 150);
      });
      const result = await forget({ busyWaitMs: 3_000 });
      await release;
      assert.deepEqual(result, { spoolRecords: 1, traceEvents: 0, files: 1, notes: [] });
      const [left] = await segmentFiles();
      assert.deepEqual(decodeSegment(await fs.readFile(join(segments, left))).lines, [lines[0]]);
    });

    test('the run leaves no temp file and no heartbeat of its own behind', async () => {
      await segment([old(1), recent(1)]);
      await fs.writeFile(join(traces, `worktrace-${DAY}-s1.ndjson`), `${old(2)}\n${recent(2)}\n`);
      await forget();
      const left = [...(await files(segments)), ...(await files(traces)), ...(await files(failed))];
      assert.equal(left.filter((f) => f.includes('forget') || f.endsWith('.alive')).length, 0, left.join(', '));
      assert.equal(left.length, 2);
    });
  });

  suite('forgetRecent: failed batches', () => {
    test('rewrites a failed batch and its event count; deletes one that becomes empty', async () => {
      const lines = [old(1), recent(1), old(2)];
      await fs.writeFile(join(failed, 'b1.records'), encode(lines));
      await fs.writeFile(join(failed, 'b1.json'), JSON.stringify({ batch: 'b1', destination: 'http x', reason: 'no', at: 1, events: 3 }));
      await fs.writeFile(join(failed, 'b2.records'), encode([recent(2)]));
      await fs.writeFile(join(failed, 'b2.json'), JSON.stringify({ batch: 'b2', events: 1 }));
      const result = await forget();
      assert.deepEqual(result, { spoolRecords: 2, traceEvents: 0, files: 2, notes: [] });
      assert.deepEqual(await files(failed), ['b1.json', 'b1.records']);
      const records = await fs.readFile(join(failed, 'b1.records'));
      assert.deepEqual(records, encode([lines[0], lines[2]]));
      assert.deepEqual(decodeSegment(records).lines, [lines[0], lines[2]]);
      const info = JSON.parse(await fs.readFile(join(failed, 'b1.json'), 'utf8')) as { events: number; reason: string };
      assert.equal(info.events, 2);
      assert.equal(info.reason, 'no');
    });

    test('a failed batch left held by a run that died is given back and cut', async () => {
      await fs.writeFile(join(failed, `b1.records.forget-${DEAD}`), encode([old(1), recent(1)]));
      await fs.writeFile(join(failed, 'b1.json'), JSON.stringify({ events: 2 }));
      await fs.writeFile(join(failed, `forget-${DEAD}-3.tmp`), 'leftover');
      const result = await forget();
      assert.equal(result.spoolRecords, 1);
      assert.deepEqual(await files(failed), ['b1.json', 'b1.records']);
      assert.equal(decodeSegment(await fs.readFile(join(failed, 'b1.records'))).lines.length, 1);
    });
  });

  suite('forgetRecent: trace files', () => {
    test('a plain file keeps its other lines byte for byte; a file left empty is deleted; other files are not touched', async () => {
      const keep = [old(1), ev(undefined), 'not json', '', old(2)];
      const text = [keep[0], recent(1), keep[1], keep[2], recent(2), keep[3], keep[4]].join('\n') + '\n';
      await fs.writeFile(join(traces, `worktrace-${DAY}-s1.ndjson`), text);
      await fs.writeFile(join(traces, `worktrace-${DAY}-s2.ndjson`), `${recent(3)}\n${recent(4)}\n`);
      const other = `${recent(5)}\n`;
      await fs.writeFile(join(traces, 'notes.ndjson'), other);
      await fs.writeFile(join(traces, `my-worktrace-${DAY}-s3.ndjson`), other);
      const result = await forget();
      assert.deepEqual(result, { spoolRecords: 0, traceEvents: 4, files: 2, notes: [] });
      assert.equal(await fs.readFile(join(traces, `worktrace-${DAY}-s1.ndjson`), 'utf8'), keep.join('\n') + '\n');
      assert.deepEqual(await files(traces), [`my-worktrace-${DAY}-s3.ndjson`, 'notes.ndjson', `worktrace-${DAY}-s1.ndjson`]);
      assert.equal(await fs.readFile(join(traces, 'notes.ndjson'), 'utf8'), other);
    });

    test('a partial last line without newline is kept as it is', async () => {
      await fs.writeFile(join(traces, `worktrace-${DAY}-s1.ndjson`), `${old(1)}\n${recent(1)}\n{"ts":17`);
      const result = await forget();
      assert.equal(result.traceEvents, 1);
      assert.match(await fs.readFile(join(traces, `worktrace-${DAY}-s1.ndjson`), 'utf8'), /^\{[^\n]+\}\n\{"ts":17$/);
    });

    test('a file of a day before the cut is not even read', async () => {
      const file = join(traces, 'worktrace-2024-04-30-s1.ndjson');
      await fs.writeFile(file, `${ev(T0 - 86_400_000)}\n`);
      const before = await fs.stat(file);
      await forget();
      assert.equal((await fs.stat(file)).mtimeMs, before.mtimeMs);
    });

    test('a gzip file of several members is written again as one member without the recent events', async () => {
      const a = [old(1), old(2)];
      const b = [old(3), recent(1), old(4)];
      const file = join(traces, `worktrace-${DAY}-s1.ndjson.gz`);
      await fs.writeFile(file, Buffer.concat([gzipSync(a.join('\n') + '\n'), gzipSync(b.join('\n') + '\n'), gzipSync(`${recent(2)}\n`)]));
      const result = await forget();
      assert.deepEqual(result, { spoolRecords: 0, traceEvents: 2, files: 1, notes: [] });
      const data = await fs.readFile(file);
      const text = gunzipSync(data);
      assert.equal(text.toString('utf8'), [...a, b[0], b[2]].join('\n') + '\n');
      // One member: its trailer covers the whole text.
      assert.equal(data.readUInt32LE(data.length - 4), text.length);
      assert.equal(data.readUInt32LE(data.length - 8), crc32(text));
    });

    test('a gzip file left empty is deleted', async () => {
      await fs.writeFile(join(traces, `worktrace-${DAY}-s1.ndjson.gz`), gzipSync(`${recent(1)}\n`));
      const result = await forget();
      assert.equal(result.traceEvents, 1);
      assert.deepEqual(await files(traces), []);
    });

    test('a truncated gzip file: what decompresses is kept and cut; without anything to cut it is left unchanged', async () => {
      const lines = [old(1), recent(1)];
      const full = Buffer.concat([gzipSync(lines.join('\n') + '\n'), gzipSync(`${old(2)}\n`)]);
      const truncated = full.subarray(0, full.length - 6);
      const cut = join(traces, `worktrace-${DAY}-s1.ndjson.gz`);
      await fs.writeFile(cut, truncated);
      const alone = join(traces, `worktrace-${DAY}-s2.ndjson.gz`);
      const aloneData = gzipSync(`${old(3)}\n`).subarray(0, 15);
      await fs.writeFile(alone, aloneData);
      const result = await forget();
      assert.equal(result.traceEvents, 1);
      assert.equal(result.files, 1);
      assert.deepEqual(
        result.notes.map((n) => [n.kind, n.file]),
        [
          ['damaged', cut],
          ['damaged', alone],
        ],
      );
      assert.match(result.notes[0].detail, /cannot decompress/);
      assert.equal(gunzipSync(await fs.readFile(cut)).toString('utf8').split('\n')[0], lines[0]);
      assert.deepEqual(await fs.readFile(alone), aloneData);
    });
  });

  suite('forgetRecent: nothing there', () => {
    test('missing folders are not an error and are not created', async () => {
      rmSync(spoolDir, { recursive: true });
      rmSync(traces, { recursive: true });
      const result = await forget();
      assert.deepEqual(result, { spoolRecords: 0, traceEvents: 0, files: 0, notes: [] });
      assert.deepEqual(await files(dir), []);
    });
  });

  suite('deleteLocalData and describeLocalData', () => {
    async function populate(): Promise<Map<string, string>> {
      await segment([old(1)]);
      const open = await segment([old(2)], 'open', { counter: 1 });
      await segment([old(3)], 'sending', { counter: 2 });
      await fs.writeFile(join(segments, ackName(open.base)), '1');
      await heartbeat(DEAD);
      await heartbeat(LIVE);
      await fs.writeFile(join(failed, 'b1.records'), encode([old(4)]));
      await fs.writeFile(join(failed, 'b1.json'), '{}');
      await fs.writeFile(join(traces, `worktrace-${DAY}-s1.ndjson`), `${old(5)}\n`);
      await fs.writeFile(join(traces, `worktrace-2024-05-02-s1.ndjson.gz`), gzipSync(`${old(6)}\n`));
      await fs.writeFile(join(traces, `.worktrace-forget-${DEAD}-0.tmp`), 'x');
      const others = new Map([
        ['notes.txt', 'mine'],
        ['worktrace-notes.ndjson', 'mine too'],
        [`my-worktrace-${DAY}-s1.ndjson`, 'also mine'],
        [`worktrace-${DAY}-s1.ndjson.bak`, 'a backup'],
      ]);
      for (const [name, text] of others) {
        await fs.writeFile(join(traces, name), text);
      }
      await fs.mkdir(join(traces, 'sub'));
      await fs.writeFile(join(traces, 'sub', `worktrace-${DAY}-s9.ndjson`), 'nested');
      return others;
    }

    async function sizes(directory: string, names: string[]): Promise<number> {
      let total = 0;
      for (const name of names) {
        total += (await fs.stat(join(directory, name))).size;
      }
      return total;
    }

    test('describe counts exactly what delete deletes; delete keeps the folders and every other file', async () => {
      const others = await populate();
      const spoolFiles = (await files(segments)).filter((f) => f !== `owner-${LIVE}.alive`);
      const failedFiles = await files(failed);
      const traceFiles = [`worktrace-${DAY}-s1.ndjson`, 'worktrace-2024-05-02-s1.ndjson.gz', `.worktrace-forget-${DEAD}-0.tmp`];
      const bytes = (await sizes(segments, spoolFiles)) + (await sizes(failed, failedFiles)) + (await sizes(traces, traceFiles));

      const summary = await describeLocalData({ spoolDirectory: spoolDir, traceDirectory: traces });
      assert.equal(summary.spool.segments, 3);
      assert.equal(summary.spool.files, 5); // 3 segments, 1 ack, 1 dead heartbeat
      assert.equal(summary.failed.batches, 1);
      assert.equal(summary.failed.files, 2);
      assert.equal(summary.traces.files, 3);
      assert.equal(summary.traces.firstDay, DAY);
      assert.equal(summary.traces.lastDay, '2024-05-02');
      assert.deepEqual(summary.total, { files: 10, bytes });
      assert.equal(summary.traces.bytes, await sizes(traces, traceFiles));

      const result = await deleteLocalData({ spoolDirectory: spoolDir, traceDirectory: traces });
      assert.deepEqual(result, { files: 10, bytes, failures: [] });
      assert.deepEqual(await files(segments), [`owner-${LIVE}.alive`], "a live process's heartbeat stays");
      assert.deepEqual(await files(failed), []);
      assert.deepEqual(await files(traces), [...others.keys(), 'sub'].sort());
      for (const [name, text] of others) {
        assert.equal(await fs.readFile(join(traces, name), 'utf8'), text);
      }
      assert.equal(await fs.readFile(join(traces, 'sub', `worktrace-${DAY}-s9.ndjson`), 'utf8'), 'nested');
      assert.deepEqual(await describeLocalData({ spoolDirectory: spoolDir, traceDirectory: traces }).then((s) => s.total), { files: 0, bytes: 0 });
    });

    test('a spool deleted under a live spool: it keeps working', async () => {
      const spool = new Spool({ directory: spoolDir, maxBytes: 1e9, writeIntervalMs: 0, sealRecords: 1000, sealAfterMs: 60_000 }, new MemoryLogger());
      await spool.open();
      try {
        await segment([old(1)]);
        const result = await deleteLocalData({ spoolDirectory: spoolDir, traceDirectory: traces });
        assert.equal(result.files, 1);
        assert.equal(await spool.claim(), undefined);
        spool.enqueue(JSON.parse(old(2)) as Parameters<Spool['enqueue']>[0]);
        await spool.flush();
        const claimed = await spool.claim();
        assert.equal(claimed?.records, 1);
      } finally {
        await spool.close();
      }
    });

    test('missing folders: nothing deleted, the spool folders are created', async () => {
      rmSync(spoolDir, { recursive: true });
      const result = await deleteLocalData({ spoolDirectory: spoolDir, traceDirectory: join(dir, 'nowhere') });
      assert.deepEqual(result, { files: 0, bytes: 0, failures: [] });
      assert.deepEqual(await files(spoolDir), ['failed', 'segments']);
    });
  });
});
