/**
 * The last known content of workspace files, kept on disk so that a change made by a tool
 * can be diffed against it (`file.change`). Plain Node.
 *
 * Layout under the root the caller gives (folders 0700, files 0600, created that way):
 *
 *     format                     "worktrace-content-store 1"
 *     objects/ab/<sha256>        the bytes, named by the SHA-256 of the bytes
 *     objects/ab/<sha256>.shared an empty marker: more than one path has held this object
 *     paths/cd/<sha256(path)>    "<sha256> <size>\n" (content kept) or "<sha256> <size> -\n"
 *                                (hash only: binary or too large); file names reveal no path
 *
 * Memory: the path → hash mapping lives on disk, one small file per path; only a bounded
 * LRU cache of it (`cacheEntries`) and two counters are in memory.
 *
 * Size: the objects' bytes are capped (`capBytes`, default 256 MB). When a put goes over the
 * cap, one pass lists the objects and deletes the least recently used (the modification time
 * of an object is set on every get and put) until the total is at most 90 % of the cap.
 * The mappings of evicted objects are left behind: {@link ContentStore.get} then finds no
 * object (the content is unknown; the caller records a fresh snapshot) and removes the
 * mapping, while {@link ContentStore.hashOf} still tells the hash (so an unchanged file
 * stays unchanged).
 *
 * When a path gets new content, its previous object is deleted at once unless another path
 * has held it too (marked `.shared`: identical files); shared objects go by LRU.
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
const MAPPING = /^([0-9a-f]{64}) (\d+)( -)?\n$/;
const HASH = /^[0-9a-f]{64}$/;

export interface ContentStoreOptions {
  /** Entries of the in-memory cache of the path → hash mapping. Default 1024. */
  cacheEntries?: number;
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
  private readonly cache = new Map<string, Mapping | null>();
  private readonly shards = new Set<string>();
  private bytes = 0;
  private objects = 0;
  private evictions = 0;
  private closed = false;
  /** Last use time given to an object (ms): strictly increasing, so the LRU order is exact. */
  private lastUse = 0;
  private readonly cacheEntries: number;

  private constructor(
    private readonly root: string,
    private readonly capBytes: number,
    options: ContentStoreOptions,
  ) {
    this.cacheEntries = Math.max(0, options.cacheEntries ?? 1024);
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
   * Keeps `bytes` as the content of `path`; returns their SHA-256 (hex). Content larger than
   * 90 % of the cap is not kept (the path is forgotten). Rejects only on I/O errors (disk full).
   */
  put(path: string, bytes: Uint8Array): Promise<string> {
    const hash = sha256(bytes);
    return this.enqueue(async () => {
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
    }, hash);
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
    return this.enqueue(async () => {
      if (this.closed) return;
      await this.forgetKey(pathKey(path));
    }, undefined);
  }

  /** Entries in the in-memory cache of the mapping (at most `cacheEntries`). */
  get cachedMappings(): number {
    return this.cache.size;
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

  private mappingPath(key: string): string {
    return join(this.root, 'paths', key.slice(0, 2), key);
  }

  private async shard(file: string): Promise<void> {
    const dir = join(file, '..');
    if (!this.shards.has(dir)) {
      await mkdirPrivate(dir);
      this.shards.add(dir);
    }
  }

  private cacheSet(key: string, value: Mapping | null): void {
    if (this.cacheEntries === 0) return;
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > this.cacheEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }

  private async readMapping(key: string): Promise<Mapping | undefined> {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cacheSet(key, cached); // most recently used
      return cached ?? undefined;
    }
    let text: string;
    try {
      text = await fs.readFile(this.mappingPath(key), 'utf8');
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.cacheSet(key, null);
      return undefined;
    }
    const m = MAPPING.exec(text);
    if (!m) {
      await this.removeMapping(key); // damaged or torn: unknown
      return undefined;
    }
    const mapping: Mapping = { hash: m[1], size: Number(m[2]), kept: m[3] === undefined };
    this.cacheSet(key, mapping);
    return mapping;
  }

  private async writeMapping(key: string, mapping: Mapping): Promise<void> {
    const file = this.mappingPath(key);
    await this.shard(file);
    await writeFilePrivate(file, `${mapping.hash} ${mapping.size}${mapping.kept ? '' : ' -'}\n`); // in place: no new file when the path is known
    this.cacheSet(key, mapping);
  }

  private async removeMapping(key: string): Promise<void> {
    await fs.rm(this.mappingPath(key), { force: true });
    this.cacheSet(key, null);
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
    for (const o of all) {
      if (this.bytes <= target) break;
      await this.dropObject(o.hash, o.size);
      this.evictions++;
    }
  }
}
