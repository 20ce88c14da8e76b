import * as assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import { gitShowArgs, repoPathOf, tracePathOf } from '../../src/authorship/gitShow';
import { addedLinesByPath, parseUnifiedDiff } from '../../src/authorship/unifiedDiff';
import { TempRepo } from '../support/tempRepo';

const lines = (n: number, prefix: string): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

/** Lines of `path` in commit `sha` that `git blame` says that commit wrote: the oracle for added lines. */
function blamedTo(repo: TempRepo, sha: string, path: string): number[] {
  const out = repo.git('blame', '--porcelain', sha, '--', path);
  const added: number[] = [];
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{40}) \d+ (\d+)/.exec(line);
    if (m && m[1] === sha) {
      added.push(Number(m[2]));
    }
  }
  return added.sort((a, b) => a - b);
}

suite('authorship: reading git diffs', () => {
  let repo: TempRepo;
  let sha: string;

  suiteSetup(() => {
    repo = new TempRepo();
    repo.write('src/app.ts', lines(5, 'app'));
    repo.write('with space.txt', 'a\nb\n');
    repo.write('tést.txt', 'x\n');
    repo.write('gone.txt', 'bye\n');
    repo.write('old name.txt', lines(10, 'moved'));
    repo.write('bin.dat', Buffer.from([0, 1, 2, 3]));
    repo.write('crlf.txt', 'one\r\ntwo\r\n');
    repo.write('tricky.txt', 'start\n');
    repo.write('no-eol.txt', 'first\nlast');
    repo.commitAll('base');

    repo.write('src/app.ts', 'app 1\napp two\napp 3\napp 4\nnew a\nnew b\n');
    repo.write('with space.txt', 'a\nb\nc\n');
    repo.write('tést.txt', 'y\n');
    repo.git('rm', '-q', 'gone.txt');
    repo.git('mv', 'old name.txt', 'new name.txt');
    repo.write('new name.txt', lines(10, 'moved').replace('moved 7\n', 'moved seven\n'));
    repo.write('bin.dat', Buffer.from([0, 1, 2, 4]));
    repo.write('crlf.txt', 'one\r\ntwo\r\nthree\r\n');
    // Content that looks like diff headers once prefixed with "+" or "-".
    repo.write('tricky.txt', 'start\n++ b/evil\n-- a/evil\n@@ -1 +1 @@\ndiff --git a/x b/x\n');
    repo.write('no-eol.txt', 'first\nlast line');
    repo.write('brand new.md', '# Title\n\ntext\n');
    sha = repo.commitAll('change');
  });

  suiteTeardown(() => repo.remove());

  test('the added lines of every file are the lines git blame gives to the commit', () => {
    const diff = repo.git(...gitShowArgs(sha));
    const added = addedLinesByPath(diff);
    const expectedPaths = ['bin.dat', 'brand new.md', 'crlf.txt', 'new name.txt', 'no-eol.txt', 'src/app.ts', 'tricky.txt', 'tést.txt', 'with space.txt'];
    assert.deepEqual([...added.keys()].sort(), expectedPaths);
    for (const path of expectedPaths.filter((p) => p !== 'bin.dat')) {
      assert.deepEqual(added.get(path), blamedTo(repo, sha, path), path);
    }
    assert.deepEqual(added.get('src/app.ts'), [2, 5, 6]);
    assert.deepEqual(added.get('new name.txt'), [7], 'a renamed file adds only its changed lines');
    assert.deepEqual(added.get('tricky.txt'), [2, 3, 4, 5]);
    assert.deepEqual(added.get('bin.dat'), []);
  });

  test('paths, renames, deletions and binary files are read as git wrote them', () => {
    const files = parseUnifiedDiff(repo.git(...gitShowArgs(sha)));
    const byNew = new Map(files.map((f) => [f.newPath ?? `deleted:${f.oldPath ?? ''}`, f]));
    assert.deepEqual(byNew.get('deleted:gone.txt')?.removed, [1]);
    assert.equal(byNew.get('new name.txt')?.oldPath, 'old name.txt');
    assert.equal(byNew.get('brand new.md')?.oldPath, null);
    assert.equal(byNew.get('bin.dat')?.binary, true);
    assert.deepEqual(byNew.get('crlf.txt')?.addedText, ['three']);
    assert.deepEqual(byNew.get('no-eol.txt')?.addedText, ['last line']);
    assert.deepEqual(byNew.get('tricky.txt')?.addedText, ['++ b/evil', '-- a/evil', '@@ -1 +1 @@', 'diff --git a/x b/x']);
  });

  test('C-quoted names (core.quotePath on) and the default 3 lines of context give the same lines', () => {
    const quoted = repo.git('-c', 'core.quotePath=true', 'show', '--format=', '--no-color', sha);
    assert.ok(quoted.includes('"b/t\\303\\251st.txt"'), 'git quoted the name');
    const withContext = addedLinesByPath(quoted);
    const zeroContext = addedLinesByPath(repo.git(...gitShowArgs(sha)));
    assert.deepEqual([...withContext.entries()].sort(), [...zeroContext.entries()].sort());
  });

  test('a root commit adds every line of every file', () => {
    const root = repo.git('rev-list', '--max-parents=0', 'HEAD').trim();
    const added = addedLinesByPath(repo.git(...gitShowArgs(root)));
    assert.deepEqual(added.get('src/app.ts'), [1, 2, 3, 4, 5]);
    assert.deepEqual(added.get('old name.txt'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('a merge is read against its first parent', () => {
    const r = new TempRepo();
    try {
      r.write('f.txt', 'base\n');
      r.commitAll('base');
      r.git('checkout', '-q', '-b', 'side');
      r.write('g.txt', 'side 1\nside 2\n');
      r.commitAll('side');
      r.git('checkout', '-q', 'main');
      r.write('f.txt', 'base\nmain\n');
      r.commitAll('main');
      r.git('-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'merge', '-q', '--no-edit', '--no-ff', 'side');
      const merge = r.git('rev-parse', 'HEAD').trim();
      const added = addedLinesByPath(r.git(...gitShowArgs(merge)));
      assert.deepEqual([...added.entries()], [['g.txt', [1, 2]]]);
    } finally {
      r.remove();
    }
  });

  test('a plain unified diff (the diff package, no git header) and a hunk with a missing count', () => {
    const patch = createTwoFilesPatch('a.txt', 'a.txt', 'one\ntwo\n', 'one\n2\ntwo\nthree\n');
    assert.deepEqual(addedLinesByPath(patch).get('a.txt'), [2, 4]);
    assert.deepEqual(addedLinesByPath('--- x\n+++ y\n@@ -3 +3 @@\n-old\n+new\n').get('y'), [3]);
    assert.deepEqual(parseUnifiedDiff('not a diff at all\n'), []);
  });

  test('the git command pins the form of the output; paths map between repository and workspace', () => {
    const args = gitShowArgs('a'.repeat(40));
    assert.ok(args.includes('--unified=0') && args.includes('--src-prefix=a/') && args.includes('--no-ext-diff') && args.includes('--diff-merges=first-parent'));
    assert.throws(() => gitShowArgs('--output=/tmp/x'));
    assert.equal(tracePathOf('.', 'src/a.ts'), 'src/a.ts');
    assert.equal(tracePathOf('backend', 'src/a.ts'), 'backend/src/a.ts');
    assert.equal(repoPathOf('backend', 'backend/src/a.ts'), 'src/a.ts');
    assert.equal(repoPathOf('backend', 'frontend/a.ts'), undefined);
  });
});
