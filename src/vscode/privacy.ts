import * as os from 'node:os';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { listIgnored } from '../git/probe';
import { Exclusions, IgnoredIndex } from '../privacy/exclusions';
import { Redactor } from '../privacy/redact';
import { RedactingPrivacyStage } from '../privacy/stage';
import { saltedHash } from '../trace/identity';
import type { Configuration } from './configuration';

/**
 * Builds the privacy stage from the settings (redaction patterns, exclusions, .gitignore)
 * and keeps it in line with them; the stage itself is plain Node.
 */
export class PrivacySetup extends Disposable {
  readonly stage: RedactingPrivacyStage;
  private redactor: Redactor;
  private exclusions: Exclusions;
  private readonly ignored = new IgnoredIndex();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly config: Configuration,
    private readonly salt: string,
    private readonly log: Logger,
  ) {
    super();
    this.redactor = this.makeRedactor();
    this.exclusions = this.makeExclusions();
    this.register(
      config.onDidChange(() => {
        this.redactor = this.makeRedactor();
        this.exclusions = this.makeExclusions();
      }),
    );
    this.stage = new RedactingPrivacyStage(() => this.redactor, pathReplacements(), () => this.exclusions);
    this.register({
      dispose: () => {
        this.stage.dispose();
        clearTimeout(this.reloadTimer);
      },
    });
  }

  /** Whether a trace path is excluded now (worktrace.exclude, known git-ignored entries). */
  isExcluded(path: string): boolean {
    return this.exclusions.isExcluded(path);
  }

  /** Whether a text holds a secret the redactor would replace. */
  containsSecret(text: string): boolean {
    return this.redactor.scan(text).length > 0;
  }

  /** Loads what git ignores in every workspace folder (as trace paths). */
  async loadIgnored(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const lists = await Promise.all(folders.map(async (f) => (await listIgnored(f.uri.fsPath)).map((p) => (folders.length > 1 ? `${f.name}/${p}` : p))));
    this.ignored.set(lists.flat());
    this.log.debug(`${this.ignored.size} git-ignored entries excluded`);
  }

  /** A file was created: reload the ignore list shortly (once for a burst of creations). */
  reloadIgnoredSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.loadIgnored(), 1_000);
  }

  private makeRedactor(): Redactor {
    const redactor = new Redactor({ extraPatterns: this.config.settings.redactPatterns });
    redactor.problems.forEach((p) => this.log.warn(p));
    return redactor;
  }

  private makeExclusions(): Exclusions {
    const exclusions = new Exclusions({
      globs: this.config.settings.exclude,
      ignored: (p) => this.config.settings.respectGitignore && this.ignored.has(p),
      hash: (p) => saltedHash(this.salt, p),
    });
    exclusions.problems.forEach((p) => this.log.warn(p));
    return exclusions;
  }
}

/** Output and messages name absolute paths: the workspace's and the home folder's are replaced, longest first. */
function pathReplacements(): { from: string; to: string }[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return [
    ...folders.filter((f) => f.uri.scheme === 'file').map((f) => ({ from: f.uri.fsPath, to: folders.length > 1 ? `\${workspaceFolder:${f.name}}` : '${workspaceFolder}' })),
    { from: os.homedir(), to: '~' },
  ]
    .filter((r) => r.from.length > 1)
    .sort((a, b) => b.from.length - a.from.length);
}
