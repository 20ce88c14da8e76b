import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFileName, loadWithCodeCache } from '../../src/startup/codeCache';
import { firstIdle } from '../../src/startup/firstIdle';

interface Bundle {
  answer(): number;
  helper: string;
  filename: string;
}

suite('start-up: the recorder bundle loaded with a V8 code cache', () => {
  let dir: string;
  let bundle: string;
  let cache: string;
  const write = (answer: number): void =>
    writeFileSync(bundle, `const helper = require('./helper.js');\nexports.answer = () => ${answer};\nexports.helper = helper.name;\nexports.filename = __filename;\n`);

  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-codecache-'));
    bundle = join(dir, 'dist', 'bundle.js');
    cache = join(dir, 'storage', 'code-cache');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'helper.js'), "exports.name = 'helper beside the bundle';\n");
    write(42);
  });
  teardown(() => rmSync(dir, { recursive: true, force: true }));

  test('the first load compiles and writes the cache; the next one uses it and returns the same module', async () => {
    const first = loadWithCodeCache<Bundle>(bundle, cache);
    assert.equal(first.cache, 'absent');
    assert.equal(first.exports.answer(), 42);
    assert.equal(first.exports.helper, 'helper beside the bundle', 'require resolves from the bundle’s folder');
    assert.equal(first.exports.filename, bundle);
    await first.saveCache();
    const files = readdirSync(cache);
    assert.equal(files.length, 1);
    assert.ok(statSync(join(cache, files[0])).size > 0);
    assert.equal(statSync(join(cache, files[0])).mode & 0o777, 0o600, 'the cache is private like every other file Worktrace writes');

    const second = loadWithCodeCache<Bundle>(bundle, cache);
    assert.equal(second.cache, 'used');
    assert.equal(second.exports.answer(), 42);
    await second.saveCache();
    assert.deepEqual(readdirSync(cache), files, 'an accepted cache is not written again');
  });

  test('a new build of the bundle gets a cache of its own and the old one is removed', async () => {
    await loadWithCodeCache<Bundle>(bundle, cache).saveCache();
    const old = readdirSync(cache);
    write(43);
    const rebuilt = loadWithCodeCache<Bundle>(bundle, cache);
    assert.equal(rebuilt.cache, 'absent');
    assert.equal(rebuilt.exports.answer(), 43);
    await rebuilt.saveCache();
    const now = readdirSync(cache);
    assert.equal(now.length, 1);
    assert.notDeepEqual(now, old);
    assert.equal(now[0], cacheFileName(bundle, readFileSync(bundle, 'utf8')));
  });

  test('a corrupt cache is rejected by V8, the bundle still loads, and the cache is written anew', async () => {
    const file = join(cache, cacheFileName(bundle, readFileSync(bundle, 'utf8')));
    mkdirSync(cache, { recursive: true });
    writeFileSync(file, Buffer.from('not a code cache at all, just bytes'));
    const loaded = loadWithCodeCache<Bundle>(bundle, cache);
    assert.equal(loaded.cache, 'rejected');
    assert.equal(loaded.exports.answer(), 42);
    await loaded.saveCache();
    assert.equal(loadWithCodeCache<Bundle>(bundle, cache).cache, 'used');
  });

  test('a cache that cannot be read is no reason not to load', () => {
    mkdirSync(join(cache, cacheFileName(bundle, readFileSync(bundle, 'utf8'))), { recursive: true });
    const loaded = loadWithCodeCache<Bundle>(bundle, cache);
    assert.equal(loaded.cache, 'unreadable');
    assert.equal(loaded.exports.answer(), 42);
  });

  test('an error in the bundle itself is not swallowed', () => {
    writeFileSync(bundle, "throw new Error('broken bundle');\n");
    assert.throws(() => loadWithCodeCache(bundle, cache), /broken bundle/);
  });
});

suite('start-up: the first quiet moment', () => {
  test('comes on a loop with nothing to do, long before the cap', async () => {
    let capped = false;
    const cap = setTimeout(() => (capped = true), 30_000);
    await firstIdle({ frameMs: 1, maxMs: 30_000 });
    clearTimeout(cap);
    assert.equal(capped, false);
  });

  test('comes after the cap on a loop that is never quiet', async () => {
    // Every turn of the loop blocks for longer than the probe's slack, so no probe is on time.
    let busy = true;
    const block = (): void => {
      const until = Date.now() + 8;
      while (Date.now() < until) {
        // busy
      }
      if (busy) setImmediate(block);
    };
    setImmediate(block);
    let stillBusy: boolean | undefined;
    await firstIdle({ frameMs: 1, slackMs: 0, maxMs: 60 }).then(() => (stillBusy = busy));
    busy = false;
    assert.equal(stillBusy, true, 'it resolved while the loop was still busy: the cap, not a quiet moment');
  });
});
