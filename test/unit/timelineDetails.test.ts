import * as assert from 'node:assert/strict';
import { buildDetails, MAX_OUTPUT_CHARS } from '../../src/timeline/details';
import { firstChangedLine, isOpenablePath } from '../../src/timeline/diffLine';
import { TimelineModel } from '../../src/timeline/model';
import type { ItemDetails } from '../../src/timeline/protocol';
import { DIFF_A, story, TraceBuilder } from './timelineStory';

function details(model: TimelineModel, id: string): ItemDetails {
  const i = model.itemOf(id);
  assert.ok(i !== undefined, id);
  const d = buildDetails(model, i);
  assert.ok(d, `details of ${id}`);
  return d;
}

function field(d: ItemDetails, label: string): string | undefined {
  return d.fields.find((f) => f.label === label)?.value;
}

function model(): TimelineModel {
  const m = new TimelineModel();
  m.append(story());
  return m;
}

suite('timeline details', () => {
  test('an edit step: its diff, where to open it, the runs that tested it', () => {
    const m = model();
    const d = details(m, 'step1');
    assert.equal(d.kind, 'edit.step');
    assert.equal(d.diff?.text, DIFF_A);
    assert.deepEqual(d.open, { path: 'src/app.ts', line: 13 }, 'the hunk starts at 10, three context lines, then the change');
    const tested = d.links.find((l) => l.label === 'Tested by');
    assert.deepEqual(tested?.items.map((i) => i.kind).sort(), ['terminal.command', 'test.run']);
    assert.equal(field(d, 'Cause'), 'typing');
  });

  test('an edit step without a diff opens at line 1 and says why there is no diff', () => {
    const d = details(model(), 'step2');
    assert.equal(d.diff, undefined);
    assert.deepEqual(d.open, { path: 'src/login.ts', line: 1 });
    assert.match(field(d, 'Diff') ?? '', /not recorded/);
  });

  test('a command: its command line, exit code, output and the edits it ran after', () => {
    const d = details(model(), 'cmd1');
    assert.equal(d.title, 'npm test');
    assert.equal(field(d, 'Exit code'), '1');
    assert.equal(d.output?.text, '1 failing\n  login works');
    assert.equal(d.links.find((l) => l.label === 'Edit steps it ran after')?.items.length, 1);
    assert.equal(d.links.find((l) => l.label === 'Recognised as tests')?.items[0]?.kind, 'test.run');
    assert.equal(d.open, undefined);
  });

  test('a test run: counts, failing tests, and the run a fix made pass', () => {
    const m = model();
    const failed = details(m, 'run1');
    assert.deepEqual(failed.failing, ['login works']);
    assert.equal(field(failed, 'Failed'), '1');
    assert.equal(field(failed, 'Passed'), '3');
    assert.equal(failed.links.find((l) => l.label === 'Later run that fixed it')?.items[0]?.index, m.itemOf('run2'));
    const fixed = details(m, 'run2');
    assert.match(field(fixed, 'Transition') ?? '', /^fixed/);
    const link = fixed.links.find((l) => l.label === 'The failing run it fixed');
    assert.equal(link?.items[0]?.index, m.itemOf('run1'));
    assert.equal(fixed.links.find((l) => l.label === 'Ran as')?.items[0]?.index, m.itemOf('cmd2'));
  });

  test('a commit: message, files and its test runs', () => {
    const d = details(model(), 'commit1');
    assert.equal(d.message, 'Fix login\n\nThe token was read too early.');
    assert.deepEqual(
      d.files?.map((f) => f.path),
      ['src/login.ts', 'src/app.ts'],
    );
    assert.equal(d.links.find((l) => l.label === 'Test runs since the previous commit')?.items.length, 2);
    assert.equal(field(d, 'Last test run'), 'passed');
  });

  test('a debug session: exception, output, stops; a stop opens its frame', () => {
    const m = model();
    const d = details(m, 'dbg1');
    assert.equal(field(d, 'Exception'), 'TypeError: x is undefined');
    assert.equal(d.output?.text, 'boom');
    const stops = d.links.find((l) => l.label === 'Stops');
    assert.equal(stops?.items.length, 1);
    const stop = buildDetails(m, stops?.items[0]?.index ?? -1);
    assert.deepEqual(stop?.open, { path: 'src/login.ts', line: 12 });
  });

  test('links to runs of an earlier session are counted as missing', () => {
    const b = new TraceBuilder();
    b.add('test.run', 1, { runner: 'jest', command: 'npx jest', origin: 'terminal', outcome: 'passed', passed: 1, failed: 0, failing: [], durationMs: 100, after: ['gone'], transition: 'fixed', previous: 'earlier' }, 'r');
    const m = new TimelineModel();
    m.append(b.events);
    const d = details(m, 'r');
    assert.deepEqual(
      d.links.map((l) => [l.label, l.items.length, l.missing]),
      [
        ['Edit steps it tested', 0, 1],
        ['The failing run it fixed', 0, 1],
      ],
    );
  });

  test('long output is cut; untitled and outside files cannot be opened', () => {
    const b = new TraceBuilder();
    b.add('terminal.command', 1, { commandLine: 'yes', confidence: 'high', cwd: null, exitCode: null, startTs: null, durationMs: null, terminal: 't', output: 'y\n'.repeat(MAX_OUTPUT_CHARS), after: [] }, 'c');
    b.add('edit.step', 2, { path: 'untitled:Untitled-1', fromVersion: 1, toVersion: 2, diff: DIFF_A, added: 1, removed: 0, edits: 1, startTs: 0, durationMs: 0, cause: 'typing', closedBy: 'pause', editIds: [] }, 's');
    const m = new TimelineModel();
    m.append(b.events);
    const c = details(m, 'c');
    assert.equal(c.output?.truncated, true);
    assert.equal(c.output?.text.length, MAX_OUTPUT_CHARS);
    assert.match(field(c, 'Exit code') ?? '', /unknown/);
    assert.equal(details(m, 's').open, undefined);
  });

  test('no details for an item that does not exist', () => {
    assert.equal(buildDetails(model(), 10_000), null);
  });
});

suite('first changed line of a diff', () => {
  test('skips the leading context lines of the first hunk', () => {
    assert.equal(firstChangedLine(DIFF_A), 13);
    assert.equal(firstChangedLine('@@ -1,2 +1,3 @@\n+new\n a\n b\n'), 1);
  });

  test('a deletion points at the line now in its place', () => {
    assert.equal(firstChangedLine('--- a\n+++ a\n@@ -4,4 +4,3 @@\n x\n-gone\n y\n z\n'), 5);
  });

  test('a hunk that empties the file, a header without counts, CRLF lines', () => {
    assert.equal(firstChangedLine('@@ -1,2 +0,0 @@\n-a\n-b\n'), 1);
    assert.equal(firstChangedLine('@@ -7 +7 @@\n-a\n+b\n'), 7);
    assert.equal(firstChangedLine('@@ -3,3 +3,3 @@\r\n a\r\n-b\r\n+c\r\n'), 4);
  });

  test('no hunk, no line', () => {
    assert.equal(firstChangedLine(''), undefined);
    assert.equal(firstChangedLine('--- a\n+++ a\n'), undefined);
  });

  test('openable paths are workspace files only', () => {
    assert.ok(isOpenablePath('src/a.ts'));
    assert.ok(isOpenablePath('folder/src/a.ts'));
    for (const p of ['untitled:Untitled-1', 'outside:abc', 'excluded:abc', '', '../secret', 'src/../../x']) {
      assert.equal(isOpenablePath(p), false, p);
    }
  });
});
