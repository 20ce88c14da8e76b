/**
 * Which of some paths git ignores, asked of git itself (`git check-ignore --stdin -z`), so
 * that a file a tool creates where nothing was ignored before (a new `*.log`, a new build
 * folder) is known as ignored before anything of it is read. Tracked files are never ignored
 * (git's own rule). Plain Node.
 */
import { execFile } from 'node:child_process';

/** Paths (relative to `root`, `/` separators) that git ignores; empty when git cannot tell. */
export function ignoredPaths(root: string, paths: readonly string[], timeoutMs = 10_000): Promise<Set<string>> {
  if (paths.length === 0) {
    return Promise.resolve(new Set());
  }
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      ['-C', root, '--no-optional-locks', 'check-ignore', '--stdin', '-z'],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (error, stdout) => {
        // Exit 1: none of them is ignored; 128: not a repository (nothing is ignored then).
        const code = (error as { code?: unknown } | null)?.code;
        if (error && code !== 1) {
          resolve(new Set());
          return;
        }
        resolve(new Set(stdout.split('\0').filter(Boolean)));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(paths.join('\0') + '\0');
  });
}
