import type { ContentChange, EditCause } from './events';

/** What the collector knows about a content-change event when it arrives. */
export interface EditSignals {
  /** VS Code's TextDocumentChangeReason: 1 = Undo, 2 = Redo, undefined otherwise. */
  reason: number | undefined;
  /** A paste into this document was announced just before (paste-edit provider). */
  pasteAnnounced: boolean;
  /** The change happened in the active text editor. */
  inActiveEditor: boolean;
  /** Number of selections (cursors) in that editor. */
  cursors: number;
  changeCount: number;
  /** Inserted text of the first change. */
  firstText: string;
  /** Every change of the event (offsets before the change, UTF-16), when the collector passes them. */
  changes?: readonly ContentChange[];
  /** The primary selection before the change (offsets), from the last selection event of this editor. */
  selection?: { start: number; end: number };
  /** What was typed just before, ending at the cursor, while it forms one word (for accepted suggestions). */
  typedWord?: string;
  /** Between onWillSaveTextDocument and onDidSaveTextDocument (format on save, code actions on save). */
  saving?: boolean;
  /** How many documents were changed together with this one (one workspace edit: a rename across files, an assistant's edit). */
  batchDocuments?: number;
  /** The document is shown in some editor (false: an extension edits it in the background). */
  visible?: boolean;
  /** An inline completion was requested at the position of the change, shortly before (our observing provider). */
  inlineRequested?: boolean;
  /** The engineer asked for code actions (Ctrl+., the light bulb) in this document shortly before. */
  codeActionRequested?: boolean;
}

const NEWLINE_WITH_INDENT = /^\r?\n[ \t]*$/;
const WHITESPACE = /^\s*$/;
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
/** What a suggestion from the completion list inserts: an identifier, possibly a call or a member. */
const SUGGESTION = /^[\p{L}_$@#][\p{L}\p{N}_$.:-]*(?:\(\))?$/u;

/**
 * Best-effort cause of an edit. VS Code 1.100 has no API that names the cause, so this
 * combines what an extension can observe (README, "Who wrote the code", lists which signals
 * are exact and which inferred):
 * - exact: the change reason (undo, redo), a paste (the paste-edit provider saw it), an edit
 *   while the document is being saved (format on save);
 * - inferred from the shape of the change and what came just before: typing (a character, an
 *   auto-closed pair, Enter with indentation, a deletion at the cursor), multi-cursor typing,
 *   a formatter (only whitespace changed, not where the cursor is), a rename or refactoring
 *   (several documents in one workspace edit; the same identifier replaced in several
 *   places; a code action asked for just before), an accepted suggestion (the word typed is
 *   replaced by a longer identifier), an accepted inline completion (text inserted at the
 *   cursor where an inline completion was requested), an assistant (a larger edit applied
 *   by another extension: away from the cursor, or to a document no editor shows).
 * `snippet` needs the selection that follows the edit; the collector upgrades a completion
 * or suggestion to it ({@link isSnippetFollowUp}). Anything else is `programmatic`.
 */
export function classifyEdit(s: EditSignals): EditCause {
  if (s.reason === 1) {
    return 'undo';
  }
  if (s.reason === 2) {
    return 'redo';
  }
  if (s.pasteAnnounced) {
    return 'paste';
  }
  if (s.saving) {
    return 'format';
  }
  const changes = s.changes ?? [{ offset: -1, length: 0, text: s.firstText }];
  if ((s.batchDocuments ?? 1) > 1 && changes.every((c) => c.length > 0 && IDENTIFIER.test(c.text))) {
    return 'refactor'; // identifiers replaced across documents in one workspace edit: a rename
  }
  if (!s.inActiveEditor) {
    return s.visible === false ? 'assistant' : 'programmatic';
  }
  if (s.changeCount > 1) {
    if (s.cursors > 1) {
      return 'multi-cursor';
    }
    if (changes.every((c) => WHITESPACE.test(c.text))) {
      return 'format';
    }
    if (changes.every((c) => c.length > 0 && c.text === changes[0].text && IDENTIFIER.test(c.text))) {
      return 'refactor'; // the same identifier put in several places: a rename
    }
    return s.codeActionRequested ? 'refactor' : 'programmatic';
  }
  const change = changes[0];
  const text = change.text;
  const selection = s.selection;
  // The change touches the selection: an insert at the cursor, backspace or delete next to it, typing over a selection.
  const atCursor = selection !== undefined && change.offset <= selection.end && change.offset + change.length >= selection.start;
  const known = selection !== undefined && change.offset >= 0;
  if (known && !atCursor && WHITESPACE.test(text) && (text.length > 0 || change.length > 0)) {
    const word = s.typedWord ?? '';
    const replacesTypedWord = word.length > 0 && change.length === word.length && change.offset === selection.start - word.length;
    if (!replacesTypedWord) {
      return 'format'; // whitespace changed away from the cursor (format on type, format document)
    }
  }
  if (text.length <= 2 || NEWLINE_WITH_INDENT.test(text)) {
    return known && !atCursor && !nearCursor(change, selection) ? 'programmatic' : 'typing';
  }
  if (known) {
    const word = s.typedWord ?? '';
    if (word.length > 0 && change.length === word.length && change.offset === selection.start - word.length && text.toLowerCase().startsWith(word.toLowerCase()) && SUGGESTION.test(text)) {
      return 'suggestion';
    }
    if (change.length === 0 && change.offset === selection.start && selection.start === selection.end) {
      if (word.length > 0 && SUGGESTION.test(word + text)) {
        return 'suggestion'; // the list inserted the rest of the typed word
      }
      if (s.inlineRequested) {
        return 'completion';
      }
    }
    if (s.codeActionRequested) {
      return 'refactor';
    }
    if (!atCursor) {
      return isLarge(text) ? 'assistant' : 'programmatic';
    }
  }
  if (s.inlineRequested) {
    return 'completion';
  }
  return isLarge(text) ? 'assistant' : 'programmatic';
}

/** An edit from elsewhere big enough to be written by an assistant rather than a small command. */
function isLarge(text: string): boolean {
  return text.length >= 40 || /\n.*\S/.test(text);
}

/** Auto-closing and typing next to the cursor (a bracket pair closed one character later). */
function nearCursor(change: ContentChange, selection: { start: number; end: number } | undefined): boolean {
  return selection !== undefined && Math.abs(change.offset - selection.end) <= 1;
}

/**
 * Whether the selection that follows an inserted text shows a snippet: VS Code selects its
 * first placeholder, or puts the cursor on its final tab stop inside the text (an accepted
 * completion or suggestion leaves the cursor at the end of what it inserted).
 */
export function isSnippetFollowUp(insertedAt: number, insertedLength: number, selection: { start: number; end: number }): boolean {
  const end = insertedAt + insertedLength;
  const inside = selection.start >= insertedAt && selection.end <= end;
  return inside && (selection.start !== selection.end || selection.end < end);
}
