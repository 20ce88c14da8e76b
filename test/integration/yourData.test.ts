import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { assertReplayExact, openNew, sessionEvents, typeChars, whenText, worktrace } from './support';

// Runs last (files run in name order): deleting local data removes the traces earlier suites read.
suite('your data: forget recent, delete local data', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('forgetRecent removes the last minutes from the local trace files and the spool; replay stays exact afterwards', async () => {
    const api = await worktrace();
    const editor = await openNew('src/forget.js', 'let keep = 1;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('// FORGET-ME\n');
    await whenText(editor.document, (t) => t.includes('FORGET-ME'), 'typed text');
    await api.flush();
    assert.ok(JSON.stringify(await sessionEvents()).includes('FORGET-ME'));
    // The engineer removes what they typed, then presses the panic button.
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(1, 0, 2, 0))));
    await vscode.commands.executeCommand('worktrace.forgetRecent', 5);
    await api.flush();
    const { readdir, readFile } = await import('node:fs/promises');
    for (const dir of [api.traceDirectory, api.spoolDirectory]) {
      for (const file of await readdir(dir, { recursive: true })) {
        const text = await readFile(`${dir}/${String(file)}`).then((b) => b.toString('utf8')).catch(() => '');
        assert.ok(!text.includes('FORGET-ME'), `forgotten in ${String(file)}`);
      }
    }
    await typeChars('// after forgetting\n');
    await whenText(editor.document, (t) => t.includes('after forgetting'), 'typed text');
    await assertReplayExact(editor.document);
  });

  test('deleteLocalData deletes the spool and the local trace files; capture goes on', async () => {
    const api = await worktrace();
    await api.flush();
    await vscode.commands.executeCommand('worktrace.deleteLocalData', true);
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(api.traceDirectory)).filter((f) => f.startsWith('worktrace-')), []);
    const editor = await openNew('src/after-delete.js', 'let again = 1;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('// still recording\n');
    await whenText(editor.document, (t) => t.includes('still recording'), 'typed text');
    await assertReplayExact(editor.document);
  });
});
