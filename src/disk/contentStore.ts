/**
 * The last known content of workspace files, kept on disk so that a change made by a tool
 * can be diffed against it (`file.change`). Plain Node.
 *
 * Layout under the root the caller gives (folders 0700, files 0600, created that way):
 *
 *     format                     "worktrace-content-store 1"
 *     objects/ab/<sha256>        the bytes, named by the SHA-256 of the bytes
 *     objects/ab/<sha256>.shared an empty marker: more than one path has held this object
 *     paths/cd                   the mapping of the paths whose key (SHA-256 of the path)
 *                                starts with "cd": one line per path, "<key> <sha256> <size>"
 *                                (content kept) or "<key> <sha256> <size> -" (hash only: binary
 *                                or too large); 256 such files at most, rewritten in place;
 *                                no file name or line reveals a path
 *
 * Memory: the path → hash mapping lives on disk; in memory there are only the parsed mapping
 * files most recently used (`cacheBuckets`, default 16, each about 1/256 of the known paths)
 * and a few counters.
 *
 * Size: the objects' bytes are capped (`capBytes`, default 256 MB). When a put goes over the
 * cap, one pass lists the objects and deletes the least recently used (the modification time
 * of an object is set on every get and put) until the total is at most 90 % of the cap, then
 * drops the mapping lines of what it deleted: those paths are unknown (the caller records a
 * fresh snapshot). The mapping files hold about 140 bytes per known path.
 *
 * When a path gets new content, its previous object is deleted at once unless another path
 * has held it too (marked `.shared`: identical files); shared objects go by LRU. An object
 * that vanished otherwise is found out by get(), which then drops the path's mapping, while
 * hashOf() still tells the hash until then (an unchanged file stays unchanged).
 *
 * Integrity: an object is verified against its name on every read, and a mapping against its
 * format; a corrupt, truncated or missing file is unknown content, never an error. So files
 * are written in place, without temporary files, renames or fsync (creating files is what
 * costs most on slow disks): a write torn by a crash is found out on the next read.
 *
 * All operations of one store run one after another (a promise queue), so the mapping of a
 * path never sees interleaved updates. One store root belongs to one process at a time.
 */
import { createHash } from 'node:crypto';
import * as fsc from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FILE_MODE, mkdirPrivate } from '../common/privateFs';

// The callback API of node:fs, promisified (as in fileRead.ts): in bench/disk.ts its round
// trips were as cheap as or cheaper than those of fs.promises.
const fs = {
  readFile: promisify(fsc.readFile),
  writeFile: promisify(fsc.writeFile),
  stat: promisify(fsc.stat),
  utimes: promisify(fsc.utimes),
  unlink: promisify(fsc.unlink),
  readdir: promisify(fsc.readdir),
  rm: promisify(fsc.rm),
};

/** Writes a file created with mode 0600, as privateFs.writeFilePrivate does (callback API). */
function writeFilePrivate(file: string, data: string | Uint8Array, flag: 'w' | 'wx' = 'w'): Promise<void> {
  return fs.writeFile(file, data, { mode: FILE_MODE, flag });
}

/** Default cap of the objects' bytes: 256 MB. */
export const DEFAULT_STORE_CAP = 256 * 1024 * 1024;
/** Eviction brings the objects' bytes down to this fraction of the cap. */
export const EVICT_TO = 0.9;

const FORMAT = 'worktrace-content-store 1\n';
const MAPPING_LINE = /^([0-9a-f]{64}) ([0-9a-f]{64}) (\d+)( -)?$/;
const HASH = /^[0-9a-f]{64}$/;

export interface ContentStoreOptions {
  /** Mapping files (of 256) kept parsed in memory. Default 16. */
  cacheBuckets?: number;
}

export interface ContentStoreStats {
  /** Bytes of the objects kept. */
  bytes: number;
  /** Objects kept. */
  objects: number;
  /** Objects evicted since the store was opened. */
  evictions: number;
}

interface Mapping {
  hash: string;
  size: number;
  /** False: only the hash is known (binary or too large content is not kept). */
  kept: boolean;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

function pathKey(path: string): string {
  return createHash('sha256').update(path, 'utf8').digest('hex');
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The content store (see the module comment). Create it with {@link ContentStore.open}. */
export class ContentStore {
  private tail: Promise<unknown> = Promise.resolve();
  /** Parsed mapping files, least recently used first. */
  private readonly buckets = new Map<string, Map<string, Mapping>>();
  private readonly shards = new Set<string>();
  private bytes = 0;
  private objects = 0;
  private evictions = 0;
  private closed = false;
  /** Last use time given to an object (ms): strictly increasing, so the LRU order is exact. */
  private lastUse = 0;
  private readonly cacheBuckets: number;

  private constructor(
    private readonly root: string,
    private readonly capBytes: number,
    options: ContentStoreOptions,
  ) {
    this.cacheBuckets = Math.max(1, options.cacheBuckets ?? 16);
  }

  /**
   * Opens (or creates) the store under `root`: counts the objects (an
   * asynchronous listing: no long block of the event loop), and evicts if they are over
   * `capBytes` (a smaller cap than last time). A root written by another format is emptied.
   */
  static async open(root: string, capBytes: number = DEFAULT_STORE_CAP, options: ContentStoreOptions = {}): Promise<ContentStore> {
    const store = new ContentStore(root, Math.max(1, capBytes), options);
    await store.init();
    return store;
  }

  /** The content last put for `path`, verified; undefined when unknown (never put, forgotten, evicted, hash only, corrupt). */
  get(path: string): Promise<Buffer | undefined> {
    return this.enqueue(async () => {
      if (this.closed) return undefined;
      const key = pathKey(path);
      const mapping = await this.readMapping(key);
      if (!mapping || !mapping.kept) {
        return undefined;
      }
      const file = this.objectPath(mapping.hash);
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(file);
      } catch (e) {
        if (isNotFound(e)) {
          await this.removeMapping(key); // evicted: the content is unknown from now on
        }
        return undefined;
      }
      if (sha256(bytes) !== mapping.hash) {
        await this.dropObject(mapping.hash, bytes.length);
        await this.removeMapping(key);
        return undefined;
      }
      await this.touch(file);
      return bytes;
    }, undefined);
  }

  /** The hash of what was last put for `path` (also for hash-only entries and evicted content); undefined when unknown. */
  hashOf(path: string): Promise<string | undefined> {
    return this.enqueue(async () => {
      if (this.closed) return undefined;
      return (await this.readMapping(pathKey(path)))?.hash;
    }, undefined);
  }

  /**
   * Keeps `content` (a text is kept as UTF-8) as the content of `path`; returns its SHA-256
   * (hex). Content larger than 90 % of the cap is not kept (the path is forgotten). Rejects only
   * on I/O errors (disk full). Encoding and hashing happen in the store's queue, not in the
   * caller's turn: the editor's documents come from listeners, hundreds in one turn when a
   * replace saves them all.
   */
  put(path: string, content: string | Uint8Array): Promise<string> {
    if (this.closed) {
      return Promise.resolve(sha256(bytesOf(content)));
    }
    return this.enqueue(async () => {
      const bytes = bytesOf(content);
      const hash = sha256(bytes);
      if (this.closed) return hash;
      const key = pathKey(path);
      if (bytes.length > this.capBytes * EVICT_TO) {
        await this.forgetKey(key);
        return hash;
      }
      const previous = await this.readMapping(key);
      if (previous?.hash === hash && previous.kept && (await this.touch(this.objectPath(hash)))) {
        return hash;
      }
      await this.ensureObject(hash, bytes, previous?.hash !== hash);
      await this.writeMapping(key, { hash, size: bytes.length, kept: true });
      if (previous && previous.hash !== hash && previous.kept) {
        await this.release(previous);
      }
      if (this.bytes > this.capBytes) {
        await this.evict();
      }
      return hash;
    }, '');
  }

  /** Records only the hash of `path`'s content (binary or too large: the bytes are not kept). */
  putHash(path: string, hash: string): Promise<void> {
    if (!HASH.test(hash)) {
      return Promise.reject(new TypeError(`not a SHA-256: ${hash}`));
    }
    return this.enqueue(async () => {
      if (this.closed) return;
      const key = pathKey(path);
      const previous = await this.readMapping(key);
      if (previous?.hash === hash && !previous.kept) {
        return;
      }
      await this.writeMapping(key, { hash, size: 0, kept: false });
      if (previous?.kept) {
        await this.release(previous);
      }
    }, undefined);
  }

  /** Forgets `path`: its content is unknown from now on. */
  forget(path: string): Promise<void> {
    return this.forgetAll([path]);
  }

  /**
   * Forgets every path of `paths` in one operation: each mapping file is read and written
   * once however many of its paths go (a checkout of thousands of files forgets them all).
   */
  forgetAll(paths: Iterable<string>): Promise<void> {
    const byBucket = new Map<string, string[]>();
    for (const path of paths) {
      const key = pathKey(path);
      const bucket = key.slice(0, 2);
      const keys = byBucket.get(bucket);
      if (keys) keys.push(key);
      else byBucket.set(bucket, [key]);
    }
    if (byBucket.size === 0) {
      return Promise.resolve();
    }
    return this.enqueue(async () => {
      for (const [bucket, keys] of byBucket) {
        if (this.closed) return;
        const entries = await this.loadBucket(bucket);
        const dropped: Mapping[] = [];
        for (const key of keys) {
          const previous = entries.get(key);
          if (previous) {
            entries.delete(key);
            dropped.push(previous);
          }
        }
        if (dropped.length === 0) continue;
        await this.saveBucket(bucket, entries);
        for (const previous of dropped) {
          if (previous.kept) await this.release(previous);
        }
      }
    }, undefined);
  }

  /**
   * Forgets every path and deletes every object: from now on every file is unknown and gets a
   * fresh snapshot when it next changes (after a pause of capture, changes made meanwhile must
   * not show up in a later diff).
   */
  clear(): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      await Promise.all(['objects', 'paths'].map((d) => fs.rm(join(this.root, d), { recursive: true, force: true })));
      for (const dir of ['objects', 'paths']) {
        await mkdirPrivate(join(this.root, dir));
      }
      this.buckets.clear();
      this.shards.clear();
      this.bytes = 0;
      this.objects = 0;
    }, undefined);
  }

  /** Mapping files held parsed in memory (at most `cacheBuckets`), and the lines they hold. */
  get cached(): { buckets: number; mappings: number } {
    let mappings = 0;
    for (const b of this.buckets.values()) mappings += b.size;
    return { buckets: this.buckets.size, mappings };
  }

  stats(): ContentStoreStats {
    return { bytes: this.bytes, objects: this.objects, evictions: this.evictions };
  }

  /** Waits for the operations under way; later calls do nothing (get → undefined, put → the hash, unstored). */
  async close(): Promise<void> {
    const last = this.tail;
    this.closed = true;
    await last.then(
      () => undefined,
      () => undefined,
    );
  }

  // --- internals -------------------------------------------------------------------------

  /** Runs `op` after the operations before it; `fallback` is what an operation on a closed store gives. */
  private enqueue<T>(op: () => Promise<T>, fallback: T): Promise<T> {
    if (this.closed) {
      return Promise.resolve(fallback);
    }
    const run = this.tail.then(op, op);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async init(): Promise<void> {
    await mkdirPrivate(this.root);
    let format: string | undefined;
    try {
      format = await fs.readFile(join(this.root, 'format'), 'utf8');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (format !== FORMAT) {
      // a new root, or one written by another format: start empty
      await Promise.all(['objects', 'paths'].map((d) => fs.rm(join(this.root, d), { recursive: true, force: true })));
      await writeFilePrivate(join(this.root, 'format'), FORMAT);
    }
    for (const dir of ['objects', 'paths']) {
      await mkdirPrivate(join(this.root, dir));
    }
    const listed = await this.listObjects();
    this.lastUse = listed.reduce((max, o) => Math.max(max, o.used), 0);
    this.bytes = listed.reduce((sum, o) => sum + o.size, 0);
    this.objects = listed.length;
    if (this.bytes > this.capBytes) {
      await this.evict(listed);
    }
  }

  private objectPath(hash: string): string {
    return join(this.root, 'objects', hash.slice(0, 2), hash);
  }

  private bucketPath(bucket: string): string {
    return join(this.root, 'paths', bucket);
  }

  private async shard(file: string): Promise<void> {
    const dir = join(file, '..');
    if (!this.shards.has(dir)) {
      await mkdirPrivate(dir);
      this.shards.add(dir);
    }
  }

  /** The parsed mapping file `bucket` (lines a crash tore are skipped: those paths are unknown). */
  private async loadBucket(bucket: string): Promise<Map<string, Mapping>> {
    const cached = this.buckets.get(bucket);
    if (cached) {
      this.buckets.delete(bucket);
      this.buckets.set(bucket, cached); // most recently used
      return cached;
    }
    const entries = new Map<string, Mapping>();
    let text = '';
    try {
      text = await fs.readFile(this.bucketPath(bucket), 'utf8');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    for (const line of text.split('\n')) {
      const m = MAPPING_LINE.exec(line);
      if (m && m[1].startsWith(bucket)) {
        entries.set(m[1], { hash: m[2], size: Number(m[3]), kept: m[4] === undefined });
      }
    }
    this.buckets.set(bucket, entries);
    if (this.buckets.size > this.cacheBuckets) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    return entries;
  }

  /** Writes a mapping file in place (one file per bucket: no new file once it exists). */
  private async saveBucket(bucket: string, entries: Map<string, Mapping>): Promise<void> {
    const file = this.bucketPath(bucket);
    if (entries.size === 0) {
      await fs.rm(file, { force: true });
      return;
    }
    let text = '';
    for (const [key, m] of entries) {
      text += `${key} ${m.hash} ${m.size}${m.kept ? '' : ' -'}\n`;
    }
    await writeFilePrivate(file, text);
  }

  private async readMapping(key: string): Promise<Mapping | undefined> {
    return (await this.loadBucket(key.slice(0, 2))).get(key);
  }

  private async writeMapping(key: string, mapping: Mapping): Promise<void> {
    const bucket = key.slice(0, 2);
    const entries = await this.loadBucket(bucket);
    entries.set(key, mapping);
    await this.saveBucket(bucket, entries);
  }

  private async removeMapping(key: string): Promise<void> {
    const bucket = key.slice(0, 2);
    const entries = await this.loadBucket(bucket);
    if (entries.delete(key)) {
      await this.saveBucket(bucket, entries);
    }
  }

  private async forgetKey(key: string): Promise<void> {
    const previous = await this.readMapping(key);
    if (previous) {
      await this.removeMapping(key);
      if (previous.kept) {
        await this.release(previous);
      }
    }
  }

  /** Marks an object as most recently used; false when it does not exist. */
  private async touch(file: string): Promise<boolean> {
    this.lastUse = Math.max(Date.now(), Math.floor(this.lastUse) + 1);
    const seconds = this.lastUse / 1000;
    try {
      await fs.utimes(file, seconds, seconds);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** Makes sure the object exists (touching it when it does); marks it shared when another path holds it. */
  private async ensureObject(hash: string, bytes: Uint8Array, newForThisPath: boolean): Promise<void> {
    const file = this.objectPath(hash);
    await this.shard(file);
    try {
      await writeFilePrivate(file, bytes, 'wx'); // new content: the usual case, one open
      await this.touch(file);
      this.bytes += bytes.length;
      this.objects++;
      return;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
    }
    const size = (await fs.stat(file)).size;
    if (size !== bytes.length) {
      await writeFilePrivate(file, bytes); // torn by a crash: write it again
      this.bytes += bytes.length - size;
    } else if (newForThisPath) {
      try {
        await writeFilePrivate(`${file}.shared`, '', 'wx');
      } catch (e) {
        if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
      }
    }
    await this.touch(file);
  }

  /** A path no longer holds this object: delete it unless other paths may hold it. */
  private async release(previous: Mapping): Promise<void> {
    const file = this.objectPath(previous.hash);
    try {
      await fs.stat(`${file}.shared`);
      return; // identical content elsewhere: left to LRU
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await this.dropObject(previous.hash, previous.size, false);
  }

  private async dropObject(hash: string, size: number, shared = true): Promise<void> {
    const file = this.objectPath(hash);
    try {
      await fs.unlink(file);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (shared) await fs.rm(`${file}.shared`, { force: true });
    this.bytes = Math.max(0, this.bytes - size);
    this.objects = Math.max(0, this.objects - 1);
  }

  /** Every object with its size and last use (one asynchronous listing). */
  private async listObjects(): Promise<{ hash: string; size: number; used: number }[]> {
    const out: { hash: string; size: number; used: number }[] = [];
    const objects = join(this.root, 'objects');
    let shards: string[];
    try {
      shards = await fs.readdir(objects);
    } catch (e) {
      if (isNotFound(e)) return out;
      throw e;
    }
    for (const shard of shards) {
      let names: string[];
      try {
        names = await fs.readdir(join(objects, shard));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!HASH.test(name)) {
          if (name.endsWith('.shared') && !names.includes(name.slice(0, -'.shared'.length))) {
            await fs.rm(join(objects, shard, name), { force: true }); // marker of an object gone
          }
          continue;
        }
        try {
          const st = await fs.stat(join(objects, shard, name));
          out.push({ hash: name, size: st.size, used: st.mtimeMs });
        } catch {
          // removed meanwhile
        }
      }
    }
    return out;
  }

  /** Deletes the least recently used objects until the bytes are at most {@link EVICT_TO} of the cap. */
  private async evict(listed?: { hash: string; size: number; used: number }[]): Promise<void> {
    const all = listed ?? (await this.listObjects());
    all.sort((a, b) => a.used - b.used || (a.hash < b.hash ? -1 : 1));
    // the listing is the truth: recount, so counters drifted by outside changes heal here
    this.bytes = all.reduce((sum, o) => sum + o.size, 0);
    this.objects = all.length;
    const target = this.capBytes * EVICT_TO;
    const gone = new Set<string>();
    for (const o of all) {
      if (this.bytes <= target) break;
      await this.dropObject(o.hash, o.size);
      gone.add(o.hash);
      this.evictions++;
    }
    if (gone.size === 0) {
      return;
    }
    // the paths that held them are unknown now: drop their lines (256 small files at most)
    let buckets: string[] = [];
    try {
      buckets = await fs.readdir(join(this.root, 'paths'));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    for (const bucket of buckets) {
      if (!/^[0-9a-f]{2}$/.test(bucket)) continue;
      const entries = await this.loadBucket(bucket);
      let changed = false;
      for (const [key, m] of entries) {
        if (m.kept && gone.has(m.hash)) {
          entries.delete(key);
          changed = true;
        }
      }
      if (changed) await this.saveBucket(bucket, entries);
    }
  }
}
