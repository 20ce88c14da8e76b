import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { bashTerminal, openNew, runInTerminal, sessionEvents, typeChars, whenText, worktrace } from '../integration/support';

/** The window opened a workspace that is not trusted (workspace trust on, never granted). */
suite('an untrusted workspace', () => {
  test('nothing is captured', async () => {
    await worktrace();
    assert.equal(vscode.workspace.isTrusted, false);
    const editor = await openNew('src/untrusted.js', 'let trusted = false;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('// typed in an untrusted workspace\n');
    await whenText(editor.document, (t) => t.includes('untrusted workspace'), 'typed text');
    assert.ok(await editor.document.save());
    const terminal = await bashTerminal('untrusted');
    await runInTerminal(terminal, 'echo untrusted-run');
    terminal.dispose();
    assert.deepEqual(await sessionEvents(), []);
  });
});
