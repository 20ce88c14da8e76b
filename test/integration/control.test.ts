import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { assertReplayExact, bashTerminal, editsOf, nextEvent, openNew, runInTerminal, sessionEvents, typeChars, whenText, worktrace } from './support';

suite('control: pause, per-workspace enablement', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('worktrace.resume');
    await vscode.commands.executeCommand('worktrace.enableInWorkspace');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('text typed and a command run while paused are absent; resume snapshots again and replay stays exact', async () => {
    await worktrace();
    const terminal = await bashTerminal('worktrace-pause');
    const editor = await openNew('src/paused.js', 'const before = 1;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('// kept\n');
    const paused = nextEvent('capture.pause');
    await vscode.commands.executeCommand('worktrace.pause');
    assert.equal((await paused).until, null);
    await typeChars('// typed while paused\n');
    await whenText(editor.document, (t) => t.includes('typed while paused'), 'typed text');
    await runInTerminal(terminal, 'echo ran-while-paused-marker');
    const resumed = nextEvent('capture.resume');
    await vscode.commands.executeCommand('worktrace.resume');
    await resumed;
    await typeChars('// after resume\n');
    await whenText(editor.document, (t) => t.includes('after resume'), 'typed text');
    await assertReplayExact(editor.document);
    const events = await sessionEvents();
    // The keystrokes and the command are not captured; the text typed while paused is only
    // part of the document as it stands at resume (its fresh snapshot, and diff context after it).
    const leaks = events.filter((e) => (e.kind === 'doc.edit' || e.kind === 'terminal.command') && /typed while paused|ran-while-paused-marker/.test(JSON.stringify(e)));
    assert.deepEqual(leaks, [], 'nothing captured while paused');
    const resume = events.findIndex((e) => e.kind === 'capture.resume');
    assert.ok(events.slice(resume).some((e) => e.kind === 'doc.open' && e.path === 'src/paused.js' && e.existing === true), 'a fresh snapshot at resume');
    assert.ok(editsOf(events, 'src/paused.js').length > 0);
    terminal.dispose();
  });

  test('disabling in the workspace stops capture at once; enabling by command starts it again without a reload', async () => {
    await worktrace();
    const editor = await openNew('src/toggled.js', 'let on = true;\n');
    const stopped = nextEvent('capture.pause', (e) => e.reason === 'disabled');
    await vscode.commands.executeCommand('worktrace.disableInWorkspace');
    await stopped;
    assert.equal(vscode.workspace.getConfiguration('worktrace').inspect('enabled')?.workspaceValue, false);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('// off in this workspace\n');
    await whenText(editor.document, (t) => t.includes('off in this workspace'), 'typed text');
    const started = nextEvent('capture.resume');
    await vscode.commands.executeCommand('worktrace.enableInWorkspace');
    await started;
    await typeChars('// on again\n');
    await whenText(editor.document, (t) => t.includes('on again'), 'typed text');
    await assertReplayExact(editor.document);
    const text = JSON.stringify((await sessionEvents()).filter((e) => e.kind === 'doc.edit'));
    assert.ok(!text.includes('off in this workspace'));
    assert.ok(text.includes('on again') || text.includes('"n"'), 'typing is captured again');
  });

  test('pauseFor pauses for the given minutes', async () => {
    await worktrace();
    const paused = nextEvent('capture.pause');
    await vscode.commands.executeCommand('worktrace.pauseFor', 15);
    const event = await paused;
    assert.ok(event.until !== null && event.until > Date.now() + 14 * 60_000 && event.until <= Date.now() + 15 * 60_000);
  });
});
