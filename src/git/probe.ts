import { execFile } from 'node:child_process';
import type { GitRepoState } from '../trace/events';

/**
 * Reads HEAD, branch and dirtiness of the repository containing `folder` with one
 * `git status` call. Resolves undefined when the folder is not in a repository, git is
 * missing, or it takes longer than `timeoutMs` (never rejects).
 */
export function probeGit(folder: string, root: string, timeoutMs = 3000): Promise<GitRepoState | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', folder, '--no-optional-locks', 'status', '--porcelain=v2', '--branch'],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (error, stdout) => {
        if (error) {
          resolve(undefined);
          return;
        }
        resolve(parseStatus(stdout, root));
      },
    );
  });
}

/** Parses `git status --porcelain=v2 --branch` output. */
export function parseStatus(stdout: string, root: string): GitRepoState {
  let head: string | null = null;
  let branch: string | null = null;
  let dirty = false;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# branch.oid ')) {
      const oid = line.slice('# branch.oid '.length).trim();
      head = oid === '(initial)' ? null : oid;
    } else if (line.startsWith('# branch.head ')) {
      const name = line.slice('# branch.head '.length).trim();
      branch = name === '(detached)' ? null : name;
    } else if (line && !line.startsWith('#')) {
      dirty = true;
    }
  }
  return { root, head, branch, dirty };
}

/**
 * Lists what git ignores below `folder` (files, and folders ending in `/`), relative to
 * it. Resolves [] when it is not a repository or git fails (never rejects).
 */
export function listIgnored(folder: string, timeoutMs = 10_000): Promise<string[]> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', folder, '--no-optional-locks', 'ls-files', '--others', '--ignored', '--exclude-standard', '--directory', '-z'],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (error, stdout) => resolve(error ? [] : stdout.split('\0').filter(Boolean)),
    );
  });
}
