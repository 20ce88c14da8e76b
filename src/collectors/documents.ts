import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import { TurnQueue } from '../common/turnQueue';
import { classifyEdit, isSnippetFollowUp, type EditSignals } from '../trace/cause';
import type { ContentChange, NewEventOf, TraceSink } from '../trace/events';
import { sha256 } from '../trace/identity';
import type { EditSignalSource } from '../vscode/editSignals';
import type { TracePaths } from '../vscode/paths';

export interface DocumentCollectorOptions {
  /** Read at each open, so a changed setting applies to the next document. */
  readonly maxDocumentBytes: number;
}

interface DocInfo {
  path: string;
  outside: boolean;
  /** The version its doc.open text had: a queued edit up to it is already in that text. */
  version: number;
}

/** How long a paste announced by the paste-edit provider waits for its change event. */
const PASTE_WINDOW_MS = 2000;
/** How long an edit of a clean document waits for the dirty flag before it counts as a reload from disk. */
const SETTLE_MS = 300;

/**
 * An edit that arrived while its document was clean. VS Code reports the dirty flag of
 * the first edit of a clean document only in a second, empty change event, so an edit
 * on a clean document is either that first edit (the flag follows) or a reload from disk
 * (the document stays clean). It is held until one of the two is known.
 */
interface Held {
  event: NewEventOf<'doc.edit'>;
  ts: number;
  /** When it counts as a reload from disk if the flag has not come (Date.now() ms). */
  until: number;
  signals: EditSignals;
}

/**
 * An edit that is not plain typing, waiting a moment for what tells its cause: the other
 * documents of the same workspace edit (a rename across files), and the selection that
 * follows (a snippet selects its first placeholder).
 */
interface Pending {
  event: NewEventOf<'doc.edit'>;
  key: string;
  ts: number;
  signals: EditSignals;
  followUp?: { start: number; end: number };
}

/** What an open reads from VS Code in its turn: the text then, whatever happens to the document after. */
interface Opened {
  document: vscode.TextDocument;
  text: string;
  version: number;
  languageId: string;
  crlf: boolean;
  existing: boolean;
  ts: number;
}

/** What a change event reads from VS Code and the edit signals in its turn (see TurnQueue). */
interface Changed {
  document: vscode.TextDocument;
  key: string;
  version: number;
  dirty: boolean;
  reason: vscode.TextDocumentChangeReason | undefined;
  changes: ContentChange[];
  edit: EditSignals;
  ts: number;
}

/** Causes decided at once: nothing that follows changes them. */
const FINAL_CAUSES = new Set(['typing', 'undo', 'redo', 'paste', 'multi-cursor', 'external']);
/**
 * How long a non-typing edit waits for what follows it: the selection (a snippet), the rest
 * of its workspace edit (a rename), the save it belongs to (format on save: VS Code may run
 * the formatter before extensions hear of the save) (ms).
 */
const PENDING_MS = 300;

/**
 * Turns text-document events into `doc.open`, `doc.edit`, `doc.save`, `doc.close` and
 * `editor.focus` events. The change handler is the typing path: it reads the change
 * fields and hands them on; no getText(), no diffing, no I/O. Each listener reads in its
 * turn what VS Code may change later and hands the rest to the turn queue (TurnQueue): a
 * replace in 200 files opens and edits them all in one turn, and the editor does not wait
 * for them to be located, hashed, classified and recorded.
 */
export class DocumentCollector extends Disposable {
  private readonly docs = new Map<string, DocInfo>();
  private readonly pastes = new Map<string, number>();
  private lastFocus: string | null | undefined;
  private readonly held = new Map<string, Held>();
  /** One timer for every held edit (a search-and-replace holds hundreds in one turn). */
  private heldTimer: ReturnType<typeof setTimeout> | undefined;
  private pending: Pending[] = [];
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when detached: work still queued for this collector is dropped (settleAll ran it first). */
  private disposed = false;

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    private readonly options: DocumentCollectorOptions,
    log: Logger,
    private readonly signals?: EditSignalSource,
    private readonly turns: TurnQueue = new TurnQueue(log),
  ) {
    super();
    if (signals) {
      this.register(signals.onSelection((key, selection) => this.followUp(key, selection)));
    }
    this.register(vscode.workspace.onDidOpenTextDocument(guard(log, 'doc.open', (d: vscode.TextDocument) => this.open(d, false))));
    this.register(vscode.workspace.onDidChangeTextDocument(guard(log, 'doc.edit', (e: vscode.TextDocumentChangeEvent) => this.change(e))));
    this.register(vscode.workspace.onDidSaveTextDocument(guard(log, 'doc.save', (d: vscode.TextDocument) => this.save(d))));
    this.register(vscode.workspace.onDidCloseTextDocument(guard(log, 'doc.close', (d: vscode.TextDocument) => this.close(d))));
    this.register(vscode.window.onDidChangeActiveTextEditor(guard(log, 'editor.focus', (e: vscode.TextEditor | undefined) => this.focusLater(e))));
    // Observe pastes: the provider is asked before the pasted text is applied; it offers no edit of its own.
    this.register(
      vscode.languages.registerDocumentPasteEditProvider(
        [{ scheme: 'file' }, { scheme: 'untitled' }],
        {
          provideDocumentPasteEdits: (document) => {
            this.pastes.set(document.uri.toString(), Date.now() + PASTE_WINDOW_MS);
            return undefined;
          },
        },
        { pasteMimeTypes: ['text/plain'], providedPasteEditKinds: [] },
      ),
    );
    // Snapshot documents already open, off the activation path. An edit that arrives first
    // snapshots its document instead (the snapshot then already holds that edit).
    const timer = setTimeout(guard(log, 'snapshot of open documents', () => this.turns.run('snapshot of open documents', () => this.disposed || this.snapshotOpen())), 0);
    this.register({
      dispose: () => {
        clearTimeout(timer);
        clearTimeout(this.heldTimer);
        this.settleAll();
        this.disposed = true;
      },
    });
  }

  /** The selection that followed a pending edit: a snippet selects inside what it inserted. */
  private followUp(key: string, selection: { start: number; end: number }): void {
    for (const p of this.pending) {
      if (p.key === key && p.followUp === undefined) {
        p.followUp = selection;
      }
    }
  }

  /** Decides the causes of the pending edits and writes them, in order. */
  private flushPending(): void {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    const batch = this.pending;
    if (batch.length === 0) {
      return;
    }
    this.pending = [];
    const documents = new Set(batch.map((p) => p.key)).size;
    for (const p of batch) {
      let cause = classifyEdit({ ...p.signals, batchDocuments: documents });
      const change = p.event.changes.length === 1 ? p.event.changes[0] : undefined;
      if ((cause === 'completion' || cause === 'suggestion' || cause === 'programmatic' || cause === 'assistant') && change && p.followUp && change.text.length > 2 && isSnippetFollowUp(change.offset, change.text.length, p.followUp)) {
        cause = 'snippet';
      }
      if (cause !== 'programmatic') {
        this.signals?.consumed(p.key);
      }
      p.event.cause = cause;
      this.sink.emit(p.event, p.ts);
    }
  }

  /** Writes an edit now, or lets it wait for what tells its cause (see Pending). */
  private write(event: NewEventOf<'doc.edit'>, key: string, signals: EditSignals, ts?: number): void {
    if (FINAL_CAUSES.has(event.cause) && this.pending.length === 0) {
      this.sink.emit(event, ts);
      return;
    }
    if (FINAL_CAUSES.has(event.cause)) {
      this.flushPending(); // keep the order
      this.sink.emit(event, ts);
      return;
    }
    this.pending.push({ event, key, ts: ts ?? Date.now(), signals });
    this.pendingTimer ??= setTimeout(() => this.flushPending(), PENDING_MS);
  }

  /** Writes the edit held back on `key`, if any (see `Held`): `external` unless `dirtied`. */
  private settle(key: string, dirtied: boolean): void {
    const held = this.held.get(key);
    if (!held) {
      return;
    }
    this.held.delete(key);
    if (this.held.size === 0 && this.heldTimer !== undefined) {
      clearTimeout(this.heldTimer);
      this.heldTimer = undefined;
    }
    if (!dirtied) {
      held.event.cause = 'external';
    }
    this.write(held.event, key, held.signals, held.ts);
  }

  /** Held edits whose dirty flag did not come in time were reloads from disk; the timer waits for the next. */
  private settleDue(): void {
    this.heldTimer = undefined;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [key, held] of [...this.held]) {
      if (held.until <= now) {
        this.settle(key, false);
      } else {
        next = Math.min(next, held.until);
      }
    }
    if (next !== Number.POSITIVE_INFINITY) {
      this.heldTimer = setTimeout(() => this.settleDue(), next - now);
    }
  }

  /** Writes every edit still held back; one whose dirty flag never came was a reload from disk. */
  settleAll(): void {
    this.turns.drain();
    for (const key of [...this.held.keys()]) {
      this.settle(key, false);
    }
    this.flushPending();
  }

  private snapshotOpen(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (!this.docs.has(document.uri.toString())) {
        this.open(document, true);
      }
    }
    this.focus(vscode.window.activeTextEditor);
  }

  private open(document: vscode.TextDocument, existing: boolean): void {
    if (!this.paths.captures(document.uri)) {
      return;
    }
    const opened: Opened = {
      document,
      text: document.getText(),
      version: document.version,
      languageId: document.languageId,
      crlf: document.eol === vscode.EndOfLine.CRLF,
      existing,
      ts: Date.now(),
    };
    this.turns.run('doc.open', () => this.opened(opened));
  }

  private opened({ document, text, version, languageId, crlf, existing, ts }: Opened): void {
    if (this.disposed) {
      return;
    }
    const location = this.paths.locate(document.uri);
    if (!location) {
      return;
    }
    this.docs.set(document.uri.toString(), { ...location, version });
    const base = {
      kind: 'doc.open' as const,
      path: location.path,
      languageId,
      eol: crlf ? ('\r\n' as const) : ('\n' as const),
      version,
      length: text.length,
      sha256: sha256(text),
      ...(existing ? { existing: true } : {}),
    };
    if (location.outside) {
      this.sink.emit({ ...base, replayable: false, omitted: 'outside-workspace' }, ts);
    } else if (Buffer.byteLength(text, 'utf8') > this.options.maxDocumentBytes) {
      this.sink.emit({ ...base, replayable: false, omitted: 'too-large' }, ts);
    } else {
      this.sink.emit({ ...base, replayable: true, text }, ts);
    }
  }

  private change(e: vscode.TextDocumentChangeEvent): void {
    const n = e.contentChanges.length;
    const document = e.document;
    if (n === 0) {
      // Only the dirty flag changed: it settles an edit held back on this document.
      if (document.isDirty) {
        const key = document.uri.toString();
        this.turns.run('doc.edit', () => {
          if (this.held.size) {
            this.settle(key, true);
          }
        });
      }
      return;
    }
    const key = document.uri.toString();
    const changes: ContentChange[] = new Array<ContentChange>(n);
    for (let i = 0; i < n; i++) {
      const c = e.contentChanges[i];
      changes[i] = { offset: c.rangeOffset, length: c.rangeLength, text: c.text };
    }
    let pasteAnnounced = false;
    if (this.pastes.size) {
      const until = this.pastes.get(key);
      if (until !== undefined) {
        this.pastes.delete(key);
        pasteAnnounced = until >= Date.now();
      }
    }
    const editor = vscode.window.activeTextEditor;
    const inActiveEditor = editor !== undefined && editor.document === document;
    const signals = this.signals;
    // Built field by field, no spreads: a replace in 200 files reads 400 change events in one turn.
    const edit: EditSignals = { reason: e.reason, pasteAnnounced, inActiveEditor, cursors: inActiveEditor ? editor.selections.length : 0, changeCount: n, firstText: changes[0].text, changes };
    if (inActiveEditor) {
      const selection = signals?.selection(key);
      if (selection) {
        edit.selection = selection;
      }
    }
    if (signals) {
      edit.saving = signals.isSaving(key);
      edit.visible = inActiveEditor || vscode.window.visibleTextEditors.some((v) => v.document === document);
      edit.inlineRequested = signals.inlineRequestedAt(key, changes[0].offset);
      edit.codeActionRequested = signals.codeActionRequested(key);
    }
    const changed: Changed = { document, key, version: document.version, dirty: document.isDirty, reason: e.reason, changes, edit, ts: Date.now() };
    this.turns.run('doc.edit', () => this.changed(changed));
  }

  /** An edit, as its change event found it (see Changed); the typed word is this collector's own state, read in order. */
  private changed({ document, key, version, dirty, reason, changes, edit, ts }: Changed): void {
    if (this.disposed) {
      return;
    }
    if (this.held.size) {
      this.settle(key, dirty);
    }
    const info = this.docs.get(key);
    if (!info) {
      this.open(document, true);
      return;
    }
    if (info.outside || version <= info.version) {
      return;
    }
    const signals = this.signals;
    if (signals) {
      edit.typedWord = signals.typedWord(key, edit.selection?.start);
    }
    const cause = classifyEdit(edit);
    if (cause === 'typing' && changes.length === 1) {
      signals?.noteTyped(key, changes[0].offset, changes[0].length, changes[0].text);
    } else {
      signals?.resetTyped();
    }
    const event: NewEventOf<'doc.edit'> = { kind: 'doc.edit', path: info.path, version, changes, cause };
    if (reason === undefined && !dirty) {
      this.held.set(key, { event, ts, until: ts + SETTLE_MS, signals: edit });
      this.heldTimer ??= setTimeout(() => this.settleDue(), SETTLE_MS);
      return;
    }
    this.write(event, key, edit, ts);
  }

  private save(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const version = document.version;
    const ts = Date.now();
    this.turns.run('doc.save', () => this.saved(document, key, version, ts));
  }

  private saved(document: vscode.TextDocument, key: string, version: number, ts: number): void {
    if (this.disposed) {
      return;
    }
    this.settle(key, true);
    if (this.pending.some((p) => p.key === key) && this.signals?.editsOnSave(document)) {
      for (const p of this.pending) {
        if (p.key === key) {
          p.signals.saving = true; // edited while being saved: format on save (or a code action on save)
        }
      }
    }
    this.flushPending();
    const info = this.docs.get(key);
    if (info) {
      this.sink.emit({ kind: 'doc.save', path: info.path, version }, ts);
    }
  }

  private close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const dirty = document.isDirty;
    const ts = Date.now();
    this.turns.run('doc.close', () => this.closed(key, dirty, ts));
  }

  private closed(key: string, dirty: boolean, ts: number): void {
    if (this.disposed) {
      return;
    }
    this.settle(key, dirty);
    this.flushPending();
    const info = this.docs.get(key);
    if (info) {
      this.docs.delete(key);
      this.pastes.delete(key);
      this.sink.emit({ kind: 'doc.close', path: info.path }, ts);
    }
  }

  private focusLater(editor: vscode.TextEditor | undefined): void {
    const ts = Date.now();
    this.turns.run('editor.focus', () => this.disposed || this.focus(editor, ts));
  }

  private focus(editor: vscode.TextEditor | undefined, ts?: number): void {
    const location = editor ? this.paths.locate(editor.document.uri) : undefined;
    if (editor && !location) {
      return; // an output channel or another view we do not capture
    }
    const path = location?.path ?? null;
    if (path === this.lastFocus) {
      return;
    }
    this.lastFocus = path;
    this.sink.emit(editor && path ? { kind: 'editor.focus', path, languageId: editor.document.languageId } : { kind: 'editor.focus', path: null }, ts);
  }
}
