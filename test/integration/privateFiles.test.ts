import * as assert from 'node:assert/strict';
import { promises as fs, existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startReceiver, type Receiver } from '../../src/receiver/receiver';
import { grantConsentForTests, openNew, typeChars, whenText, worktrace } from './support';

/** Every folder and file below `root` (root included) whose mode lets the group or others in. */
async function looseEntries(root: string): Promise<string[]> {
  const loose: string[] = [];
  const visit = async (entry: string): Promise<void> => {
    const stats = await fs.lstat(entry);
    if ((stats.mode & 0o077) !== 0) loose.push(`${entry} ${(stats.mode & 0o777).toString(8)}`);
    if (stats.isDirectory()) for (const name of await fs.readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(root);
  return loose;
}

/**
 * Runs after the delivery suite (file, http and otlp destinations used): adds a refused batch
 * (failed folder), gzip'd trace files and a stored pause, then checks that nothing Worktrace
 * wrote can be read by another account.
 */
suite('private files in real VS Code', () => {
  let receiver: Receiver;
  const config = () => vscode.workspace.getConfiguration('worktrace');

  suiteSetup(async () => {
    receiver = await startReceiver({ db: path.join(mkdtempSync(path.join(os.tmpdir(), 'worktrace-rx-')), 'events.db'), token: 'the-right-token' });
  });

  suiteTeardown(async () => {
    for (const key of ['destination', 'endpoint.url', 'file.gzip']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('worktrace.setEndpointToken', '');
    await vscode.commands.executeCommand('worktrace.resume');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await receiver.close();
  });

  async function typeSomething(file: string): Promise<void> {
    const editor = await openNew(file, '');
    await typeChars('private');
    await whenText(editor.document, (t) => t === 'private', 'typed text');
  }

  test('after every destination was used, no file or folder under the storage and the trace folder has group or other permission bits', async () => {
    const api = await worktrace();
    // A batch the endpoint refuses (wrong token) goes to spool/failed.
    await vscode.commands.executeCommand('worktrace.setEndpointToken', 'a-wrong-token');
    await config().update('endpoint.url', `${receiver.url}/ingest`, vscode.ConfigurationTarget.Global);
    await config().update('destination', 'http', vscode.ConfigurationTarget.Global);
    await grantConsentForTests();
    await typeSomething('src/private-http.txt');
    await api.flush();
    const failed = path.join(api.spoolDirectory, 'failed');
    assert.ok(existsSync(failed) && (await fs.readdir(failed)).length > 0, 'a refused batch waits in the failed folder');
    // gzip'd trace files.
    await config().update('destination', 'file', vscode.ConfigurationTarget.Global);
    await config().update('file.gzip', true, vscode.ConfigurationTarget.Global);
    await typeSomething('src/private-gzip.txt');
    await api.flush();
    assert.ok((await fs.readdir(api.traceDirectory)).some((f) => f.endsWith('.ndjson.gz')));
    // A stored pause (workspace storage).
    await vscode.commands.executeCommand('worktrace.pause');

    const globalStorage = path.dirname(api.spoolDirectory);
    const user = path.dirname(path.dirname(globalStorage));
    const workspaceStorage = path.join(user, 'workspaceStorage');
    const ours = (await fs.readdir(workspaceStorage)).map((d) => path.join(workspaceStorage, d, 'worktrace.worktrace')).filter((d) => existsSync(d));
    assert.ok(ours.some((d) => existsSync(path.join(d, 'pause.json'))), 'the pause is stored in the workspace storage');
    for (const root of [globalStorage, api.traceDirectory, ...ours]) {
      assert.deepEqual(await looseEntries(root), [], `everything below ${root} is private`);
    }
  });
});
