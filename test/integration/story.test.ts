import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GitExtension } from '../../src/vscode/gitApi';
import { assertNotOnDisk, assertValid, bashTerminal, nextEvent, openNew, runInTerminal, sessionEvents, typeChars, whenText, workspaceRoot, worktrace } from './support';

/**
 * The story in real VS Code with real processes: edit → a failing `node --test` run in a
 * bash terminal → a fix typed into the source → the suite passing → commits; plus a task,
 * a debug session on a script that throws, and a TypeScript error introduced and fixed.
 */
suite('runs, tests, debug, diagnostics and git, linked into one story', () => {
  let terminal: vscode.Terminal;

  suiteSetup(async () => {
    await worktrace();
    terminal = await bashTerminal('worktrace-story');
  });

  suiteTeardown(async () => {
    terminal.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a failing node --test suite, a fix typed in, the suite passing: linked terminal commands and test runs', async () => {
    const root = workspaceRoot();
    await fs.writeFile(
      path.join(root, 'test', 'calc.test.js'),
      [
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        "const { mul } = require('../src/calc');",
        '',
        "test('multiplies', async () => {",
        '  await new Promise((r) => setTimeout(r, 700)); // long enough for the terminal output to be read',
        '  assert.equal(mul(2, 3), 6);',
        '});',
        '',
        "test('squares two', () => {",
        '  assert.equal(mul(2, 2), 4); // passes before and after the fix',
        '});',
        '',
      ].join('\n'),
    );
    // An edit before the first run: the run must list its step in `after`.
    const editor = await openNew('src/calc.js', 'function mul(a, b) {\n  return a + b;\n}\n\nmodule.exports = { mul };\n');
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    await typeChars('// multiply\n');
    await whenText(editor.document, (t) => t.includes('// multiply'), 'typed comment');
    assert.ok(await editor.document.save());
    const stepBefore = await sessionEvents().then((events) => events.filter((e) => e.kind === 'edit.step' && e.path === 'src/calc.js').at(-1));
    assert.ok(stepBefore, 'the edit became a step');

    const firstCommand = nextEvent('terminal.command', (e) => e.commandLine.includes('node --test'));
    const firstRun = nextEvent('test.run', (e) => e.command.includes('node --test'));
    assert.equal(await runInTerminal(terminal, 'node --test test/calc.test.js'), 1);
    const command1 = await firstCommand;
    const run1 = await firstRun;
    assert.equal(command1.exitCode, 1);
    assert.ok(command1.after.includes(stepBefore.id), 'the first command lists the edit step before it');
    assert.match(command1.output ?? '', /fail 1/);
    assert.equal(run1.runner, 'node');
    assert.equal(run1.outcome, 'failed');
    assert.equal(run1.passed, 1);
    assert.equal(run1.failed, 1);
    assert.equal(run1.source, command1.id);
    assert.ok(run1.after.includes(stepBefore.id));
    assert.equal(run1.transition, undefined);

    // The fix, typed: `a + b` → `a * b`.
    const fixed = await vscode.window.showTextDocument(editor.document);
    const plus = editor.document.getText().indexOf('a + b') + 2;
    fixed.selection = new vscode.Selection(editor.document.positionAt(plus), editor.document.positionAt(plus + 1));
    await typeChars('*');
    await whenText(editor.document, (t) => t.includes('a * b'), 'the fix');
    assert.ok(await editor.document.save());
    const fixStep = await sessionEvents().then((events) => events.filter((e) => e.kind === 'edit.step' && e.path === 'src/calc.js').at(-1));
    assert.ok(fixStep && fixStep.kind === 'edit.step' && fixStep.diff.includes('+  return a * b;'));

    const secondCommand = nextEvent('terminal.command', (e) => e.commandLine.includes('node --test'));
    const secondRun = nextEvent('test.run', (e) => e.command.includes('node --test'));
    assert.equal(await runInTerminal(terminal, 'node --test test/calc.test.js'), 0);
    const command2 = await secondCommand;
    const run2 = await secondRun;
    assert.equal(command2.exitCode, 0);
    assert.deepEqual(command2.after, [fixStep.id], 'the second command lists exactly the fix');
    assert.equal(run2.outcome, 'passed');
    assert.equal(run2.passed, 2);
    assert.equal(run2.failed, 0);
    assert.deepEqual(run2.after, [fixStep.id]);
    assert.equal(run2.transition, 'fixed');
    assert.equal(run2.previous, run1.id);
    assert.equal(command2.cwd, '.');
  });

  test('a terminal whose shell never gets shell integration is marked as not captured', async () => {
    const marked = nextEvent('terminal.open', (e) => e.terminal === 'plain sh', 30_000);
    const plain = vscode.window.createTerminal({ name: 'plain sh', shellPath: '/bin/sh' }); // dash: VS Code has no shell integration for it
    try {
      const event = await marked;
      assert.equal(event.captured, false);
    } finally {
      plain.dispose();
    }
  });

  test('a task that exits with 7 is recorded with exit code 7', async () => {
    const task = new vscode.Task({ type: 'shell' }, vscode.TaskScope.Workspace, 'exit seven', 'worktrace-test', new vscode.ShellExecution('exit 7'));
    const recorded = nextEvent('task.run', (e) => e.name === 'exit seven');
    await vscode.tasks.executeTask(task);
    const event = await recorded;
    assert.equal(event.exitCode, 7);
    assert.equal(event.source, 'worktrace-test');
    assert.ok(event.durationMs !== null && event.durationMs >= 0);
  });

  test('a node debug session on a script that throws: start, end and the exception message', async () => {
    await fs.writeFile(path.join(workspaceRoot(), 'src', 'throws.js'), "setTimeout(() => {\n  throw new Error('boom from the worktrace test');\n}, 300);\n");
    const folder = vscode.workspace.workspaceFolders?.[0];
    const started = nextEvent('debug.session', (e) => e.phase === 'start' && e.name === 'Throws' && !e.parent);
    const ended = nextEvent('debug.session', (e) => e.phase === 'end' && e.name === 'Throws' && !e.parent);
    const stopped = nextEvent('debug.stop', (e) => e.reason === 'exception', 120_000).catch(() => undefined);
    // If the debugger pauses on the uncaught exception, let it go on.
    const resume = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (item) void vscode.commands.executeCommand('workbench.action.debug.continue');
    });
    try {
      assert.ok(await vscode.debug.startDebugging(folder, { type: 'node', request: 'launch', name: 'Throws', program: '${workspaceFolder}/src/throws.js', console: 'internalConsole' }));
      const start = await started;
      assert.equal(start.request, 'launch');
      assert.equal(start.configuration?.program, 'src/throws.js');
      const end = await ended;
      const stop = await Promise.race([stopped, Promise.resolve(undefined)]);
      const message = `${end.exception ?? ''} ${stop?.exception?.message ?? ''}`;
      assert.match(message, /boom from the worktrace test/, JSON.stringify({ end, stop }));
      assert.equal(end.exitCode, 1);
      assert.ok((end.durationMs ?? 0) > 0);
    } finally {
      resume.dispose();
    }
  });

  test('a TypeScript error introduced and fixed gives two diagnostics.change events', async () => {
    const editor = await openNew('src/typed.ts', 'export const count: number = 1;\n');
    const introduced = nextEvent('diagnostics.change', (e) => e.path === 'src/typed.ts' && e.after.errors > e.before.errors, 120_000);
    // One edit each way, so no half-typed state produces a different error first.
    const value = editor.document.getText().indexOf('1;');
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(value), editor.document.positionAt(value + 1)), "'one'")));
    const error = await introduced;
    assert.equal(error.after.errors, 1);
    assert.ok(error.new.some((d) => d.severity === 'error' && /not assignable/.test(d.message) && d.line === 1));
    const removed = nextEvent('diagnostics.change', (e) => e.path === 'src/typed.ts' && e.after.errors === 0, 120_000);
    const quoted = editor.document.getText().indexOf("'one'");
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(quoted), editor.document.positionAt(quoted + 5)), '2')));
    const fixed = await removed;
    assert.equal(fixed.before.errors, 1);
  });

  test('commits from the terminal and through the git extension API: sha, message, files, origin, tests', async () => {
    const root = workspaceRoot();
    const head = (): string => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const fromTerminal = nextEvent('git.commit', (e) => e.message === 'Fix mul (from the terminal)', 60_000);
    await runInTerminal(terminal, 'git add -A && git -c user.name=Tester -c user.email=t@example.invalid commit -q -m "Fix mul (from the terminal)"');
    const commit1 = await fromTerminal;
    assert.equal(commit1.sha, head());
    assert.equal(commit1.origin, 'terminal');
    assert.equal(commit1.repo, '.');
    assert.equal(commit1.branch, 'main');
    assert.equal(commit1.amend, false);
    assert.ok(commit1.files.some((f) => f.path === 'src/calc.js' && f.added !== null && f.added > 0), JSON.stringify(commit1.files));
    assert.ok(commit1.tests.length >= 2, 'the test runs since the previous commit');
    assert.equal(commit1.lastTestPassed, true);
    assert.equal(commit1.author, undefined, 'no author name unless enabled');

    await fs.writeFile(path.join(root, 'NOTES.md'), '# notes\n\nwritten for the SCM commit\n');
    const git = vscode.extensions.getExtension<GitExtension>('vscode.git');
    assert.ok(git);
    const api = (git.isActive ? git.exports : await git.activate()).getAPI(1);
    const repo = api.repositories.find((r) => r.rootUri.fsPath === root);
    assert.ok(repo, 'the git extension knows the workspace repository');
    const fromScm = nextEvent('git.commit', (e) => e.message === 'Add notes (through the git extension)', 60_000);
    await repo.add([path.join(root, 'NOTES.md')]);
    await repo.commit('Add notes (through the git extension)');
    const commit2 = await fromScm;
    assert.equal(commit2.sha, head());
    assert.equal(commit2.origin, 'scm');
    assert.deepEqual(commit2.parents, [commit1.sha]);
    assert.deepEqual(commit2.files, [{ path: 'NOTES.md', added: 3, removed: 0 }]);
    assert.deepEqual(commit2.tests, [], 'no test run since the previous commit');
    assert.equal(commit2.lastTestPassed, null);
    assertValid(await sessionEvents());
  });

  test('terminal output and commit messages pass through the privacy stage', async () => {
    const api = await worktrace();
    const awsKey = 'AKIAQ3EGRTWSY2P7ZK4N';
    const token = 'ghp_8aZr4YtQw2LmN5pKx7Vb3Cd9Ef1Gh6Jk0Lm2';
    const echoed = nextEvent('terminal.command', (e) => e.commandLine.includes('deploy key'));
    await runInTerminal(terminal, `echo "deploy key ${awsKey}" && sleep 1`);
    const command = await echoed;
    assert.ok(!command.commandLine.includes(awsKey) && command.commandLine.includes('«redacted:aws-access-key»'), command.commandLine);
    assert.ok(command.output?.includes('deploy key «redacted:aws-access-key»'), command.output);
    const committed = nextEvent('git.commit', (e) => e.message.startsWith('Rotate token'), 60_000);
    await runInTerminal(terminal, `git commit --allow-empty -q -m "Rotate token ${token}"`);
    const commit = await committed;
    assert.equal(commit.message, 'Rotate token «redacted:github-token»');
    await api.flush();
    await assertNotOnDisk([api.traceDirectory, api.spoolDirectory], [awsKey, token]);
    const redacted = (await sessionEvents()).filter((e) => e.kind === 'privacy.redacted');
    assert.ok(redacted.some((e) => e.kind === 'privacy.redacted' && e.in === 'terminal.command' && e.rule === 'aws-access-key'));
    assert.ok(redacted.some((e) => e.kind === 'privacy.redacted' && e.in === 'git.commit' && e.rule === 'github-token'));
  });
});
