import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { replayTrace } from '../../src/replay/replay';
import type { EventOf, TraceEvent } from '../../src/trace/events';
import { assertValid, bashTerminal, nextEvent, runInTerminal, sessionEvents, typeChars, whenText, workspaceRoot, worktrace } from './support';

/**
 * Changes made on disk by real processes in the integrated terminal (an ordinary Node script
 * stands in for a coding agent: nothing fakes the file system), by git, and by generators;
 * each attributed to what made them, replayed byte for byte.
 */
suite('changes on disk: what tools, agents and git write', () => {
  let terminal: vscode.Terminal;

  suiteSetup(async () => {
    await worktrace();
    terminal = await bashTerminal('worktrace-disk');
  });

  suiteTeardown(async () => {
    execFileSync('git', ['checkout', '-q', 'main'], { cwd: workspaceRoot() }); // later suites expect main, whatever happened here
    terminal.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Runs a command and resolves with its terminal.command event, which comes once its changes on disk were read. */
  async function run(commandLine: string): Promise<EventOf<'terminal.command'>> {
    const recorded = nextEvent('terminal.command', (e) => e.commandLine === commandLine);
    assert.equal(await runInTerminal(terminal, commandLine), 0, commandLine);
    return recorded;
  }

  const changesOf = (events: readonly TraceEvent[], p: string): EventOf<'file.change'>[] => events.filter((e): e is EventOf<'file.change'> => e.kind === 'file.change' && e.path === p);

  /** Replay of the session equals the disk for each path (absent for a path that should not exist). */
  async function assertReplayMatchesDisk(paths: readonly string[]): Promise<void> {
    const events = await sessionEvents();
    assertValid(events);
    const { documents } = replayTrace(events);
    for (const p of paths) {
      const file = path.join(workspaceRoot(), p);
      const doc = documents.get(p);
      if (!existsSync(file)) {
        assert.ok(!doc, `${p} was deleted: replay has no state for it`);
        continue;
      }
      assert.ok(doc?.replayable, `${p} is replayable (${doc?.reason ?? 'no state'})`);
      assert.ok(Buffer.from(doc.text, 'utf8').equals(await fs.readFile(file)), `replay of ${p} equals the disk byte for byte`);
    }
  }

  test('a script run in the terminal (standing in for a coding agent) rewrites, creates and deletes: three exact changes, attributed to it, listed on its command', async () => {
    const root = workspaceRoot();
    await run("printf 'one\\ntwo\\nthree\\n' > agent-rewrite.txt && printf 'bye\\n' > agent-delete.txt");
    const written = nextEvent('file.change', (e) => e.path === 'agent.js');
    await fs.writeFile(
      path.join(root, 'agent.js'),
      [
        "const fs = require('node:fs');",
        "fs.writeFileSync('agent-rewrite.txt', 'one\\n2\\nthree\\nfour\\n');",
        "fs.writeFileSync('agent-new.txt', 'created by the agent\\n');",
        "fs.unlinkSync('agent-delete.txt');",
        '',
      ].join('\n'),
    );
    await written; // the script itself, written by this test: its change is not the command's
    const command = await run('node agent.js');
    const events = await sessionEvents();
    const [rewrite] = changesOf(events, 'agent-rewrite.txt').filter((e) => e.by.command === 'node agent.js');
    const [created] = changesOf(events, 'agent-new.txt');
    const [deleted] = changesOf(events, 'agent-delete.txt').filter((e) => e.change === 'deleted');
    assert.ok(rewrite && created && deleted, `three changes: ${JSON.stringify(events.filter((e) => e.kind === 'file.change').map((e) => e.kind === 'file.change' && [e.path, e.change, e.by]))}`);
    assert.equal(rewrite.change, 'changed');
    assert.match(rewrite.diff ?? '', /-two\n\+2\n three\n\+four/);
    assert.deepEqual([rewrite.added, rewrite.removed], [2, 1]);
    assert.equal(created.change, 'created');
    assert.match(created.diff ?? '', /\+created by the agent/);
    for (const change of [rewrite, created, deleted]) {
      assert.deepEqual({ by: change.by.by, command: change.by.command, terminal: change.by.terminal, program: change.by.program, confidence: change.by.confidence }, { by: 'terminal', command: 'node agent.js', terminal: 'worktrace-disk', program: 'node', confidence: 'high' });
    }
    assert.deepEqual(
      (command.files ?? []).map((f) => [f.path, f.change, f.added, f.removed]).sort(),
      [
        ['agent-delete.txt', 'deleted', 0, 1],
        ['agent-new.txt', 'created', 1, 0],
        ['agent-rewrite.txt', 'changed', 2, 1],
      ],
    );
    assert.equal(command.filesCount, 3);
    assert.equal(command.shell, 'bash', 'the shell the terminal runs, not the program in the foreground');
    assert.equal(command.program, 'node');
    assert.equal(command.terminal, 'worktrace-disk');
    await assertReplayMatchesDisk(['agent-rewrite.txt', 'agent-new.txt', 'agent-delete.txt']);
  });

  test('git checkout -b, a commit there, git checkout main: the changes are attributed to git and replay matches the disk after each step', async () => {
    await run('git checkout -q -b other');
    await run("printf 'export const other = 1;\\n' > src/other.js && printf '// changed on the branch\\n' >> src/math.js");
    await assertReplayMatchesDisk(['src/other.js', 'src/math.js']);
    await run('git add src/other.js src/math.js && git commit -q -m "On the branch"');
    const back = await run('git checkout -q main');
    const events = await sessionEvents();
    const byCheckout = events.filter((e): e is EventOf<'file.change'> => e.kind === 'file.change' && e.by.command === 'git checkout -q main');
    assert.deepEqual(byCheckout.map((e) => [e.path, e.change]).sort(), [['src/math.js', 'changed'], ['src/other.js', 'deleted']]);
    for (const change of byCheckout) {
      assert.equal(change.by.by, 'git');
      assert.equal(change.by.operation, 'checkout');
    }
    assert.deepEqual((back.files ?? []).map((f) => f.path).sort(), ['src/math.js', 'src/other.js']);
    await assertReplayMatchesDisk(['src/other.js', 'src/math.js']);
  });

  test('a file changed on disk while closed, then opened and typed into: replay is byte-exact throughout', async () => {
    await run("printf 'alpha\\nbeta\\n' > closed.txt");
    await run("sed -i 's/beta/BETA/' closed.txt");
    await assertReplayMatchesDisk(['closed.txt']);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'closed.txt')));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    await typeChars('gamma\n');
    await whenText(document, (t) => t.endsWith('gamma\n'), 'typed text');
    assert.ok(await document.save());
    await assertReplayMatchesDisk(['closed.txt']);
    const { documents } = replayTrace(await sessionEvents());
    assert.equal(documents.get('closed.txt')?.text, document.getText());
  });

  test('excluded and git-ignored files changed by a tool leave no content and no name', async () => {
    // A tool outside the workspace (so neither its source nor its command line names these files) writes them.
    const tool = path.join(mkdtempSync(path.join(os.tmpdir(), 'worktrace-tool-')), 'tool.js');
    await fs.writeFile(
      tool,
      [
        "const fs = require('node:fs');",
        "fs.writeFileSync('.env.tool', 'TOOL_SECRET_ENV=1\\n');",
        "fs.writeFileSync('fresh.log', 'TOOL_LOG_LINE\\n');",
        "fs.mkdirSync('node_modules/pkg', { recursive: true });",
        "fs.writeFileSync('node_modules/pkg/index.js', 'TOOL_MODULE\\n');",
        '',
      ].join('\n'),
    );
    await run(`node ${tool}`);
    const text = JSON.stringify(await sessionEvents());
    for (const leaked of ['TOOL_SECRET_ENV', 'TOOL_LOG_LINE', 'TOOL_MODULE', '.env.tool', 'fresh.log', 'node_modules/pkg']) {
      assert.ok(!text.includes(leaked), `${leaked} is not in the trace`);
    }
  });

  test('a generator writing 1,000 files leaves one summary event', async () => {
    await run('mkdir -p gen');
    const command = await run("for i in $(seq 1 1000); do printf 'generated %s\\n' $i > gen/file$i.txt; done");
    const events = await sessionEvents();
    const bulks = events.filter((e): e is EventOf<'file.bulk'> => e.kind === 'file.bulk' && e.paths.some((p) => p.startsWith('gen/')));
    assert.equal(bulks.length, 1, 'one file.bulk');
    assert.equal(bulks[0].by.by, 'terminal');
    assert.ok(bulks[0].paths.length <= 100 && bulks[0].truncated);
    const single = events.filter((e) => e.kind === 'file.change' && e.path.startsWith('gen/'));
    const seen = `summary ${bulks[0].count}, single changes ${single.length}, the command's files ${command.filesCount}`;
    // On a loaded machine the watcher hands the last files over late, some after the command's
    // grace window: those are recorded one by one, not lost, and not counted as the command's.
    assert.ok(bulks[0].count >= 900 && bulks[0].count <= 1000, `the summary counts (nearly) all the generated files (${seen})`);
    assert.ok(bulks[0].count + single.length >= 995, `no file is lost: the summary and the late single changes hold them all (${seen})`);
    // A late report of a file already summarised is read again (the summary left its content unknown): a snapshot or two.
    assert.ok(single.length <= 1000 - bulks[0].count + 2, `the single changes are the files the summary missed, and a late report or two (${seen})`);
    assert.ok(command.filesCount !== undefined && command.filesCount >= bulks[0].count && command.filesCount <= 1000, `the command counts the files of its summary (${seen})`);
  });
});
