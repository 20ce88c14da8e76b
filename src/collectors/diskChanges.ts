import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import { TurnQueue } from '../common/turnQueue';
import type { DiskCapture } from '../disk/diskCapture';
import { folderBase, type TracePaths } from '../vscode/paths';

type Change = 'created' | 'changed' | 'deleted';

/** A watched workspace folder: its URI, its URI path ending in `/`, its path on disk. */
interface WatchedFolder {
  uri: vscode.Uri;
  base: string;
  fsPath: string;
}

/**
 * Files created, changed and deleted on disk by anything — tools, agents, git, the editor's
 * own saves — as VS Code's file-system watcher reports them (about 20–100 ms after), handed
 * to the disk capture (plain Node), which drops excluded and ignored paths before reading
 * anything, tells editor saves apart and attributes the rest. Also tells it which documents
 * the editor has open and what they held when opened or saved. No I/O here. A listener reads
 * in its turn what VS Code may change later (a document's text) and hands the rest to the turn
 * queue it shares with the document collector, so an editor save is noted before the
 * watcher's report of it.
 */
export class DiskChangeCollector extends Disposable {
  private readonly watchers: vscode.Disposable[] = [];
  /** Set when detached: work still queued for this collector is dropped (dispose ran it first). */
  private disposed = false;

  constructor(
    private readonly capture: DiskCapture,
    private readonly paths: TracePaths,
    private readonly log: Logger,
    private readonly turns: TurnQueue = new TurnQueue(log),
  ) {
    super();
    this.watch();
    this.register({
      dispose: () => {
        this.unwatch();
        this.turns.drain();
        this.disposed = true;
      },
    });
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(guard(log, 'workspace folders', () => (this.unwatch(), this.watch()))));
    this.register(vscode.workspace.onDidOpenTextDocument(guard(log, 'disk: open', (d: vscode.TextDocument) => this.opened(d))));
    this.register(vscode.workspace.onDidCloseTextDocument(guard(log, 'disk: close', (d: vscode.TextDocument) => this.closed(d))));
    this.register(vscode.workspace.onWillSaveTextDocument(guard(log, 'disk: will save', (e: vscode.TextDocumentWillSaveEvent) => this.willSave(e.document))));
    this.register(vscode.workspace.onDidSaveTextDocument(guard(log, 'disk: save', (d: vscode.TextDocument) => this.saved(d))));
    for (const document of vscode.workspace.textDocuments) {
      this.opened(document);
    }
    void capture.attached().catch((e: unknown) => log.warn(`changes on disk: cannot reset the content store: ${String(e)}`));
  }

  private watch(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') {
        continue;
      }
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
      const where: WatchedFolder = { uri: folder.uri, base: folderBase(folder.uri.path), fsPath: folder.uri.fsPath };
      const on = (change: Change) => guard(this.log, `disk: ${change}`, (uri: vscode.Uri) => this.turns.run(`disk: ${change}`, () => this.forward(where, uri, change)));
      this.watchers.push(watcher, watcher.onDidCreate(on('created')), watcher.onDidChange(on('changed')), watcher.onDidDelete(on('deleted')));
    }
  }

  private unwatch(): void {
    for (const w of this.watchers.splice(0)) {
      w.dispose();
    }
  }

  /** Called for every file a tool or git changed (thousands in a checkout): string work only. */
  private forward(folder: WatchedFolder, uri: vscode.Uri, change: Change): void {
    if (this.disposed) {
      return;
    }
    const location = this.paths.inFolder(folder.base, uri);
    if (!location || location.outside) {
      return;
    }
    const relative = uri.path.startsWith(folder.base) ? uri.path.slice(folder.base.length) : path.posix.relative(folder.uri.path, uri.path);
    this.capture.observe({ change, path: location.path, absolutePath: uri.fsPath, folder: folder.fsPath, relative });
  }

  private opened(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file') {
      return;
    }
    const text = document.isDirty ? undefined : document.getText();
    this.turns.run('disk: open', () => {
      const location = this.disposed ? undefined : this.paths.locate(document.uri);
      if (!location || location.outside) {
        return;
      }
      this.capture.opened(location.path);
      if (text !== undefined) {
        this.capture.noteEditorOpen(location.path, text);
      }
    });
  }

  private closed(document: vscode.TextDocument): void {
    this.turns.run('disk: close', () => {
      const location = this.disposed ? undefined : this.paths.locate(document.uri);
      if (location) {
        this.capture.closed(location.path);
      }
    });
  }

  /** Before VS Code writes the file (it may report the write before the saved event): in this turn. */
  private willSave(document: vscode.TextDocument): void {
    const location = this.disposed || !this.paths.captures(document.uri) ? undefined : this.paths.locate(document.uri);
    if (location && !location.outside) {
      this.capture.expectSave(location.path);
    }
  }

  private saved(document: vscode.TextDocument): void {
    if (!this.paths.captures(document.uri)) {
      return;
    }
    const text = document.getText();
    this.turns.run('disk: save', () => {
      const location = this.disposed ? undefined : this.paths.locate(document.uri);
      if (location && !location.outside) {
        this.capture.noteEditorSave(location.path, text);
      }
    });
  }
}
