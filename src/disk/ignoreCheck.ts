/**
 * Which of some paths git ignores, asked of git itself (`git check-ignore --stdin -z`), so
 * that a file a tool creates where nothing was ignored before (a new `*.log`, a new build
 * folder) is known as ignored before anything of it is read. Tracked files are never ignored
 * (git's own rule). Plain Node.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';

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

interface Request {
  paths: readonly string[];
  /** The pattern git matched for each path answered so far (`''`: none). */
  patterns: string[];
  resolve(ignored: Set<string>): void;
  timer: NodeJS.Timeout;
}

/**
 * One `git check-ignore --stdin -z -v -n` kept running per folder, GIT_FLUSH=1 so that it
 * answers each path as soon as it has read it: a batch of changes on disk then costs a write
 * and a read, not a process. Starting one forks the whole extension host, 20–50 ms of a
 * blocked event loop on a busy two-core machine, once per batch. `-v -n` answers every path
 * (source, line, pattern, path; empty for no match), so answers are matched to questions by
 * order; a pattern starting with `!` re-includes the path. When git is missing, stops, or does
 * not answer in time, the questions it had fall back to {@link ignoredPaths} and the next
 * batch starts git afresh; after three such failures in a row the folder keeps to the fallback.
 */
export class IgnoreChecker {
  private child: ChildProcess | undefined;
  private pending = '';
  private fields: string[] = [];
  private readonly queue: Request[] = [];
  private failures = 0;
  private disposed = false;

  constructor(
    private readonly root: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Paths (relative to the folder, `/` separators) that git ignores. */
  ignored(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) {
      return Promise.resolve(new Set());
    }
    const child = this.failures >= 3 || this.disposed ? undefined : this.start();
    if (!child?.stdin) {
      return ignoredPaths(this.root, paths, this.timeoutMs);
    }
    const stdin = child.stdin;
    return new Promise((resolve) => {
      this.queue.push({ paths, patterns: [], resolve, timer: setTimeout(() => this.fail(child), this.timeoutMs) });
      stdin.write(paths.join('\0') + '\0');
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.child) {
      this.fail(this.child);
    }
  }

  private start(): ChildProcess | undefined {
    if (this.child) {
      return this.child;
    }
    let child: ChildProcess;
    try {
      child = spawn('git', ['-C', this.root, '--no-optional-locks', 'check-ignore', '--stdin', '-z', '-v', '-n'], {
        env: { ...process.env, GIT_FLUSH: '1' },
        stdio: ['pipe', 'pipe', 'ignore'],
        windowsHide: true,
      });
    } catch {
      this.failures++;
      return undefined;
    }
    this.child = child;
    this.pending = '';
    this.fields = [];
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => this.read(text));
    child.on('error', () => this.fail(child));
    child.on('exit', () => this.fail(child));
    child.stdin?.on('error', () => this.fail(child));
    return child;
  }

  private read(text: string): void {
    const parts = (this.pending + text).split('\0');
    this.pending = parts.pop() ?? '';
    for (const field of parts) {
      this.fields.push(field);
      if (this.fields.length < 4) {
        continue;
      }
      const pattern = this.fields[2];
      this.fields = [];
      const request = this.queue[0];
      if (!request) {
        continue;
      }
      request.patterns.push(pattern);
      if (request.patterns.length === request.paths.length) {
        this.queue.shift();
        clearTimeout(request.timer);
        this.failures = 0;
        request.resolve(new Set(request.paths.filter((_, i) => request.patterns[i] !== '' && !request.patterns[i].startsWith('!'))));
      }
    }
  }

  /** Git stopped or did not answer: what it was asked goes to the one-shot question instead. */
  private fail(child: ChildProcess): void {
    if (this.child !== child) {
      return;
    }
    this.child = undefined;
    child.kill();
    if (this.queue.length > 0) {
      this.failures++;
    }
    for (const request of this.queue.splice(0)) {
      clearTimeout(request.timer);
      void ignoredPaths(this.root, request.paths, this.timeoutMs).then((ignored) => request.resolve(ignored));
    }
  }
}
