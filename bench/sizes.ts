/**
 * Sizes of what users download: the release bundle (dist/*.js, minified) and the .vsix,
 * built exactly as `npm run package` builds them, into a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface Sizes {
  /** dist/extension.js: what VS Code loads at activation (bytes). */
  startupBundle: number;
  /** dist/worktrace.js: the recorder, loaded at the first quiet moment after (bytes). */
  recorderBundle: number;
  /** Every dist/*.js, the bundles loaded on first use included (bytes). */
  allBundles: number;
  vsix: number;
}

export function measureSizes(): Sizes {
  const tmp = mkdtempSync(join(tmpdir(), 'worktrace-bench-vsix-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production'], { cwd: ROOT, stdio: 'ignore' });
    const dist = join(ROOT, 'dist');
    const bundles = readdirSync(dist).filter((f) => f.endsWith('.js'));
    const startupBundle = statSync(join(dist, 'extension.js')).size;
    const recorderBundle = statSync(join(dist, 'worktrace.js')).size;
    const allBundles = bundles.reduce((n, f) => n + statSync(join(dist, f)).size, 0);
    const vsix = join(tmp, 'worktrace.vsix');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: ROOT, stdio: 'ignore' });
    return { startupBundle, recorderBundle, allBundles, vsix: statSync(vsix).size };
  } finally {
    // Leave the development build in place, as `npm run bench` found it.
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    rmSync(tmp, { recursive: true, force: true });
  }
}
