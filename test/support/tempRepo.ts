/**
 * A throwaway git repository for tests that need real git output. Every git call is isolated
 * from the user's and the system's configuration, so the output does not depend on them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class TempRepo {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'worktrace-authorship-'));
    this.git('init', '-q', '-b', 'main');
  }

  /** Runs git in the repository; returns stdout. */
  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: this.dir, LC_ALL: 'C' },
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  write(path: string, content: string | Buffer): void {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  /** Stages everything and commits; returns the new commit's sha. */
  commitAll(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** The content of `path` in commit `sha`. */
  show(sha: string, path: string): string {
    return this.git('show', `${sha}:${path}`);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
