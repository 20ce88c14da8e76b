// Builds the extension's bundles (dist/extension.js, the entry VS Code loads; dist/worktrace.js, the recorder; the lazy ones), the timeline page's bundle
// (media/dist/timeline.js, for the webview: a browser) and, with --tests, transpiles
// src/, test/ and bench/ file by file into out/ for mocha and the benchmarks.
//   --production  minified bundle without source maps (used by `npm run package`)
//   --tests       also emit out/ (no type check here: `npm run typecheck` does that)
//   --watch       rebuild the bundle on change
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { extensionOptions, lazyBundleOptions, root, timelinePageOptions } from './esbuild-options.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const extension = extensionOptions(production);
const lazyBundles = lazyBundleOptions(production);
const timelinePage = timelinePageOptions(production);

if (args.has('--watch')) {
  await esbuild.build(lazyBundles);
  const ctx = await esbuild.context({ ...extension, logLevel: 'info' });
  const page = await esbuild.context({ ...timelinePage, logLevel: 'info' });
  await Promise.all([ctx.watch(), page.watch()]);
} else {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  rmSync(join(root, 'media', 'dist'), { recursive: true, force: true });
  await Promise.all([esbuild.build(extension), esbuild.build(lazyBundles), esbuild.build(timelinePage)]);
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
