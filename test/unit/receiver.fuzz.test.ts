/**
 * The reference receiver meets bad requests on 127.0.0.1: random bytes, gzip cut short,
 * gzip bombs, huge lines, deep nesting, NDJSON and OTLP JSON with wrong types. After each
 * one it answers with a status (2xx or 4xx, never a dropped connection or a 5xx), /healthz
 * still answers, and only valid events (what the trace reader accepts) are stored.
 * fast-check with fixed seeds and bounded runs.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import { startReceiver, type Receiver } from '../../src/receiver/receiver';
import type { TraceEvent } from '../../src/trace/events';
import { parseTraceLine } from '../../src/trace/lineParser';
import { openTraceSource } from '../../src/trace/source';
import { deeplyNested, mutated, mutatedEvent, sampleTrace } from '../support/badInput';
import { otlpLogRecord, otlpLogsRequest } from '../support/otlp';

const MAX_BODY = 1024 * 1024;
const EVENTS = [...sampleTrace('r-one', 'ws-a'), ...sampleTrace('r-two', 'ws-b')];

/** The id of the event on a line, if the trace reader accepts it. */
function validId(line: string): string | undefined {
  const result = parseTraceLine(line);
  return result.kind === 'event' ? result.event.id : undefined;
}

/** One NDJSON line: valid, wrong types, not JSON, deeply nested, or random. */
const ndjsonLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EVENTS).map((e) => JSON.stringify(e)) },
  { weight: 4, arbitrary: mutatedEvent(EVENTS).map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }).map((s) => s.replace(/\n/g, ' ')) },
  { weight: 1, arbitrary: fc.constantFrom(deeplyNested(100_000), `{"schema":"worktrace/1","id":"deep","seq":1,"ts":1,"session":"s","workspace":"w","kind":"doc.open","x":${deeplyNested(5_000)}}`) },
  { weight: 1, arbitrary: fc.constantFrom(JSON.stringify({ ...EVENTS[0], id: 'newer', schema: 'worktrace/2' }), JSON.stringify({ ...EVENTS[1], id: 'no-schema', schema: undefined })) },
);

type Request = {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes after decompression (the receiver's limit applies to these). */
  size: number;
  /** Ids of the events in it the trace reader accepts. */
  valid: Set<string>;
  kind: 'ndjson' | 'otlp' | 'other';
};

/** A request, printed briefly when fast-check reports a counterexample (bodies can be megabytes). */
function describe(r: Omit<Request, 'size'> & { size?: number }): Request {
  const full: Request = { ...r, size: r.size ?? r.body.length };
  return Object.assign(full, { [fc.toStringMethod]: () => `${full.kind} POST ${full.path} ${JSON.stringify(full.headers)} ${full.body.length} bytes: ${JSON.stringify(full.body.subarray(0, 200).toString('latin1'))}` });
}

const ndjsonRequest: fc.Arbitrary<Request> = fc
  .tuple(fc.array(ndjsonLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('none', 'gzip', 'x-gzip', 'cut'))
  .map(([lines, eol, zip]) => {
    const text = Buffer.from(lines.join(eol), 'utf8');
    const zipped = gzipSync(text);
    const body = zip === 'none' ? text : zip === 'cut' ? zipped.subarray(0, Math.max(1, Math.floor(zipped.length / 2))) : zipped;
    const headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson', ...(zip === 'none' ? {} : { 'Content-Encoding': zip === 'x-gzip' ? 'x-gzip' : 'gzip' }) };
    const valid = new Set(zip === 'cut' ? [] : lines.flatMap((l) => validId(l) ?? []));
    return describe({ path: '/ingest', headers, body, size: text.length, valid, kind: 'ndjson' });
  });

/** OTLP requests with wrong types anywhere, or a wrong event inside a record's body. */
const otlpRequest: fc.Arbitrary<Request> = fc
  .tuple(fc.subarray(EVENTS, { maxLength: 6 }), fc.array(mutatedEvent(EVENTS), { maxLength: 3 }), fc.boolean(), fc.boolean())
  .chain(([events, wrong, mutateRequest, zip]) => {
    const request = otlpLogsRequest(events) as unknown as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
    for (const w of wrong) {
      const record = otlpLogRecord(EVENTS[0]) as unknown as Record<string, unknown>;
      record.body = { stringValue: JSON.stringify(w) };
      request.resourceLogs[0].scopeLogs[0].logRecords.push(record);
    }
    return (mutateRequest ? mutated(request, 4) : fc.constant(request)).map((value) => {
      const text = Buffer.from(JSON.stringify(value), 'utf8');
      // Only records whose body is an event the reader accepts may be stored (they must also agree with their attributes).
      const valid = new Set<string>();
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (typeof v === 'object' && v !== null) {
          const body = (v as { body?: unknown }).body;
          const text = typeof body === 'object' && body !== null ? (body as { stringValue?: unknown }).stringValue : undefined;
          const id = typeof text === 'string' ? validId(text) : undefined;
          if (id !== undefined) valid.add(id);
          Object.values(v).forEach(walk);
        }
      };
      walk(value);
      return describe({
        path: '/v1/logs',
        headers: { 'Content-Type': 'application/json', ...(zip ? { 'Content-Encoding': 'gzip' } : {}) },
        body: zip ? gzipSync(text) : text,
        size: text.length,
        valid,
        kind: 'otlp',
      });
    });
  });

/** Bodies that are wrong as a whole: random bytes, gzip bombs, too large, odd encodings and types. */
const none = new Set<string>();
const otherRequest: fc.Arbitrary<Request> = fc.oneof(
  fc.tuple(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('/ingest', '/v1/logs', '/', '/x/y?z=1'), fc.constantFrom('', 'gzip', 'application/json')).map(([bytes, path, how]) =>
    describe({
      path,
      headers: how === 'gzip' ? { 'Content-Encoding': 'gzip' } : how === '' ? {} : { 'Content-Type': how },
      body: Buffer.from(bytes),
      valid: none,
      kind: 'other',
    }),
  ),
  fc.constantFrom(
    describe({ path: '/ingest', headers: { 'Content-Encoding': 'gzip' }, body: gzipSync(Buffer.alloc(MAX_BODY * 8, 0x20)), size: MAX_BODY * 8, valid: none, kind: 'other' }),
    describe({ path: '/v1/logs', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gzipSync(Buffer.alloc(MAX_BODY * 8, 0x5b)), size: MAX_BODY * 8, valid: none, kind: 'other' }),
    describe({ path: '/ingest', headers: {}, body: Buffer.alloc(MAX_BODY + 1, 0x61), valid: none, kind: 'other' }),
    describe({ path: '/ingest', headers: {}, body: Buffer.from(`${JSON.stringify(EVENTS[2])}\n${'x'.repeat(MAX_BODY - 1000)}\n`), valid: new Set([EVENTS[2].id]), kind: 'ndjson' }),
    describe({ path: '/ingest', headers: { 'Content-Encoding': 'br' }, body: Buffer.from('abc'), valid: none, kind: 'other' }),
    describe({ path: '/ingest', headers: { 'Content-Encoding': 'gzip, gzip' }, body: gzipSync(gzipSync(JSON.stringify(EVENTS[3]))), valid: none, kind: 'other' }),
    describe({ path: '/v1/logs', headers: { 'Content-Type': 'application/x-protobuf' }, body: Buffer.from([0x0a, 0x02, 0x08, 0x01]), valid: none, kind: 'other' }),
    describe({ path: '/v1/logs', headers: { 'Content-Type': 'application/json' }, body: Buffer.from(deeplyNested(100_000)), valid: none, kind: 'other' }),
  ),
);

async function send(receiver: Receiver, request: Request): Promise<number> {
  const res = await fetch(`${receiver.url}${request.path}`, { method: 'POST', body: request.body, headers: request.headers });
  await res.arrayBuffer();
  return res.status;
}

suite('receiver under bad requests (fast-check)', function () {
  this.timeout(60_000);
  let dir: string;
  let receiver: Receiver;
  let log: string[];
  setup(async () => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-receiver-fuzz-'));
    log = [];
    receiver = await startReceiver({ db: join(dir, 'events.db'), maxBodyBytes: MAX_BODY, log: (line) => log.push(line) });
  });
  teardown(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every request gets a 2xx or 4xx answer, /healthz stays up, and only valid events are stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: ndjsonRequest }, { weight: 2, arbitrary: otlpRequest }, { weight: 1, arbitrary: otherRequest }), async (request) => {
        const stored = new Set(receiver.ids());
        const status = await send(receiver, request);
        assert.ok((status >= 200 && status < 300) || (status >= 400 && status < 500), `status ${status}; ${log.slice(-3).join(' | ')}`);
        const health = await fetch(`${receiver.url}/healthz`);
        assert.equal(await health.text(), 'ok');
        const now = new Set(receiver.ids());
        const added = [...now].filter((id) => !stored.has(id));
        for (const id of added) {
          assert.ok(request.valid.has(id), `stored ${id}, which is not a valid event of the request`);
        }
        if (request.size > MAX_BODY) {
          assert.equal(status, 413);
        } else if (request.kind === 'ndjson') {
          // NDJSON: exactly the valid lines are stored, and the answer is 400 only when there is none.
          assert.deepEqual(new Set([...stored, ...(status === 200 ? request.valid : [])]), now);
          assert.equal(status === 200, request.valid.size > 0, `status ${status} for ${request.valid.size} valid event(s)`);
        }
      }),
      { seed: 31_337, numRuns: 100 },
    );
    // What the receiver stored, the trace reader reads without a single problem.
    const source = openTraceSource([join(dir, 'events.db')]);
    const events: TraceEvent[] = [];
    for await (const session of source.sessions()) events.push(...session.events);
    assert.equal(source.report.corruptLines + source.report.newerSchema + source.report.tooLongLines, 0);
    assert.deepEqual(new Set(events.map((e) => e.id)), new Set(receiver.ids()));
  });
});
