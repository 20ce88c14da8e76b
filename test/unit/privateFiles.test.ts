import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdirPrivate, tightenTree, writeFilePrivate } from '../../src/common/privateFs';
import { MemoryLogger } from '../../src/common/logger';
import type { Batch, Destination, SendOutcome } from '../../src/pipeline/destinations/destination';
import { FileDestination } from '../../src/pipeline/destinations/file';
import { Pipeline } from '../../src/pipeline/pipeline';
import { forgetRecent } from '../../src/pipeline/localData/forgetRecent';
import { TraceBuilder } from '../support/traceBuilder';

/** Every folder and file below `root` (root included) whose mode lets the group or others in. */
export async function looseEntries(root: string): Promise<string[]> {
  const loose: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const stats = await fs.lstat(path);
    if ((stats.mode & 0o077) !== 0) loose.push(`${path} ${(stats.mode & 0o777).toString(8)}`);
    if (stats.isDirectory()) for (const name of await fs.readdir(path)) await visit(join(path, name));
  };
  await visit(root);
  return loose;
}

/** Refuses the first batch (it goes to the failed folder), then passes the rest to the file destination. */
class RefuseOnce implements Destination {
  readonly kind = 'file';
  private refused = false;
  constructor(private readonly inner: FileDestination) {}
  get target(): string {
    return this.inner.target;
  }
  send(batch: Batch): Promise<SendOutcome> {
    if (!this.refused) {
      this.refused = true;
      return Promise.resolve({ kind: 'fail', status: 400, reason: 'HTTP 400: refused for the test' });
    }
    return this.inner.send(batch);
  }
}

suite('private files: folders 0700, files 0600, created that way', function () {
  let root: string;
  setup(() => {
    root = mkdtempSync(join(tmpdir(), 'worktrace-private-'));
  });
  teardown(() => rmSync(root, { recursive: true, force: true }));

  test('spool segments, acks, heartbeats, failed batches, trace files (plain and gzip) and rewritten trace files', async () => {
    const previous = process.umask(0o002); // a permissive umask: the modes must not depend on it
    try {
      const spool = join(root, 'storage', 'spool');
      const traces = join(root, 'traces');
      const pipeline = new Pipeline({ directory: spool, maxSpoolBytes: 64 * 1024 * 1024, maxBatchEvents: 5, flushIntervalMs: 50, writeIntervalMs: 5, idlePollMs: 20 }, new MemoryLogger());
      pipeline.setDestination(new RefuseOnce(new FileDestination({ directory: traces, gzip: false })));
      await pipeline.start();
      const b = new TraceBuilder('s-private');
      for (let i = 0; i < 20; i++) pipeline.write(b.stamp({ kind: 'doc.save', path: `f${i}.txt`, version: i + 1 }));
      await pipeline.drain();
      pipeline.setDestination(new FileDestination({ directory: traces, gzip: true }));
      for (let i = 0; i < 5; i++) pipeline.write(b.stamp({ kind: 'doc.save', path: `g${i}.txt`, version: i + 1 }));
      await pipeline.drain();
      await pipeline.shutdown();
      const failed = await fs.readdir(join(spool, 'failed'));
      assert.ok(failed.some((f) => f.endsWith('.records')), `a failed batch was written: ${failed.join(', ')}`);
      const written = await fs.readdir(traces);
      assert.ok(written.some((f) => f.endsWith('.ndjson')) && written.some((f) => f.endsWith('.ndjson.gz')), written.join(', '));
      await forgetRecent({ spoolDirectory: spool, traceDirectory: traces, sinceTs: b.ts - 30 });
      assert.deepEqual(await looseEntries(join(root, 'storage')), []);
      assert.deepEqual(await looseEntries(traces), []);
    } finally {
      process.umask(previous);
    }
  });

  test('the helpers create private folders and files', async () => {
    const previous = process.umask(0);
    try {
      await mkdirPrivate(join(root, 'a', 'b'));
      await writeFilePrivate(join(root, 'a', 'b', 'f'), 'x');
      assert.deepEqual(await looseEntries(join(root, 'a')), []);
    } finally {
      process.umask(previous);
    }
  });

  test('tightenTree fixes what earlier versions left readable, without following links', async () => {
    const old = join(root, 'old');
    await fs.mkdir(join(old, 'spool', 'segments'), { recursive: true, mode: 0o755 });
    await fs.writeFile(join(old, 'spool', 'segments', 'x.ready'), 'x', { mode: 0o644 });
    await fs.writeFile(join(old, 'trace.ndjson'), 'x', { mode: 0o666 });
    const outside = join(root, 'outside.txt');
    await fs.writeFile(outside, 'x', { mode: 0o644 });
    await fs.symlink(outside, join(old, 'link'));
    await fs.chmod(old, 0o755);
    const result = await tightenTree(old);
    assert.deepEqual(result, { folders: 3, files: 2 });
    assert.deepEqual((await looseEntries(old)).filter((e) => !e.includes('link')), []);
    assert.equal((await fs.stat(outside)).mode & 0o777, 0o644, 'the link target outside is left alone');
    assert.deepEqual(await tightenTree(join(root, 'missing')), { folders: 0, files: 0 });
  });
});
