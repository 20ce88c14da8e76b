import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { anyAssistant } from '../authorship/assistantExtensions';
import { guard, type Logger } from '../common/logger';

/** How long a request for inline completions or code actions counts as "just before" an edit (ms). */
const RECENT_MS = 30_000;
const WORD_CHAR = /^[\p{L}\p{N}_$]$/u;

interface Selection {
  start: number;
  end: number;
}

/**
 * What the document collector needs to tell who made an edit (trace/cause.ts), gathered
 * without I/O: the selection before each change, the word being typed, saves in progress,
 * and where inline completions and code actions were asked for. Two observing providers
 * (inline completions, code actions) offer nothing; they only note that VS Code asked, which
 * is the one signal an extension gets that such a suggestion may be accepted next. The inline
 * one is registered only while an assistant is installed (authorship/assistantExtensions.ts):
 * without one there is no inline completion to accept, and it would cost every keystroke.
 */
export class EditSignalSource extends Disposable {
  private readonly selections = new Map<string, Selection>();
  private typed: { key: string; end: number; word: string } | undefined;
  private readonly saving = new Set<string>();
  private readonly inline = new Map<string, { offset: number; at: number }>();
  private readonly codeActions = new Map<string, number>();
  private readonly selectionListeners = new Set<(key: string, selection: Selection) => void>();
  /**
   * Whether saving edits, by language and workspace folder: reading the configuration costs
   * tens of microseconds in the extension host, and a search-and-replace saves hundreds of
   * documents in one turn. Forgotten when any setting changes.
   */
  private readonly savingEdits = new Map<string, boolean>();
  private inlineObserver: vscode.Disposable | undefined;

  constructor(log: Logger) {
    super();
    const subscriptions = [
      vscode.window.onDidChangeTextEditorSelection(
        guard(log, 'selection signal', (e: vscode.TextEditorSelectionChangeEvent) => {
          const document = e.textEditor.document;
          const primary = e.selections[0];
          if (!primary) return;
          const key = document.uri.toString();
          const selection = { start: document.offsetAt(primary.start), end: document.offsetAt(primary.end) };
          this.selections.set(key, selection);
          for (const listener of this.selectionListeners) listener(key, selection);
        }),
      ),
      vscode.workspace.onWillSaveTextDocument((e) => this.saving.add(e.document.uri.toString())),
      vscode.workspace.onDidSaveTextDocument((d) => this.saving.delete(d.uri.toString())),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
      // Any change: a language's own settings (`[typescript]`) count too, and changes are rare.
      vscode.workspace.onDidChangeConfiguration(() => this.savingEdits.clear()),
      vscode.extensions.onDidChange(guard(log, 'extensions changed', () => this.observeInlineCompletions())),
      new vscode.Disposable(() => {
        this.inlineObserver?.dispose();
      }),
      vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], {
        provideCodeActions: (document, _range, context) => {
          if (context.triggerKind === vscode.CodeActionTriggerKind.Invoke) {
            this.codeActions.set(document.uri.toString(), Date.now());
          }
          return undefined;
        },
      }),
    ];
    subscriptions.forEach((s) => this.register(s));
    this.observeInlineCompletions();
  }

  /** Registers the inline completion observer while an assistant is installed, and only then. */
  private observeInlineCompletions(): void {
    const wanted = anyAssistant(vscode.extensions.all.map((e) => ({ id: e.id, categories: (e.packageJSON as { categories?: unknown }).categories })));
    if (wanted && !this.inlineObserver) {
      this.inlineObserver = vscode.languages.registerInlineCompletionItemProvider([{ scheme: 'file' }, { scheme: 'untitled' }], {
        provideInlineCompletionItems: (document, position) => {
          this.inline.set(document.uri.toString(), { offset: document.offsetAt(position), at: Date.now() });
          return undefined;
        },
      });
    } else if (!wanted && this.inlineObserver) {
      this.inlineObserver.dispose();
      this.inlineObserver = undefined;
    }
  }

  /** The primary selection of the document's editor before the change being handled (offsets). */
  selection(key: string): Selection | undefined {
    return this.selections.get(key);
  }

  /**
   * Whether saving `document` may edit it: format on save, or code actions on save, are on for
   * its language. Only then does an edit that its save follows count as done by the save.
   */
  editsOnSave(document: vscode.TextDocument): boolean {
    const key = `${document.languageId}\u0000${vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString() ?? ''}`;
    let edits = this.savingEdits.get(key);
    if (edits === undefined) {
      const config = vscode.workspace.getConfiguration('editor', document);
      const actions = config.get<unknown>('codeActionsOnSave');
      const anyAction = Array.isArray(actions) ? actions.length > 0 : typeof actions === 'object' && actions !== null && Object.values(actions).some((v) => v === true || v === 'explicit' || v === 'always');
      edits = config.get<boolean>('formatOnSave') === true || anyAction;
      this.savingEdits.set(key, edits);
    }
    return edits;
  }

  /** The word typed just before, ending at `cursor`. */
  typedWord(key: string, cursor: number | undefined): string | undefined {
    const typed = this.typed;
    return typed && typed.key === key && typed.end === cursor ? typed.word : undefined;
  }

  /** A typing edit was recorded: extend or restart the word being typed. */
  noteTyped(key: string, offset: number, length: number, text: string): void {
    const typed = this.typed;
    if (length === 0 && text.length === 1 && WORD_CHAR.test(text)) {
      this.typed = typed && typed.key === key && typed.end === offset ? { key, end: offset + 1, word: typed.word + text } : { key, end: offset + 1, word: text };
    } else if (length === 1 && text === '' && typed && typed.key === key && typed.end === offset + 1 && typed.word.length > 1) {
      this.typed = { key, end: offset, word: typed.word.slice(0, -1) }; // backspace within the word
    } else {
      this.typed = undefined;
    }
  }

  /** Any other edit ends the word being typed. */
  resetTyped(): void {
    this.typed = undefined;
  }

  isSaving(key: string): boolean {
    return this.saving.has(key);
  }

  /** Whether inline completions were asked for at `offset` of the document shortly before. */
  inlineRequestedAt(key: string, offset: number, now = Date.now()): boolean {
    const request = this.inline.get(key);
    return request !== undefined && request.offset === offset && now - request.at <= RECENT_MS;
  }

  /** Whether the engineer asked for code actions (Ctrl+., the light bulb) in the document shortly before. */
  codeActionRequested(key: string, now = Date.now()): boolean {
    const at = this.codeActions.get(key);
    return at !== undefined && now - at <= RECENT_MS;
  }

  /** A code action or inline completion was applied: it is not "just asked for" any more. */
  consumed(key: string): void {
    this.codeActions.delete(key);
    this.inline.delete(key);
  }

  /** Calls `listener` on every selection change (after it was recorded). */
  onSelection(listener: (key: string, selection: Selection) => void): vscode.Disposable {
    this.selectionListeners.add(listener);
    return new vscode.Disposable(() => this.selectionListeners.delete(listener));
  }

  private forget(key: string): void {
    this.selections.delete(key);
    this.saving.delete(key);
    this.inline.delete(key);
    this.codeActions.delete(key);
    if (this.typed?.key === key) this.typed = undefined;
  }
}
