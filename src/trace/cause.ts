import type { EditCause } from './events';

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
}

const NEWLINE_WITH_INDENT = /^\r?\n[ \t]*$/;

/**
 * Best-effort cause of an edit. VS Code 1.100 has no API that names the cause, so this
 * combines the change reason, an observed paste and the shape of the change (the
 * collector itself tells a reload from disk, `external`, by the dirty state):
 * small inserts (a character, an auto-closed pair, Enter with indentation) and deletions in
 * the active editor are typing; several changes with several cursors are a multi-cursor
 * edit; anything else (formatters, refactorings, snippets, completions, other extensions)
 * is programmatic.
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
  if (!s.inActiveEditor) {
    return 'programmatic';
  }
  if (s.changeCount > 1) {
    return s.cursors > 1 ? 'multi-cursor' : 'programmatic';
  }
  const text = s.firstText;
  if (text.length <= 2 || NEWLINE_WITH_INDENT.test(text)) {
    return 'typing';
  }
  return 'programmatic';
}
