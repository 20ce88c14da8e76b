import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WorktraceApi } from '../../src/extension';

const ID = 'worktrace.worktrace';

suite('activation in a real VS Code', () => {
  test('the extension activates in the real extension host', async () => {
    console.log(`vscode.version = ${vscode.version}`);
    const extension = vscode.extensions.getExtension<WorktraceApi>(ID);
    assert.ok(extension, `${ID} is installed`);
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.match(api.sessionId, /^[A-Za-z0-9_-]{21}$/);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
  });

  test('its commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['worktrace.showLog', 'worktrace.togglePause']) {
      assert.ok(commands.includes(command), `${command} is registered`);
    }
    const contributed = (vscode.extensions.getExtension(ID)?.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands;
    for (const { command } of contributed) {
      assert.ok(commands.includes(command), `contributed ${command} is registered`);
    }
  });

  test('the log channel "Worktrace" can be shown', async () => {
    await vscode.commands.executeCommand('worktrace.showLog');
  });
});
