import * as assert from 'node:assert/strict';
import { classifyEdit, isSnippetFollowUp, type EditSignals } from '../../src/trace/cause';
import type { ContentChange } from '../../src/trace/events';

/** An edit in the active editor with one cursor at `cursor` (empty selection) unless told otherwise. */
function edit(changes: ContentChange[], more: Partial<EditSignals> = {}, cursor = 10): EditSignals {
  return {
    reason: undefined,
    pasteAnnounced: false,
    inActiveEditor: true,
    cursors: 1,
    changeCount: changes.length,
    firstText: changes[0].text,
    changes,
    selection: { start: cursor, end: cursor },
    visible: true,
    ...more,
  };
}

suite('edit causes (trace/cause.ts)', () => {
  const cases: [string, EditSignals, string][] = [
    ['undo', edit([{ offset: 3, length: 0, text: 'abc' }], { reason: 1 }), 'undo'],
    ['redo', edit([{ offset: 3, length: 0, text: 'abc' }], { reason: 2 }), 'redo'],
    ['a paste the provider saw', edit([{ offset: 10, length: 0, text: 'pasted text here' }], { pasteAnnounced: true }), 'paste'],
    ['a character typed', edit([{ offset: 10, length: 0, text: 'x' }]), 'typing'],
    ['an auto-closed pair', edit([{ offset: 10, length: 0, text: '()' }]), 'typing'],
    ['Enter with indentation', edit([{ offset: 10, length: 0, text: '\n    ' }]), 'typing'],
    ['backspace', edit([{ offset: 9, length: 1, text: '' }]), 'typing'],
    ['typing over a selection', edit([{ offset: 4, length: 6, text: 'y' }], { selection: { start: 4, end: 10 } }), 'typing'],
    ['multi-cursor typing', edit([{ offset: 30, length: 0, text: 'x' }, { offset: 10, length: 0, text: 'x' }], { cursors: 2 }), 'multi-cursor'],
    ['whitespace changed in several places (format document)', edit([{ offset: 50, length: 2, text: '    ' }, { offset: 20, length: 0, text: '  ' }, { offset: 0, length: 1, text: '' }]), 'format'],
    ['an edit while saving (format on save)', edit([{ offset: 0, length: 0, text: 'const x = 1;' }], { saving: true }), 'format'],
    ['whitespace away from the cursor right after typing (format on type)', edit([{ offset: 2, length: 0, text: '  ' }]), 'format'],
    ['a workspace edit over several documents (rename across files)', edit([{ offset: 4, length: 3, text: 'total' }], { batchDocuments: 3 }), 'refactor'],
    ['the same identifier in several places (rename)', edit([{ offset: 40, length: 3, text: 'total' }, { offset: 4, length: 3, text: 'total' }]), 'refactor'],
    ['after a code action was asked for', edit([{ offset: 0, length: 0, text: "import { x } from './x';\n" }], { codeActionRequested: true }), 'refactor'],
    ['the typed word replaced by a longer identifier (suggestion)', edit([{ offset: 7, length: 3, text: 'console' }], { typedWord: 'con' }), 'suggestion'],
    ['the rest of the typed word inserted (suggestion)', edit([{ offset: 10, length: 0, text: 'sole' }], { typedWord: 'con' }), 'suggestion'],
    ['text inserted at the cursor where an inline completion was requested', edit([{ offset: 10, length: 0, text: 'return a + b;\n}' }], { inlineRequested: true }), 'completion'],
    ['a block inserted away from the cursor (an assistant)', edit([{ offset: 200, length: 0, text: 'function helper() {\n  return 42;\n}\n' }]), 'assistant'],
    ['a block inserted into a document no editor shows', edit([{ offset: 0, length: 0, text: 'x' }], { inActiveEditor: false, visible: false }), 'assistant'],
    ['a small insert away from the cursor', edit([{ offset: 200, length: 0, text: 'abc' }]), 'programmatic'],
    ['a visible but inactive editor', edit([{ offset: 0, length: 0, text: 'abc' }], { inActiveEditor: false }), 'programmatic'],
  ];
  for (const [what, signals, cause] of cases) {
    test(`${what}: ${cause}`, () => assert.equal(classifyEdit(signals), cause));
  }

  test('without cursor information (older callers) small inserts are typing and larger ones programmatic', () => {
    assert.equal(classifyEdit({ reason: undefined, pasteAnnounced: false, inActiveEditor: true, cursors: 1, changeCount: 1, firstText: 'x' }), 'typing');
    assert.equal(classifyEdit({ reason: undefined, pasteAnnounced: false, inActiveEditor: true, cursors: 1, changeCount: 1, firstText: 'some' }), 'programmatic');
  });

  test('a snippet: its first placeholder selected, or the cursor left inside what it inserted', () => {
    assert.equal(isSnippetFollowUp(10, 20, { start: 14, end: 18 }), true);
    assert.equal(isSnippetFollowUp(10, 20, { start: 22, end: 22 }), true);
    assert.equal(isSnippetFollowUp(10, 20, { start: 30, end: 30 }), false, 'cursor at the end: a plain completion');
    assert.equal(isSnippetFollowUp(10, 20, { start: 2, end: 2 }), false);
  });
});
