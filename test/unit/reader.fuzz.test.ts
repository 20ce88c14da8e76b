/**
 * The trace reader meets bad input: random bytes, gzip cut short, huge lines, deep
 * nesting, wrong types. It must not throw, hang or hold more than its limits, and it must
 * report what it skipped. fast-check with fixed seeds and bounded runs.
 */
import * as assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, gzipSync, gunzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import type { TraceEvent } from '../../src/trace/events';
import { readFileEvents } from '../../src/trace/fileEvents';
import { checkEnvelope } from '../../src/trace/lineParser';
import { emptyReport, type ReadProblem, type ReadReport } from '../../src/trace/readReport';
import { readTrace } from '../../src/trace/readTrace';
import { openTraceSource } from '../../src/trace/source';
import { deeplyNested, mutatedEvent, sampleTrace } from '../support/badInput';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Problems reported must match the counters one for one. */
function assertProblemsCounted(problems: readonly ReadProblem[], report: ReadReport): void {
  const byKind = (kind: ReadProblem['kind']): number => problems.filter((p) => p.kind === kind).length;
  assert.equal(byKind('corrupt'), report.corruptLines);
  assert.equal(byKind('too-long'), report.tooLongLines);
  assert.equal(byKind('newer-schema'), report.newerSchema);
  assert.equal(byKind('gzip'), report.damagedGzip);
  assert.equal(byKind('unreadable'), report.unreadableFiles);
}

const EVENTS = [...sampleTrace('s-one', 'ws-a'), ...sampleTrace('s-two', 'ws-b')];
const EVENT_LINES = EVENTS.map((e) => Buffer.from(JSON.stringify(e), 'utf8'));

/** Values that make each envelope field invalid. */
const BAD_ENVELOPE: Record<string, unknown[]> = {
  schema: [null, 1, 'otel/1', 'worktrace/0', 'worktrace/x', []],
  id: [null, 7, '', [], {}],
  session: [null, 7, '', ['s']],
  kind: [null, 1, '', { kind: 'doc.open' }],
  seq: ['7', 0, -1, 0.5, null, 2 ** 53],
  ts: ['1700000000000', null, [], true],
  workspace: [null, 7, [], {}],
};

/** One line of a generated file, and whether it holds a valid event (and which). */
type Line = { bytes: Buffer; event?: TraceEvent };

const lineArb: fc.Arbitrary<Line> = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: EVENTS.length - 1 }).map((i) => ({ bytes: EVENT_LINES[i], event: EVENTS[i] })) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((text) => ({ bytes: Buffer.from(text, 'utf8') })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 120 }).map((bytes) => ({ bytes: Buffer.from(bytes.filter((b) => b !== 0x0a)) })) },
  {
    weight: 2,
    // An envelope field of the wrong type, so the line is surely not an event.
    arbitrary: fc
      .tuple(fc.nat({ max: EVENTS.length - 1 }), fc.constantFrom(...Object.keys(BAD_ENVELOPE)), fc.nat())
      .map(([i, key, pick]) => ({ bytes: Buffer.from(JSON.stringify({ ...EVENTS[i], [key]: BAD_ENVELOPE[key][pick % BAD_ENVELOPE[key].length] }), 'utf8') })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 400 }).map((depth) => ({ bytes: Buffer.from(deeplyNested(depth), 'utf8') })) },
);

const fileArb = fc.record({
  lines: fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n')), { maxLength: 40 }),
  lastNewline: fc.boolean(),
  gzip: fc.boolean(),
  maxLineBytes: fc.integer({ min: 64, max: 2000 }),
  chunkBytes: fc.integer({ min: 7, max: 4096 }),
});

function isBlank(bytes: Buffer): boolean {
  return isUtf8(bytes) && bytes.toString('utf8').trim() === '';
}

suite('trace reader under bad input (fast-check)', function () {
  this.timeout(30_000);
  let dir: string;
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-reader-fuzz-'));
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('mixed files: exactly the valid event lines within the limit are read, every other line is reported once', async () => {
    const file = (): string => join(dir, 'mixed.ndjson');
    await fc.assert(
      fc.asyncProperty(fileArb, async ({ lines, lastNewline, gzip, maxLineBytes, chunkBytes }) => {
        const eols = lines.map(([, eol], i) => (i < lines.length - 1 || lastNewline ? eol : ''));
        const text = Buffer.concat(lines.flatMap(([line], i) => [line.bytes, Buffer.from(eols[i])]));
        writeFileSync(file(), gzip ? gzipSync(text) : text);
        // The limit counts a line's bytes without its \n (a \r before it counts).
        const fits = (i: number): boolean => lines[i][0].bytes.length + (eols[i] === '\r\n' ? 1 : 0) <= maxLineBytes;
        const expected = lines.flatMap(([l], i) => (l.event !== undefined && fits(i) ? [l.event] : []));
        const problemLines = lines.filter(([l], i) => !fits(i) || (l.event === undefined && !isBlank(l.bytes))).length;
        const problems: ReadProblem[] = [];
        const report = emptyReport();
        const read = await collect(readFileEvents(file(), { maxLineBytes, chunkBytes, report, onProblem: (p) => problems.push(p) }));
        assert.deepEqual(read, expected);
        assert.equal(problems.length, problemLines);
        assertProblemsCounted(problems, report);
        assert.ok(report.lineBufferHighWater <= maxLineBytes + Math.max(chunkBytes, 64), `held ${report.lineBufferHighWater}`);
        // The synchronous reader agrees (it orders by session, so compare as sets of ids).
        const syncProblems: ReadProblem[] = [];
        const sync = readTrace(file(), (p) => syncProblems.push(p), { maxLineBytes });
        assert.deepEqual(new Set(sync.map((e) => e.id)), new Set(expected.map((e) => e?.id)));
        assert.equal(syncProblems.length, problemLines);
      }),
      { seed: 20_261_202, numRuns: 80 },
    );
  });

  test('random bytes (also behind gzip, SQLite and byte-order-mark headers): no throw, only valid events, problems counted', async () => {
    const file = join(dir, 'random.bin');
    const headers = [Buffer.alloc(0), Buffer.from([0x1f, 0x8b]), Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('SQLite format 3\0', 'latin1'), Buffer.from([0xef, 0xbb, 0xbf])];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: headers.length - 1 }), fc.uint8Array({ maxLength: 3000 }), fc.boolean(), async (header, bytes, gzip) => {
        const body = Buffer.concat([headers[header], bytes]);
        writeFileSync(file, gzip ? gzipSync(body) : body);
        const problems: ReadProblem[] = [];
        const source = openTraceSource([file], { onProblem: (p) => problems.push(p) });
        const sessions = await collect(source.sessions());
        for (const event of sessions.flatMap((s) => s.events)) {
          assert.equal(checkEnvelope(event).ok, true);
        }
        assertProblemsCounted(problems, source.report);
        assert.doesNotThrow(() => readTrace(file));
      }),
      { seed: 7_331, numRuns: 100 },
    );
  });

  test('a gzip cut anywhere: every event before the cut is read, the damage is reported once', async () => {
    const events = sampleTrace('cut', 'ws-cut').concat(sampleTrace('cut-2', 'ws-cut'));
    const ndjson = events.map((e) => `${JSON.stringify(e)}\n`);
    // Two members, as the file destination appends one per batch.
    const parts = [ndjson.slice(0, 10).join(''), ndjson.slice(10).join('')];
    const members = parts.map((p) => gzipSync(p));
    const whole = Buffer.concat(members);
    const file = join(dir, 'cut.ndjson.gz');
    /** What zlib can decode of the first `length` bytes of one member ('' when cut inside its header). */
    const decodablePrefix = (member: Buffer, length: number): string => {
      try {
        return gunzipSync(member.subarray(0, length), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
      } catch {
        return '';
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: whole.length - 1 }), fc.integer({ min: 64, max: 8192 }), async (cut, chunkBytes) => {
        writeFileSync(file, whole.subarray(0, cut));
        const decodable = cut <= members[0].length ? decodablePrefix(members[0], cut) : parts[0] + decodablePrefix(members[1], cut - members[0].length);
        let complete = 0;
        let at = 0;
        for (const line of ndjson) {
          // An event whose JSON arrived whole is read even when its newline did not.
          if (at + line.length - 1 > decodable.length) break;
          complete++;
          at += line.length;
        }
        const problems: ReadProblem[] = [];
        const read = await collect(readFileEvents(file, { chunkBytes, onProblem: (p) => problems.push(p) }));
        assert.deepEqual(
          read.map((e) => e.id),
          events.slice(0, complete).map((e) => e.id),
        );
        assert.deepEqual(
          problems.map((p) => p.kind),
          ['gzip'],
        );
        const syncProblems: ReadProblem[] = [];
        assert.equal(readTrace(file, (p) => syncProblems.push(p)).length, complete);
        assert.deepEqual(
          syncProblems.map((p) => p.kind),
          ['gzip'],
        );
      }),
      { seed: 424_242, numRuns: 80 },
    );
  });

  test('lines around the limit: longer ones skipped and reported, the others read, memory bounded', async () => {
    const file = join(dir, 'limit.ndjson');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 30 }), fc.integer({ min: 32, max: 400 }), fc.integer({ min: 8, max: 300 }), async (lengths, maxLineBytes, chunkBytes) => {
        const lines = lengths.map((n, i) => `${i}`.padEnd(Math.max(n, String(i).length), 'x'));
        writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
        const problems: ReadProblem[] = [];
        const report = emptyReport();
        await collect(readFileEvents(file, { maxLineBytes, chunkBytes, report, onProblem: (p) => problems.push(p) }));
        const tooLong = lines.filter((l) => l.length > maxLineBytes);
        assert.deepEqual(
          problems.filter((p) => p.kind === 'too-long').map((p) => p.line),
          lines.flatMap((l, i) => (l.length > maxLineBytes ? [i + 1] : [])),
        );
        assert.equal(report.tooLongLines, tooLong.length);
        assert.equal(report.lines, lines.length);
        assert.ok(report.lineBufferHighWater <= maxLineBytes + chunkBytes);
      }),
      { seed: 99, numRuns: 60 },
    );
  });

  test('a 20 MB line with a 1 MiB limit: skipped with the splitter holding at most the limit plus one chunk; the events around it are read', async () => {
    const [before, after] = sampleTrace('huge', 'ws');
    const line = `{"schema":"worktrace/1","pad":"${'x'.repeat(20 * 1024 * 1024)}"}`;
    const text = `${JSON.stringify(before)}\n${line}\n${JSON.stringify(after)}\n`;
    for (const gzip of [false, true]) {
      const file = join(dir, `huge.ndjson${gzip ? '.gz' : ''}`);
      writeFileSync(file, gzip ? gzipSync(text) : text);
      const problems: ReadProblem[] = [];
      const report = emptyReport();
      const read = await collect(readFileEvents(file, { maxLineBytes: 1024 * 1024, report, onProblem: (p) => problems.push(p) }));
      assert.deepEqual(read, [before, after]);
      assert.deepEqual(
        problems.map((p) => [p.kind, p.line]),
        [['too-long', 2]],
      );
      assert.ok(report.lineBufferHighWater <= 1024 * 1024 + 64 * 1024, `held ${report.lineBufferHighWater}`);
    }
  });

  test('nesting 100,000 deep, alone or inside an event: reported, not parsed; the other events are read', async () => {
    const [first, second] = sampleTrace('deep', 'ws');
    const deep = deeplyNested(100_000);
    const inEvent = `{"schema":"worktrace/1","id":"x","seq":3,"ts":1,"session":"deep","workspace":"ws","kind":"doc.open","text":${deep}}`;
    const file = join(dir, 'deep.ndjson');
    writeFileSync(file, [JSON.stringify(first), deep, inEvent, JSON.stringify(second)].join('\n'));
    const problems: ReadProblem[] = [];
    const sessions = await collect(openTraceSource([file], { onProblem: (p) => problems.push(p) }).sessions());
    assert.deepEqual(
      sessions.flatMap((s) => s.events),
      [first, second],
    );
    assert.deepEqual(
      problems.map((p) => [p.line, p.message]),
      [
        [2, 'JSON nested deeper than 64 levels'],
        [3, 'JSON nested deeper than 64 levels'],
      ],
    );
    assert.deepEqual(readTrace(file), [first, second]);
  });

  test('envelopes and bodies with wrong types: no throw; a bad envelope is a problem, a bad body is passed on', async () => {
    const file = join(dir, 'wrong.ndjson');
    await fc.assert(
      fc.asyncProperty(fc.array(mutatedEvent(), { minLength: 1, maxLength: 20 }), async (events) => {
        writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
        const problems: ReadProblem[] = [];
        const source = openTraceSource([file], { onProblem: (p) => problems.push(p) });
        const read = (await collect(source.sessions())).flatMap((s) => s.events);
        const envelopeOk = events.filter((e) => checkEnvelope(e).ok);
        assert.equal(source.report.events, envelopeOk.length);
        assert.equal(problems.length, events.length - envelopeOk.length);
        assert.ok(read.length <= envelopeOk.length); // duplicates (same id) are read once
      }),
      { seed: 1_234, numRuns: 60 },
    );
  });
});
