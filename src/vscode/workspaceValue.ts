import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { mkdirPrivate, writeFilePrivate } from '../common/privateFs';

/**
 * A small value of this workspace that must survive a window reload (the pause, the current
 * task): a JSON file in the extension's workspace storage, on the machine running the
 * extension host (browser-side storage is not always flushed before a reload), or the
 * workspace memento when the window has no workspace. Private (0600). Asynchronous: nothing
 * is read or written on the activation path.
 */
export class WorkspaceValue<T> {
  constructor(
    private readonly storage: vscode.Uri | undefined,
    private readonly memento: vscode.Memento,
    /** File name in the workspace storage, and memento key. */
    private readonly name: string,
    /** Checks what was read (a file from an older version, or damaged); undefined drops it. */
    private readonly validate: (value: unknown) => T | undefined,
  ) {}

  private get file(): string | undefined {
    return this.storage?.scheme === 'file' ? path.join(this.storage.fsPath, `${this.name}.json`) : undefined;
  }

  async read(): Promise<T | undefined> {
    const file = this.file;
    if (!file) {
      return this.validate(this.memento.get<unknown>(`worktrace.${this.name}`));
    }
    try {
      return this.validate(JSON.parse(await fs.readFile(file, 'utf8')) as unknown);
    } catch {
      return undefined;
    }
  }

  async write(value: T | undefined): Promise<void> {
    const file = this.file;
    if (!file) {
      await this.memento.update(`worktrace.${this.name}`, value);
      return;
    }
    if (value !== undefined) {
      await mkdirPrivate(path.dirname(file));
      await writeFilePrivate(file, JSON.stringify(value));
    } else {
      await fs.rm(file, { force: true });
    }
  }
}
