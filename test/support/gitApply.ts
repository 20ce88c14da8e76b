/**
 * Runs the real `git apply` on a patch in a fresh temporary git repository holding the given
 * files, and reads the files back.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Writes `files` (path → text) into a new repository, checks and applies `patch` with git
 * (`git apply --check`, then `git apply`; an empty patch is not applied), and returns the
 * content of each of `read` afterwards (null: the file does not exist). Throws when git
 * refuses the patch.
 */
export function gitApply(files: ReadonlyMap<string, string>, patch: string, read: readonly string[]): Map<string, string | null> {
  const root = mkdtempSync(join(tmpdir(), 'worktrace-patch-'));
  const repo = join(root, 'repo');
  try {
    mkdirSync(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    for (const [path, text] of files) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), text, 'utf8');
    }
    if (patch !== '') {
      const patchFile = join(root, 'episode.patch');
      writeFileSync(patchFile, patch, 'utf8');
      const git = (args: string[]): void => void execFileSync('git', ['-c', 'core.autocrlf=false', ...args], { cwd: repo, stdio: 'pipe' });
      git(['apply', '--check', patchFile]);
      git(['apply', patchFile]);
    }
    const result = new Map<string, string | null>();
    for (const path of read) {
      const file = join(repo, path);
      result.set(path, existsSync(file) ? readFileSync(file, 'utf8') : null);
    }
    return result;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
