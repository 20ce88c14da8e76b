import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { applyChanges } from '../../../src/replay/apply';
import type { ChangeAttribution, NewEvent, NewEventOf } from '../../../src/trace/events';
import { DiskHarness, DiskReplay, GitScanner, git, runNode, type DiskEvent } from '../../support/disk';
import { validateEvent } from '../../support/schema';
import { TraceBuilder } from '../../support/traceBuilder';
import type { FileList } from '../../../src/disk/attribution';

/**
 * A real repository driven through the tracker and the attribution as the VS Code layer would
 * drive them: commands reported around real git and node child processes, file changes found
 * by listing the work tree after each command (FolderScanner, `.git/` skipped), git moves found
 * by reading `.git/HEAD`, `.git/logs/HEAD`, `.git/refs/stash` and the branch refs (GitScanner),
 * reported 30 ms (fake clock) after the command ended, as the watcher reports them.
 */
suite('disk: a real git repository through tracker and attribution', function () {
  this.timeout(60_000);
  let h: DiskHarness;
  let gitScan: GitScanner;
  const replay = new DiskReplay();
  const builder = new TraceBuilder();
  let n = 0;

  interface StepResult {
    events: DiskEvent[];
    files: FileList | undefined;
  }

  /** One step: optionally a terminal command around `work`; then the watcher's reports. */
  async function step(command: string | undefined, work: () => Promise<unknown>, options: { movesAfterFiles?: boolean } = {}): Promise<StepResult> {
    const key = `k${++n}`;
    if (command) h.attribution.commandStarted(key, { commandLine: command, terminal: 'bash', startTs: h.clock.now() });
    await work();
    h.clock.advance(40);
    if (command) h.attribution.commandEnded(key, h.clock.now());
    h.clock.advance(30); // the watcher's delay: events of a short command come after its end
    const moves = await gitScan.moves();
    if (!options.movesAfterFiles) for (const m of moves) h.attribution.gitMoved(h.clock.now(), m);
    await h.report();
    if (options.movesAfterFiles) {
      h.clock.advance(100); // HEAD's event after the files' (the batch is attributed before it is known)
      for (const m of moves) h.attribution.gitMoved(h.clock.now(), m);
    }
    const files = command ? h.tracker.filesOf(key) : undefined;
    h.clock.advance(2000);
    await h.tracker.whenIdle();
    const list = files ? await files : undefined;
    h.clock.advance(5000); // keep steps apart
    const events = h.take();
    for (const e of events) {
      assert.deepEqual(validateEvent(builder.stamp(e as NewEvent)), []);
      replay.apply(e, applyChanges);
    }
    for (const path of ['a.txt', 'b.txt']) {
      const onDisk = await fs.readFile(join(h.workspace, path), 'utf8').catch(() => undefined);
      if (replay.files.has(path)) assert.equal(replay.files.get(path), onDisk, `replay of ${path} after ${command ?? 'an operation'}`);
    }
    return { events, files: list };
  }

  const by = (r: StepResult): ChangeAttribution[] => r.events.map((e) => e.by);
  const only = (r: StepResult): NewEventOf<'file.change'> => {
    assert.equal(r.events.length, 1, JSON.stringify(r.events));
    const e = r.events[0];
    assert.equal(e.kind, 'file.change');
    return e;
  };

  suiteSetup(async () => {
    h = new DiskHarness();
    await fs.mkdir(h.workspace, { recursive: true });
    await git(h.workspace, 'init', '-q', '-b', 'main');
    await fs.writeFile(join(h.workspace, 'a.txt'), 'a1\n');
    await fs.writeFile(join(h.workspace, 'b.txt'), 'b1\nb2\n');
    await git(h.workspace, 'add', '.');
    await git(h.workspace, 'commit', '-qm', 'init');
    await h.start();
    gitScan = new GitScanner(h.workspace);
    await gitScan.baseline();
    // the editor had both files open unmodified once: the store knows them (noteEditorOpen), replay has their doc.open
    for (const p of ['a.txt', 'b.txt']) {
      const text = await fs.readFile(join(h.workspace, p), 'utf8');
      h.tracker.noteEditorOpen(p, text);
      replay.files.set(p, text);
    }
    await h.tracker.whenIdle();
  });
  suiteTeardown(async () => {
    await h.dispose();
  });

  test('git checkout -b other: HEAD moves, no file changes, the command changed no file', async () => {
    const r = await step('git checkout -b other', () => git(h.workspace, 'checkout', '-q', '-b', 'other'));
    assert.deepEqual(r.events, []);
    assert.deepEqual(r.files, { files: [], count: 0 });
  });

  test('an agent edits a.txt: terminal, high, exact changes', async () => {
    const r = await step('node agent.js', () => runNode(h.workspace, `require('fs').appendFileSync('a.txt', 'a2 from the agent\\n')`));
    const e = only(r);
    assert.deepEqual(e.changes, [{ offset: 3, length: 0, text: 'a2 from the agent\n' }]);
    assert.deepEqual(e.by, { by: 'terminal', command: 'node agent.js', terminal: 'bash', program: 'node', confidence: 'high' });
    assert.deepEqual(r.files, { files: [{ path: 'a.txt', change: 'changed', added: 1, removed: 0 }], count: 1 });
  });

  test('git commit -am: HEAD moves, the work tree does not change', async () => {
    const r = await step('git commit -qam "agent edit"', () => git(h.workspace, 'commit', '-qam', 'agent edit'));
    assert.deepEqual(r.events, []);
  });

  test('git checkout main in a terminal: the file goes back, by git checkout with the command', async () => {
    const r = await step('git checkout main', () => git(h.workspace, 'checkout', '-q', 'main'));
    const e = only(r);
    assert.equal(e.path, 'a.txt');
    assert.deepEqual(e.changes, [{ offset: 3, length: 18, text: '' }]);
    assert.equal(e.removed, 1);
    assert.deepEqual(e.by, { by: 'git', command: 'git checkout main', terminal: 'bash', program: 'git', operation: 'checkout', confidence: 'high' });
    assert.deepEqual(r.files, { files: [{ path: 'a.txt', change: 'changed', added: 0, removed: 1 }], count: 1 });
  });

  test('a checkout with no terminal (the Source Control view), HEAD reported after the files: git, from the reflog', async () => {
    const r = await step(undefined, () => git(h.workspace, 'checkout', '-q', 'other'), { movesAfterFiles: true });
    const e = only(r);
    assert.equal(e.path, 'a.txt');
    assert.deepEqual(e.by, { by: 'git', operation: 'checkout', confidence: 'high' });
  });

  test('git stash with no terminal: refs/stash moved (HEAD says reset) → stash; git stash pop in a terminal → stash', async () => {
    const edit = await step(undefined, () => runNode(h.workspace, `require('fs').writeFileSync('b.txt', 'b1\\nB2\\n')`));
    assert.deepEqual(by(edit), [{ by: 'unknown', confidence: 'low' }]);
    const stash = await step(undefined, () => git(h.workspace, 'stash', '-q'));
    assert.deepEqual(only(stash).by, { by: 'git', operation: 'stash', confidence: 'high' });
    const pop = await step('git stash pop', () => git(h.workspace, 'stash', 'pop', '-q'));
    assert.deepEqual(only(pop).by, { by: 'git', command: 'git stash pop', terminal: 'bash', program: 'git', operation: 'stash', confidence: 'high' });
    assert.equal(await fs.readFile(join(h.workspace, 'b.txt'), 'utf8'), 'b1\nB2\n');
  });

  test('git restore (HEAD does not move): git, restore, from the command line', async () => {
    const r = await step('git restore b.txt', () => git(h.workspace, 'restore', 'b.txt'));
    const e = only(r);
    assert.deepEqual(e.changes, [{ offset: 3, length: 3, text: 'b2\n' }]);
    assert.deepEqual(e.by, { by: 'git', command: 'git restore b.txt', terminal: 'bash', program: 'git', operation: 'restore', confidence: 'high' });
  });
});
