import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentStore, EVICT_TO } from '../../../src/disk/contentStore';

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const kb = (fill: string, n = 1024): Buffer => Buffer.alloc(n, fill);

async function walk(dir: string, out: { path: string; dir: boolean; mode: number }[] = []): Promise<typeof out> {
  for (const name of await fs.readdir(dir)) {
    const path = join(dir, name);
    const st = await fs.lstat(path);
    out.push({ path, dir: st.isDirectory(), mode: st.mode & 0o777 });
    if (st.isDirectory()) await walk(path, out);
  }
  return out;
}

suite('disk/ContentStore', function () {
  this.timeout(30_000); // creating files costs 1–3 ms each on the CI machines' disks
  let dir: string;
  let root: string;
  const open: ContentStore[] = [];
  const openStore = async (cap?: number, cacheBuckets?: number): Promise<ContentStore> => {
    const s = await ContentStore.open(root, cap, cacheBuckets === undefined ? {} : { cacheBuckets });
    open.push(s);
    return s;
  };

  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-store-'));
    root = join(dir, 'store');
  });
  teardown(async () => {
    for (const s of open.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('put returns the SHA-256 of the bytes; get gives them back; hashOf tells the hash', async () => {
    const s = await openStore();
    const bytes = Buffer.from('const a = 1;\r\n😀\n', 'utf8');
    assert.equal(await s.put('src/a.ts', bytes), sha(bytes));
    assert.deepEqual(await s.get('src/a.ts'), bytes);
    assert.equal(await s.hashOf('src/a.ts'), sha(bytes));
    assert.equal(await s.get('src/b.ts'), undefined);
    assert.equal(await s.hashOf('src/b.ts'), undefined);
    assert.deepEqual(s.stats(), { bytes: bytes.length, objects: 1, evictions: 0 });
  });

  test('a text is kept as its UTF-8 bytes, the same object as those bytes put as bytes', async () => {
    const s = await openStore();
    const text = 'const a = 1;\r\n😀 é\n';
    const bytes = Buffer.from(text, 'utf8');
    assert.equal(await s.put('src/a.ts', text), sha(bytes));
    assert.deepEqual(await s.get('src/a.ts'), bytes);
    assert.equal(await s.put('src/b.ts', bytes), sha(bytes));
    assert.deepEqual(s.stats(), { bytes: bytes.length, objects: 1, evictions: 0 });
  });

  test('puts of texts run in order with the other operations: the last one put wins', async () => {
    const s = await openStore();
    const puts = [s.put('a', 'one'), s.put('a', Buffer.from('two')), s.put('a', 'three')];
    const forgotten = s.forget('b');
    await Promise.all([...puts, forgotten]);
    assert.deepEqual(await s.get('a'), Buffer.from('three'));
    assert.deepEqual(s.stats(), { bytes: 5, objects: 1, evictions: 0 });
  });

  test('a new content for a path deletes its previous object; forget deletes it too', async () => {
    const s = await openStore();
    await s.put('a', kb('x'));
    await s.put('a', kb('y', 10));
    assert.deepEqual(s.stats(), { bytes: 10, objects: 1, evictions: 0 });
    assert.deepEqual(await s.get('a'), kb('y', 10));
    await s.forget('a');
    assert.equal(await s.get('a'), undefined);
    assert.equal(await s.hashOf('a'), undefined);
    assert.deepEqual(s.stats(), { bytes: 0, objects: 0, evictions: 0 });
  });

  test('forgetAll forgets many paths in one operation: the others stay, objects go unless shared, hash-only paths too', async () => {
    const s = await openStore(undefined, 1); // one cached mapping file: every bucket is read from disk
    const paths = Array.from({ length: 600 }, (_, i) => `src/many/file${i}.ts`);
    for (const [i, p] of paths.entries()) await s.put(p, Buffer.from(`content ${i}`));
    await s.put('kept.ts', Buffer.from('content 0')); // shares file0's object
    await s.putHash('image.png', sha('png'));
    await s.forgetAll([...paths.slice(0, 500), 'image.png', 'never-seen.ts']);
    for (const p of paths.slice(0, 500)) assert.equal(await s.hashOf(p), undefined, p);
    for (const [i, p] of paths.slice(500).entries()) assert.deepEqual(await s.get(p), Buffer.from(`content ${i + 500}`));
    assert.equal(await s.hashOf('image.png'), undefined);
    assert.deepEqual(await s.get('kept.ts'), Buffer.from('content 0'));
    assert.equal(s.stats().objects, 101); // 100 left + the shared one
    await s.close();
    const again = await openStore();
    assert.equal(await again.hashOf(paths[0]), undefined);
    assert.deepEqual(await again.get(paths[599]), Buffer.from('content 599'));
  });

  test('clear forgets every path and object (capture resumed: a fresh snapshot for every file)', async () => {
    const s = await openStore();
    await s.put('a', kb('x'));
    await s.put('b', kb('y', 10));
    await s.clear();
    assert.equal(await s.get('a'), undefined);
    assert.equal(await s.hashOf('b'), undefined);
    assert.deepEqual(s.stats(), { bytes: 0, objects: 0, evictions: 0 });
    await s.put('a', kb('z', 5));
    assert.deepEqual(await s.get('a'), kb('z', 5));
  });

  test('identical content of two paths is one object, kept while the other path still holds it', async () => {
    const s = await openStore();
    await s.put('a', kb('x'));
    await s.put('b', kb('x'));
    assert.equal(s.stats().objects, 1);
    await s.put('a', kb('z'));
    assert.deepEqual(await s.get('b'), kb('x'));
    assert.deepEqual(await s.get('a'), kb('z'));
    assert.equal(s.stats().objects, 2);
  });

  test('putHash records the hash only: get is unknown, hashOf tells it, and the kept content is released', async () => {
    const s = await openStore();
    await s.put('img.png', kb('t'));
    const h = sha('binary');
    await s.putHash('img.png', h);
    assert.equal(await s.get('img.png'), undefined);
    assert.equal(await s.hashOf('img.png'), h);
    assert.equal(s.stats().objects, 0);
    await assert.rejects(s.putHash('x', 'not-a-hash'), TypeError);
  });

  test('survives a restart: mapping, content and counts come back', async () => {
    const s = await openStore();
    await s.put('a', kb('a', 100));
    await s.put('dir/b', kb('b', 200));
    await s.putHash('c', sha('c'));
    await s.close();
    const t = await openStore();
    assert.deepEqual(t.stats(), { bytes: 300, objects: 2, evictions: 0 });
    assert.deepEqual(await t.get('a'), kb('a', 100));
    assert.deepEqual(await t.get('dir/b'), kb('b', 200));
    assert.equal(await t.hashOf('c'), sha('c'));
  });

  test('over the cap, least recently used objects are evicted down to 90 % in one pass', async () => {
    const cap = 10 * 1024;
    const s = await openStore(cap);
    const names = 'abcdefghij'.split('');
    for (const n of names) await s.put(n, kb(n));
    assert.deepEqual(s.stats(), { bytes: cap, objects: 10, evictions: 0 });
    assert.ok(await s.get('a')); // a becomes the most recently used
    await s.put('k', kb('k')); // 11 KB > 10 KB: evict down to ≤ 9 KB
    const stats = s.stats();
    assert.equal(stats.evictions, 2);
    assert.ok(stats.bytes <= cap * EVICT_TO);
    assert.equal(stats.objects, 9);
    assert.equal(await s.get('b'), undefined, 'least recently used');
    assert.equal(await s.get('c'), undefined, 'second least recently used');
    for (const n of ['a', 'd', 'j', 'k']) assert.deepEqual(await s.get(n), kb(n), n);
    assert.equal(await s.hashOf('c'), undefined, 'the mapping of an evicted path is dropped with it');
    assert.equal(await s.hashOf('d'), sha(kb('d')));
  });

  test('LRU order survives a restart; a smaller cap evicts on open', async () => {
    const s = await openStore(100 * 1024);
    for (const n of 'abcde') await s.put(n, kb(n));
    assert.ok(await s.get('a'));
    await s.close();
    const t = await openStore(3 * 1024); // 5 KB kept, cap 3 KB: down to ≤ 2.7 KB → 2 objects remain
    assert.deepEqual(t.stats(), { bytes: 2048, objects: 2, evictions: 3 });
    assert.deepEqual(await t.get('a'), kb('a'));
    assert.deepEqual(await t.get('e'), kb('e'));
    assert.equal(await t.get('b'), undefined);
  });

  test('content over 90 % of the cap is not kept (the path is forgotten)', async () => {
    const s = await openStore(1000);
    await s.put('big', kb('b', 100));
    assert.equal(await s.put('big', kb('x', 950)), sha(kb('x', 950)));
    assert.equal(await s.get('big'), undefined);
    assert.equal(await s.hashOf('big'), undefined);
    assert.deepEqual(s.stats(), { bytes: 0, objects: 0, evictions: 0 });
  });

  test('an object torn by a crash (shorter than its content) is written again by the next put of that content', async () => {
    const s = await openStore();
    await s.put('a', kb('a', 100));
    const file = join(root, 'objects', sha(kb('a', 100)).slice(0, 2), sha(kb('a', 100)));
    await fs.truncate(file, 10);
    await s.put('b', kb('a', 100));
    assert.deepEqual(await s.get('a'), kb('a', 100));
    assert.deepEqual(await s.get('b'), kb('a', 100));
  });

  test('a corrupt, truncated or missing object is unknown content, never an error', async () => {
    const s = await openStore();
    const files = { corrupt: kb('c', 50), truncated: kb('t', 50), missing: kb('m', 50) };
    for (const [p, b] of Object.entries(files)) await s.put(p, b);
    const object = (b: Buffer): string => join(root, 'objects', sha(b).slice(0, 2), sha(b));
    await fs.writeFile(object(files.corrupt), kb('X', 50));
    await fs.truncate(object(files.truncated), 10);
    await fs.unlink(object(files.missing));
    for (const p of Object.keys(files)) {
      assert.equal(await s.get(p), undefined, p);
      assert.equal(await s.hashOf(p), undefined, `${p}: mapping removed`);
    }
    // and the store goes on working
    await s.put('corrupt', files.corrupt);
    assert.deepEqual(await s.get('corrupt'), files.corrupt);
  });

  test('a damaged or torn mapping file loses only its unreadable lines', async () => {
    const s = await openStore();
    // two paths whose keys fall in one mapping file
    const names: string[] = [];
    const bucket = sha('p0').slice(0, 2);
    for (let i = 0; names.length < 3; i++) if (sha(`p${i}`).startsWith(bucket)) names.push(`p${i}`);
    for (const n of names) await s.put(n, kb(n));
    await s.close();
    const file = join(root, 'paths', bucket);
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    const damaged = lines.findIndex((l) => l.startsWith(sha(names[1])));
    lines[damaged] = lines[damaged].slice(0, 70); // torn in the middle of the line
    await fs.writeFile(file, lines.join('\n'));
    const t = await openStore();
    assert.deepEqual(await t.get(names[0]), kb(names[0]));
    assert.equal(await t.hashOf(names[1]), undefined);
    assert.equal(await t.get(names[1]), undefined);
    assert.deepEqual(await t.get(names[2]), kb(names[2]));
    await t.close();
    await fs.writeFile(file, 'garbage');
    const u = await openStore();
    for (const n of names) assert.equal(await u.get(n), undefined);
    await u.put(names[0], kb('x'));
    assert.deepEqual(await u.get(names[0]), kb('x'));
  });

  test('the mapping lives in at most 256 files; the in-memory cache stays bounded; lookups beyond it read the disk', async () => {
    const s = await openStore(undefined, 2);
    for (let i = 0; i < 1000; i++) await s.put(`f${i}`, Buffer.from(`content ${i}`));
    assert.ok(s.cached.buckets <= 2);
    assert.ok(s.cached.mappings < 40, String(s.cached.mappings));
    for (let i = 0; i < 1000; i += 7) assert.equal((await s.get(`f${i}`))?.toString(), `content ${i}`);
    assert.ok(s.cached.buckets <= 2);
    assert.ok((await fs.readdir(join(root, 'paths'))).length <= 256);
  });

  test('every folder is 0700 and every file 0600; file names reveal no path', async () => {
    const s = await openStore();
    await s.put('src/secret-name.ts', kb('a'));
    await s.put('b', kb('a'));
    await s.putHash('c', sha('c'));
    const entries = await walk(root);
    assert.ok(entries.filter((e) => !e.dir).length >= 5);
    for (const e of entries) assert.equal(e.mode, e.dir ? 0o700 : 0o600, e.path);
    assert.equal((await fs.stat(root)).mode & 0o777, 0o700);
    assert.ok(entries.every((e) => !e.path.includes('secret-name')));
  });

  test('a root of another format is emptied', async () => {
    const s = await openStore();
    await s.put('a', kb('a'));
    await s.close();
    const t = await openStore();
    assert.deepEqual(await t.get('a'), kb('a'));
    await t.close();
    await fs.writeFile(join(root, 'format'), 'something else 9\n');
    const u = await openStore();
    assert.equal(await u.get('a'), undefined);
    assert.deepEqual(u.stats(), { bytes: 0, objects: 0, evictions: 0 });
  });

  test('operations after close do nothing', async () => {
    const s = await openStore();
    await s.put('a', kb('a'));
    await s.close();
    assert.equal(await s.get('a'), undefined);
    assert.equal(await s.put('b', kb('b')), sha(kb('b')));
    assert.equal(await s.put('c', 'text'), sha('text'));
    const t = await openStore();
    assert.equal(await t.hashOf('b'), undefined);
  });
});
