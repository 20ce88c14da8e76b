import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IgnoreChecker, ignoredPaths } from '../../../src/disk/ignoreCheck';
import { lastReflogMessage } from '../../../src/disk/reflog';

suite('disk: asking git (check-ignore, reflog)', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e.invalid' } });
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-git-'));
    git('init', '-q', '-b', 'main');
    writeFileSync(join(dir, '.gitignore'), '*.log\nbuild/\n');
    writeFileSync(join(dir, 'tracked.log'), 'tracked although it matches\n');
    git('add', '-f', '.gitignore', 'tracked.log');
    git('commit', '-q', '-m', 'first');
  });
  teardown(() => rmSync(dir, { recursive: true, force: true }));

  test('new files matching ignore patterns are ignored, tracked ones and others are not', async () => {
    mkdirSync(join(dir, 'build'));
    const ignored = await ignoredPaths(dir, ['new.log', 'build/out.js', 'src/a.ts', 'tracked.log', 'dir with space/x.log']);
    assert.deepEqual([...ignored].sort(), ['build/out.js', 'dir with space/x.log', 'new.log']);
    assert.deepEqual([...(await ignoredPaths(dir, ['src/a.ts']))], []);
    assert.deepEqual([...(await ignoredPaths(dir, []))], []);
  });

  test('outside a repository nothing is ignored', async () => {
    const other = mkdtempSync(join(tmpdir(), 'worktrace-norepo-'));
    try {
      assert.deepEqual([...(await ignoredPaths(other, ['a.log']))], []);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('one long-lived git answers batch after batch, in order, as the one-shot question does (a re-included path too)', async () => {
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, '.gitignore'), '*.log\n!keep.log\nbuild/\n');
    const checker = new IgnoreChecker(dir);
    try {
      const batches = [
        ['new.log', 'build/out.js', 'src/a.ts', 'tracked.log', 'dir with space/x.log', 'keep.log'],
        ['src/b.ts'],
        ['ünïcode/é.log', 'src/c.ts'],
      ];
      // Asked at once: the answers come back to the right question.
      const answers = await Promise.all(batches.map((b) => checker.ignored(b)));
      for (const [i, batch] of batches.entries()) {
        assert.deepEqual([...answers[i]].sort(), [...(await ignoredPaths(dir, batch))].sort(), `batch ${i}`);
      }
      assert.deepEqual([...answers[0]].sort(), ['build/out.js', 'dir with space/x.log', 'new.log']);
      assert.deepEqual([...(await checker.ignored(['later.log']))], ['later.log'], 'still answering after the first batches');
      const state = checker as unknown as { child?: { pid?: number }; failures: number };
      assert.ok(state.child?.pid, 'the same git process answered, no fallback to one process per batch');
      assert.equal(state.failures, 0);
    } finally {
      checker.dispose();
    }
  });

  test('the long-lived checker outside a repository: nothing is ignored, and it falls back without failing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'worktrace-norepo-'));
    const checker = new IgnoreChecker(other);
    try {
      for (let i = 0; i < 4; i++) {
        assert.deepEqual([...(await checker.ignored(['a.log']))], []);
      }
    } finally {
      checker.dispose();
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('the last reflog message names the operation', async () => {
    git('checkout', '-q', '-b', 'other');
    assert.equal(await lastReflogMessage(join(dir, '.git', 'logs', 'HEAD')), 'checkout: moving from main to other');
    assert.equal(await lastReflogMessage(join(dir, 'missing')), undefined);
  });
});
