import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { nextEvent, openNew, sessionEvents, typeChars, whenText, worktrace } from '../integration/support';

/** The window opened a workspace whose committed .vscode/settings.json sets worktrace.enabled to false. */
suite('a workspace whose .vscode/settings.json disables capture', () => {
  test('records nothing; enabling it through the command starts capture without a reload', async () => {
    const api = await worktrace();
    assert.equal(vscode.workspace.getConfiguration('worktrace').inspect('enabled')?.workspaceValue, false, 'the team lead committed false');
    const editor = await openNew('src/quiet.js', 'let quiet = true;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('// typed while disabled\n');
    await whenText(editor.document, (t) => t.includes('typed while disabled'), 'typed text');
    assert.ok(await editor.document.save());
    assert.deepEqual(await sessionEvents(), [], 'not a single event, not even session.start');

    const started = nextEvent('session.start');
    await vscode.commands.executeCommand('worktrace.enableInWorkspace');
    await started;
    await typeChars('// typed once enabled\n');
    await whenText(editor.document, (t) => t.includes('typed once enabled'), 'typed text');
    assert.ok(await editor.document.save());
    const events = await sessionEvents();
    assert.equal(events[0]?.kind, 'session.start');
    assert.ok(events.some((e) => e.kind === 'doc.open' && e.path === 'src/quiet.js'));
    const edits = JSON.stringify(events.filter((e) => e.kind === 'doc.edit'));
    assert.ok(edits.includes('"/"') || edits.includes('typed'), 'typing is captured');
    assert.ok(!edits.includes('typed while disabled'));
    void api;
  });
});
