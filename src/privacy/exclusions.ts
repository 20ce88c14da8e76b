/**
 * Which files are excluded from capture: `worktrace.exclude` globs (matched against
 * workspace-relative trace paths, dotfiles included) plus, with worktrace.respectGitignore,
 * files git ignores. For an excluded file no content, no diff and no name leave the
 * extension: only a `doc.excluded` marker under a hashed path. Plain Node.
 */
import picomatch from 'picomatch';

export const DEFAULT_EXCLUDES = ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/*.p12', '**/secrets/**', '**/.aws/**', '**/.ssh/**'];

export interface ExclusionOptions {
  globs: readonly string[];
  /** Whether git ignores a trace path (undefined: not known to be ignored). */
  ignored?: (path: string) => boolean;
  /** The hashed form of a path (same salt as outside-workspace paths). */
  hash: (path: string) => string;
}

/** Paths whose glob verdict is remembered; past it the memory starts afresh. */
const REMEMBERED = 4_096;

export class Exclusions {
  private readonly match: (path: string) => boolean;
  /** Glob verdicts by path: every event asks, and the globs do not change for this object's life. */
  private readonly verdicts = new Map<string, boolean>();
  readonly problems: string[] = [];

  constructor(private readonly options: ExclusionOptions) {
    const valid: string[] = [];
    for (const glob of options.globs) {
      try {
        picomatch(glob);
        valid.push(glob);
      } catch (e) {
        this.problems.push(`worktrace.exclude: ignoring ${JSON.stringify(glob)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.match = valid.length ? picomatch(valid, { dot: true }) : () => false;
  }

  /** Whether a trace path is excluded. Untitled and outside-workspace paths never are (the latter carry no content anyway). */
  isExcluded(path: string): boolean {
    if (path.startsWith('untitled:') || path.startsWith('outside:') || path.startsWith('excluded:')) {
      return false;
    }
    let excluded = this.verdicts.get(path);
    if (excluded === undefined) {
      if (this.verdicts.size >= REMEMBERED) this.verdicts.clear();
      excluded = this.match(path);
      this.verdicts.set(path, excluded);
    }
    return excluded || this.options.ignored?.(path) === true;
  }

  /** The marker path written instead of an excluded file's name. */
  hashed(path: string): string {
    return `excluded:${this.options.hash(path)}`;
  }
}

/**
 * The files git ignores in a workspace, loaded with `git ls-files --others --ignored
 * --exclude-standard --directory` and looked up synchronously. Entries ending in `/` are
 * ignored folders. The caller reloads it when files are created.
 */
export class IgnoredIndex {
  private files = new Set<string>();
  private folders: string[] = [];

  /** Replaces the entries (paths relative to the workspace, `/` separators, prefixed as trace paths are). */
  set(entries: readonly string[]): void {
    this.files = new Set(entries.filter((e) => !e.endsWith('/')));
    this.folders = entries.filter((e) => e.endsWith('/'));
  }

  has(path: string): boolean {
    if (this.files.has(path)) {
      return true;
    }
    for (const folder of this.folders) {
      if (path.startsWith(folder)) {
        return true;
      }
    }
    return false;
  }

  get size(): number {
    return this.files.size + this.folders.length;
  }
}
