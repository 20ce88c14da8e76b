import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/common/logger';
import { decodeSegment, encodeRecord } from '../../src/pipeline/records';
import { parseSegmentName, readyName, segmentBase } from '../../src/pipeline/segments';
import { Spool, type DropReason, type SpoolOptions } from '../../src/pipeline/spool';
import type { Heartbeat } from '../../src/pipeline/heartbeat';
import { TraceBuilder } from '../support/traceBuilder';
import type { TraceEvent } from '../../src/trace/events';

function events(n: number, session = 's1'): TraceEvent[] {
  const b = new TraceBuilder(session);
  return Array.from({ length: n }, (_, i) => b.stamp({ kind: 'doc.save', path: `f${i}.txt`, version: i + 1 }));
}

const DEAD_OWNER = '999999999xdead0001';

suite('spool records', () => {
  test('round-trip, including unicode and escapes', () => {
    const lines = ['{"a":1}', JSON.stringify({ t: 'é😀\n"\\' })];
    const decoded = decodeSegment(Buffer.from(lines.map(encodeRecord).join(''), 'utf8'));
    assert.deepEqual(decoded.lines, lines);
    assert.equal(decoded.skipped, 0);
    assert.equal(decoded.damage, undefined);
  });

  test('a truncated tail is skipped and counted', () => {
    const data = Buffer.from(['{"a":1}', '{"b":2}', '{"c":3}'].map(encodeRecord).join(''), 'utf8');
    const decoded = decodeSegment(data.subarray(0, data.length - 4));
    assert.deepEqual(decoded.lines, ['{"a":1}', '{"b":2}']);
    assert.equal(decoded.skipped, 1);
    assert.match(decoded.damage ?? '', /truncated/);
  });

  test('a corrupt record stops reading; everything from it on is counted as skipped', () => {
    const text = ['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}'].map(encodeRecord).join('');
    const data = Buffer.from(text.replace('{"b":2}', '{"b":7}'), 'utf8');
    const decoded = decodeSegment(data);
    assert.deepEqual(decoded.lines, ['{"a":1}']);
    assert.equal(decoded.skipped, 3);
    assert.match(decoded.damage ?? '', /corrupt/);
  });

  test('segment names parse back', () => {
    const base = segmentBase(1_700_000_000_000, '123xab12', 7);
    assert.deepEqual(parseSegmentName(readyName(base, 10, 2048)), { base, createdAt: 1_700_000_000_000, writer: '123xab12', state: 'ready', records: 10, bytes: 2048 });
    assert.equal(parseSegmentName('nonsense.ready'), undefined);
  });
});

suite('spool', () => {
  let dir: string;
  const spools: Spool[] = [];
  const drops: { count: number; reason: DropReason }[] = [];

  function make(options: Partial<SpoolOptions> = {}, owner?: string): Spool {
    const spool = new Spool(
      { directory: dir, maxBytes: 64 * 1024 * 1024, writeIntervalMs: 0, sealRecords: 1_000_000, sealAfterMs: 60_000, ...options },
      new MemoryLogger(),
      { onDropped: (count, reason) => drops.push({ count, reason }) },
      owner,
    );
    spools.push(spool);
    return spool;
  }

  async function drain(spool: Spool): Promise<string[]> {
    const out: string[] = [];
    for (let segment = await spool.claim(); segment; segment = await spool.claim()) {
      const loaded = await spool.load(segment);
      out.push(...loaded.lines.slice(loaded.acked));
      await spool.ack(segment, loaded.lines.length, loaded.lines.length);
    }
    return out;
  }

  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-spool-'));
    drops.length = 0;
  });

  teardown(async () => {
    for (const spool of spools.splice(0)) {
      await spool.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('events flushed are claimed, read in order, and gone once acknowledged', async () => {
    const spool = make();
    await spool.open();
    const sent = events(1200);
    sent.forEach((e) => spool.enqueue(e));
    await spool.flush();
    const lines = await drain(spool);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as TraceEvent).id), sent.map((e) => e.id));
    assert.deepEqual((await fs.readdir(join(dir, 'segments'))).filter((f) => f.startsWith('seg-')), []);
  });

  test('a batch written in slices as short as can be (one event each) keeps every event, in order', async () => {
    const spool = make({ sliceMs: 0, sliceEvents: 7 });
    await spool.open();
    const sent = events(150);
    sent.forEach((e) => spool.enqueue(e));
    await spool.flush();
    const lines = await drain(spool);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as TraceEvent).id), sent.map((e) => e.id));
  });

  test('the heartbeat stops as soon as nothing is held: the last segment delivered, no beat later', async () => {
    const spool = make();
    await spool.open();
    const beating = (): boolean => (spool as unknown as { heartbeat: Heartbeat }).heartbeat.beating;
    events(10).forEach((e) => spool.enqueue(e));
    await spool.flush();
    const segment = await spool.claim();
    assert.ok(segment);
    assert.equal(beating(), true, 'a claimed segment is held: its owner beats');
    const loaded = await spool.load(segment);
    await spool.ack(segment, loaded.lines.length, loaded.lines.length);
    assert.equal(beating(), false, 'nothing held any more: no timer left to fire in an idle window');
  });

  test('a claim lost to another window leaves no heartbeat running', async () => {
    // Two windows share the spool: both list the same ready segment, the other renames it first.
    const ours = make();
    const theirs = make();
    await ours.open();
    await theirs.open();
    events(5).forEach((e) => theirs.enqueue(e));
    await theirs.flush();
    await ours.recover(); // done now, so the claim below lists the segments once
    const internals = ours as unknown as { list: () => Promise<unknown[]>; heartbeat: Heartbeat };
    const list = internals.list.bind(ours);
    let theirClaim: Awaited<ReturnType<Spool['claim']>>;
    internals.list = async () => {
      const names = await list();
      theirClaim = await theirs.claim(); // between our listing and our rename
      return names;
    };
    assert.equal(await ours.claim(), undefined, 'the segment was gone when we tried to take it');
    assert.ok(theirClaim, 'the other window holds it');
    assert.equal(internals.heartbeat.beating, false, 'nothing held here: no timer left to fire in an idle window');
  });

  test('a segment is sealed once it holds sealRecords records', async () => {
    let sealed = 0;
    const spool = new Spool({ directory: dir, maxBytes: 1e9, writeIntervalMs: 0, sealRecords: 10, sealAfterMs: 60_000 }, new MemoryLogger(), { onSealed: () => sealed++ });
    spools.push(spool);
    await spool.open();
    const done = new Promise<void>((resolve) => {
      const s2 = new Spool({ directory: dir, maxBytes: 1e9, writeIntervalMs: 0, sealRecords: 10, sealAfterMs: 60_000 }, new MemoryLogger(), { onSealed: () => resolve() });
      spools.push(s2);
      void s2.open().then(() => events(10).forEach((e) => s2.enqueue(e)));
    });
    await done;
    assert.equal(sealed, 0, 'the other spool sealed, not this one');
    const segment = await spool.claim();
    assert.ok(segment);
    assert.equal(segment.records, 10);
  });

  test('a segment is sealed after sealAfterMs even when few events arrive', async () => {
    let resolveSealed: () => void = () => undefined;
    const sealed = new Promise<void>((resolve) => (resolveSealed = resolve));
    const spool = new Spool({ directory: dir, maxBytes: 1e9, writeIntervalMs: 0, sealRecords: 1000, sealAfterMs: 30 }, new MemoryLogger(), { onSealed: () => resolveSealed() });
    spools.push(spool);
    await spool.open();
    spool.enqueue(events(1)[0]);
    await sealed;
    assert.equal((await spool.claim())?.records, 1);
  });

  test('the in-memory queue is bounded: the oldest events are dropped and counted', async () => {
    const spool = make({ maxQueue: 10 });
    const sent = events(15);
    sent.forEach((e) => spool.enqueue(e)); // not opened yet: nothing can be written
    await spool.open();
    await spool.flush();
    const ids = (await drain(spool)).map((l) => (JSON.parse(l) as TraceEvent).id);
    assert.deepEqual(ids, sent.slice(5).map((e) => e.id));
    assert.equal(drops.reduce((n, d) => n + d.count, 0), 5);
    assert.ok(drops.every((d) => d.reason === 'queue-full'));
  });

  test('two spools on one folder: each segment is claimed by exactly one of them', async () => {
    const a = make({}, '1x0000000a');
    const b = make({}, '2x0000000b');
    await Promise.all([a.open(), b.open()]);
    const sentA = events(300, 'A');
    const sentB = events(300, 'B');
    for (let i = 0; i < 300; i++) {
      a.enqueue(sentA[i]);
      b.enqueue(sentB[i]);
      if (i % 50 === 49) {
        await Promise.all([a.flush(), b.flush()]);
      }
    }
    const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
    const all = [...fromA, ...fromB].map((l) => (JSON.parse(l) as TraceEvent).id);
    assert.equal(all.length, 600, 'no segment read twice, none lost');
    assert.equal(new Set(all).size, 600);
    assert.deepEqual(new Set(all), new Set([...sentA, ...sentB].map((e) => e.id)));
  });

  test('an open segment of a dead process is recovered up to its damage; the damage is counted', async () => {
    const spool = make();
    await spool.open();
    const lines = events(5).map((e) => JSON.stringify(e));
    const torn = lines.map(encodeRecord).join('') + encodeRecord(lines[0]).slice(0, 20);
    await fs.writeFile(join(dir, 'segments', `${segmentBase(Date.now() - 1000, DEAD_OWNER, 0)}.open`), torn);
    await spool.recover();
    assert.deepEqual(await drain(spool), lines);
    assert.deepEqual(drops, [{ count: 1, reason: 'corrupt' }]);
  });

  test('a claim of a dead process is released, and its acknowledged records are not sent again', async () => {
    const spool = make();
    await spool.open();
    const lines = events(6).map((e) => JSON.stringify(e));
    const base = segmentBase(Date.now() - 1000, '77x00000077', 0);
    const data = lines.map(encodeRecord).join('');
    await fs.writeFile(join(dir, 'segments', `${base}.r6.b${Buffer.byteLength(data)}.sending.${DEAD_OWNER}`), data);
    await fs.writeFile(join(dir, 'segments', `${base}.ack`), '4');
    await spool.recover();
    assert.deepEqual(await drain(spool), lines.slice(4));
  });

  test('past the cap the oldest unsent segments are dropped and their events counted exactly', async () => {
    const spool = make({ maxBytes: 1 });
    await spool.open();
    const first = events(7);
    first.forEach((e) => spool.enqueue(e));
    await spool.flush();
    const second = events(3);
    second.forEach((e) => spool.enqueue(e));
    await spool.flush();
    const segments = (await fs.readdir(join(dir, 'segments'))).filter((f) => f.endsWith('.ready'));
    assert.equal(segments.length, 2);
    // Cap between the two: only the newer segment fits.
    const newest = parseSegmentName(segments.sort()[1]);
    const capped = make({ maxBytes: newest?.bytes ?? 0 }, '3x0000000c');
    await capped.open();
    await capped.enforceCap();
    assert.deepEqual(drops, [{ count: 7, reason: 'spool-full' }]);
    assert.deepEqual((await drain(spool)).map((l) => (JSON.parse(l) as TraceEvent).id), second.map((e) => e.id));
  });

  test('when the spool cannot be written, events stay queued and are written once it can', async () => {
    const errors: (string | undefined)[] = [];
    const blocked = join(dir, 'blocked');
    const spool = new Spool({ directory: blocked, maxBytes: 1e9, writeIntervalMs: 0, sealRecords: 1e6, sealAfterMs: 60_000 }, new MemoryLogger(), { onWriteError: (m) => errors.push(m) });
    spools.push(spool);
    await spool.open();
    await fs.rm(join(blocked, 'segments'), { recursive: true });
    await fs.writeFile(join(blocked, 'segments'), 'not a folder');
    const sent = events(4);
    sent.forEach((e) => spool.enqueue(e));
    await spool.flush();
    assert.equal(spool.queued, 4, 'kept in memory');
    assert.ok(errors[0] && /cannot write the spool/.test(errors[0]), String(errors[0]));
    await fs.rm(join(blocked, 'segments'));
    await fs.mkdir(join(blocked, 'segments'));
    await spool.flush();
    assert.equal(spool.queued, 0);
    assert.equal(errors.at(-1), undefined, 'recovery is reported');
    assert.deepEqual((await drain(spool)).map((l) => (JSON.parse(l) as TraceEvent).id), sent.map((e) => e.id));
  });
});
