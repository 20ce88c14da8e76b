/**
 * Fault tests of the delivery pipeline, with real processes and real sockets on
 * 127.0.0.1: a child process owns the pipeline (test/support/pipelineChild.ts), the
 * reference receiver stores what arrives, and a fault-injecting proxy between them
 * scripts the misbehaviour. Each test asserts that every event the pipeline accepted
 * (fsync'd into the spool) is stored by the receiver exactly once, apart from drops
 * that are counted exactly.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSegment, encodeRecord } from '../../src/pipeline/records';
import { startReceiver, type Receiver } from '../../src/receiver/receiver';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import type { ChildConfig } from '../support/pipelineChild';

const CHILD = join(__dirname, '..', 'support', 'pipelineChild.js');

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  done?: { produced: number; dropped: Record<string, number>; delivered: number; failedBatches: number; pending: number };
  stderr: string;
}

interface Running {
  result: Promise<ChildResult>;
  kill(): void;
}

function startChild(config: ChildConfig): Running {
  const child = spawn(process.execPath, [CHILD], { env: { ...process.env, WORKTRACE_CHILD: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      resolve({ code, signal, stderr, ...(line ? { done: JSON.parse(line) as ChildResult['done'] } : {}) });
    });
  });
  return { result, kill: () => child.kill('SIGKILL') };
}

async function runChild(config: ChildConfig): Promise<ChildResult> {
  const result = await startChild(config).result;
  assert.equal(result.code, 0, `child exited with ${result.code}: ${result.stderr}`);
  return result;
}

function accepted(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

suite('delivery under faults (real processes and sockets)', function () {
  this.timeout(120_000);
  let dir: string;
  let receiver: Receiver;
  let proxy: FaultProxy;
  let base: Pick<ChildConfig, 'spool' | 'url' | 'accepted' | 'kind'>;

  setup(async () => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-faults-'));
    receiver = await startReceiver({ db: join(dir, 'receiver.db') });
    proxy = await startFaultProxy({ target: receiver.url });
    base = { spool: join(dir, 'spool'), url: `${proxy.url}/ingest`, accepted: join(dir, 'accepted.log'), kind: 'http' };
  });

  teardown(async () => {
    await proxy.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every accepted event stored exactly once; nothing stored that was not produced. */
  function assertAllStored(expected: readonly string[]): void {
    const stored = new Set(receiver.ids());
    const missing = expected.filter((id) => !stored.has(id));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} accepted event(s) missing`);
    assert.equal(receiver.ids().length, stored.size, 'stored once each');
  }

  test('endpoint down at start, then up', async () => {
    await proxy.down();
    const child = startChild({ ...base, events: 3000 });
    // Wait until everything is accepted (on disk) while the endpoint is down.
    for (let tries = 0; accepted(base.accepted).length < 3000 && tries < 600; tries++) {
      await new Promise((r) => setTimeout(r, 50)); // polling a file another process writes
    }
    assert.equal(receiver.count(), 0);
    await proxy.up();
    const result = await child.result;
    assert.equal(result.code, 0, result.stderr);
    assertAllStored(accepted(base.accepted));
    assert.equal(receiver.count(), 3000);
  });

  test('endpoint going down mid-stream, then back', async () => {
    const child = startChild({ ...base, events: 6000, burst: 20 });
    await receiver.waitForCount(500, 30_000);
    await proxy.down();
    await new Promise((r) => setTimeout(r, 300)); // the outage lasts a while
    await proxy.up();
    const result = await child.result;
    assert.equal(result.code, 0, result.stderr);
    assertAllStored(accepted(base.accepted));
    assert.equal(receiver.count(), 6000);
  });

  test('500, 503 and 429 storms, with and without Retry-After', async () => {
    proxy.script([
      ...Array.from({ length: 6 }, () => ({ type: 'status' as const, status: 500 })),
      ...Array.from({ length: 4 }, () => ({ type: 'status' as const, status: 503, retryAfter: '1' })),
      ...Array.from({ length: 6 }, () => ({ type: 'status' as const, status: 429 })),
      { type: 'status' as const, status: 429, retryAfter: new Date(Date.now() + 500).toUTCString() },
      ...Array.from({ length: 4 }, () => ({ type: 'status' as const, status: 503 })),
    ]);
    await runChild({ ...base, events: 2000 });
    assertAllStored(accepted(base.accepted));
    assert.equal(receiver.count(), 2000);
    assert.ok(proxy.requests >= 21 + 10, `every scripted failure was answered and retried (${proxy.requests} requests)`);
  });

  test('answers slower than the timeout, and connections reset mid-request', async () => {
    proxy.script([
      { type: 'slow', delayMs: 800, then: 'forward' },
      { type: 'reset', afterBytes: 100 },
      { type: 'slow', delayMs: 800, then: 'hang' },
      { type: 'forward-then-reset' },
      { type: 'reset' },
      { type: 'forward-then-reset' },
    ]);
    await runChild({ ...base, events: 1500, timeoutMs: 300 });
    assertAllStored(accepted(base.accepted));
    assert.equal(receiver.count(), 1500);
    assert.ok(receiver.duplicates() >= 2, `batches stored before a reset were sent again and deduplicated (${receiver.duplicates()})`);
  });

  test('a 400 answer moves that batch to the failed folder and blocks nothing else; retryFailed sends it', async () => {
    proxy.script([{ type: 'forward' }, { type: 'status', status: 400, body: 'schema rejected: test' }]);
    const result = await runChild({ ...base, events: 1000, maxBatchEvents: 100 });
    assert.equal(result.done?.failedBatches, 1);
    const failedDir = join(base.spool, 'failed');
    const files = await fs.readdir(failedDir);
    const records = files.filter((f) => f.endsWith('.records'));
    assert.equal(records.length, 1);
    const info = JSON.parse(readFileSync(join(failedDir, records[0].replace(/\.records$/, '.json')), 'utf8')) as { status: number; reason: string };
    assert.equal(info.status, 400);
    assert.match(info.reason, /schema rejected: test/);
    const failedIds = decodeSegment(readFileSync(join(failedDir, records[0]))).lines.map((l) => (JSON.parse(l) as { id: string }).id);
    assert.equal(failedIds.length, 100);
    const all = accepted(base.accepted);
    assert.equal(receiver.count(), all.length - 100, 'everything but the refused batch arrived');
    assert.ok(failedIds.every((id) => !receiver.ids().includes(id)));
    await runChild({ ...base, events: 0, retryFailed: true });
    assertAllStored(all);
  });

  test('SIGKILL at random moments while writing and flushing (25 trials), then restart', async () => {
    const trials = 25;
    for (let trial = 0; trial < trials; trial++) {
      if (trial % 5 === 2) {
        await proxy.down(); // some kills land while batches wait for an endpoint that is down
      } else {
        await proxy.up();
      }
      const child = startChild({ ...base, events: -1, burst: 30 });
      const before = accepted(base.accepted).length;
      // Kill only after this process accepted something, at a random moment after that.
      for (let tries = 0; accepted(base.accepted).length === before && tries < 400; tries++) {
        await new Promise((r) => setTimeout(r, 5)); // polling a file another process writes
      }
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
      child.kill();
      const result = await child.result;
      assert.equal(result.signal, 'SIGKILL');
    }
    await proxy.up();
    await runChild({ ...base, events: 0 });
    const all = accepted(base.accepted);
    assert.ok(all.length > trials * 30, `events were accepted in every trial (${all.length})`);
    assertAllStored(all);
  });

  test('truncated and corrupted spool segments: read up to the damage, the rest skipped and counted', async () => {
    await runChild({ ...base, events: 900, burst: 3, maxBatchEvents: 300, persistOnly: true, url: 'http://127.0.0.1:9/unused' });
    const segments = join(base.spool, 'segments');
    // Two segments with enough records to damage in the middle.
    const ready = (await fs.readdir(segments)).filter((f) => f.endsWith('.ready') && Number(/\.r(\d+)\./.exec(f)?.[1]) >= 50).sort();
    assert.ok(ready.length >= 2, `several segments (${ready.length})`);
    // Truncate the first in the middle of a record; corrupt one byte of a record in the second.
    const first = join(segments, ready[0]);
    const firstData = readFileSync(first);
    const firstLines = decodeSegment(firstData).lines;
    const keepFirst = Buffer.byteLength(firstLines.slice(0, 10).map(encodeRecord).join(''), 'utf8') + 15;
    await fs.truncate(first, keepFirst);
    const second = join(segments, ready[1]);
    const secondData = readFileSync(second);
    const secondLines = decodeSegment(secondData).lines;
    const at = Buffer.byteLength(secondLines.slice(0, 20).map(encodeRecord).join(''), 'utf8') + 30;
    secondData[at] = secondData[at] === 0x61 ? 0x62 : 0x61;
    await fs.writeFile(second, secondData);
    const result = await runChild({ ...base, events: 0 });
    const lost = firstLines.length - 10 + (secondLines.length - 20);
    assert.equal(result.done?.dropped.corrupt, lost, 'every skipped record is counted');
    assert.equal(receiver.count(), accepted(base.accepted).length - lost);
    const stored = new Set(receiver.ids());
    const expected = [...firstLines.slice(0, 10), ...secondLines.slice(0, 20)].map((l) => (JSON.parse(l) as { id: string }).id);
    assert.ok(expected.every((id) => stored.has(id)), 'records before the damage were delivered');
  });

  test('the spool cap reached while the endpoint is down: the oldest are dropped, the count is exact', async () => {
    await proxy.down();
    const result = await runChild({ ...base, events: 20_000, maxBatchEvents: 1000, maxSpoolBytes: 1 * 1024 * 1024, persistOnly: true });
    const dropped = result.done?.dropped['spool-full'] ?? 0;
    assert.ok(dropped > 0, 'the cap was reached');
    await proxy.up();
    await runChild({ ...base, events: 0, maxSpoolBytes: 1 * 1024 * 1024 });
    const all = accepted(base.accepted);
    assert.equal(receiver.count() + dropped, all.length, 'stored + dropped = accepted, exactly');
    const stored = new Set(receiver.ids());
    const missing = all.map((id, i) => (stored.has(id) ? -1 : i)).filter((i) => i >= 0);
    assert.equal(missing.length, dropped);
    // Dropped are the oldest unsent segments (the one in flight to the dead endpoint excepted).
    assert.ok(missing.every((i) => i < all.length - 2000), 'none of the newest events was dropped');
  });

  test('two processes sharing one spool folder: every event stored, no segment sent twice', async () => {
    const a = startChild({ ...base, events: 4000, burst: 25, accepted: join(dir, 'a.log') });
    const b = startChild({ ...base, events: 4000, burst: 25, accepted: join(dir, 'b.log') });
    const [ra, rb] = await Promise.all([a.result, b.result]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    const all = [...accepted(join(dir, 'a.log')), ...accepted(join(dir, 'b.log'))];
    assert.equal(all.length, 8000);
    assertAllStored(all);
    assert.equal(receiver.duplicates(), 0, 'exactly one process sent each segment');
  });

  test('OTLP destination: a 503 storm and a reset, everything stored once', async () => {
    proxy.script([{ type: 'status', status: 503 }, { type: 'status', status: 503 }, { type: 'forward-then-reset' }, { type: 'status', status: 502 }]);
    await runChild({ ...base, kind: 'otlp', url: proxy.url, events: 1500 });
    assertAllStored(accepted(base.accepted));
    assert.equal(receiver.count(), 1500);
  });
});
