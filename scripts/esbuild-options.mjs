// esbuild options of the extension's bundles, shared by scripts/build.mjs and the bench
// build of the extension (bench/vscode/extensionBuild.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Modules the extension imports dynamically and that start-up does not need: each becomes a
 * bundle of its own next to dist/worktrace.js, loaded (required) on first use, so a window
 * neither compiles nor runs them while it starts. Key: the specifier as the source writes it
 * in `await import(…)`; value: the entry and the file it becomes in dist/.
 */
export const LAZY = {
  './otlpEncoding.js': { entry: 'src/pipeline/destinations/otlpEncoding.ts', out: 'otlpEncoding' },
  './disk/diskCapture.js': { entry: 'src/disk/diskCapture.ts', out: 'diskCapture' },
  '../timeline/host.js': { entry: 'src/timeline/host.ts', out: 'timelineHost' },
  'simple-git': { entry: createRequire(import.meta.url).resolve('simple-git'), out: 'simple-git' },
};

/** Keeps the LAZY dynamic imports out of the main bundle; they resolve to ./<out>.js at run time. */
export const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const lazy = args.kind === 'dynamic-import' ? LAZY[args.path] : undefined;
      return lazy ? { path: `./${lazy.out}.js`, external: true } : undefined;
    });
  },
};

/** @returns {import('esbuild').BuildOptions} */
function common(production) {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // `await import()` becomes require(): the extension host loads CommonJS.
    supported: { 'dynamic-import': false },
    sourcemap: production ? false : 'linked',
    minify: production,
    legalComments: production ? 'none' : 'inline',
    logLevel: 'warning',
  };
}

/**
 * The extension's two start-up bundles: dist/extension.js, what VS Code loads (the few lines
 * of src/startup/entry.ts), and dist/worktrace.js, the recorder (src/extension.ts, the
 * composition root), which the entry loads at the first quiet moment after activation. The
 * bench build (bench/vscode/extensionBuild.ts) passes its own entries, output folder and
 * injected modules.
 * @returns {import('esbuild').BuildOptions}
 */
export function extensionOptions(production, { entry = 'src/startup/entry.ts', main = 'src/extension.ts', outdir = 'dist', inject = [] } = {}) {
  return {
    ...common(production),
    entryPoints: [
      { in: entry, out: 'extension' },
      { in: main, out: 'worktrace' },
    ],
    outdir,
    inject,
    plugins: [lazyModules],
  };
}

/** The LAZY bundles, next to the extension bundle. @returns {import('esbuild').BuildOptions} */
export function lazyBundleOptions(production, { outdir = 'dist' } = {}) {
  return { ...common(production), entryPoints: Object.values(LAZY).map((l) => ({ in: l.entry, out: l.out })), outdir };
}

/** The timeline webview page (media/timeline/*.ts); git-ignored output, packaged in the .vsix. @returns {import('esbuild').BuildOptions} */
export function timelinePageOptions(production) {
  return {
    absWorkingDir: root,
    entryPoints: ['media/timeline/main.ts'],
    outfile: 'media/dist/timeline.js',
    tsconfig: 'media/tsconfig.json',
    bundle: true,
    platform: 'browser',
    target: ['chrome120'],
    format: 'iife',
    sourcemap: production ? false : 'linked',
    minify: production,
    legalComments: production ? 'none' : 'inline',
    logLevel: 'warning',
  };
}

