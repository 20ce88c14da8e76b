import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { filePatch, gitPatch, hunks, quoteName, type FileChange } from '../../src/episodes/patch';
import { gitApply } from '../support/gitApply';

/** `git apply` of the patch of `changes` to their `before` files gives their `after` files. */
function assertApplies(changes: readonly FileChange[], maxEditLength?: number): void {
  const before = new Map(changes.flatMap((c) => (c.before === null ? [] : [[c.path, c.before] as [string, string]])));
  const result = gitApply(before, gitPatch(changes, maxEditLength), changes.map((c) => c.path));
  for (const c of changes) {
    assert.equal(result.get(c.path), c.after, `${c.path} after git apply`);
  }
}

const lines = (n: number, prefix = 'line'): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

suite('episode patch (git-style unified diff)', function () {
  this.timeout(120_000); // completion, not speed: each case runs git in a fresh repository
  test('writes what git writes for a modification, a creation and a deletion, sorted by path', () => {
    const patch = gitPatch([
      { path: 'src/b.js', before: 'one\ntwo\n', after: null },
      { path: 'src/a.js', before: 'x\n', after: 'y\n' },
      { path: 'new.txt', before: null, after: 'hello' },
    ]);
    assert.equal(
      patch,
      [
        'diff --git a/new.txt b/new.txt',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/new.txt',
        '@@ -0,0 +1 @@',
        '+hello',
        '\\ No newline at end of file',
        'diff --git a/src/a.js b/src/a.js',
        '--- a/src/a.js',
        '+++ b/src/a.js',
        '@@ -1 +1 @@',
        '-x',
        '+y',
        'diff --git a/src/b.js b/src/b.js',
        'deleted file mode 100644',
        '--- a/src/b.js',
        '+++ /dev/null',
        '@@ -1,2 +0,0 @@',
        '-one',
        '-two',
        '',
      ].join('\n'),
    );
  });

  test('leaves out files that did not change', () => {
    assert.equal(gitPatch([{ path: 'a', before: 'same', after: 'same' }, { path: 'b', before: null, after: null }]), '');
  });

  test('git apply accepts modifications with several hunks and 3 lines of context', () => {
    const before = lines(40);
    const after = before.replace('line 2\n', 'line two\n').replace('line 39\n', 'line 39\nline 39.5\n');
    const diff = hunks(before, after);
    assert.equal((diff.match(/^@@/gm) ?? []).length, 2);
    assert.match(diff, /^@@ -1,5 \+1,5 @@\n line 1\n-line 2\n\+line two\n line 3\n line 4\n line 5\n/);
    assertApplies([{ path: 'a.txt', before, after }]);
  });

  test('git apply accepts CRLF files, files without a final newline, and a final newline added or removed', () => {
    assertApplies([
      { path: 'crlf.txt', before: 'a\r\nb\r\nc\r\n', after: 'a\r\nB\r\nc\r\nd\r\n' },
      { path: 'mixed.txt', before: 'a\nb\r\nc', after: 'a\r\nb\r\nc\r\n' },
      { path: 'no-eol.txt', before: 'first\nlast', after: 'first\nchanged last' },
      { path: 'add-eol.txt', before: 'x\ny', after: 'x\ny\n' },
      { path: 'drop-eol.txt', before: 'x\ny\n', after: 'x\ny' },
      { path: 'emptied.txt', before: 'gone\n', after: '' },
      { path: 'filled.txt', before: '', after: 'now\n' },
    ]);
  });

  test('git apply accepts creations and deletions, empty files and folders included', () => {
    assertApplies([
      { path: 'deep/new/dir/file.ts', before: null, after: 'export const x = 1;\n' },
      { path: 'created-no-eol.txt', before: null, after: 'no newline' },
      { path: 'empty-new.txt', before: null, after: '' },
      { path: 'old.txt', before: lines(5), after: null },
      { path: 'old-no-eol.txt', before: 'a\nb', after: null },
      { path: 'empty-old.txt', before: '', after: null },
    ]);
  });

  test('git apply accepts unicode content and names, spaces and quotes in names', () => {
    assert.equal(quoteName('a/src/é.ts'), 'a/src/é.ts');
    assert.equal(quoteName('a/say "hi".txt'), '"a/say \\"hi\\".txt"');
    assert.equal(quoteName('a/tab\there'), '"a/tab\\there"');
    assertApplies([
      { path: 'src/été/naïve.ts', before: 'const s = "😀";\nconst t = "日本";\n', after: 'const s = "😀😀";\nconst t = "日本語";\n' },
      { path: 'with space/file name.md', before: '# Title\n', after: '# Titre ✓\n' },
      { path: 'say "hi".txt', before: null, after: 'hi\n' },
      { path: 'tab\there.txt', before: 'a\n', after: 'b\n' },
    ]);
  });

  test('texts too different for a bounded line diff get one hunk spanning the changed lines, still exact', () => {
    const before = `${lines(10, 'keep')}${lines(30, 'old')}${lines(10, 'tail')}`;
    const after = `${lines(10, 'keep')}${lines(25, 'new')}${lines(10, 'tail')}`.replace(/\n$/, '');
    const diff = hunks(before, after, 5);
    assert.equal((diff.match(/^@@/gm) ?? []).length, 1);
    assert.match(diff, /^@@ -8,43 \+8,38 @@\n keep 8\n/); // the last line lost its newline: no common last lines
    assert.ok(diff.endsWith('tail 10\n\\ No newline at end of file\n'));
    assert.equal(filePatch({ path: 'x.txt', before, after }, 5), `diff --git a/x.txt b/x.txt\n--- a/x.txt\n+++ b/x.txt\n${diff}`);
    assertApplies([{ path: 'x.txt', before, after }], 5);
    assertApplies([{ path: 'x.txt', before, after }]);
  });

  test('property: git apply reproduces the end text of generated changes', () => {
    const line = fc.array(fc.constantFrom('a', 'b', 'é', '😀', ' ', '\t', '\r'), { maxLength: 6 }).map((cs) => cs.join(''));
    const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.boolean()).map(([ls, eol]) => ls.join('\n') + (eol && ls.length > 0 ? '\n' : ''));
    const file = fc.tuple(fc.option(text, { nil: null }), fc.option(text, { nil: null }));
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 4 }), (files) => {
        const changes = files.map(([before, after], i) => ({ path: `dir${i % 2}/f${i}.txt`, before, after }));
        assertApplies(changes);
        assertApplies(changes, 0); // every changed file as one spanning hunk
      }),
      { numRuns: 25, seed: 42 },
    );
  });
});
