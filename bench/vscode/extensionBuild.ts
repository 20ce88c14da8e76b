/**
 * Builds the extension as `npm run bench` measures it: the released bundles (minified: the
 * entry, the recorder and the lazy bundles beside them) with the probe around the entry
 * (extensionEntry.ts) and Worktrace's timers counted in each (timerShim.ts), into a folder of its own that code-server loads as the development
 * extension. The options are the release build's (scripts/esbuild-options.mjs).
 */
import { cpSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(__dirname, '..', '..', '..');

interface EsbuildOptionsModule {
  extensionOptions(production: boolean, options: { entry: string; main?: string; outdir: string; inject: string[] }): object;
  lazyBundleOptions(production: boolean, options: { outdir: string }): object;
}

interface Esbuild {
  build(options: object): Promise<unknown>;
}

/** Builds into `folder` (package.json, dist/) and returns it. */
export async function buildBenchExtension(folder: string, { readableNames = false } = {}): Promise<string> {
  const options = (await import(pathToFileURL(join(ROOT, 'scripts', 'esbuild-options.mjs')).href)) as EsbuildOptionsModule;
  const esbuild = (await import('esbuild')) as Esbuild;
  const outdir = join(folder, 'dist');
  mkdirSync(outdir, { recursive: true });
  await Promise.all([
    // With --profile the names stay readable, so the profiles say which function spent the time.
    esbuild.build({ ...options.extensionOptions(true, { entry: 'bench/vscode/extensionEntry.ts', outdir, inject: ['bench/vscode/timerShim.ts'] }), ...(readableNames ? { minify: false, minifyWhitespace: true, minifySyntax: true, keepNames: true } : {}) }),
    // The lazy bundles count their timers too (changes on disk runs in one of them).
    esbuild.build({ ...options.lazyBundleOptions(true, { outdir }), inject: ['bench/vscode/timerShim.ts'] }),
  ]);
  writeFileSync(join(folder, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  cpSync(join(ROOT, 'media'), join(folder, 'media'), { recursive: true });
  cpSync(join(ROOT, 'schema'), join(folder, 'schema'), { recursive: true });
  return folder;
}
