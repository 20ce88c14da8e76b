import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Episode, EpisodeStep, TestStepData } from '../../src/episodes/episode';
import type { TraceEvent } from '../../src/trace/events';
import { Capture, NODE_FAIL, NODE_PASS } from '../support/capture';
import { applyEpisodePatch, build, sessionsOf } from '../support/episodes';

const SUM = 'function sum(xs) {\n  let total = 0;\n  for (let i = 1; i < xs.length; i++) total += xs[i];\n  return total;\n}\nmodule.exports = { sum };\n';
const SUM_TEST = "const assert = require('node:assert');\nconst { sum } = require('../src/sum');\n";
const MIN = 60_000;

function types(episode: Episode): string[] {
  return episode.steps.map((s) => s.type);
}

function stepOf<T extends EpisodeStep['type']>(episode: Episode, index: number, type: T): Extract<EpisodeStep, { type: T }> {
  const step = episode.steps[index];
  assert.equal(step.type, type, `step ${index}`);
  return step as Extract<EpisodeStep, { type: T }>;
}

/** goal.start → edits → failing test run → fix → the same test passing (fixed) → commit → goal.end. */
function story(): Capture {
  const c = new Capture('s-story');
  c.start();
  c.goalStart('Fix the off-by-one in sum', 'g-1', { issue: '#7', url: 'https://example.invalid/issues/7' });
  c.open('src/sum.js', SUM).open('test/sum.test.js', SUM_TEST);
  c.edit('test/sum.test.js', [{ offset: SUM_TEST.length, length: 0, text: 'assert.equal(sum([1, 2, 3]), 6);\n' }]).wait(3_000);
  c.run('npm test', 1, NODE_FAIL);
  c.replace('src/sum.js', 'let i = 1', 'let i = 0').wait(3_000);
  c.emit({ kind: 'diagnostics.change', path: 'src/sum.js', before: { errors: 1, warnings: 0 }, after: { errors: 0, warnings: 0 }, new: [] });
  c.save('src/sum.js');
  c.run('npm test', 0, NODE_PASS);
  c.commit('Fix sum: start at the first element', 'c'.repeat(40), ['src/sum.js', 'test/sum.test.js']);
  c.wait(1_000).goalEnd('g-1', 'done', 'off by one');
  c.wait(1_000).end();
  return c;
}

suite('episodes: the full story', () => {
  test('goal → edits → failing run → fix → passing run (fixed) → commit → goal end: one explicit episode', async () => {
    const c = story();
    const { episodes, report } = await build(c.events);
    assert.equal(episodes.length, 1);
    const [e] = episodes;
    assert.deepEqual(e.goal, { text: 'Fix the off-by-one in sum', source: 'explicit', goalId: 'g-1', url: 'https://example.invalid/issues/7', issue: '#7' });
    assert.deepEqual(e.sessions, ['s-story']);
    assert.equal(e.start.boundary, 'goal.start');
    assert.equal(e.start.ts, c.last('goal.start').ts);
    assert.deepEqual(e.start.repos, [{ root: '.', head: 'a'.repeat(40), branch: 'main' }]);
    assert.deepEqual(e.end, { ts: c.last('goal.end').ts, boundary: 'goal.end' });
    assert.deepEqual(types(e), ['edit', 'command', 'test', 'edit', 'command', 'test', 'commit']);
    assert.deepEqual(
      e.steps.map((s) => s.index),
      [0, 1, 2, 3, 4, 5, 6],
    );

    const [firstStep, fixStep] = c.all('edit.step');
    const edit0 = stepOf(e, 0, 'edit');
    assert.deepEqual(edit0.action, { path: 'test/sum.test.js', diff: firstStep.diff, cause: 'typing', added: 1, removed: 0, edits: 1 });
    assert.deepEqual(edit0.eventIds, [firstStep.id, ...firstStep.editIds]);
    const fix = stepOf(e, 3, 'edit');
    assert.equal(fix.action.path, 'src/sum.js');
    assert.equal(fix.eventIds[0], fixStep.id);
    assert.deepEqual(fix.observation.diagnostics, [{ path: 'src/sum.js', before: { errors: 1, warnings: 0 }, after: { errors: 0, warnings: 0 }, new: [] }]);

    assert.deepEqual(stepOf(e, 1, 'command').after, [0]);
    assert.equal(stepOf(e, 1, 'command').observation.exitCode, 1);
    const failing = stepOf(e, 2, 'test');
    assert.equal(failing.source, 1);
    assert.deepEqual(failing.after, [0]);
    assert.equal(failing.previous, undefined);
    assert.equal(failing.observation.outcome, 'failed');
    assert.equal(failing.observation.transition, undefined);
    const passing: TestStepData = stepOf(e, 5, 'test');
    assert.equal(passing.source, 4);
    assert.deepEqual(passing.after, [3]);
    assert.equal(passing.previous, 2);
    assert.deepEqual(passing.observation, { outcome: 'passed', passed: 2, failed: 0, skipped: 0, failing: [], transition: 'fixed' });
    assert.equal(passing.ts, stepOf(e, 4, 'command').ts, 'a derived run starts with its command');
    const commit = stepOf(e, 6, 'commit');
    assert.deepEqual(commit.observation.tests, [2, 5]);
    assert.equal(commit.observation.lastTestPassed, true);
    assert.equal(commit.action.message, 'Fix sum: start at the first element');

    assert.deepEqual(e.outcome.status, 'done');
    assert.equal(e.outcome.source, 'explicit');
    assert.equal(e.outcome.note, 'off by one');
    assert.equal(e.outcome.lastTestPassed, true);
    assert.equal(e.outcome.committed, true);
    assert.deepEqual(e.outcome.commits, ['c'.repeat(40)]);
    assert.equal(e.outcome.patchExact, true);
    assert.equal(e.exact, true);
    assert.deepEqual(e.problems, []);

    assert.deepEqual(e.figures, {
      durationMs: e.end.ts - e.start.ts,
      activeMs: e.end.ts - e.start.ts, // no gap over 5 minutes
      edits: 2,
      editSteps: 2,
      commands: 2,
      tasks: 0,
      testRuns: 2,
      debugSessions: 0,
      commits: 1,
      fileChanges: 0,
      fixed: 1,
      broke: 0,
    });

    assert.deepEqual(
      e.base.map((b) => [b.path, b.known, b.text]),
      [
        ['src/sum.js', true, SUM],
        ['test/sum.test.js', true, SUM_TEST],
      ],
    );
    const after = applyEpisodePatch(e);
    assert.equal(after.get('src/sum.js'), c.text('src/sum.js'));
    assert.equal(after.get('test/sum.test.js'), c.text('test/sum.test.js'));
    assert.match(e.outcome.patch, /^diff --git a\/src\/sum\.js b\/src\/sum\.js\n--- a\/src\/sum\.js\n\+\+\+ b\/src\/sum\.js\n@@ /);
    assert.deepEqual(report, { sessions: 1, events: c.events.length, episodes: 1, notExact: 0, empty: 0, skipped: { 'unknown-kind': 0, 'newer-schema': 0, malformed: 0, duplicate: 0 } });
  });

  test('the id is derived from the workspace and the first event; building twice gives the same JSON', async () => {
    const c = story();
    const first = await build(c.events);
    const second = await build(c.events);
    assert.equal(JSON.stringify(first.episodes), JSON.stringify(second.episodes));
    assert.match(first.episodes[0].id, /^ep-[0-9a-f]{16}$/);
    const other = await build(c.events.map((e) => ({ ...e, workspace: 'ws-other' })));
    assert.notEqual(other.episodes[0].id, first.episodes[0].id, 'another workspace, another id');
  });
});

suite('episodes: inferred boundaries', () => {
  test('a checkout to another branch ends the episode and starts "Work on branch <to>" with the checkout', async () => {
    const c = new Capture('s1').start({ folders: ['app', 'docs'] });
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]).wait(3_000);
    c.checkout('main', 'feature/login', 'f'.repeat(40));
    c.edit('a.js', [{ offset: 0, length: 0, text: 'y' }]).wait(3_000);
    c.checkout('feature/login', 'feature/login'); // same branch: no boundary
    c.end();
    const { episodes } = await build(c.events);
    assert.equal(episodes.length, 2);
    const [onMain, onFeature] = episodes;
    assert.deepEqual(onMain.goal, { text: 'Work on main in app, docs', source: 'inferred', inferredFrom: 'session' });
    assert.equal(onMain.start.boundary, 'session.start');
    assert.equal(onMain.end.boundary, 'branch');
    assert.equal(onMain.end.ts, c.all('edit.step')[0].ts, 'the last event before the checkout');
    assert.deepEqual(types(onMain), ['edit']);
    assert.deepEqual(onFeature.goal, { text: 'Work on branch feature/login', source: 'inferred', inferredFrom: 'branch' });
    assert.equal(onFeature.start.boundary, 'branch');
    assert.equal(onFeature.start.ts, c.all('git.checkout')[0].ts);
    assert.deepEqual(onFeature.start.repos, [{ root: '.', head: 'a'.repeat(40), branch: 'main' }], 'the state before the checkout, its first step');
    assert.deepEqual(types(onFeature), ['checkout', 'edit', 'checkout']);
    assert.deepEqual(stepOf(onFeature, 0, 'checkout').action, { repo: '.', from: 'main', to: 'feature/login' });
    assert.equal(onFeature.end.boundary, 'session.end');
    assert.equal(onFeature.outcome.status, 'unknown');
    assert.equal(onFeature.outcome.source, 'inferred');
    // each episode's patch covers its own edits: x then y
    assert.equal(applyEpisodePatch(onMain).get('a.js'), 'xa\n');
    assert.equal(onFeature.base[0].text, 'xa\n');
    assert.equal(applyEpisodePatch(onFeature).get('a.js'), 'yxa\n');
  });

  test('a commit after a passing run ends the episode as done; the next activity starts another', async () => {
    const c = new Capture('s1').start();
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]);
    c.run('npm test', 1, NODE_FAIL);
    c.commit('wip', '1'.repeat(40)); // after a failing run: no boundary
    c.edit('a.js', [{ offset: 0, length: 0, text: 'y' }]);
    c.run('npm test', 0, NODE_PASS);
    c.wait(5_000).commit('done', '2'.repeat(40));
    c.emit({ kind: 'editor.focus', path: 'a.js' }); // not activity: between episodes
    c.wait(5_000).edit('a.js', [{ offset: 0, length: 0, text: 'z' }]).wait(3_000);
    c.end();
    const { episodes } = await build(c.events);
    assert.equal(episodes.length, 2);
    const [done, next] = episodes;
    assert.deepEqual(types(done), ['edit', 'command', 'test', 'commit', 'edit', 'command', 'test', 'commit']);
    assert.deepEqual(done.end, { ts: c.all('git.commit')[1].ts, boundary: 'commit-after-pass' });
    assert.deepEqual(
      { status: done.outcome.status, source: done.outcome.source, lastTestPassed: done.outcome.lastTestPassed, commits: done.outcome.commits },
      { status: 'done', source: 'inferred', lastTestPassed: true, commits: ['1'.repeat(40), '2'.repeat(40)] },
    );
    assert.equal(done.figures.fixed, 1);
    assert.deepEqual(next.goal, { text: 'Work on main in app', source: 'inferred', inferredFrom: 'commit' });
    assert.equal(next.start.boundary, 'commit-after-pass');
    assert.deepEqual(next.start.repos, [{ root: '.', head: '2'.repeat(40), branch: 'main' }], 'moved on by the commits');
    assert.equal(next.start.ts, c.all('doc.edit')[2].ts);
    assert.equal(next.outcome.status, 'unknown');
    assert.equal(next.outcome.lastTestPassed, null);
  });

  test('the episode\'s last passing run counts when the commit does not say (lastTestPassed null)', async () => {
    const c = new Capture('s1').start();
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]);
    c.run('npm test', 0, NODE_PASS);
    c.emit({ kind: 'git.commit', repo: '.', sha: '3'.repeat(40), parents: [], branch: 'main', message: 'm', files: [], amend: false, origin: 'scm', tests: [], lastTestPassed: null });
    c.end();
    const events = c.events.map((e) => (e.kind === 'git.commit' ? { ...e, lastTestPassed: null, tests: [] } : e));
    const { episodes } = await build(events);
    assert.equal(episodes[0].end.boundary, 'commit-after-pass');
    assert.deepEqual(stepOf(episodes[0], 3, 'commit').observation.tests, []);
  });

  test('a gap of idleGapMs or more ends the episode at the event before it', async () => {
    const c = new Capture('s1').start();
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]).wait(3_000);
    const lastBefore = c.last('edit.step').ts;
    c.wait(31 * MIN);
    c.emit({ kind: 'capture.resume' }); // a marker: carried by the next episode, opens none
    c.wait(10 * MIN);
    c.emit({ kind: 'editor.focus', path: 'a.js' });
    c.edit('a.js', [{ offset: 0, length: 0, text: 'y' }]).wait(3_000);
    c.end();
    const { episodes } = await build(c.events);
    assert.equal(episodes.length, 2);
    assert.deepEqual(episodes[0].end, { ts: lastBefore, boundary: 'idle' });
    assert.deepEqual(episodes[1].goal.inferredFrom, 'idle');
    assert.equal(episodes[1].start.boundary, 'idle');
    assert.deepEqual(types(episodes[1]), ['event', 'edit']);
    assert.deepEqual(stepOf(episodes[1], 0, 'event').action, { kind: 'capture.resume' });
    assert.equal(episodes[1].figures.activeMs, 5 * MIN + (episodes[1].end.ts - c.last('doc.edit').ts), 'the 10-minute gap counts 5 minutes');

    const shorter = await build(c.events, { idleGapMs: 60 * MIN });
    assert.equal(shorter.episodes.length, 1, 'idleGapMs is an option');
  });

  test('the end of a session ends an inferred episode; the next session starts another', async () => {
    const one = new Capture('s1').start();
    one.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]).wait(3_000).end();
    const two = new Capture('s2', 'ws-test', one.clock.now() + 10_000).start();
    two.open('a.js', 'xa\n', { existing: true }).edit('a.js', [{ offset: 0, length: 0, text: 'y' }]).wait(3_000).end();
    const { episodes } = await build([...one.events, ...two.events]);
    assert.equal(episodes.length, 2);
    assert.deepEqual(
      episodes.map((e) => [e.sessions, e.start.boundary, e.end.boundary, e.goal.inferredFrom]),
      [
        [['s1'], 'session.start', 'session.end', 'session'],
        [['s2'], 'session.start', 'session.end', 'session'],
      ],
    );
    assert.equal(episodes[0].end.ts, one.last('session.end').ts);
  });

  test('explicit beats inferred: a checkout, a commit after a pass and an idle gap inside a task do not split it', async () => {
    const c = new Capture('s1').start();
    c.goalStart('Add login', 'g-login');
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]).wait(3_000);
    c.checkout('main', 'login');
    c.edit('a.js', [{ offset: 0, length: 0, text: 'y' }]);
    c.run('npm test', 0, NODE_PASS);
    c.commit('login', '4'.repeat(40));
    c.wait(2 * 60 * MIN);
    c.edit('a.js', [{ offset: 0, length: 0, text: 'z' }]).wait(3_000);
    c.goalEnd('g-login', 'handed-off');
    c.end();
    const { episodes } = await build(c.events);
    assert.equal(episodes.length, 1);
    const [e] = episodes;
    assert.equal(e.goal.source, 'explicit');
    assert.deepEqual(types(e), ['edit', 'checkout', 'edit', 'command', 'test', 'commit', 'edit']);
    assert.deepEqual([e.end.boundary, e.outcome.status, e.outcome.source], ['goal.end', 'handed-off', 'explicit']);
    assert.equal(e.figures.activeMs < e.figures.durationMs - 60 * MIN, true, 'the two hours away are not activity');
  });

  test('goal.start closes an open inferred episode; after goal.end the next activity is inferred from it', async () => {
    const c = new Capture('s1').start();
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]).wait(3_000);
    c.goalStart('Task', 'g-2');
    c.edit('a.js', [{ offset: 0, length: 0, text: 'y' }]).wait(3_000);
    c.goalEnd('g-2', 'abandoned');
    c.edit('a.js', [{ offset: 0, length: 0, text: 'z' }]).wait(3_000);
    c.goalStart('Empty task', 'g-3');
    c.goalEnd('g-3', 'done');
    c.end();
    const { episodes, report } = await build(c.events);
    assert.deepEqual(
      episodes.map((e) => [e.goal.source, e.goal.inferredFrom ?? e.goal.goalId, e.start.boundary, e.end.boundary, e.outcome.status]),
      [
        ['inferred', 'session', 'session.start', 'goal.start', 'unknown'],
        ['explicit', 'g-2', 'goal.start', 'goal.end', 'abandoned'],
        ['inferred', 'goal-end', 'goal.end', 'goal.start', 'unknown'],
      ],
    );
    assert.equal(report.empty, 1, 'a task without steps is not emitted');
  });
});

suite('episodes: sessions and workspaces', () => {
  test('an explicit task across a window reload (resumed goal.start) is one episode spanning both sessions', async () => {
    const one = new Capture('s1').start();
    one.goalStart('Refactor', 'g-r');
    one.open('a.js', 'one\n').edit('a.js', [{ offset: 0, length: 0, text: '1' }]).wait(3_000);
    one.emit({ kind: 'debug.session', phase: 'start', sessionId: 'd1', type: 'node', request: 'launch', name: 'Run', after: [] });
    one.wait(1_000).end(); // the window closes with the debug session running
    const two = new Capture('s2', 'ws-test', one.clock.now() + 5_000).start();
    two.open('a.js', '1one\n', { existing: true });
    two.emit({ kind: 'capture.resume' });
    two.goalStart('Refactor', 'g-r', { resumed: true });
    two.edit('a.js', [{ offset: 5, length: 0, text: 'two\n' }]).wait(3_000);
    two.goalEnd('g-r', 'done');
    two.end();
    const { episodes } = await build([...one.events, ...two.events]);
    assert.equal(episodes.length, 1);
    const [e] = episodes;
    assert.deepEqual(e.sessions, ['s1', 's2']);
    assert.deepEqual(types(e), ['edit', 'debug', 'event', 'edit']);
    assert.deepEqual(
      e.steps.map((s) => s.session),
      ['s1', 's1', 's2', 's2'],
    );
    const debug = stepOf(e, 1, 'debug');
    assert.deepEqual([debug.observation.ended, debug.durationMs], [false, one.last('session.end').ts - debug.ts], 'a debug session ends with its window at the latest');
    assert.equal(e.end.boundary, 'goal.end');
    assert.equal(e.base[0].text, 'one\n');
    assert.equal(applyEpisodePatch(e).get('a.js'), '1one\ntwo\n');
    assert.ok(e.figures.activeMs <= e.figures.durationMs - 5_000, 'the reload is not activity');
  });

  test('a task the next session does not resume ends at its session\'s last event; one open at the end of the trace ends with trace-end', async () => {
    const one = new Capture('s1').start();
    one.goalStart('Task', 'g-1');
    one.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]).wait(3_000).end();
    const two = new Capture('s2', 'ws-test', one.clock.now() + 5_000).start();
    two.open('a.js', 'xa\n', { existing: true }).edit('a.js', [{ offset: 0, length: 0, text: 'y' }]).wait(3_000);
    two.goalStart('Next', 'g-2').edit('a.js', [{ offset: 0, length: 0, text: 'z' }]).wait(3_000).end();
    const { episodes } = await build([...one.events, ...two.events]);
    assert.deepEqual(
      episodes.map((e) => [e.goal.goalId ?? e.goal.inferredFrom, e.sessions, e.end.boundary, e.outcome.status, e.outcome.source]),
      [
        ['g-1', ['s1'], 'session.end', 'unknown', 'inferred'],
        ['session', ['s2'], 'goal.start', 'unknown', 'inferred'],
        ['g-2', ['s2'], 'trace-end', 'unknown', 'inferred'],
      ],
    );
    assert.equal(episodes[0].end.ts, one.last('session.end').ts);
    assert.equal(applyEpisodePatch(episodes[0]).get('a.js'), 'xa\n', 'its end is where its session ended');
  });

  test('sessions of two workspaces interleaved in time stay apart', async () => {
    const t0 = 1_700_000_000_000;
    const a1 = new Capture('a1', 'ws-a', t0).start();
    a1.goalStart('A task', 'g-a');
    a1.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'A' }]).wait(3_000).end();
    const b1 = new Capture('b1', 'ws-b', t0 + 1_000).start();
    b1.open('a.js', 'b\n').edit('a.js', [{ offset: 0, length: 0, text: 'B' }]).wait(3_000).end();
    const a2 = new Capture('a2', 'ws-a', t0 + 60_000).start();
    a2.goalStart('A task', 'g-a', { resumed: true });
    a2.edit('a.js', [{ offset: 0, length: 0, text: 'A' }]).wait(3_000);
    a2.goalEnd('g-a', 'done').end();
    const [sa1, sa2, sb1] = [sessionsOf(a1.events)[0], sessionsOf(a2.events)[0], sessionsOf(b1.events)[0]];

    const grouped = await build([sa1, sa2, sb1]);
    assert.deepEqual(
      grouped.episodes.map((e) => [e.workspace, e.sessions]),
      [
        ['ws-a', ['a1', 'a2']],
        ['ws-b', ['b1']],
      ],
    );
    for (const e of grouped.episodes) {
      assert.ok(
        e.steps.every((s) => e.sessions.includes(s.session)),
        `${e.workspace}: every step is of its own sessions`,
      );
    }
    assert.equal(applyEpisodePatch(grouped.episodes[0]).get('a.js'), 'AAa\n', 'ws-a replays its own a.js');
    assert.equal(applyEpisodePatch(grouped.episodes[1]).get('a.js'), 'Bb\n', 'ws-b replays its own a.js');

    const interleaved = await build([sa1, sb1, sa2]);
    assert.deepEqual(
      interleaved.episodes.map((e) => [e.workspace, e.sessions, e.end.boundary]),
      [
        ['ws-a', ['a1'], 'trace-end'],
        ['ws-b', ['b1'], 'session.end'],
        ['ws-a', ['a2'], 'goal.end'],
      ],
    );
    assert.deepEqual(
      interleaved.problems.filter((p) => p.reason === 'order').map((p) => [p.workspace, p.session]),
      [['ws-a', 'a2']],
    );
  });
});

suite('episodes: steps', () => {
  test('a debug session is one step (stops and end folded in); one still running is not ended', async () => {
    const c = new Capture('s1').start();
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]);
    c.emit({ kind: 'debug.session', phase: 'start', sessionId: 'd1', type: 'pwa-node', request: 'launch', name: 'Run', configuration: { program: 'a.js' }, after: [] });
    c.wait(500).emit({ kind: 'debug.stop', sessionId: 'd1', reason: 'exception', exception: { message: 'boom', frame: { name: 'main', location: { path: 'a.js', line: 1 } } } });
    c.wait(500).emit({ kind: 'debug.session', phase: 'end', sessionId: 'd1', type: 'pwa-node', request: 'launch', name: 'Run', durationMs: 1_000, exitCode: 1, exception: 'Error: boom' });
    c.emit({ kind: 'debug.session', phase: 'start', sessionId: 'd2', type: 'pwa-node', request: 'attach', name: 'Attach', after: [] });
    c.wait(2_000).emit({ kind: 'editor.view', path: 'a.js', ranges: [{ start: 1, end: 10 }], active: true });
    c.wait(1_000).emit({ kind: 'editor.view', path: 'a.js', ranges: [{ start: 8, end: 30 }], active: true });
    c.emit({ kind: 'editor.navigate', from: { path: 'a.js', line: 3, column: 2 }, to: { path: 'b.js', line: 1 }, via: 'definition', trigger: 'keyboard' });
    c.emit({ kind: 'editor.selection', path: 'b.js', trigger: 'mouse', selections: [], count: 1, chars: 0, lines: 1 });
    c.emit({ kind: 'privacy.redacted', in: 'terminal.command', field: 'output', rule: 'aws-access-key', count: 1 });
    c.emit({ kind: 'terminal.open', terminal: 'bash', shell: 'bash', captured: true });
    c.emit({ kind: 'task.run', name: 'build', source: 'Workspace', group: 'build', exitCode: 0, startTs: c.clock.now() - 10, durationMs: 10, after: [] });
    c.end();
    const { episodes } = await build(c.events);
    const [e] = episodes;
    assert.deepEqual(types(e), ['edit', 'debug', 'debug', 'view', 'navigate', 'event', 'event', 'task']);
    const debug = stepOf(e, 1, 'debug');
    assert.deepEqual(debug.after, [0]);
    assert.equal(debug.durationMs, 1_000);
    assert.deepEqual(debug.observation, {
      stops: [{ ts: c.all('debug.stop')[0].ts, reason: 'exception', exception: { message: 'boom', frame: { name: 'main', location: { path: 'a.js', line: 1 } } } }],
      exitCode: 1,
      exception: 'Error: boom',
      ended: true,
    });
    assert.equal(debug.eventIds.length, 3);
    const running = stepOf(e, 2, 'debug');
    assert.equal(running.observation.ended, false);
    assert.equal(running.durationMs, e.end.ts - running.ts);
    assert.deepEqual(stepOf(e, 3, 'view').observation.ranges, [{ start: 1, end: 30 }], 'consecutive views of one file coalesce');
    assert.equal(stepOf(e, 3, 'view').eventIds.length, 2);
    assert.deepEqual(stepOf(e, 5, 'event').observation.data, { in: 'terminal.command', field: 'output', rule: 'aws-access-key', count: 1 });
    assert.equal(e.figures.debugSessions, 2);
    assert.equal(e.figures.tasks, 1);
  });

  test('changes on disk: file-change and file-bulk steps; a deletion is in the patch; a change replay cannot reproduce makes the file unknown', async () => {
    const c = new Capture('s1').start();
    c.open('gone.txt', 'bye\n').open('gen.js', 'old\n').emit({ kind: 'doc.close', path: 'gen.js' });
    const by = { by: 'terminal', command: 'node gen.js', terminal: 'bash', program: 'node', confidence: 'high' } as const;
    c.emit({ kind: 'file.change', path: 'gone.txt', change: 'deleted', added: 0, removed: 1, sha256: null, size: null, by });
    c.emit({ kind: 'file.change', path: 'gen.js', change: 'changed', changes: [{ offset: 0, length: 3, text: 'new' }], diff: '', added: 1, removed: 1, sha256: '0'.repeat(64), size: 4, by });
    c.emit({ kind: 'file.bulk', count: 500, created: 500, changed: 0, deleted: 0, paths: ['node_modules/x.js'], hashes: [null], truncated: false, by: { by: 'terminal', command: 'npm install', confidence: 'medium' } });
    c.end();
    const { episodes } = await build(c.events);
    const [e] = episodes;
    assert.deepEqual(types(e), ['file-change', 'file-change', 'file-bulk']);
    assert.deepEqual(stepOf(e, 0, 'file-change').observation, { path: 'gone.txt', change: 'deleted', added: 0, removed: 1 });
    assert.deepEqual(stepOf(e, 0, 'file-change').action.by, { by: 'terminal', command: 'node gen.js', terminal: 'bash', program: 'node', confidence: 'high' });
    assert.equal(e.figures.fileChanges, 502);
    assert.deepEqual(
      e.base.map((b) => [b.path, b.known]),
      [
        ['gen.js', true],
        ['gone.txt', true],
      ],
    );
    assert.equal(e.exact, false);
    assert.equal(e.outcome.patchExact, false);
    assert.equal(e.problems.length, 1);
    assert.match(e.problems[0], /^gen\.js: content at the end not known: .*file\.change/);
    assert.equal(e.outcome.patch, 'diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n');
    assert.equal(applyEpisodePatch(e).get('gone.txt'), null);
  });

  test('a bulk change that lists only some of its files makes the closed files it may have changed unknown', async () => {
    const c = new Capture('s1').start();
    c.open('closed.js', 'c\n').emit({ kind: 'doc.close', path: 'closed.js' });
    c.open('open.js', 'o\n');
    c.emit({ kind: 'file.bulk', count: 300, created: 0, changed: 300, deleted: 0, paths: ['lib/a.js'], hashes: [null], truncated: true, by: { by: 'git', operation: 'checkout', confidence: 'high' } });
    c.edit('closed.js', [{ offset: 0, length: 0, text: 'x' }]).edit('open.js', [{ offset: 0, length: 0, text: 'y' }]).wait(3_000);
    c.end();
    const [e] = (await build(c.events)).episodes;
    assert.deepEqual(
      e.base.map((b) => [b.path, b.known, b.missing]),
      [
        ['closed.js', false, 'not-replayable'],
        ['open.js', true, undefined],
      ],
    );
    assert.match(e.problems.join('\n'), /^closed\.js: content at the start not known: possibly changed on disk by a bulk change/m);
    assert.equal(applyEpisodePatch(e).get('open.js'), 'yo\n');
  });

  test('files created, renamed and deleted through the editor: bases say created, the patch creates and deletes', async () => {
    const c = new Capture('s1').start();
    c.open('old.js', 'keep me\n');
    c.emit({ kind: 'file.create', path: 'src/new.js' });
    c.open('src/new.js', '').edit('src/new.js', [{ offset: 0, length: 0, text: 'export {};\n' }]).wait(3_000);
    c.emit({ kind: 'file.rename', from: 'old.js', to: 'renamed.js' });
    c.open('untitled:Untitled-1', '').edit('untitled:Untitled-1', [{ offset: 0, length: 0, text: 'scratch' }]).wait(3_000);
    c.end();
    const { episodes } = await build(c.events);
    const [e] = episodes;
    assert.deepEqual(types(e), ['event', 'edit', 'event', 'edit']);
    assert.deepEqual(
      e.base.map((b) => [b.path, b.known, b.missing]),
      [
        ['old.js', true, undefined],
        ['renamed.js', false, 'created'],
        ['src/new.js', false, 'created'],
      ],
      'untitled documents are not files of the workspace',
    );
    assert.equal(e.exact, true, e.problems.join('; '));
    const after = applyEpisodePatch(e);
    assert.deepEqual([...after], [
      ['old.js', null],
      ['renamed.js', 'keep me\n'],
      ['src/new.js', 'export {};\n'],
    ]);
  });

  test('the authorship hook, when given, fills episode.authorship', async () => {
    const c = story();
    const lines = { typed: 2, pasted: 0, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 };
    const seen: string[] = [];
    const { episodes } = await build(c.events, {
      authorship: (episode) => {
        seen.push(episode.id);
        return { lines, files: [{ path: 'src/sum.js', lines }], unexplained: 0 };
      },
    });
    assert.deepEqual(seen, [episodes[0].id]);
    assert.deepEqual(episodes[0].authorship?.lines, lines);
    const without = await build(c.events);
    assert.equal(without.episodes[0].authorship, undefined);
  });
});

suite('episodes: property', function () {
  this.timeout(300_000); // completion, not speed: every episode's patch goes through git apply

  test('whatever the boundaries, each episode starts where the previous one left its files, and its patch takes them to where it ends', async () => {
    type Action = { kind: 'edit'; file: number; at: number; remove: number; text: string } | { kind: 'wait'; ms: number } | { kind: 'test'; pass: boolean } | { kind: 'commit' } | { kind: 'checkout' } | { kind: 'goal' } | { kind: 'reload'; resume: boolean };
    const action: fc.Arbitrary<Action> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), file: fc.nat(2), at: fc.nat(), remove: fc.nat(4), text: fc.constantFrom('', 'x', '\n', 'y\r\n', 'é日\n', 'line\nline\n') }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(500, 3_000, 40 * MIN) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('test' as const), pass: fc.boolean() }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'commit' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'checkout' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'goal' as const }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const), resume: fc.boolean() }) },
    );
    const files = ['a.txt', 'src/b.txt', 'c d.txt'];
    const initial = ['one\ntwo\nthree\n', 'x\r\ny\r\n', 'no newline'];
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        let c = new Capture('s1').start();
        files.forEach((f, i) => c.open(f, initial[i]));
        const events: TraceEvent[] = [];
        let goal = 0;
        let branch = 0;
        for (const a of actions) {
          if (a.kind === 'reload') {
            c.end();
            events.push(...c.events);
            const previous = c;
            c = new Capture(`s${events.length}`, 'ws-test', c.clock.now() + 1_000).start();
            for (const f of files) c.open(f, previous.text(f) ?? '', { existing: true });
            if (a.resume && goal % 2 === 1) c.goalStart('task', `g${goal}`, { resumed: true });
          } else if (a.kind === 'edit') {
            const text = c.text(files[a.file]) ?? '';
            const at = a.at % (text.length + 1);
            c.edit(files[a.file], [{ offset: at, length: Math.min(a.remove, text.length - at), text: a.text }]);
          } else if (a.kind === 'wait') c.wait(a.ms);
          else if (a.kind === 'test') c.run('npm test', a.pass ? 0 : 1, a.pass ? NODE_PASS : NODE_FAIL);
          else if (a.kind === 'commit') c.commit('c', String(goal).padStart(40, '0'));
          else if (a.kind === 'checkout') c.checkout(`b${branch}`, `b${++branch}`);
          else if (goal % 2 === 0) c.goalStart('task', `g${++goal}`);
          else c.goalEnd(`g${goal++}`, 'done');
        }
        c.end();
        events.push(...c.events);
        const { episodes } = await build(events);
        const current = new Map(files.map((f, i) => [f, initial[i]]));
        for (const e of episodes) {
          assert.equal(e.exact, true, e.problems.join('; '));
          for (const b of e.base) assert.equal(b.text, current.get(b.path), `${e.id}: base of ${b.path} is where the previous episode left it`);
          for (const [path, text] of applyEpisodePatch(e)) current.set(path, text ?? '');
        }
        for (const f of files) assert.equal(current.get(f), c.text(f), `${f} at the end`);
        const steps = episodes.reduce((n, e) => n + e.figures.editSteps, 0);
        assert.equal(steps, events.filter((e) => e.kind === 'edit.step').length, 'every edit step is in exactly one episode');
      }),
      { numRuns: 20, seed: 7 },
    );
  });
});
