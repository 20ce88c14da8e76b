import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import type { TraceSink } from '../trace/events';
import type { TracePaths } from '../vscode/paths';

/**
 * Turns the workspace file events (files created, deleted or renamed through VS Code:
 * explorer, refactorings, WorkspaceEdit) into `file.create`, `file.delete`, `file.rename`.
 */
export class FileCollector extends Disposable {
  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    log: Logger,
  ) {
    super();
    this.register(vscode.workspace.onDidCreateFiles(guard(log, 'file.create', (e: vscode.FileCreateEvent) => this.each(e.files, 'file.create'))));
    this.register(vscode.workspace.onDidDeleteFiles(guard(log, 'file.delete', (e: vscode.FileDeleteEvent) => this.each(e.files, 'file.delete'))));
    this.register(
      vscode.workspace.onDidRenameFiles(
        guard(log, 'file.rename', (e: vscode.FileRenameEvent) => {
          for (const { oldUri, newUri } of e.files) {
            const from = this.paths.locate(oldUri);
            const to = this.paths.locate(newUri);
            if (from && to) {
              this.sink.emit({ kind: 'file.rename', from: from.path, to: to.path });
            }
          }
        }),
      ),
    );
  }

  private each(uris: readonly vscode.Uri[], kind: 'file.create' | 'file.delete'): void {
    for (const uri of uris) {
      const location = this.paths.locate(uri);
      if (location) {
        this.sink.emit({ kind, path: location.path });
      }
    }
  }
}
