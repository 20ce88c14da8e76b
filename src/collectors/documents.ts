import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
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
 * fields and hands them on; no getText(), no diffing, no I/O.
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

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    private readonly options: DocumentCollectorOptions,
    log: Logger,
    private readonly signals?: EditSignalSource,
  ) {
    super();
    if (signals) {
      this.register(signals.onSelection((key, selection) => this.followUp(key, selection)));
    }
    this.register(vscode.workspace.onDidOpenTextDocument(guard(log, 'doc.open', (d: vscode.TextDocument) => this.open(d, false))));
    this.register(vscode.workspace.onDidChangeTextDocument(guard(log, 'doc.edit', (e: vscode.TextDocumentChangeEvent) => this.change(e))));
    this.register(vscode.workspace.onDidSaveTextDocument(guard(log, 'doc.save', (d: vscode.TextDocument) => this.save(d))));
    this.register(vscode.workspace.onDidCloseTextDocument(guard(log, 'doc.close', (d: vscode.TextDocument) => this.close(d))));
    this.register(vscode.window.onDidChangeActiveTextEditor(guard(log, 'editor.focus', (e: vscode.TextEditor | undefined) => this.focus(e))));
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
    const timer = setTimeout(guard(log, 'snapshot of open documents', () => this.snapshotOpen()), 0);
    this.register({
      dispose: () => {
        clearTimeout(timer);
        clearTimeout(this.heldTimer);
        this.settleAll();
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
    const location = this.paths.locate(document.uri);
    if (!location) {
      return;
    }
    this.docs.set(document.uri.toString(), location);
    const text = document.getText();
    const base = {
      kind: 'doc.open' as const,
      path: location.path,
      languageId: document.languageId,
      eol: document.eol === vscode.EndOfLine.CRLF ? ('\r\n' as const) : ('\n' as const),
      version: document.version,
      length: text.length,
      sha256: sha256(text),
      ...(existing ? { existing: true } : {}),
    };
    if (location.outside) {
      this.sink.emit({ ...base, replayable: false, omitted: 'outside-workspace' });
    } else if (Buffer.byteLength(text, 'utf8') > this.options.maxDocumentBytes) {
      this.sink.emit({ ...base, replayable: false, omitted: 'too-large' });
    } else {
      this.sink.emit({ ...base, replayable: true, text });
    }
  }

  private change(e: vscode.TextDocumentChangeEvent): void {
    const n = e.contentChanges.length;
    const document = e.document;
    if (n === 0) {
      // Only the dirty flag changed: it settles an edit held back on this document.
      if (this.held.size && document.isDirty) {
        this.settle(document.uri.toString(), true);
      }
      return;
    }
    const key = document.uri.toString();
    if (this.held.size) {
      this.settle(key, document.isDirty);
    }
    const info = this.docs.get(key);
    if (!info) {
      this.open(document, true);
      return;
    }
    if (info.outside) {
      return;
    }
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
    const selection = inActiveEditor ? signals?.selection(key) : undefined;
    const edit: EditSignals = {
      reason: e.reason,
      pasteAnnounced,
      inActiveEditor,
      cursors: inActiveEditor ? editor.selections.length : 0,
      changeCount: n,
      firstText: changes[0].text,
      changes,
      ...(selection ? { selection } : {}),
      ...(signals
        ? {
            typedWord: signals.typedWord(key, selection?.start),
            saving: signals.isSaving(key),
            visible: inActiveEditor || vscode.window.visibleTextEditors.some((v) => v.document === document),
            inlineRequested: signals.inlineRequestedAt(key, changes[0].offset),
            codeActionRequested: signals.codeActionRequested(key),
          }
        : {}),
    };
    const cause = classifyEdit(edit);
    if (cause === 'typing' && n === 1) {
      signals?.noteTyped(key, changes[0].offset, changes[0].length, changes[0].text);
    } else {
      signals?.resetTyped();
    }
    const event: NewEventOf<'doc.edit'> = { kind: 'doc.edit', path: info.path, version: document.version, changes, cause };
    if (e.reason === undefined && !document.isDirty) {
      const ts = Date.now();
      this.held.set(key, { event, ts, until: ts + SETTLE_MS, signals: edit });
      this.heldTimer ??= setTimeout(() => this.settleDue(), SETTLE_MS);
      return;
    }
    this.write(event, key, edit);
  }

  private save(document: vscode.TextDocument): void {
    const key = document.uri.toString();
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
      this.sink.emit({ kind: 'doc.save', path: info.path, version: document.version });
    }
  }

  private close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.settle(key, document.isDirty);
    this.flushPending();
    const info = this.docs.get(key);
    if (info) {
      this.docs.delete(key);
      this.pastes.delete(key);
      this.sink.emit({ kind: 'doc.close', path: info.path });
    }
  }

  private focus(editor: vscode.TextEditor | undefined): void {
    const location = editor ? this.paths.locate(editor.document.uri) : undefined;
    if (editor && !location) {
      return; // an output channel or another view we do not capture
    }
    const path = location?.path ?? null;
    if (path === this.lastFocus) {
      return;
    }
    this.lastFocus = path;
    this.sink.emit(editor && path ? { kind: 'editor.focus', path, languageId: editor.document.languageId } : { kind: 'editor.focus', path: null });
  }
}
