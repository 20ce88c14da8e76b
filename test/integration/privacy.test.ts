import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openNew, sessionEvents, typeChars, whenText, workspaceRoot, worktrace } from './support';

suite('privacy: excluded files', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('an .env file opened and edited leaves only doc.excluded markers', async () => {
    await worktrace();
    const editor = await openNew('.env.local', 'DATABASE_URL=postgres://app:hunter2@db/app\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('API_TOKEN=typed-into-env\n');
    await whenText(editor.document, (t) => t.includes('typed-into-env'), 'typed text');
    assert.ok(await editor.document.save());
    const events = await sessionEvents();
    const text = JSON.stringify(events);
    assert.ok(!text.includes('hunter2') && !text.includes('typed-into-env') && !text.includes('.env.local'), 'no content, no diff, no name');
    const markers = events.filter((e) => e.kind === 'doc.excluded');
    assert.equal(markers.length, 1);
    assert.match(markers[0].kind === 'doc.excluded' ? markers[0].path : '', /^excluded:[0-9a-f]{16}$/);
    assert.ok(events.some((e) => e.kind === 'editor.focus' && e.path === (markers[0].kind === 'doc.excluded' ? markers[0].path : '')), 'focus is recorded under the hashed path');
  });

  test('a file git ignores is excluded too', async () => {
    // The sample workspace ignores *.log and has an untracked debug.log.
    await worktrace();
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'debug.log')));
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'secret-ish log line\n'));
    const events = await sessionEvents();
    const text = JSON.stringify(events);
    assert.ok(!text.includes('a log file git ignores') && !text.includes('secret-ish log line') && !text.includes('debug.log'));
    assert.ok(events.some((e) => e.kind === 'doc.excluded'));
  });
});
