import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { PauseRecord } from '../capture/controller';
import { mkdirPrivate, writeFilePrivate } from '../common/privateFs';

/**
 * Where the pause of a workspace is kept across window reloads: a small file in the
 * extension's workspace storage (on the machine running the extension host; browser-side
 * storage is not always flushed before a reload), or the workspace memento when the window
 * has no workspace. Asynchronous: nothing is read or written on the activation path.
 */
export class PauseStore {
  constructor(
    private readonly storage: vscode.Uri | undefined,
    private readonly memento: vscode.Memento,
  ) {}

  private get file(): string | undefined {
    return this.storage?.scheme === 'file' ? path.join(this.storage.fsPath, 'pause.json') : undefined;
  }

  async read(): Promise<PauseRecord | undefined> {
    const file = this.file;
    if (!file) {
      return this.memento.get<PauseRecord>('worktrace.pause');
    }
    try {
      const value = JSON.parse(await fs.readFile(file, 'utf8')) as { until?: unknown };
      return value.until === null || typeof value.until === 'number' ? { until: value.until } : undefined;
    } catch {
      return undefined;
    }
  }

  async write(pause: PauseRecord | undefined): Promise<void> {
    const file = this.file;
    if (!file) {
      await this.memento.update('worktrace.pause', pause);
      return;
    }
    if (pause) {
      await mkdirPrivate(path.dirname(file));
      await writeFilePrivate(file, JSON.stringify(pause));
    } else {
      await fs.rm(file, { force: true });
    }
  }
}
