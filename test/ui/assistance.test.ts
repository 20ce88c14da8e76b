import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EditCause, EventOf, TraceEvent } from '../../src/trace/events';
import { activeEditor, newestSession, openFromExplorer, pasteIntoEditor, runCommand, statusItem, until, workbench } from './workbench';

/**
 * The labelled assistance set: each way code gets into the editor, done through the real
 * workbench, and the cause Worktrace recorded for it. The "assistant" here is a small test
 * extension (test/fixtures/assistant-extension, loaded next to Worktrace in this window):
 * nothing here is real AI; it offers fixed inline completions, completion items, a snippet,
 * a formatter, a code action and a command that applies a workspace edit through the real API.
 */

export interface Labelled {
  label: string;
  expected: EditCause;
  recorded: EditCause | 'missing';
}

const INLINE = 'return a + b; // from the inline completion';

function session(): TraceEvent[] {
  return newestSession();
}

function edits(file: string): EventOf<'doc.edit'>[] {
  return session().filter((e): e is EventOf<'doc.edit'> => e.kind === 'doc.edit' && e.path === file);
}

/** Waits until an edit of `file` after seq `since` satisfies `match` and returns it. */
async function editOf(file: string, what: string, match: (e: EventOf<'doc.edit'>) => boolean, since = 0): Promise<EventOf<'doc.edit'>> {
  return until(what, () => edits(file).find((e) => e.seq > since && match(e)), () => edits(file).slice(-6).map((e) => `${e.cause} ${JSON.stringify(e.changes)}`).join('; '));
}

const inserts = (text: string) => (e: EventOf<'doc.edit'>) => e.changes.some((c) => c.text.includes(text));

/** Runs the set in a new file `name` of the workspace; returns expected and recorded causes. */
export async function runAssistanceSet(name = 'labelled.assist'): Promise<Labelled[]> {
  const { page, workspace } = workbench();
  writeFileSync(path.join(workspace, name), '');
  await openFromExplorer(page, name);
  const editor = activeEditor(page);
  await editor.click();
  const results: Labelled[] = [];
  let since = 0;
  const check = async (label: string, expected: EditCause, what: (e: EventOf<'doc.edit'>) => boolean): Promise<void> => {
    let recorded: EditCause | 'missing';
    try {
      const edit = await editOf(name, label, what, since);
      since = edit.seq;
      recorded = edit.cause;
    } catch {
      recorded = 'missing';
    }
    results.push({ label, expected, recorded });
  };

  await page.keyboard.type('let typed = 1;');
  await page.keyboard.press('Enter');
  await check('typing', 'typing', (e) => e.changes.some((c) => c.text === ';'));

  await page.keyboard.type('function add(a, b) {');
  await page.keyboard.press('Enter');
  await page.locator('.ghost-text-decoration, .ghost-text').first().waitFor();
  await page.keyboard.press('Tab');
  await check('inline completion accepted with Tab', 'completion', inserts('from the inline completion'));
  await page.keyboard.press('Enter');
  await page.keyboard.type('}');
  await page.keyboard.press('Enter');

  await page.keyboard.type('comp');
  await page.keyboard.press('Control+Space');
  await page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'computeTotal' }).first().waitFor();
  await page.keyboard.press('Enter');
  await check('completion-list suggestion accepted with Enter', 'suggestion', inserts('uteTotal'));
  await page.keyboard.type('();');
  await page.keyboard.press('Enter');

  await page.keyboard.type('forl');
  await page.keyboard.press('Control+Space');
  await page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'forloop' }).first().waitFor();
  await page.keyboard.press('Enter');
  await check('snippet from the completion list', 'snippet', inserts('for (let i = 0;'));
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');

  await page.keyboard.type('function f() {');
  await page.keyboard.press('Enter');
  await page.keyboard.type('return 1;');
  await page.keyboard.press('Enter');
  await page.keyboard.type('}');
  await runCommand(page, 'Format Document');
  await check('Format Document', 'format', (e) => e.changes.length > 0 && e.changes.every((c) => /^\s*$/.test(c.text)) && e.changes.some((c) => c.text === '  '));

  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row').filter({ hasText: 'Add a header comment' }).first().waitFor();
  await page.keyboard.press('Enter');
  await check('code action (quick fix)', 'refactor', inserts('header added by a code action'));

  await page.keyboard.press('Control+Home');
  await runCommand(page, 'Test Assistant: Apply Suggested Change');
  await check('workspace edit applied by another extension (an assistant)', 'assistant', inserts('fromAssistant'));

  await editor.click();
  await page.keyboard.press('Control+End');
  await pasteIntoEditor(page, "const pasted = 'from the clipboard';\n");
  await check('paste with Ctrl+V', 'paste', inserts('from the clipboard'));
  await page.keyboard.press('Control+Z');
  await check('undo', 'undo', (e) => e.changes.some((c) => c.length > 30 && c.text === ''));
  await page.keyboard.press('Control+Shift+Z');
  await check('redo', 'redo', inserts('from the clipboard'));
  await page.keyboard.press('Control+S');
  return results;
}

suite('workbench: who wrote the code (causes and authorship)', () => {
  test('the labelled assistance set: every cause is recorded as the engineer or the extension made it', async () => {
    await statusItem(workbench().page).waitFor({ state: 'visible' });
    const results = await runAssistanceSet();
    const wrong = results.filter((r) => r.recorded !== r.expected);
    // The labelled set as a table (what was done → what the trace says), for the log.
    process.stdout.write(results.map((r) => `      ${r.label.padEnd(48)} expected ${r.expected.padEnd(13)} recorded ${r.recorded}\n`).join(''));
    assert.deepEqual(wrong, [], `causes: ${results.map((r) => `${r.label}: ${r.recorded}`).join(', ')}`);
  });

  test('a commit after typing, accepting a completion and pasting: its authorship is right to the line', async () => {
    const { page, workspace } = workbench();
    const name = 'authored.assist';
    writeFileSync(path.join(workspace, name), '');
    await openFromExplorer(page, name);
    await activeEditor(page).click();
    await page.keyboard.type('const a = 1;');
    await page.keyboard.press('Enter');
    await page.keyboard.type('const b = 2;');
    await page.keyboard.press('Enter');
    await page.keyboard.type('function add(a, b) {');
    await page.keyboard.press('Enter');
    await page.locator('.ghost-text-decoration, .ghost-text').first().waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.type('}');
    await page.keyboard.press('Enter');
    await pasteIntoEditor(page, 'const pasted1 = 1;\nconst pasted2 = 2;\n');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').filter({ hasText: 'pasted2' }).waitFor();
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    await editOf(name, 'the completion', inserts(INLINE));
    execFileSync('git', ['add', name], { cwd: workspace });
    execFileSync('git', ['commit', '-q', '-m', 'Authored by several hands'], { cwd: workspace });
    const commit = await until('the commit with its authorship', () => session().find((e): e is EventOf<'git.commit'> => e.kind === 'git.commit' && e.message === 'Authored by several hands'));
    assert.ok(commit.authorship, 'the commit carries authorship');
    assert.deepEqual(commit.authorship.lines, { typed: 4, pasted: 2, completion: 1, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 });
    assert.equal(commit.authorship.unexplained, 0);
    assert.deepEqual(commit.authorship.files.map((f) => f.path), [name]);
  });
});
