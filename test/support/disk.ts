/**
 * Support for the disk-change tests: a stand-in for the VS Code layer's watcher that lists a
 * folder and reports what changed since the last listing (created / changed / deleted, by
 * content hash, `.git/` skipped as the VS Code layer skips it), a stand-in for its git watcher
 * (HEAD, refs and the last reflog line), child processes that write files, and a harness
 * wiring store, attribution and tracker with a fake clock.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { Attribution } from '../../src/disk/attribution';
import { ChangeTracker, type ChangeTrackerOptions, type WatchChange } from '../../src/disk/changeTracker';
import { ContentStore } from '../../src/disk/contentStore';
import type { NewEvent, NewEventOf } from '../../src/trace/events';
import { FakeClock } from './fakeClock';

const run = promisify(execFile);

export interface Reported {
  change: WatchChange;
  path: string;
  abs: string;
}

/** Lists `root` (without `.git/`) and tells what changed since the previous listing. */
export class FolderScanner {
  private last = new Map<string, string>();

  constructor(readonly root: string) {}

  private async list(dir: string, out: Map<string, string>): Promise<void> {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        await this.list(abs, out);
      } else if (entry.isFile()) {
        out.set(relative(this.root, abs).split(sep).join('/'), createHash('sha256').update(readFileSync(abs)).digest('hex')); // test side: sync is fastest
      }
    }
  }

  /** Takes the current listing as the base (what was there before capture). */
  async baseline(): Promise<void> {
    const now = new Map<string, string>();
    await this.list(this.root, now);
    this.last = now;
  }

  /** What changed since the previous listing, sorted by path. */
  async changes(): Promise<Reported[]> {
    const now = new Map<string, string>();
    await this.list(this.root, now);
    const out: Reported[] = [];
    for (const [path, hash] of now) {
      const before = this.last.get(path);
      if (before === undefined) out.push({ change: 'created', path, abs: join(this.root, path) });
      else if (before !== hash) out.push({ change: 'changed', path, abs: join(this.root, path) });
    }
    for (const path of this.last.keys()) {
      if (!now.has(path)) out.push({ change: 'deleted', path, abs: join(this.root, path) });
    }
    this.last = now;
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** What the VS Code layer's git watcher would see: HEAD, the reflog of HEAD, refs/stash, branch refs. */
export class GitScanner {
  private last: GitState = { head: '', log: '', stash: '', heads: '' };
  constructor(readonly root: string) {}

  private async state(): Promise<GitState> {
    const git = join(this.root, '.git');
    const read = (p: string): Promise<string> => fs.readFile(join(git, p), 'utf8').catch(() => '');
    const names = await fs.readdir(join(git, 'refs', 'heads')).catch(() => [] as string[]);
    const heads = (await Promise.all(names.map(async (h) => `${h}=${await read(`refs/heads/${h}`)}`))).join(',');
    return { head: await read('HEAD'), log: await read('logs/HEAD'), stash: await read('refs/stash'), heads };
  }

  async baseline(): Promise<void> {
    this.last = await this.state();
  }

  /** The moves since the previous look, as the VS Code layer would report them with `gitMoved`. */
  async moves(): Promise<GitMoveReport[]> {
    const now = await this.state();
    const before = this.last;
    this.last = now;
    const out: GitMoveReport[] = [];
    if (now.log !== before.log || now.head !== before.head || now.heads !== before.heads) {
      const lines = now.log.trimEnd().split('\n');
      const message = lines[lines.length - 1]?.split('\t')[1];
      out.push({ ref: 'HEAD', ...(message ? { reflogMessage: message } : {}) });
    }
    if (now.stash !== before.stash) {
      out.push({ ref: 'refs/stash' });
    }
    return out;
  }
}

interface GitState {
  head: string;
  log: string;
  stash: string;
  heads: string;
}

export interface GitMoveReport {
  ref: string;
  reflogMessage?: string;
}

/** Runs a Node script in a child process (cwd `cwd`): a tool writing files. */
export async function runNode(cwd: string, script: string): Promise<void> {
  await run(process.execPath, ['-e', script], { cwd });
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  return stdout;
}

/**
 * Where test workspaces go: WORKTRACE_TEST_TMP, else /dev/shm where it exists (a tmpfs: real
 * files and real watcher events, without the 1–3 ms per created file of the CI machines'
 * virtual disks), else the OS temp folder.
 */
export function testTempRoot(): string {
  return process.env.WORKTRACE_TEST_TMP ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
}

export type DiskEvent = NewEventOf<'file.change'> | NewEventOf<'file.bulk'>;

/** Store, attribution and tracker on a fake clock, a workspace folder, and the events emitted. */
export class DiskHarness {
  readonly dir = mkdtempSync(join(testTempRoot(), 'worktrace-disk-'));
  readonly workspace = join(this.dir, 'ws');
  readonly clock = new FakeClock();
  readonly attribution = new Attribution({ now: () => this.clock.now() });
  readonly events: { event: DiskEvent; ts: number | undefined }[] = [];
  readonly scanner = new FolderScanner(this.workspace);
  store!: ContentStore;
  tracker!: ChangeTracker;

  constructor() {
    this.clock.time = 1_700_000_000_000;
  }

  async start(options: Partial<ChangeTrackerOptions> = {}): Promise<this> {
    await fs.mkdir(this.workspace, { recursive: true });
    this.store = await ContentStore.open(join(this.dir, 'store'));
    this.tracker = new ChangeTracker({
      store: this.store,
      attribution: this.attribution,
      clock: this.clock,
      sink: {
        emit: (event: NewEvent, ts?: number) => {
          if (event.kind === 'file.change' || event.kind === 'file.bulk') this.events.push({ event, ts });
        },
      },
      ...options,
      // no time limit on diffs: on a loaded machine 100 ms of wall time can pass in any diff
      // (then the tracker records a snapshot, which the tests of exact changes would not expect)
      diff: { timeoutMs: 600_000, ...options.diff },
    });
    await this.scanner.baseline();
    return this;
  }

  /** Reports what changed on disk since the last look to the tracker, as the VS Code layer would. */
  async report(): Promise<Reported[]> {
    const changes = await this.scanner.changes();
    for (const c of changes) this.tracker.observe(c.change, c.path, c.abs);
    return changes;
  }

  /** Lets the settle window pass (300 ms; 1 s by default) and waits for the closed batches to be read. */
  async pass(ms = 1_000): Promise<void> {
    this.clock.advance(ms);
    await this.tracker.whenIdle();
  }

  changes(): NewEventOf<'file.change'>[] {
    return this.events.map((e) => e.event).filter((e): e is NewEventOf<'file.change'> => e.kind === 'file.change');
  }

  bulks(): NewEventOf<'file.bulk'>[] {
    return this.events.map((e) => e.event).filter((e): e is NewEventOf<'file.bulk'> => e.kind === 'file.bulk');
  }

  take(): DiskEvent[] {
    return this.events.splice(0).map((e) => e.event);
  }

  async dispose(): Promise<void> {
    this.tracker.dispose();
    this.attribution.dispose();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Replays `file.change` events onto a map of texts, as a reader of the trace would. */
export class DiskReplay {
  readonly files = new Map<string, string>();

  apply(event: DiskEvent, applyChanges: (text: string, changes: NewEventOf<'file.change'>['changes'] & object) => string): void {
    if (event.kind !== 'file.change' || event.editor || event.omitted) return;
    if (event.change === 'deleted') {
      this.files.delete(event.path);
    } else if (event.text !== undefined) {
      this.files.set(event.path, event.text);
    } else if (event.changes) {
      const base = event.change === 'created' ? '' : this.files.get(event.path);
      if (base === undefined) throw new Error(`no base for ${event.path}`);
      this.files.set(event.path, applyChanges(base, event.changes));
    }
  }
}
