import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { parseArgs } from '../../src/receiver/cli';
import { DecodeError, decodeEvent, decodeNdjson, decodeOtlpLogs, validateEvent } from '../../src/receiver/decode';
import { startReceiver, type Receiver, type ReceiverOptions } from '../../src/receiver/receiver';
import type { TraceEvent } from '../../src/trace/events';
import { otlpLogsRequest } from '../support/otlp';
import { TraceBuilder, toNdjson } from '../support/traceBuilder';

const CLI = join(__dirname, '..', '..', 'src', 'receiver', 'cli.js');

function sampleEvents(session = 'session-one', n = 3): TraceEvent[] {
  const b = new TraceBuilder(session);
  const events: TraceEvent[] = [b.open('src/a.ts', 'let a = 1;\n')];
  for (let i = 1; i < n; i++) {
    events.push(b.edit('src/a.ts', i + 1, [{ offset: 0, length: 0, text: `${i}` }]));
  }
  return events;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-ndjson', ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

async function get(url: string): Promise<Answer> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

suite('receiver: decodeNdjson and validateEvent', () => {
  test('decodes one event per line, keeping the raw JSON', () => {
    const events = sampleEvents();
    const text = toNdjson(events);
    const result = decodeNdjson(text);
    assert.equal(result.rejected, 0);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.events.map((e) => e.raw),
      events.map((e) => JSON.stringify(e)),
    );
    assert.deepEqual(result.events[1], {
      id: events[1].id,
      session: 'session-one',
      seq: 2,
      ts: events[1].ts,
      kind: 'doc.edit',
      workspace: 'ws-test',
      raw: JSON.stringify(events[1]),
    });
  });

  test('accepts CRLF line ends, blank lines, a BOM and no final newline', () => {
    const [a, b] = sampleEvents();
    const result = decodeNdjson(`\uFEFF${JSON.stringify(a)}\r\n\r\n  \n${JSON.stringify(b)}`);
    assert.deepEqual(
      result.events.map((e) => e.id),
      [a.id, b.id],
    );
    assert.equal(result.rejected, 0);
  });

  test('rejects invalid lines with 1-based line numbers and keeps the valid ones', () => {
    const [a] = sampleEvents();
    const lines = [
      JSON.stringify(a),
      '{not json',
      '[1,2]',
      JSON.stringify({ ...a, id: '' }),
      JSON.stringify({ ...a, id: 'x', session: 7 }),
      JSON.stringify({ ...a, id: 'y', kind: null }),
      JSON.stringify({ ...a, id: 'z', seq: '3' }),
      JSON.stringify({ ...a, id: 'w', seq: 1.5 }),
      JSON.stringify({ ...a, id: 'v', ts: 'now' }),
    ];
    const result = decodeNdjson(lines.join('\n'));
    assert.deepEqual(
      result.events.map((e) => e.id),
      [a.id],
    );
    assert.equal(result.rejected, 8);
    assert.match(result.errors[0], /^line 2: not JSON/);
    assert.deepEqual(result.errors.slice(1), [
      'line 3: not a JSON object',
      'line 4: "id" must be a non-empty string',
      'line 5: "session" must be a non-empty string',
      'line 6: "kind" must be a non-empty string',
      'line 7: "seq" must be a positive integer',
      'line 8: "seq" must be a positive integer',
      'line 9: "ts" must be a finite number',
    ]);
  });

  test('counts every rejection but keeps at most maxErrors messages', () => {
    const result = decodeNdjson('x\ny\nz\n', 2);
    assert.equal(result.rejected, 3);
    assert.equal(result.errors.length, 2);
  });

  test('accepts what the trace reader reads, and nothing else: the worktrace/1 envelope, nesting of at most 64 levels', () => {
    const envelope = { schema: 'worktrace/1', id: 'i', session: 's', kind: 'k', seq: 1, ts: 2, workspace: 'w' };
    assert.deepEqual(validateEvent(envelope, 'raw'), { ok: true, event: { id: 'i', session: 's', kind: 'k', seq: 1, ts: 2, workspace: 'w', raw: 'raw' } });
    assert.deepEqual(validateEvent(null, 'null'), { ok: false, message: 'not a JSON object' });
    const rejected: [Record<string, unknown>, RegExp][] = [
      [{ schema: undefined }, /"schema" must be "worktrace\/1"/],
      [{ schema: 'worktrace/2' }, /newer schema worktrace\/2/],
      [{ workspace: undefined }, /"workspace" must be a string/],
      [{ seq: 0 }, /"seq" must be a positive integer/],
      [{ session: '' }, /"session" must be a non-empty string/],
    ];
    for (const [override, message] of rejected) {
      const v = validateEvent({ ...envelope, ...override }, 'raw');
      assert.match(v.ok ? '' : v.message, message, JSON.stringify(override));
    }
    const deep = `{"schema":"worktrace/1","id":"i","session":"s","kind":"k","seq":1,"ts":2,"workspace":"w","x":${'['.repeat(64)}${']'.repeat(64)}}`;
    assert.deepEqual(decodeEvent(deep), { ok: false, message: 'JSON nested deeper than 64 levels' });
  });
});

suite('receiver: decodeOtlpLogs', () => {
  test('decodes the Worktrace mapping: the event is the JSON in body.stringValue', () => {
    const events = sampleEvents();
    const result = decodeOtlpLogs(otlpLogsRequest(events));
    assert.equal(result.rejected, 0);
    assert.deepEqual(
      result.events.map((e) => JSON.parse(e.raw) as unknown),
      events,
    );
    assert.deepEqual(
      result.events.map((e) => [e.id, e.seq, e.kind]),
      events.map((e) => [e.id, e.seq, e.kind]),
    );
  });

  test('walks every resourceLogs and scopeLogs entry', () => {
    const one = sampleEvents('s1', 2);
    const two = sampleEvents('s2', 2);
    const request = otlpLogsRequest(one);
    request.resourceLogs.push(...otlpLogsRequest(two).resourceLogs);
    request.resourceLogs[0].scopeLogs.push({ scope: { name: 'worktrace', version: '0' }, logRecords: [] });
    assert.deepEqual(
      decodeOtlpLogs(request).events.map((e) => e.id),
      [...one, ...two].map((e) => e.id),
    );
  });

  test('an empty export request is valid and has no events', () => {
    assert.deepEqual(decodeOtlpLogs({}), { events: [], rejected: 0, errors: [] });
    assert.deepEqual(decodeOtlpLogs({ resourceLogs: [] }), { events: [], rejected: 0, errors: [] });
  });

  test('accepts intValue and timeUnixNano as JSON numbers too', () => {
    const [event] = sampleEvents();
    const request = otlpLogsRequest([event]);
    const record = request.resourceLogs[0].scopeLogs[0].logRecords[0] as unknown as Record<string, unknown>;
    record.attributes = [{ key: 'worktrace.seq', value: { intValue: event.seq } }];
    record.timeUnixNano = event.ts * 1e6;
    assert.equal(decodeOtlpLogs(request).events.length, 1);
  });

  test('rejects records that are not events, or whose OTLP fields contradict the event', () => {
    const events = sampleEvents('s', 7);
    const request = otlpLogsRequest(events);
    const records = request.resourceLogs[0].scopeLogs[0].logRecords;
    records[1].body = {};
    records[2].body = { stringValue: '{oops' };
    records[3].body = { stringValue: JSON.stringify({ ...events[3], seq: 'x' }) };
    records[4].attributes[0] = { key: 'worktrace.id', value: { stringValue: 'another-id' } };
    records[5].eventName = 'doc.save';
    records[6].timeUnixNano = '123';
    const result = decodeOtlpLogs(request);
    assert.deepEqual(
      result.events.map((e) => e.id),
      [events[0].id],
    );
    assert.equal(result.rejected, 6);
    const at = (i: number): string => `resourceLogs[0].scopeLogs[0].logRecords[${i}]: `;
    assert.equal(result.errors[0], `${at(1)}body.stringValue (the event as JSON) is missing`);
    assert.match(result.errors[1], new RegExp(`^${escape(at(2))}body.stringValue is not JSON`));
    assert.equal(result.errors[2], `${at(3)}"seq" must be a positive integer`);
    assert.match(result.errors[3], /attribute worktrace\.id \("another-id"\) does not match/);
    assert.match(result.errors[4], /eventName \("doc\.save"\) does not match the event's kind \("doc\.edit"\)/);
    assert.match(result.errors[5], /timeUnixNano \("123"\) is not the event's ts in nanoseconds/);
  });

  test('throws DecodeError when the value is not an OTLP logs request', () => {
    assert.throws(() => decodeOtlpLogs([]), DecodeError);
    assert.throws(() => decodeOtlpLogs('text'), DecodeError);
    assert.throws(() => decodeOtlpLogs({ resourceLogs: {} }), /resourceLogs must be an array/);
    assert.throws(() => decodeOtlpLogs({ resourceLogs: [{ scopeLogs: 3 }] }), /resourceLogs\[0\]\.scopeLogs must be an array/);
    assert.throws(() => decodeOtlpLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: 'x' }] }] }), /logRecords must be an array/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

suite('receiver over HTTP', () => {
  let dir: string;
  let db: string;
  let lines: string[];
  let receiver: Receiver;
  const extra: Receiver[] = [];

  async function start(options: Partial<ReceiverOptions> = {}): Promise<Receiver> {
    const r = await startReceiver({ db, log: (line) => lines.push(line), ...options });
    extra.push(r);
    return r;
  }

  setup(async () => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-receiver-'));
    db = join(dir, 'events.sqlite');
    lines = [];
    receiver = await start();
  });
  teardown(async () => {
    for (const r of extra.splice(0)) await r.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 and answers /healthz', async () => {
    assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
    assert.equal(receiver.url, `http://127.0.0.1:${receiver.port}`);
    const res = await get(`${receiver.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(res.text, 'ok');
  });

  test('stores an NDJSON batch and answers with counts', async () => {
    const events = sampleEvents();
    const res = await post(`${receiver.url}/ingest`, toNdjson(events), { 'Idempotency-Key': 'batch-1' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(res.json(), { accepted: 3, duplicates: 0, rejected: 0, errors: [] });
    assert.equal(receiver.count(), 3);
    assert.deepEqual(receiver.events(), events);
    assert.deepEqual(
      receiver.ids(),
      events.map((e) => e.id),
    );
    assert.deepEqual(lines, ['stored 3 events (0 duplicates) from session session-… [ndjson, batch batch-1]']);
  });

  test('stores a gzip NDJSON batch', async () => {
    const events = sampleEvents('gz', 20);
    const res = await post(`${receiver.url}/`, gzipSync(toNdjson(events)), { 'Content-Encoding': 'gzip' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { accepted: 20, duplicates: 0, rejected: 0, errors: [] });
    assert.deepEqual(receiver.events(), events);
  });

  test('stores OTLP/HTTP JSON logs, plain and gzip, answering {}', async () => {
    const plain = sampleEvents('otlp-a', 4);
    const zipped = sampleEvents('otlp-b', 5);
    const a = await post(`${receiver.url}/v1/logs`, JSON.stringify(otlpLogsRequest(plain)), { 'Content-Type': 'application/json' });
    assert.equal(a.status, 200);
    assert.deepEqual(a.json(), {});
    const b = await post(`${receiver.url}/v1/logs`, gzipSync(JSON.stringify(otlpLogsRequest(zipped))), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(b.status, 200);
    assert.deepEqual(b.json(), {});
    assert.deepEqual(receiver.events(), [...plain, ...zipped]);
    assert.match(lines[0], /^stored 4 events \(0 duplicates\) from session otlp-a \[otlp\]$/);
  });

  test('OTLP partial success: bad records are rejected, the others stored', async () => {
    const events = sampleEvents('partial', 4);
    const request = otlpLogsRequest(events);
    request.resourceLogs[0].scopeLogs[0].logRecords[2].body = { stringValue: 'not json' };
    const res = await post(`${receiver.url}/v1/logs`, JSON.stringify(request), { 'Content-Type': 'application/json' });
    assert.equal(res.status, 200);
    const body = res.json() as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedLogRecords, '1');
    assert.match(body.partialSuccess.errorMessage, /logRecords\[2\]: body\.stringValue is not JSON/);
    assert.deepEqual(receiver.ids(), [events[0].id, events[1].id, events[3].id]);
  });

  test('OTLP: protobuf is 415 with a clear message; undecodable or all-invalid requests are 400', async () => {
    const events = sampleEvents();
    const proto = await post(`${receiver.url}/v1/logs`, Buffer.from([0x0a, 0x00]), { 'Content-Type': 'application/x-protobuf' });
    assert.equal(proto.status, 415);
    assert.match((proto.json() as { error: string }).error, /OTLP\/HTTP JSON only.*http\/json/);
    const notJson = await post(`${receiver.url}/v1/logs`, '{', { 'Content-Type': 'application/json' });
    assert.equal(notJson.status, 400);
    assert.match((notJson.json() as { error: string }).error, /body is not JSON/);
    const wrongShape = await post(`${receiver.url}/v1/logs`, '{"resourceLogs":3}', { 'Content-Type': 'application/json' });
    assert.equal(wrongShape.status, 400);
    const request = otlpLogsRequest(events);
    for (const r of request.resourceLogs[0].scopeLogs[0].logRecords) r.body = {};
    const allBad = await post(`${receiver.url}/v1/logs`, JSON.stringify(request), { 'Content-Type': 'application/json' });
    assert.equal(allBad.status, 400);
    assert.match((allBad.json() as { error: string }).error, /no valid log record \(3 rejected\)/);
    const empty = await post(`${receiver.url}/v1/logs`, '{}', { 'Content-Type': 'application/json' });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json(), {});
    assert.equal(receiver.count(), 0);
  });

  test('deduplicates by event id across requests and formats, counting duplicates', async () => {
    const events = sampleEvents('dedupe', 5);
    const first = await post(`${receiver.url}/ingest`, toNdjson(events), { 'Idempotency-Key': 'k1' });
    const again = await post(`${receiver.url}/ingest`, toNdjson(events), { 'Idempotency-Key': 'k1' });
    assert.deepEqual(first.json(), { accepted: 5, duplicates: 0, rejected: 0, errors: [] });
    assert.deepEqual(again.json(), { accepted: 0, duplicates: 5, rejected: 0, errors: [] });
    const more = sampleEvents('dedupe-2', 2);
    const otlp = await post(`${receiver.url}/v1/logs`, JSON.stringify(otlpLogsRequest([events[0], ...more])), { 'Content-Type': 'application/json' });
    assert.deepEqual(otlp.json(), {});
    assert.equal(receiver.count(), 7);
    assert.equal(receiver.duplicates(), 6);
    assert.match(lines[1], /^stored 0 events \(5 duplicates\) from session dedupe \[ndjson, batch k1\]$/);
    assert.match(lines[2], /^stored 2 events \(1 duplicates\) from 2 sessions \[otlp\]$/);
  });

  test('events() orders by session then seq whatever the arrival order', async () => {
    const a = sampleEvents('b-session', 3);
    const b = sampleEvents('a-session', 2);
    await post(`${receiver.url}/x`, toNdjson([a[2], b[1], a[0]]));
    await post(`${receiver.url}/x`, toNdjson([a[1], b[0]]));
    assert.deepEqual(receiver.events(), [b[0], b[1], a[0], a[1], a[2]]);
  });

  test('/stats reports events, duplicates, requests and sessions', async () => {
    await post(`${receiver.url}/x`, toNdjson(sampleEvents('s1', 3)));
    const s2 = sampleEvents('s2', 2);
    await post(`${receiver.url}/x`, toNdjson(s2));
    await post(`${receiver.url}/x`, toNdjson(s2));
    await post(`${receiver.url}/x`, 'garbage');
    const res = await get(`${receiver.url}/stats`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { events: 5, duplicates: 2, requests: 4, sessions: 2 });
    assert.deepEqual(receiver.stats(), { events: 5, duplicates: 2, requests: 4, sessions: 2 });
  });

  test('with a token, POSTs need the right bearer token; /healthz and /stats do not', async () => {
    const secured = await start({ token: 's3cret', db: join(dir, 'secured.sqlite') });
    const body = toNdjson(sampleEvents());
    const none = await post(`${secured.url}/x`, body);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assert.deepEqual(none.json(), { error: 'missing Authorization: Bearer <token> header' });
    const wrong = await post(`${secured.url}/x`, body, { Authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json(), { error: 'wrong bearer token' });
    const otlpWrong = await post(`${secured.url}/v1/logs`, '{}', { Authorization: 'Basic s3cret', 'Content-Type': 'application/json' });
    assert.equal(otlpWrong.status, 401);
    assert.equal(secured.count(), 0);
    const right = await post(`${secured.url}/x`, body, { Authorization: 'Bearer s3cret' });
    assert.equal(right.status, 200);
    assert.equal(secured.count(), 3);
    assert.equal((await get(`${secured.url}/healthz`)).status, 200);
    assert.deepEqual((await get(`${secured.url}/stats`)).json(), { events: 3, duplicates: 0, requests: 4, sessions: 1 });
  });

  test('an NDJSON body with no valid line is 400; an empty one too', async () => {
    const notJson = await post(`${receiver.url}/x`, 'hello\nworld\n');
    assert.equal(notJson.status, 400);
    const error = (notJson.json() as { error: string }).error;
    assert.match(error, /^no valid event \(2 line\(s\) rejected\): line 1: not JSON .*; line 2: not JSON/);
    const empty = await post(`${receiver.url}/x`, '');
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.json(), { error: 'empty body: expected NDJSON, one event per line' });
    const notGzip = await post(`${receiver.url}/x`, toNdjson(sampleEvents()), { 'Content-Encoding': 'gzip' });
    assert.equal(notGzip.status, 400);
    assert.match((notGzip.json() as { error: string }).error, /^body is not valid gzip/);
    assert.equal(receiver.count(), 0);
    assert.ok(lines.some((l) => /^rejected POST \/x \[ndjson\]: 400 no valid event/.test(l)));
  });

  test('a partially invalid NDJSON batch stores the valid lines and reports the rest', async () => {
    const events = sampleEvents('mixed', 2);
    const body = [JSON.stringify(events[0]), JSON.stringify({ ...events[0], id: 1 }), JSON.stringify(events[1]), 'nope'].join('\n');
    const res = await post(`${receiver.url}/x`, body);
    assert.equal(res.status, 200);
    const answer = res.json() as { accepted: number; duplicates: number; rejected: number; errors: string[] };
    assert.equal(answer.accepted, 2);
    assert.equal(answer.duplicates, 0);
    assert.equal(answer.rejected, 2);
    assert.equal(answer.errors[0], 'line 2: "id" must be a non-empty string');
    assert.match(answer.errors[1], /^line 4: not JSON/);
    assert.equal(receiver.count(), 2);
    assert.match(lines[0], /^stored 2 events \(0 duplicates, 2 rejected\) from session mixed \[ndjson\]$/);
  });

  test('answers 413 for a body over the limit, before or after decompression, and keeps working', async () => {
    const small = await start({ maxBodyBytes: 4096, db: join(dir, 'small.sqlite') });
    const big = await post(`${small.url}/x`, 'x'.repeat(10_000));
    assert.equal(big.status, 413);
    assert.match((big.json() as { error: string }).error, /larger than 4096 bytes/);
    const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20));
    assert.ok(bomb.length < 4096);
    const zipped = await post(`${small.url}/x`, bomb, { 'Content-Encoding': 'gzip' });
    assert.equal(zipped.status, 413);
    assert.match((zipped.json() as { error: string }).error, /after decompression/);
    const ok = await post(`${small.url}/x`, toNdjson(sampleEvents()));
    assert.equal(ok.status, 200);
    assert.equal(small.count(), 3);
  });

  test('unknown encodings are 415; other paths and methods 404/405', async () => {
    const br = await post(`${receiver.url}/x`, 'abc', { 'Content-Encoding': 'br' });
    assert.equal(br.status, 415);
    assert.match((br.json() as { error: string }).error, /Content-Encoding br/);
    const otlpText = await post(`${receiver.url}/v1/logs`, '{}', { 'Content-Type': 'text/plain' });
    assert.equal(otlpText.status, 415);
    assert.equal((await get(`${receiver.url}/nothing`)).status, 404);
    const put = await fetch(`${receiver.url}/x`, { method: 'PUT', body: 'x' });
    await put.arrayBuffer();
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD, POST');
  });

  test('the database survives a restart', async () => {
    const events = sampleEvents('durable', 4);
    await post(`${receiver.url}/x`, toNdjson(events));
    await post(`${receiver.url}/x`, toNdjson(events.slice(0, 1)));
    await receiver.close();
    await receiver.close(); // idempotent
    const again = await start();
    assert.equal(again.count(), 4);
    assert.equal(again.duplicates(), 1);
    assert.deepEqual(again.events(), events);
    const res = await post(`${again.url}/x`, toNdjson(events));
    assert.deepEqual(res.json(), { accepted: 0, duplicates: 4, rejected: 0, errors: [] });
  });

  test('waitForCount resolves once enough events are stored and rejects on timeout', async () => {
    const waiting = receiver.waitForCount(3);
    await post(`${receiver.url}/x`, toNdjson(sampleEvents()));
    await waiting;
    assert.equal(receiver.count(), 3);
    await receiver.waitForCount(2); // already there
    await assert.rejects(receiver.waitForCount(4, 1), /timed out after 1 ms waiting for 4 events \(have 3\)/);
  });

  test('startReceiver rejects when the port is taken', async () => {
    await assert.rejects(startReceiver({ db: join(dir, 'other.sqlite'), port: receiver.port }), /EADDRINUSE/);
  });
});

suite('receiver CLI: parseArgs', () => {
  test('parses flags with defaults', () => {
    assert.deepEqual(parseArgs(['--db', 'e.sqlite']), { kind: 'run', options: { port: 4318, host: '127.0.0.1', db: 'e.sqlite' } });
    assert.deepEqual(parseArgs(['--port', '0', '--db=e.sqlite', '--host', '0.0.0.0', '--token', 't', '--max-body-mb', '1.5']), {
      kind: 'run',
      options: { port: 0, host: '0.0.0.0', db: 'e.sqlite', token: 't', maxBodyBytes: 1572864 },
    });
    assert.deepEqual(parseArgs(['-h']), { kind: 'help' });
  });

  test('takes the token from WORKTRACE_RECEIVER_TOKEN unless --token is given', () => {
    const env = { WORKTRACE_RECEIVER_TOKEN: 'from-env' };
    const viaEnv = parseArgs(['--db', 'd'], env);
    assert.equal(viaEnv.kind === 'run' ? viaEnv.options.token : undefined, 'from-env');
    const viaFlag = parseArgs(['--db', 'd', '--token', 'flag'], env);
    assert.equal(viaFlag.kind === 'run' ? viaFlag.options.token : undefined, 'flag');
  });

  test('rejects bad arguments with a message', () => {
    const cases: [string[], RegExp][] = [
      [[], /missing --db/],
      [['--db'], /--db needs a value/],
      [['--db', 'd', '--port', '70000'], /--port needs a port number/],
      [['--db', 'd', '--port', 'x'], /--port needs a port number/],
      [['--db', 'd', '--max-body-mb', '0'], /--max-body-mb needs a positive number/],
      [['--db', 'd', '--bogus', '1'], /unknown option --bogus/],
      [['--db', 'd', 'extra'], /unexpected argument extra/],
      [['--db', 'd', '--db', 'e'], /given twice/],
      [['--db', 'd', '--token', 'a b'], /whitespace/],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseArgs(argv);
      assert.equal(parsed.kind, 'error', argv.join(' '));
      assert.match(parsed.kind === 'error' ? parsed.message : '', message, argv.join(' '));
    }
  });
});

suite('receiver CLI process', () => {
  let dir: string;
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-receiver-cli-'));
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('prints its URL, stores what it receives and stops cleanly on SIGTERM', async () => {
    const db = join(dir, 'cli.sqlite');
    const child = spawn(process.execPath, [CLI, '--port', '0', '--db', db, '--token', 'tok'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // 'close' (not 'exit'): stdout has been read to the end by then.
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const output: string[] = [];
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.on('line', (line) => {
          output.push(line);
          const m = /listening on (http:\/\/127\.0\.0\.1:[0-9]+) /.exec(line);
          if (m !== null) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`receiver exited with ${code}: ${output.join('\n')}`)));
      });
      const res = await post(`${url}/x`, toNdjson(sampleEvents('cli', 2)), { Authorization: 'Bearer tok', 'Idempotency-Key': 'b-7' });
      assert.equal(res.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.ok(output.some((l) => l === 'stored 2 events (0 duplicates) from session cli [ndjson, batch b-7]'), output.join('\n'));
    const reopened = await startReceiver({ db });
    try {
      assert.equal(reopened.count(), 2);
    } finally {
      await reopened.close();
    }
  });

  test('exits with 2 and the usage on bad arguments', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(code, 2);
    assert.match(stderr, /error: missing --db/);
    assert.match(stderr, /usage:/);
  });
});
