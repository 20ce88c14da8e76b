import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import { Dwell } from '../semantic/dwell';
import type { NewEventOf, SourceLocation, TraceSink } from '../trace/events';
import type { NavigationSignals } from '../vscode/navigationSignals';
import type { TracePaths } from '../vscode/paths';

export interface SelectionCollectorOptions {
  /** How long a selection must stay to be recorded (ms). */
  readonly dwellMs: number;
  /** A jump within one file of more lines than this is a navigation. */
  readonly farLines?: number;
}

type Selection = Omit<NewEventOf<'editor.selection'>, 'kind'>;

const TRIGGER = { 1: 'keyboard', 2: 'mouse', 3: 'command' } as const;
const MAX_SELECTIONS = 20;

const sameSelection = (a: Selection, b: Selection): boolean =>
  a.path === b.path &&
  a.count === b.count &&
  a.selections.every((s, i) => {
    const t = b.selections[i];
    return t !== undefined && s.start.line === t.start.line && s.start.column === t.start.column && s.end.line === t.end.line && s.end.column === t.end.column;
  });

/**
 * Where the cursors and selections settled (`editor.selection`, coalesced like the views:
 * typing moves the cursor on every keystroke) and how they got there; and jumps of the
 * active location (`editor.navigate`): to another file, or far within one, made by a command
 * (go to definition, references, a search result, a problem, breadcrumbs, back/forward).
 * No I/O, no getText(): sizes come from offsets.
 */
export class SelectionCollector extends Disposable {
  private readonly dwell: Dwell<Selection>;
  /** The active location as last seen (where a jump starts from). */
  private location: SourceLocation | undefined;
  private activeChanged = false;

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    private readonly navigation: NavigationSignals,
    private readonly options: SelectionCollectorOptions,
    log: Logger,
  ) {
    super();
    this.dwell = new Dwell<Selection>(options.dwellMs, sameSelection, (_key, s) => this.sink.emit({ kind: 'editor.selection', ...s }));
    this.register({ dispose: () => this.dwell.dispose() });
    this.register(vscode.window.onDidChangeTextEditorSelection(guard(log, 'editor.selection', (e: vscode.TextEditorSelectionChangeEvent) => this.changed(e))));
    this.register(
      vscode.window.onDidChangeActiveTextEditor(
        guard(log, 'editor.navigate', (editor: vscode.TextEditor | undefined) => {
          this.activeChanged = true;
          if (editor) {
            // A file opened from a list (search, problems, the Explorer) comes with a selection change just after; a tab switch may not.
            setTimeout(() => (this.activeChanged = false), 200);
          }
        }),
      ),
    );
    const active = vscode.window.activeTextEditor;
    if (active) {
      this.location = this.locationOf(active, active.selection.active);
    }
  }

  /** Records what is pending now (flush, pause). */
  flush(): void {
    this.dwell.flush();
  }

  private locationOf(editor: vscode.TextEditor, position: vscode.Position): SourceLocation | undefined {
    const location = this.paths.locate(editor.document.uri);
    return location ? { path: location.path, line: position.line + 1, column: position.character + 1 } : undefined;
  }

  private changed(e: vscode.TextEditorSelectionChangeEvent): void {
    const editor = e.textEditor;
    const location = this.paths.locate(editor.document.uri);
    if (!location || e.selections.length === 0) {
      return;
    }
    const document = editor.document;
    let chars = 0;
    let lines = 0;
    const selections: Selection['selections'] = [];
    for (const s of e.selections) {
      if (!s.isEmpty) {
        chars += document.offsetAt(s.end) - document.offsetAt(s.start);
        lines += s.end.line - s.start.line + 1;
      }
      if (selections.length < MAX_SELECTIONS) {
        selections.push({ start: { line: s.anchor.line + 1, column: s.anchor.character + 1 }, end: { line: s.active.line + 1, column: s.active.character + 1 } });
      }
    }
    const trigger = e.kind === undefined ? 'edit' : TRIGGER[e.kind];
    this.dwell.update(document.uri.toString(), { path: location.path, trigger, selections, count: e.selections.length, chars, lines });

    if (editor !== vscode.window.activeTextEditor) {
      return;
    }
    const to = this.locationOf(editor, e.selections[0].active);
    const from = this.location;
    this.location = to;
    if (!to || (e.kind !== vscode.TextEditorSelectionChangeKind.Command && e.kind !== undefined)) {
      return;
    }
    const otherFile = from !== undefined && from.path !== to.path;
    const far = from !== undefined && from.path === to.path && Math.abs(from.line - to.line) > (this.options.farLines ?? 30);
    if (!otherFile && !far && from !== undefined) {
      return;
    }
    if (e.kind === undefined && !otherFile) {
      return; // an edit moved the cursor
    }
    const via = this.navigation.take() ?? (this.activeChanged ? 'open' : 'unknown');
    this.sink.emit({ kind: 'editor.navigate', from: from ?? null, to, via, trigger: e.kind === vscode.TextEditorSelectionChangeKind.Command ? 'command' : 'unknown' });
  }
}
