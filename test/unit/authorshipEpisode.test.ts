import * as assert from 'node:assert/strict';
import { emptyCounts } from '../../src/authorship/author';
import { patchAuthorship } from '../../src/authorship/episode';
import { AuthorshipEditor } from '../support/authorshipEditor';
import { TempRepo } from '../support/tempRepo';

/** The episode's final patch as git writes it (what episode.ts describes): base and end states of the files. */
function gitPatch(base: Record<string, string>, end: Record<string, string | null>): string {
  const repo = new TempRepo();
  try {
    for (const [path, text] of Object.entries(base)) {
      repo.write(path, text);
    }
    repo.commitAll('base');
    for (const [path, text] of Object.entries(end)) {
      if (text === null) {
        repo.git('rm', '-q', path);
      } else {
        repo.write(path, text);
      }
    }
    repo.git('add', '-A');
    return repo.git('diff', '--cached', '--no-color', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/');
  } finally {
    repo.remove();
  }
}

suite('authorship of an episode’s final patch', () => {
  test('counts the lines the patch adds by who wrote them, from the tracker after the episode', () => {
    const e = new AuthorshipEditor();
    const base = { 'src/a.ts': 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n', 'old.ts': 'bye\n', 'notes.md': 'n\n' };
    e.open('src/a.ts', base['src/a.ts']);
    e.open('old.ts', base['old.ts']);
    e.replace('src/a.ts', 'four\n', 'four\nfour and a half\n', 'typing');
    e.append('src/a.ts', 'eight();\nnine();\n', 'completion');
    e.diskSnapshot('gen/out.ts', 'generated();\n', 'created', { by: 'terminal', program: 'claude', confidence: 'high' });
    e.feed(e.b.remove('old.ts'));
    const patch = gitPatch(base, {
      'src/a.ts': e.text('src/a.ts'),
      'gen/out.ts': e.text('gen/out.ts'),
      'old.ts': null,
      'notes.md': 'n\nwritten while capture was paused\n', // the tracker never saw notes.md
    });

    const { authorship, ranges } = patchAuthorship(patch, e.tracker);
    assert.deepEqual(authorship, {
      lines: { ...emptyCounts(), typed: 1, completion: 2, tool: 1 },
      files: [
        { path: 'gen/out.ts', lines: { ...emptyCounts(), tool: 1 } },
        { path: 'src/a.ts', lines: { ...emptyCounts(), typed: 1, completion: 2 } },
      ],
      unexplained: 1,
    });
    assert.deepEqual(ranges.files, [
      { path: 'gen/out.ts', ranges: [{ start: 1, end: 1, author: 'tool', contribution: 'ai' }] },
      {
        path: 'src/a.ts',
        ranges: [
          { start: 5, end: 5, author: 'typed', contribution: 'human' },
          { start: 9, end: 10, author: 'completion', contribution: 'ai' },
        ],
      },
    ]);
    assert.deepEqual(ranges.unexplained, [{ path: 'notes.md', ranges: [{ start: 2, end: 2 }] }]);
  });

  test('a patch line that is not the tracked line of that number counts unknown', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', 'a\n');
    e.append('a.ts', 'typed();\n', 'typing');
    const patch = gitPatch({ 'a.ts': 'a\n' }, { 'a.ts': 'a\nsomething else();\n' });
    assert.deepEqual(patchAuthorship(patch, e.tracker).authorship.lines, { ...emptyCounts(), unknown: 1 });
  });
});
