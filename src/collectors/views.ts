import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import { Dwell } from '../semantic/dwell';
import type { LineRange, TraceSink } from '../trace/events';
import type { TracePaths } from '../vscode/paths';

export interface ViewCollectorOptions {
  /** How long the visible ranges must stay to be recorded (worktrace.capture.viewDwellMilliseconds). */
  readonly dwellMs: number;
}

interface View {
  path: string;
  ranges: LineRange[];
  active: boolean;
}

const sameView = (a: View, b: View): boolean =>
  a.path === b.path && a.active === b.active && a.ranges.length === b.ranges.length && a.ranges.every((r, i) => r.start === b.ranges[i].start && r.end === b.ranges[i].end);

/**
 * What was on screen: `editor.view` with the visible line ranges of each visible editor once
 * they stayed for the dwell time (not every wheel step; VS Code reports visible ranges on
 * every keystroke too, which costs one comparison here). Line numbers only: replay rebuilds
 * the text. No I/O, no getText().
 */
export class ViewCollector extends Disposable {
  private readonly dwell: Dwell<View>;

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    options: ViewCollectorOptions,
    log: Logger,
  ) {
    super();
    this.dwell = new Dwell<View>(options.dwellMs, sameView, (_key, view) => this.sink.emit({ kind: 'editor.view', path: view.path, ranges: view.ranges, active: view.active }));
    this.register({ dispose: () => this.dwell.dispose() });
    this.register(vscode.window.onDidChangeTextEditorVisibleRanges(guard(log, 'editor.view', (e: vscode.TextEditorVisibleRangesChangeEvent) => this.update(e.textEditor, e.visibleRanges))));
    this.register(vscode.window.onDidChangeVisibleTextEditors(guard(log, 'editor.view', (editors: readonly vscode.TextEditor[]) => editors.forEach((e) => this.update(e, e.visibleRanges)))));
    this.register(vscode.window.onDidChangeActiveTextEditor(guard(log, 'editor.view', () => vscode.window.visibleTextEditors.forEach((e) => this.update(e, e.visibleRanges)))));
    for (const editor of vscode.window.visibleTextEditors) {
      this.update(editor, editor.visibleRanges);
    }
  }

  /** Records what is pending now (flush, pause). */
  flush(): void {
    this.dwell.flush();
  }

  private update(editor: vscode.TextEditor, visible: readonly vscode.Range[]): void {
    const location = this.paths.locate(editor.document.uri);
    if (!location || visible.length === 0) {
      return;
    }
    const ranges = visible.map((r) => ({ start: r.start.line + 1, end: r.end.line + 1 }));
    const key = `${editor.document.uri.toString()}#${editor.viewColumn ?? 0}`;
    this.dwell.update(key, { path: location.path, ranges, active: editor === vscode.window.activeTextEditor });
  }
}
