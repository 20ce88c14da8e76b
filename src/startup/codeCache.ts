/**
 * Loads one CommonJS bundle with a V8 code cache beside it, so a window that starts again
 * does not parse and compile the same code again. Node's own `require` keeps no such cache
 * (`module.enableCompileCache` arrives in Node 22) and patching it would reach every other
 * extension in the extension host, so this compiles only the file it is given:
 * `vm.Script` with the cached data, wrapped and called as `require` would. V8 checks the
 * cache against the source and its own version and flags; a cache it rejects costs nothing
 * but the plain compile, and is written anew.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What became of the cache when the bundle loaded. */
export type CacheUse = 'used' | 'rejected' | 'absent' | 'unreadable';

export interface LoadedBundle<T> {
  exports: T;
  cache: CacheUse;
  /** Writes the code cache (functions compiled so far included) unless the one used was accepted. */
  saveCache(): Promise<void>;
}

/** The cache's file name: the bundle's name and a hash of its text, so another build never meets it. */
export function cacheFileName(bundle: string, source: string): string {
  return `${basename(bundle, '.js')}-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.v8cache`;
}

/**
 * Loads `bundle` (a CommonJS file) with the code cache kept in `cacheFolder`. The bundle's
 * `require` resolves from the bundle's own folder, as a plain require would (and VS Code's
 * `vscode` module, which the extension host hands out by the requiring file's path, finds it).
 */
export function loadWithCodeCache<T>(bundle: string, cacheFolder: string): LoadedBundle<T> {
  const source = readFileSync(bundle, 'utf8');
  const cacheFile = join(cacheFolder, cacheFileName(bundle, source));
  let cachedData: Buffer | undefined;
  let cache: CacheUse = 'absent';
  try {
    cachedData = readFileSync(cacheFile);
  } catch (err) {
    cache = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  if (cachedData) {
    cache = script.cachedDataRejected === true ? 'rejected' : 'used';
  }
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  const module = { exports: {} as unknown };
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    exports: module.exports as T,
    cache,
    saveCache: async () => {
      if (cache === 'used') {
        return;
      }
      const data = script.createCachedData();
      await mkdir(cacheFolder, { recursive: true, mode: 0o700 });
      const partial = `${cacheFile}.${process.pid}.tmp`;
      await writeFile(partial, data, { mode: 0o600 });
      await rename(partial, cacheFile);
      cache = 'used';
      // Caches of other builds of the same bundle are of no further use.
      const stem = `${basename(bundle, '.js')}-`;
      for (const name of await readdir(cacheFolder)) {
        if (name.startsWith(stem) && name !== basename(cacheFile)) {
          await rm(join(cacheFolder, name), { force: true });
        }
      }
    },
  };
}
