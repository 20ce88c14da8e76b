import * as assert from 'node:assert/strict';
import { Attribution, MAX_LISTED } from '../../../src/disk/attribution';
import type { ChangedFile } from '../../../src/trace/events';

/** An attribution with a clock the test sets: `t` is "now". */
function setup(): { a: Attribution; at: (ms: number) => void } {
  let now = 100_000;
  const a = new Attribution({ now: () => now });
  return { a, at: (ms) => (now = ms) };
}

const T = 100_000;

suite('disk/Attribution: rules', () => {
  test('one command running → terminal, high, with command line, terminal and program', () => {
    const { a } = setup();
    a.commandStarted('c1', { commandLine: 'FOO=1 ./node_modules/.bin/prettier -w .', terminal: 'zsh', startTs: T - 5000 });
    assert.deepEqual(a.attribute(T), {
      source: 'command:c1',
      by: { by: 'terminal', command: 'FOO=1 ./node_modules/.bin/prettier -w .', terminal: 'zsh', program: 'prettier', confidence: 'high' },
    });
  });

  test('several running → the latest started, medium', () => {
    const { a } = setup();
    a.commandStarted('agent', { commandLine: 'claude', terminal: 't1', startTs: T - 60_000 });
    a.commandStarted('gen', { commandLine: 'node gen.js', terminal: 't2', startTs: T - 1000 });
    const r = a.attribute(T);
    assert.equal(r.source, 'command:gen');
    assert.equal(r.by.confidence, 'medium');
    assert.equal(r.by.program, 'node');
  });

  test('a command started after the change is not a candidate', () => {
    const { a } = setup();
    a.commandStarted('later', { commandLine: 'node x.js', terminal: 't', startTs: T + 10 });
    assert.deepEqual(a.attribute(T), { source: 'unknown', by: { by: 'unknown', confidence: 'low' } });
  });

  test('ended just before the change (watcher delay), no competitor → that command, high', () => {
    const { a } = setup();
    a.commandStarted('c', { commandLine: 'node gen.js', terminal: 't', startTs: T - 300 });
    a.commandEnded('c', T - 200);
    const r = a.attribute(T);
    assert.equal(r.source, 'command:c');
    assert.equal(r.by.confidence, 'high');
  });

  test('ended just before, but another command also ended within the grace window → medium', () => {
    const { a } = setup();
    a.commandStarted('x', { commandLine: 'ls', terminal: 't1', startTs: T - 3000 });
    a.commandEnded('x', T - 1200);
    a.commandStarted('c', { commandLine: 'node gen.js', terminal: 't2', startTs: T - 300 });
    a.commandEnded('c', T - 100);
    const r = a.attribute(T);
    assert.equal(r.source, 'command:c');
    assert.equal(r.by.confidence, 'medium');
  });

  test('a short command that ended just before wins over a long one still running (latest started), medium', () => {
    const { a } = setup();
    a.commandStarted('server', { commandLine: 'npm run dev', terminal: 't1', startTs: T - 600_000 });
    a.commandStarted('fmt', { commandLine: 'npx prettier -w a.ts', terminal: 't2', startTs: T - 400 });
    a.commandEnded('fmt', T - 50);
    const r = a.attribute(T);
    assert.equal(r.source, 'command:fmt');
    assert.equal(r.by.program, 'npx');
    assert.equal(r.by.confidence, 'medium');
  });

  test('none running, one ended within the grace window (beyond 500 ms) → that one, medium; the last ended of several', () => {
    const { a } = setup();
    a.commandStarted('old', { commandLine: 'make', terminal: 't', startTs: T - 5000 });
    a.commandEnded('old', T - 1400);
    a.commandStarted('c', { commandLine: 'aider --yes', terminal: 't', startTs: T - 3000 });
    a.commandEnded('c', T - 800);
    const r = a.attribute(T);
    assert.equal(r.source, 'command:c');
    assert.equal(r.by.by, 'terminal');
    assert.equal(r.by.confidence, 'medium');
  });

  test('ended longer ago than the grace window → unknown, low', () => {
    const { a } = setup();
    a.commandStarted('c', { commandLine: 'node gen.js', terminal: 't', startTs: T - 5000 });
    a.commandEnded('c', T - 1600);
    assert.deepEqual(a.attribute(T), { source: 'unknown', by: { by: 'unknown', confidence: 'low' } });
  });

  test('tasks: one running → task, high, its name as command; a task and a command → latest started, medium; ended → grace', () => {
    const { a } = setup();
    a.taskStarted('k', { name: 'build', startTs: T - 1000 });
    assert.deepEqual(a.attribute(T), { source: 'task:k', by: { by: 'task', command: 'build', confidence: 'high' } });
    a.commandStarted('c', { commandLine: 'vim', terminal: 't', startTs: T - 2000 });
    assert.deepEqual(a.attribute(T), { source: 'task:k', by: { by: 'task', command: 'build', confidence: 'medium' } });
    a.commandEnded('c', T - 1400);
    a.taskEnded('k', T - 900);
    assert.deepEqual(a.attribute(T), { source: 'task:k', by: { by: 'task', command: 'build', confidence: 'medium' } });
  });

  test('a git move within 1 s and nothing running → git, high, operation from the reflog message', () => {
    const { a } = setup();
    a.gitMoved(T + 400, { reflogMessage: 'checkout: moving from main to other' });
    assert.deepEqual(a.attribute(T), { source: 'git', by: { by: 'git', operation: 'checkout', confidence: 'high' } });
    assert.equal(a.attribute(T - 500).by.by, 'git', 'the move may come after the change');
    assert.equal(a.attribute(T + 1300).by.by, 'git', 'or before it');
    assert.equal(a.attribute(T - 500).source, 'git');
    assert.deepEqual(a.attribute(T - 1500).by, { by: 'unknown', confidence: 'low' }, 'beyond 1 s');
  });

  test('each reflog message gives its operation', () => {
    const cases: [string, string][] = [
      ['pull: Fast-forward', 'pull'],
      ['merge feature: Fast-forward', 'merge'],
      ['rebase (finish): returning to refs/heads/x', 'rebase'],
      ['reset: moving to HEAD~1', 'reset'],
      ['commit (amend): x', 'commit'],
      ['cherry-pick: x', 'cherry-pick'],
      ['revert: x', 'revert'],
      ['branch: Created from HEAD', 'other'],
    ];
    for (const [message, op] of cases) {
      const { a } = setup();
      a.gitMoved(T, { reflogMessage: message });
      assert.equal(a.attribute(T).by.operation, op, message);
    }
    const { a } = setup();
    a.gitMoved(T, { ref: 'refs/heads/main' });
    assert.equal(a.attribute(T).by.operation, 'other', 'no message');
  });

  test('git stash: refs/stash moved (HEAD says "reset: moving to HEAD") → stash', () => {
    const { a } = setup();
    a.gitMoved(T - 20, { ref: 'HEAD', reflogMessage: 'reset: moving to HEAD' });
    a.gitMoved(T - 10, { ref: 'refs/stash' });
    assert.equal(a.attribute(T).by.operation, 'stash');
    const b = setup().a;
    b.gitMoved(T, { reflogMessage: 'WIP on main: 2732ec7 init' });
    assert.equal(b.attribute(T).by.operation, 'stash');
  });

  test('a git move while a git command runs → git, operation from the command line, with command, terminal and program', () => {
    const { a } = setup();
    a.commandStarted('p', { commandLine: 'git -C . pull --rebase', terminal: 'bash', startTs: T - 2000 });
    a.gitMoved(T, { reflogMessage: 'pull --rebase (finish): returning to refs/heads/main' });
    assert.deepEqual(a.attribute(T), {
      source: 'command:p',
      by: { by: 'git', command: 'git -C . pull --rebase', terminal: 'bash', program: 'git', operation: 'pull', confidence: 'high' },
    });
  });

  test('a git alias the command line cannot name takes the operation from the reflog', () => {
    const { a } = setup();
    a.commandStarted('p', { commandLine: 'git co main', terminal: 'bash', startTs: T - 2000 });
    a.gitMoved(T, { reflogMessage: 'checkout: moving from x to main' });
    assert.equal(a.attribute(T).by.operation, 'checkout');
  });

  test('a git move while another program runs (a script, an agent) → git, the reflog operation, that command kept', () => {
    const { a } = setup();
    a.commandStarted('s', { commandLine: 'codex exec "switch to main"', terminal: 'bash', startTs: T - 20_000 });
    a.gitMoved(T + 100, { reflogMessage: 'checkout: moving from feature to main' });
    assert.deepEqual(a.attribute(T).by, { by: 'git', command: 'codex exec "switch to main"', terminal: 'bash', program: 'codex', operation: 'checkout', confidence: 'high' });
    const b = setup().a;
    b.taskStarted('k', { name: 'sync', startTs: T - 100 });
    b.gitMoved(T, { reflogMessage: 'pull: Fast-forward' });
    assert.deepEqual(b.attribute(T), { source: 'task:k', by: { by: 'git', command: 'sync', operation: 'pull', confidence: 'high' } });
  });

  test('git commands that move no HEAD (restore, checkout -- file) → git from the command line, terminal confidence', () => {
    const { a } = setup();
    a.commandStarted('r', { commandLine: 'git restore src/a.ts', terminal: 'bash', startTs: T - 100 });
    assert.deepEqual(a.attribute(T).by, { by: 'git', command: 'git restore src/a.ts', terminal: 'bash', program: 'git', operation: 'restore', confidence: 'high' });
    a.commandEnded('r', T + 10);
    assert.deepEqual(a.attribute(T + 1000).by, { by: 'git', command: 'git restore src/a.ts', terminal: 'bash', program: 'git', operation: 'restore', confidence: 'medium' });
    const b = setup().a;
    b.commandStarted('c', { commandLine: 'git checkout -- a.ts', terminal: 'bash', startTs: T - 100 });
    assert.equal(b.attribute(T).by.operation, 'restore');
  });

  test('resolve: a move reported after the batch was attributed makes the whole batch git', () => {
    const { a } = setup();
    const initial = a.attribute(T);
    assert.equal(initial.by.by, 'unknown');
    a.gitMoved(T + 900, { reflogMessage: 'checkout: moving from a to b' });
    assert.deepEqual(a.resolve(initial, T - 1500, T), { by: 'git', operation: 'checkout', confidence: 'high' });
    assert.deepEqual(a.resolve(initial, T - 5000, T - 2000), { by: 'unknown', confidence: 'low' }, 'a batch beyond the window stays');
  });

  test('resolve keeps the command of a batch and applies the git move to it', () => {
    const { a } = setup();
    a.commandStarted('s', { commandLine: 'bash switch.sh', terminal: 't', startTs: T - 100 });
    const initial = a.attribute(T);
    a.gitMoved(T + 50, { reflogMessage: 'checkout: moving from a to b' });
    assert.deepEqual(a.resolve(initial, T, T), { by: 'git', command: 'bash switch.sh', terminal: 't', program: 'bash', operation: 'checkout', confidence: 'high' });
  });
});

suite('disk/Attribution: files per command', () => {
  const f = (path: string, change: ChangedFile['change'], added = 1, removed = 0): ChangedFile => ({ path, change, added, removed });

  test('lists the files a command changed, merging repeated changes of one file', () => {
    const { a } = setup();
    a.commandStarted('c', { commandLine: 'claude', terminal: 't', startTs: T });
    a.recordFile('command:c', f('a.ts', 'created', 10));
    a.recordFile('command:c', f('a.ts', 'changed', 2, 1));
    a.recordFile('command:c', f('b.ts', 'changed', 1, 1));
    a.recordFile('command:c', f('b.ts', 'deleted', 0, 5));
    a.recordFile('command:c', f('tmp.txt', 'created', 1));
    a.recordFile('command:c', f('tmp.txt', 'deleted', 0, 1));
    a.recordFile('command:c', f('c.ts', 'deleted', 0, 3));
    a.recordFile('command:c', f('c.ts', 'created', 4));
    a.recordFile('unknown', f('x.ts', 'changed'));
    assert.deepEqual(a.takeFiles('command:c'), {
      files: [f('a.ts', 'created', 12, 1), f('b.ts', 'deleted', 1, 6), f('c.ts', 'changed', 4, 3)],
      count: 3,
    });
  });

  test('at most 200 listed; the count is the number of distinct files; bulk batches add their total', () => {
    const { a } = setup();
    a.taskStarted('k', { name: 'gen', startTs: T });
    for (let i = 0; i < 250; i++) a.recordFile('task:k', f(`f${String(i).padStart(3, '0')}`, 'changed'));
    a.recordFile('task:k', f('f249', 'changed'));
    a.recordBulk('task:k', [f('bulk/a', 'created', 0), f('bulk/b', 'deleted', 0)], 1000);
    const list = a.takeFiles('task:k');
    assert.equal(list.files.length, MAX_LISTED);
    assert.equal(list.count, 250 + 1000);
  });

  test('a late single report of a file already in a bulk summary is not counted twice', () => {
    const { a } = setup();
    a.taskStarted('k', { name: 'gen', startTs: T });
    a.recordFile('task:k', f('early.txt', 'created'));
    const paths = ['early.txt', ...Array.from({ length: 999 }, (_, i) => `gen/file${i}.txt`)];
    a.recordBulk('task:k', paths.slice(0, 200).map((p) => f(p, 'created', 0)), 1000, paths);
    a.recordFile('task:k', f('gen/file900.txt', 'changed')); // the watcher's late report of a summarised file
    a.recordFile('task:k', f('other.txt', 'created'));
    assert.equal(a.takeFiles('task:k').count, 1001, '1,000 in the summary (one of them seen before it) and one more file');
  });

  test('endOf waits for the end; takeFiles then drops the ended command; unknown keys give nothing', async () => {
    const { a } = setup();
    a.commandStarted('c', { commandLine: 'x', terminal: 't', startTs: T });
    const ended = a.endOf('command:c');
    a.commandEnded('c', T + 5);
    assert.equal(await ended, T + 5);
    assert.equal(await a.endOf('command:c'), T + 5);
    assert.equal(await a.endOf('command:nope'), undefined);
    assert.equal(a.size, 1);
    a.takeFiles('command:c');
    assert.equal(a.size, 0);
    assert.deepEqual(a.takeFiles('command:c'), { files: [], count: 0 });
  });

  test('dispose ends every wait', async () => {
    const { a } = setup();
    a.commandStarted('c', { commandLine: 'x', terminal: 't', startTs: T });
    const ended = a.endOf('command:c');
    a.dispose();
    assert.equal(await ended, undefined);
  });

  test('ended commands nobody asked about are dropped after a while; at most 256 ended are kept', () => {
    const { a, at } = setup();
    for (let i = 0; i < 300; i++) {
      a.commandStarted(`c${i}`, { commandLine: 'ls', terminal: 't', startTs: T + i });
      a.commandEnded(`c${i}`, T + i);
    }
    a.commandStarted('running', { commandLine: 'claude', terminal: 't', startTs: T + 400 });
    assert.ok(a.size <= 257, String(a.size));
    at(T + 10 * 60_000);
    a.taskStarted('k', { name: 'x', startTs: T + 10 * 60_000 });
    assert.equal(a.size, 2, 'only the running ones remain');
  });
});
