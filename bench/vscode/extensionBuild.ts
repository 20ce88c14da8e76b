/**
 * Builds the extension as `npm run bench` measures it: the released bundles (minified: the
 * entry, the recorder and the lazy bundles beside them) with the probe around the entry
 * (extensionEntry.ts), Worktrace's timers counted in each (timerShim.ts) and its listeners of
 * VS Code's events timed (vscodeShim.ts), into a folder of its own that code-server loads as the development
 * extension. The options are the release build's (scripts/esbuild-options.mjs).
 */
import { cpSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(__dirname, '..', '..', '..');

interface EsbuildOptionsModule {
  extensionOptions(production: boolean, options: { entry: string; main?: string; outdir: string; inject: string[] }): { plugins?: object[] };
  lazyBundleOptions(production: boolean, options: { outdir: string }): { plugins?: object[] };
}

interface ResolveArgs {
  path: string;
  importer: string;
}

/** Worktrace's `import 'vscode'` becomes vscodeShim.ts (its listeners timed); the shim's own import stays the real, external module. */
const timedVscode = {
  name: 'timed-vscode',
  setup(build: { onResolve(o: { filter: RegExp }, f: (a: ResolveArgs) => object | undefined): void }): void {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.importer.endsWith('vscodeShim.ts') ? { path: 'vscode', external: true } : { path: join(ROOT, 'bench', 'vscode', 'vscodeShim.ts') }));
  },
};

interface Esbuild {
  build(options: object): Promise<unknown>;
}

/** Builds into `folder` (package.json, dist/) and returns it. */
export async function buildBenchExtension(folder: string, { readableNames = false } = {}): Promise<string> {
  const options = (await import(pathToFileURL(join(ROOT, 'scripts', 'esbuild-options.mjs')).href)) as EsbuildOptionsModule;
  const esbuild = (await import('esbuild')) as Esbuild;
  const outdir = join(folder, 'dist');
  mkdirSync(outdir, { recursive: true });
  // With --profile the names stay readable, so the profiles say which function spent the time.
  const names = readableNames ? { minify: false, minifyWhitespace: true, minifySyntax: true, keepNames: true } : {};
  const main = options.extensionOptions(true, { entry: 'bench/vscode/extensionEntry.ts', outdir, inject: ['bench/vscode/timerShim.ts'] });
  const lazy = options.lazyBundleOptions(true, { outdir });
  await Promise.all([
    esbuild.build({ ...main, plugins: [timedVscode, ...(main.plugins ?? [])], ...names }),
    // The lazy bundles count their timers and listeners too (changes on disk runs in one of them).
    esbuild.build({ ...lazy, plugins: [timedVscode, ...(lazy.plugins ?? [])], inject: ['bench/vscode/timerShim.ts'], ...names }),
  ]);
  writeFileSync(join(folder, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  cpSync(join(ROOT, 'media'), join(folder, 'media'), { recursive: true });
  cpSync(join(ROOT, 'schema'), join(folder, 'schema'), { recursive: true });
  return folder;
}
