import * as assert from 'node:assert/strict';
import { emptyCounts, totalOf } from '../../src/authorship/author';
import type { CommittedFile } from '../../src/authorship/commit';
import { gitShowArgs, tracePathOf } from '../../src/authorship/gitShow';
import { addedLinesByPath } from '../../src/authorship/unifiedDiff';
import type { AuthorshipCounts } from '../../src/trace/events';
import { AuthorshipEditor } from '../support/authorshipEditor';
import { TempRepo } from '../support/tempRepo';

const BASE = "import { x } from './x';\n\nexport function main(): number {\n  return 0;\n}\n";

function counts(values: Partial<AuthorshipCounts>): AuthorshipCounts {
  return { ...emptyCounts(), ...values };
}

/** What the VS Code layer does at commit time: one `git show` for the added lines, the blobs, the tracker. */
function committedFiles(repo: TempRepo, sha: string, root = '.'): CommittedFile[] {
  const added = addedLinesByPath(repo.git(...gitShowArgs(sha)));
  return [...added.entries()].map(([path, addedLines]) => ({ path: tracePathOf(root, path), committedText: repo.show(sha, path), addedLines }));
}

suite('authorship of a commit (real git)', () => {
  let repo: TempRepo;

  setup(() => {
    repo = new TempRepo();
  });

  teardown(() => repo.remove());

  test('typed lines, an accepted completion, a paste, a tool’s file and an untracked file: counted right to the line', () => {
    repo.write('src/app.ts', BASE);
    repo.write('README.md', '# App\n');
    repo.commitAll('base');

    const e = new AuthorshipEditor();
    const app = 'src/app.ts';
    e.open(app, BASE);
    e.type(app, BASE.length, 'function typed1() {}\nfunction typed2() {}\n');
    e.append(app, 'function completed(): number {\n  return 42;\n}\n', 'completion');
    e.append(app, 'const pasted1 = 1;\nconst pasted2 = 2;\n', 'paste');
    e.replace(app, 'return 0', 'return 1', 'typing'); // one typed character makes the changed line typed
    e.type(app, e.text(app).length, '// wip, not staged\n');
    e.diskSnapshot('gen/schema.ts', 'export interface A {\n  a: string;\n}\n', 'created', { by: 'terminal', program: 'node', command: 'node gen.js', confidence: 'high' });

    // The engineer stages all but the last typed line; README.md changed outside capture.
    repo.write(app, e.text(app).replace('// wip, not staged\n', ''));
    repo.write('gen/schema.ts', e.text('gen/schema.ts'));
    repo.write('README.md', '# App\n\nUsage: run it.\nMore.\n');
    const sha = repo.commitAll('work');

    const files = committedFiles(repo, sha);
    const { authorship, ranges } = e.tracker.attributeCommit(files);
    assert.deepEqual(authorship, {
      lines: counts({ typed: 3, completion: 3, pasted: 2, tool: 3 }),
      files: [
        { path: 'gen/schema.ts', lines: counts({ tool: 3 }) },
        { path: 'src/app.ts', lines: counts({ typed: 3, completion: 3, pasted: 2 }) },
      ],
      unexplained: 3,
    });
    assert.equal(totalOf(authorship.lines) + authorship.unexplained, files.reduce((n, f) => n + f.addedLines.length, 0), 'every added line is counted once');
    assert.deepEqual(e.tracker.commitAuthorship(files), authorship);

    // Located: line 4 ("  return 1;") typed; lines 6-7 typed; 8-10 completion; 11-12 pasted.
    assert.deepEqual(ranges.files.find((f) => f.path === app)?.ranges, [
      { start: 4, end: 4, author: 'typed', contribution: 'human' },
      { start: 6, end: 7, author: 'typed', contribution: 'human' },
      { start: 8, end: 10, author: 'completion', contribution: 'ai' },
      { start: 11, end: 12, author: 'pasted', contribution: 'unknown' },
    ]);
    assert.deepEqual(ranges.unexplained, [{ path: 'README.md', ranges: [{ start: 2, end: 4 }] }]);
  });

  test('a committed line that differs from every tracked line is unknown; CRLF in the editor, LF in the blob still match', () => {
    const e = new AuthorshipEditor();
    e.open('w.txt', 'keep\r\n');
    e.append('w.txt', 'typed line\r\n', 'typing');
    e.append('w.txt', 'completed line\r\n', 'completion');
    const committed = 'keep\ntyped line\nedited in the index only\ncompleted line\n';
    assert.deepEqual(e.tracker.attribute('w.txt', committed, [2, 3, 4, 4, 99, 0]), counts({ typed: 1, unknown: 1, completion: 1 }));
    assert.equal(e.tracker.attribute('nowhere.txt', committed, [1]), undefined);
  });

  test('a repository in a subfolder: trace paths carry the folder', () => {
    repo.write('a.txt', 'one\n');
    repo.commitAll('base');
    const e = new AuthorshipEditor();
    e.open('backend/a.txt', 'one\n');
    e.append('backend/a.txt', 'two\n', 'assistant');
    repo.write('a.txt', e.text('backend/a.txt'));
    const sha = repo.commitAll('assistant');
    assert.deepEqual(e.tracker.commitAuthorship(committedFiles(repo, sha, 'backend')).lines, counts({ assistant: 1 }));
  });

  test('a file whose blob could not be read is unexplained', () => {
    const e = new AuthorshipEditor();
    e.open('a.txt', 'x\n');
    const result = e.tracker.commitAuthorship([{ path: 'a.txt', committedText: null, addedLines: [1, 2, 2] }]);
    assert.deepEqual(result, { lines: emptyCounts(), files: [], unexplained: 2 });
  });
});
