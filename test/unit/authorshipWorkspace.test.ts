import * as assert from 'node:assert/strict';
import { emptyCounts } from '../../src/authorship/author';
import { CommitBaselines } from '../../src/authorship/baselines';
import type { EpisodeWithRanges } from '../../src/authorship/episode';
import { addedLineNumbers } from '../../src/authorship/lineMatch';
import { observeAuthorship } from '../../src/authorship/workspaceAuthorship';
import { agentTraceRecords } from '../../src/export/agentTrace';
import type { ChangeAttribution, TraceEvent } from '../../src/trace/events';
import { sha256 } from '../../src/trace/identity';
import { Capture } from '../support/capture';
import { build } from '../support/episodes';
import { TraceBuilder } from '../support/traceBuilder';

const CLAUDE: ChangeAttribution = { by: 'terminal', command: 'claude -p "write the generator"', program: 'claude', confidence: 'high' };
const SHA1 = '1'.repeat(40);
const SHA2 = '2'.repeat(40);

/**
 * One explicit episode: typed, pasted and completion edits, a file an agent CLI wrote, two
 * commits, and typing left uncommitted at the end.
 */
function story(): Capture {
  const c = new Capture('s-auth').start();
  c.goalStart('Add the parser', 'g-1');
  c.open('src/p.js', 'base\n');
  c.edit('src/p.js', [{ offset: 5, length: 0, text: 'typed();\n' }], 'typing');
  c.edit('src/p.js', [{ offset: 14, length: 0, text: 'pasted();\nmore();\n' }], 'paste');
  c.save('src/p.js').commit('First part', SHA1, ['src/p.js']);
  c.edit('src/p.js', [{ offset: 32, length: 0, text: 'done();\n' }], 'completion');
  const gen = 'generated();\n';
  c.emit({ kind: 'file.change', path: 'gen/out.js', change: 'created', text: gen, added: 1, removed: 0, sha256: sha256(gen), size: gen.length, by: CLAUDE });
  c.save('src/p.js').commit('Second part', SHA2, ['src/p.js', 'gen/out.js']);
  c.edit('src/p.js', [{ offset: 40, length: 0, text: 'wip();\n' }], 'typing');
  c.wait(3_000).goalEnd('g-1', 'done').end(); // the pause closes the edit step inside the task
  return c;
}

suite('authorship of built episodes (a tracker fed by the builder)', () => {
  test('episode.authorship counts the lines the final patch adds by who wrote them: typed, pasted, completion, an agent CLI', async () => {
    const c = story();
    assert.equal(c.text('src/p.js'), 'base\ntyped();\npasted();\nmore();\ndone();\nwip();\n');
    const { episodes } = await build(c.events, { observe: observeAuthorship() });
    assert.equal(episodes.length, 1);
    const [e] = episodes;
    assert.deepEqual(e.authorship, {
      lines: { ...emptyCounts(), typed: 2, pasted: 2, completion: 1, tool: 1 },
      files: [
        { path: 'gen/out.js', lines: { ...emptyCounts(), tool: 1 } },
        { path: 'src/p.js', lines: { ...emptyCounts(), typed: 2, pasted: 2, completion: 1 } },
      ],
      unexplained: 0,
    });
    assert.equal((e as EpisodeWithRanges).authorshipRanges, undefined, 'ranges only when asked');
  });

  test('with ranges: the final patch located, and per commit the lines it adds from the replayed state at the commit', async () => {
    const { episodes } = await build(story().events, { observe: observeAuthorship({ ranges: true }) });
    const e = episodes[0] as EpisodeWithRanges;
    assert.deepEqual(e.outcome.commits, [SHA1, SHA2]);
    assert.deepEqual(e.authorshipRanges?.commits, [
      {
        sha: SHA1,
        ranges: {
          files: [
            {
              path: 'src/p.js',
              ranges: [
                { start: 2, end: 2, author: 'typed', contribution: 'human' },
                { start: 3, end: 4, author: 'pasted', contribution: 'unknown' },
              ],
            },
          ],
          unexplained: [],
        },
      },
      {
        sha: SHA2,
        ranges: {
          files: [
            { path: 'gen/out.js', ranges: [{ start: 1, end: 1, author: 'tool', contribution: 'ai' }] },
            { path: 'src/p.js', ranges: [{ start: 5, end: 5, author: 'completion', contribution: 'ai' }] },
          ],
          unexplained: [],
        },
      },
    ]);
    assert.deepEqual(e.authorshipRanges?.patch?.files.find((f) => f.path === 'src/p.js')?.ranges, [
      { start: 2, end: 2, author: 'typed', contribution: 'human' },
      { start: 3, end: 4, author: 'pasted', contribution: 'unknown' },
      { start: 5, end: 5, author: 'completion', contribution: 'ai' },
      { start: 6, end: 6, author: 'typed', contribution: 'human' },
    ]);
    // what the agent-trace export makes of it: one record per commit, located
    const records = agentTraceRecords(e);
    assert.deepEqual(
      records.map((r) => [r.vcs?.revision, r.files.map((f) => [f.path, f.conversations.map((cv) => [cv.contributor.type, cv.ranges])])]),
      [
        [SHA1, [['src/p.js', [['human', [{ start_line: 2, end_line: 2 }]], ['unknown', [{ start_line: 3, end_line: 4 }]]]]]],
        [
          SHA2,
          [
            ['gen/out.js', [['ai', [{ start_line: 1, end_line: 1 }]]]],
            ['src/p.js', [['ai', [{ start_line: 5, end_line: 5 }]]]],
          ],
        ],
      ],
    );
  });

  test('a tracker bounded to one document forgets the other: its lines are unexplained, never wrong', async () => {
    const { episodes } = await build(story().events, { observe: observeAuthorship({ maxDocuments: 1 }) });
    const authorship = episodes[0].authorship;
    assert.ok(authorship);
    // gen/out.js came last: src/p.js was forgotten then, and its later edits are not followed
    assert.deepEqual(authorship.lines, { ...emptyCounts(), tool: 1 });
    assert.equal(authorship.unexplained, 5);
  });

  test('a commit whose file the replay does not know is left out of its ranges, and its recorded authorship is kept', async () => {
    const c = new Capture('s-unknown').start();
    c.goalStart('Touch an unknown file', 'g-1');
    c.edit('never-opened.js', [{ offset: 0, length: 0, text: 'x();\n' }], 'typing'); // no snapshot: not replayable
    c.emit({
      kind: 'git.commit',
      repo: '.',
      sha: SHA1,
      parents: [],
      branch: 'main',
      message: 'm',
      files: [{ path: 'never-opened.js', added: 1, removed: 0 }],
      amend: false,
      origin: 'scm',
      tests: [],
      lastTestPassed: null,
      authorship: { lines: { ...emptyCounts(), typed: 1 }, files: [{ path: 'never-opened.js', lines: { ...emptyCounts(), typed: 1 } }], unexplained: 0 },
    });
    c.goalEnd('g-1', 'done').end();
    const { episodes } = await build(c.events, { observe: observeAuthorship({ ranges: true }) });
    const e = episodes[0] as EpisodeWithRanges;
    assert.deepEqual(e.authorshipRanges?.commits, [{ sha: SHA1, ranges: { files: [], unexplained: [] } }]);
    const commit = e.steps.find((s) => s.type === 'commit');
    assert.deepEqual(commit?.type === 'commit' ? commit.observation.authorship?.lines.typed : undefined, 1);
  });
});

suite('commit baselines', () => {
  /** Feeds events to baselines and keeps texts like a tracker would (for the `textOf` callbacks). */
  function feeder(options: { maxCharacters?: number } = {}): { baselines: CommitBaselines; feed: (event: TraceEvent, after?: string) => void; texts: Map<string, string> } {
    const baselines = new CommitBaselines(options);
    const texts = new Map<string, string>();
    const textOf = (path: string): string | undefined => texts.get(path);
    return {
      baselines,
      texts,
      feed: (event, after) => {
        baselines.before(event, textOf);
        const path = (event as { path?: string }).path;
        if (path !== undefined && after !== undefined) texts.set(path, after);
        baselines.after(event, textOf);
      },
    };
  }

  test('first sight, commits, git reloads after a checkout, renames, deletes, created files', () => {
    const b = new TraceBuilder('s-base');
    const { baselines, feed, texts } = feeder();
    feed(b.open('a.js', 'v1\n'), 'v1\n');
    assert.equal(baselines.get('a.js'), 'v1\n', 'first sight: the snapshot');
    feed(b.edit('a.js', 2, [{ offset: 3, length: 0, text: 'x\n' }]), 'v1\nx\n');
    assert.equal(baselines.get('a.js'), 'v1\n', 'an edit does not move it');
    baselines.commit('a.js', 'v1\nx\n');
    assert.equal(baselines.get('a.js'), 'v1\nx\n', 'a commit does');
    feed(b.edit('a.js', 3, [{ offset: 0, length: 0, text: 'y' }], 'external', 60_000), 'yv1\nx\n');
    assert.equal(baselines.get('a.js'), 'v1\nx\n', 'a reload long after any git operation is a change like another');
    feed(b.stamp({ kind: 'git.checkout', repo: '.', from: 'main', to: 'feature', sha: 'f'.repeat(40) }, 60_000));
    feed(b.edit('a.js', 4, [{ offset: 0, length: 1, text: 'F' }], 'external', 500), 'Fv1\nx\n');
    assert.equal(baselines.get('a.js'), 'Fv1\nx\n', 'a reload right after a checkout is what the new HEAD holds');
    feed(b.rename('a.js', 'b.js'));
    assert.equal(baselines.get('a.js'), undefined);
    assert.equal(baselines.get('b.js'), 'Fv1\nx\n', 'moves with a rename');
    feed(b.remove('b.js'));
    assert.equal(baselines.get('b.js'), undefined, 'forgotten with the file');
    feed(b.diskSnapshot('new.js', 'n\n', { change: 'created' }), 'n\n');
    assert.equal(baselines.get('new.js'), '', 'a created file: every line is new');
    texts.set('late.js', 'known\n');
    feed(b.edit('late.js', 2, [{ offset: 0, length: 0, text: '+' }]), '+known\n');
    assert.equal(baselines.get('late.js'), 'known\n', 'no baseline yet: the text before its first change');
    feed(b.diskSnapshot('new.js', 'git\n', { by: { by: 'git', operation: 'reset', confidence: 'high' } }), 'git\n');
    assert.equal(baselines.get('new.js'), 'git\n', 'git wrote it: the new baseline');
  });

  test('memory is bounded: the baselines set longest ago are forgotten first', () => {
    const b = new TraceBuilder('s-mem');
    const { baselines, feed } = feeder({ maxCharacters: 10 });
    feed(b.open('a', 'aaaa'), 'aaaa');
    feed(b.open('b', 'bbbb'), 'bbbb');
    feed(b.open('c', 'cccc'), 'cccc');
    assert.equal(baselines.get('a'), undefined);
    assert.equal(baselines.get('b'), 'bbbb');
    assert.equal(baselines.characters, 8);
  });

  test('added lines: what a line diff does not find in the baseline', () => {
    assert.deepEqual(addedLineNumbers('a\nb\nc\n', 'a\nx\nb\nc\ny\n'), [2, 5]);
    assert.deepEqual(addedLineNumbers('', 'one\ntwo'), [1, 2]);
    assert.deepEqual(addedLineNumbers('same\r\n', 'same\n'), [], 'line breaks aside');
  });
});
