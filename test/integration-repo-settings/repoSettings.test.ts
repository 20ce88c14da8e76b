import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceEvent } from '../../src/trace/events';
import { assertValid, bashTerminal, nextEvent, openNew, runInTerminal, sessionEvents, typeChars, whenText, workspaceRoot, worktrace } from '../integration/support';

/**
 * The window opened a trusted workspace whose committed .vscode/settings.json tries to widen
 * capture: `"worktrace.exclude": []`, `"worktrace.respectGitignore": false`,
 * `"worktrace.capture.authorName": true`. Only the engineer may widen capture.
 */
suite('a repository cannot widen capture; the engineer can', () => {
  const config = () => vscode.workspace.getConfiguration('worktrace');
  let terminal: vscode.Terminal;

  suiteSetup(async () => {
    await worktrace();
    terminal = await bashTerminal('repo-settings');
  });

  suiteTeardown(async () => {
    terminal.dispose();
    for (const key of ['exclude', 'respectGitignore', 'capture.authorName']) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Types a line into a file (created if needed), saves, closes it. */
  async function typeInto(relative: string, line: string): Promise<void> {
    const file = path.join(workspaceRoot(), relative);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(document.lineCount - 1, 0, document.lineCount - 1, 0);
    await typeChars(line);
    await whenText(document, (t) => t.includes(line), `typed into ${relative}`);
    assert.ok(await document.save());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }

  async function commit(message: string): Promise<Extract<TraceEvent, { kind: 'git.commit' }>> {
    const committed = nextEvent('git.commit', (e) => e.message.startsWith(message));
    assert.equal(await runInTerminal(terminal, `git add -A src && git commit -q -m "${message}"`), 0);
    return committed;
  }

  test('the workspace’s widening settings are ignored, said in the log and the status tooltip', async () => {
    const api = await worktrace();
    assert.deepEqual(config().inspect('exclude')?.workspaceValue, [], 'the repository committed an empty exclude list');
    assert.equal(config().inspect('respectGitignore')?.workspaceValue, false);
    assert.equal(config().inspect('capture.authorName')?.workspaceValue, true);

    await openNew('.env', 'DB_HOST=db.internal\n');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await typeInto('.env', 'REPO_SETTINGS_ENV_LINE=1\n');
    await typeInto('debug.log', 'REPO_SETTINGS_LOG_LINE\n');
    await openNew('src/widen.js', 'module.exports = 1;\n');
    await typeInto('src/widen.js', '// tracked change\n');
    const made = await commit('Commit without author');
    assert.equal(made.author, undefined, 'no author name on the commit');

    const events = await sessionEvents();
    assertValid(events);
    const text = JSON.stringify(events);
    for (const leaked of ['REPO_SETTINGS_ENV_LINE', 'DB_HOST', 'REPO_SETTINGS_LOG_LINE', '"path":".env"', 'debug.log', 'Sample Author']) {
      assert.ok(!text.includes(leaked), `${leaked} is not in the trace`);
    }
    assert.ok(events.filter((e) => e.kind === 'doc.excluded').length >= 2, 'doc.excluded markers for .env and debug.log');

    const tooltip = api.statusText();
    for (const key of ['worktrace.exclude', 'worktrace.respectGitignore', 'worktrace.capture.authorName']) {
      assert.ok(tooltip.includes(key), `the tooltip names ${key}: ${tooltip}`);
    }
    await vscode.commands.executeCommand('worktrace.showLog');
    const log = await logText((t) => t.includes('worktrace.capture.authorName'));
    for (const key of ['worktrace.exclude', 'worktrace.respectGitignore', 'worktrace.capture.authorName']) {
      assert.match(log, new RegExp(`ignored a workspace setting: ${key.replace(/\./g, '\\.')}`), `the log names ${key}`);
    }
  });

  test('the same settings in the engineer’s user settings do take effect', async () => {
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('worktrace.capture.authorName')) {
          sub.dispose();
          resolve();
        }
      });
    });
    await config().update('exclude', [], vscode.ConfigurationTarget.Global);
    await config().update('respectGitignore', false, vscode.ConfigurationTarget.Global);
    await config().update('capture.authorName', true, vscode.ConfigurationTarget.Global);
    await changed;
    await typeInto('.env', 'USER_SETTINGS_ENV_LINE=1\n');
    await typeInto('debug.log', 'USER_SETTINGS_LOG_LINE\n');
    await typeInto('src/widen.js', '// another tracked change\n');
    const made = await commit('Commit with author');
    assert.equal(made.author, 'Sample Author');
    const events = await sessionEvents();
    const envOpen = events.filter((e) => e.kind === 'doc.open' && e.path === '.env').at(-1);
    assert.ok(envOpen && envOpen.kind === 'doc.open' && envOpen.text?.includes('DB_HOST'), '.env is recorded in full');
    const logOpen = events.filter((e) => e.kind === 'doc.open' && e.path === 'debug.log').at(-1);
    assert.ok(logOpen && logOpen.kind === 'doc.open' && logOpen.text?.includes('REPO_SETTINGS_LOG_LINE'), 'the git-ignored file is recorded in full');
    assert.ok(JSON.stringify(events).includes('USER_SETTINGS_LOG_LINE'.slice(-4)), 'its edits too');
  });
});

/** The text of the Worktrace log as the Output view shows it, once `ready` holds. */
async function logText(ready: (text: string) => boolean): Promise<string> {
  const find = (): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && /Worktrace/.test(d.uri.toString()));
  const current = find();
  if (current && ready(current.getText())) {
    return current.getText();
  }
  return new Promise<string>((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const timer = setTimeout(() => {
      for (const sub of subs) sub.dispose();
      reject(new Error(`the Worktrace log did not show up as an output document (documents: ${vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(', ')})`));
    }, 20_000);
    const check = (): void => {
      const document = find();
      if (document && ready(document.getText())) {
        clearTimeout(timer);
        for (const sub of subs) sub.dispose();
        resolve(document.getText());
      }
    };
    subs.push(vscode.workspace.onDidOpenTextDocument(check), vscode.workspace.onDidChangeTextDocument(check));
  });
}
