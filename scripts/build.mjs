// Builds the extension bundle (dist/extension.js), the timeline page's bundle
// (media/dist/timeline.js, for the webview: a browser) and, with --tests, transpiles
// src/, test/ and bench/ file by file into out/ for mocha and the benchmarks.
//   --production  minified bundle without source maps (used by `npm run package`)
//   --tests       also emit out/ (no type check here: `npm run typecheck` does that)
//   --watch       rebuild the bundle on change
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

/** @type {esbuild.BuildOptions} */
const extension = {
  absWorkingDir: root,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
};

/** The timeline webview page (media/timeline/*.ts); git-ignored output, packaged in the .vsix. */
/** @type {esbuild.BuildOptions} */
const timelinePage = {
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

if (args.has('--watch')) {
  const ctx = await esbuild.context({ ...extension, logLevel: 'info' });
  const page = await esbuild.context({ ...timelinePage, logLevel: 'info' });
  await Promise.all([ctx.watch(), page.watch()]);
} else {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  rmSync(join(root, 'media', 'dist'), { recursive: true, force: true });
  await Promise.all([esbuild.build(extension), esbuild.build(timelinePage)]);
  if (args.has('--tests')) {
    rmSync(join(root, 'out'), { recursive: true, force: true });
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['src', 'test', 'bench'].filter((d) => existsSync(join(root, d))).map((d) => `${d}/**/*.ts`),
      outdir: 'out',
      outbase: '.',
      bundle: false,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'inline',
      logLevel: 'warning',
    });
  }
}
