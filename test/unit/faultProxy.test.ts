import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startReceiver, type Receiver } from '../../src/receiver/receiver';
import type { TraceEvent } from '../../src/trace/events';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { TraceBuilder, toNdjson } from '../support/traceBuilder';

function batch(n = 3, session = 'proxy-session'): TraceEvent[] {
  const b = new TraceBuilder(session);
  return Array.from({ length: n }, (_, i) => b.open(`f${i}.ts`, `text ${i}\n`));
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Sends a batch as the http destination would; resolves with the answer. */
async function send(url: string, body: string | Buffer, init: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer> {
  const res = await fetch(`${url}/ingest`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-ndjson', 'Idempotency-Key': 'batch-1', ...init.headers },
    ...(init.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(init.timeoutMs) }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The failure a client sees: the error's name and its cause's code (fetch wraps network errors in a TypeError). */
async function failure(promise: Promise<unknown>): Promise<{ name: string; code: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    const cause = error.cause as { code?: string } | undefined;
    return { name: error.name, code: cause?.code };
  }
  assert.fail('expected the request to fail');
}

suite('fault proxy', () => {
  let dir: string;
  let receiver: Receiver;
  let proxy: FaultProxy;

  setup(async () => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-proxy-'));
    receiver = await startReceiver({ db: join(dir, 'events.sqlite') });
    proxy = await startFaultProxy({ target: receiver.url });
  });
  teardown(async () => {
    await proxy.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('forward: relays the request unchanged and the answer', async () => {
    const events = batch();
    assert.equal(proxy.url, `http://127.0.0.1:${proxy.port}`);
    const res = await send(proxy.url, gzipSync(toNdjson(events)), { headers: { 'Content-Encoding': 'gzip', 'Idempotency-Key': 'key-42' } });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { accepted: 3, duplicates: 0, rejected: 0, errors: [] });
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(receiver.events(), events);
    assert.equal(proxy.requests, 1);
    assert.equal(proxy.forwarded, 1);
    assert.equal(proxy.seen[0].method, 'POST');
    assert.equal(proxy.seen[0].url, '/ingest');
    assert.equal(proxy.seen[0].headers['idempotency-key'], 'key-42');
    assert.equal(proxy.seen[0].behaviour, 'forward');
    const health = await fetch(`${proxy.url}/healthz`);
    assert.equal(await health.text(), 'ok');
  });

  test('status: answers without forwarding, with Retry-After and body when given', async () => {
    proxy.script([
      { type: 'status', status: 503, retryAfter: '2' },
      { type: 'status', status: 429, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' },
      { type: 'status', status: 500 },
      { type: 'status', status: 400, body: 'bad batch' },
    ]);
    const body = toNdjson(batch());
    const unavailable = await send(proxy.url, body);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '2');
    assert.deepEqual(JSON.parse(unavailable.text), { error: 'fault proxy: injected 503' });
    const tooMany = await send(proxy.url, body);
    assert.equal(tooMany.status, 429);
    assert.equal(tooMany.headers.get('retry-after'), 'Wed, 21 Oct 2015 07:28:00 GMT');
    const failed = await send(proxy.url, body);
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get('retry-after'), null);
    const bad = await send(proxy.url, body);
    assert.equal(bad.status, 400);
    assert.equal(bad.text, 'bad batch');
    assert.match(bad.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(proxy.requests, 4);
    assert.equal(proxy.forwarded, 0);
    assert.equal(receiver.count(), 0);
  });

  test('slow: forwards after the delay; the answer arrives when the client waits long enough', async () => {
    proxy.script([{ type: 'slow', delayMs: 20 }]);
    const res = await send(proxy.url, toNdjson(batch()));
    assert.equal(res.status, 200);
    assert.equal(receiver.count(), 3);
  });

  test('slow: a client timeout shorter than the delay fails, yet the request still reaches the target later', async () => {
    proxy.script([{ type: 'slow', delayMs: 300 }]);
    const events = batch();
    const seen = await failure(send(proxy.url, toNdjson(events), { timeoutMs: 30 }));
    assert.equal(seen.name, 'TimeoutError');
    assert.equal(proxy.forwarded, 0);
    await proxy.waitForForwarded(1);
    assert.deepEqual(receiver.ids(), events.map((e) => e.id));
  });

  test("slow then 'hang': never answers; close() destroys the socket", async () => {
    proxy.script([{ type: 'slow', delayMs: 1, then: 'hang' }, { type: 'slow', delayMs: 1, then: 'hang' }]);
    const timedOut = await failure(send(proxy.url, toNdjson(batch()), { timeoutMs: 50 }));
    assert.equal(timedOut.name, 'TimeoutError');
    const hanging = send(proxy.url, toNdjson(batch()));
    const outcome = failure(hanging);
    await proxy.waitForRequests(2);
    await proxy.close();
    const closed = await outcome;
    assert.equal(closed.name, 'TypeError');
    assert.ok(closed.code === 'ECONNRESET' || closed.code === 'UND_ERR_SOCKET', String(closed.code));
    assert.equal(proxy.forwarded, 0);
    assert.equal(receiver.count(), 0);
  });

  test('reset: the client sees ECONNRESET, with or without part of the body read', async () => {
    proxy.script([{ type: 'reset' }, { type: 'reset', afterBytes: 100 }]);
    const first = await failure(send(proxy.url, toNdjson(batch())));
    assert.deepEqual(first, { name: 'TypeError', code: 'ECONNRESET' });
    const big = toNdjson(batch(200));
    const second = await failure(send(proxy.url, big));
    assert.deepEqual(second, { name: 'TypeError', code: 'ECONNRESET' });
    assert.equal(proxy.forwarded, 0);
    assert.equal(receiver.count(), 0);
    const after = await send(proxy.url, big);
    assert.equal(after.status, 200, 'the default behaviour forwards again');
  });

  test('forward-then-reset: the target stores the batch, the client sees an error, a retry is deduplicated', async () => {
    proxy.script([{ type: 'forward-then-reset' }]);
    const events = batch(5);
    const body = toNdjson(events);
    const seen = await failure(send(proxy.url, body));
    assert.deepEqual(seen, { name: 'TypeError', code: 'ECONNRESET' });
    assert.equal(proxy.forwarded, 1);
    assert.equal(receiver.count(), 5);
    const retry = await send(proxy.url, body);
    assert.equal(retry.status, 200);
    assert.deepEqual(JSON.parse(retry.text), { accepted: 0, duplicates: 5, rejected: 0, errors: [] });
    assert.equal(receiver.count(), 5);
    assert.equal(receiver.duplicates(), 5);
    assert.deepEqual(receiver.events(), events);
  });

  test('down: connections are refused; up: the same port works again', async () => {
    const port = proxy.port;
    await proxy.down();
    await proxy.down(); // idempotent
    const refused = await failure(send(proxy.url, toNdjson(batch())));
    assert.deepEqual(refused, { name: 'TypeError', code: 'ECONNREFUSED' });
    await proxy.up();
    assert.equal(proxy.port, port);
    const res = await send(proxy.url, toNdjson(batch()));
    assert.equal(res.status, 200);
    assert.equal(proxy.requests, 1, 'a refused connection is no request');
  });

  test('consumes scripted behaviours in order, then uses the default', async () => {
    proxy.script([{ type: 'status', status: 500 }, { type: 'status', status: 503 }]);
    proxy.script([{ type: 'forward' }]);
    proxy.setDefault({ type: 'status', status: 429, retryAfter: '1' });
    assert.equal(proxy.pending(), 3);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await send(proxy.url, toNdjson(batch()))).status);
    }
    assert.deepEqual(statuses, [500, 503, 200, 429, 429]);
    assert.equal(proxy.pending(), 0);
    assert.deepEqual(
      proxy.seen.map((s) => s.behaviour),
      ['status', 'status', 'forward', 'status', 'status'],
    );
    assert.equal(proxy.requests, 5);
    assert.equal(proxy.forwarded, 1);
    assert.equal(receiver.count(), 3);
  });

  test('answers 502 when the target is unreachable', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const orphan = await startFaultProxy({ target: `http://127.0.0.1:${free}` });
    try {
      const res = await send(orphan.url, toNdjson(batch()));
      assert.equal(res.status, 502);
      assert.match((JSON.parse(res.text) as { error: string }).error, /target unreachable.*ECONNREFUSED/);
      assert.equal(orphan.forwarded, 0);
    } finally {
      await orphan.close();
    }
  });

  test('close is idempotent and refuses later connections; waiters reject', async () => {
    const waiting = proxy.waitForRequests(1);
    const rejected = assert.rejects(waiting, /fault proxy closed/);
    await proxy.close();
    await proxy.close();
    await rejected;
    const refused = await failure(send(proxy.url, toNdjson(batch())));
    assert.equal(refused.code, 'ECONNREFUSED');
  });
});
