import * as assert from 'node:assert/strict';
import { GoalTracker, storedGoal, type CurrentGoal } from '../../src/goals/goalTracker';
import { parseIssueRef } from '../../src/goals/issueRef';
import type { NewEvent } from '../../src/trace/events';
import { Redactor } from '../../src/privacy/redact';
import { RedactingPrivacyStage } from '../../src/privacy/stage';

function tracker(options: { recording?: boolean; now?: () => number } = {}) {
  const events: NewEvent[] = [];
  const stored: (CurrentGoal | undefined)[] = [];
  let recording = options.recording ?? true;
  const goals = new GoalTracker({ emit: (e) => events.push(e), recording: () => recording, persist: (g) => void stored.push(g) }, options.now);
  return { goals, events, stored, setRecording: (r: boolean) => (recording = r) };
}

suite('the current task (goals/goalTracker.ts)', () => {
  test('start and end write goal.start and goal.end with the same id, the outcome, the note and the duration', () => {
    let now = 1_000;
    const { goals, events, stored } = tracker({ now: () => now });
    const started = goals.start('Fix the flaky login test', { url: 'https://example.invalid/issues/42' });
    now += 90_000;
    assert.ok(goals.end('done', 'needed a retry'));
    assert.deepEqual(events, [
      { kind: 'goal.start', goal: 'Fix the flaky login test', goalId: started.goalId, url: 'https://example.invalid/issues/42', startTs: 1_000 },
      { kind: 'goal.end', goalId: started.goalId, outcome: 'done', note: 'needed a retry', durationMs: 90_000 },
    ]);
    assert.deepEqual(stored, [started, undefined], 'stored while open, removed when ended');
    assert.equal(goals.goal, undefined);
    assert.equal(goals.end('done'), false, 'nothing to end');
  });

  test('a goal of several lines becomes one line; a long one is cut', () => {
    const { goals } = tracker();
    assert.equal(goals.start('  fix\nthe   login\r\n test ').goal, 'fix the   login test');
    assert.equal(goals.start('x'.repeat(600)).goal.length, 500);
  });

  test('starting a task while one is open hands the open one off', () => {
    const { goals, events } = tracker({ now: () => 5_000 }); // a fixed clock: the duration is exactly 0
    const first = goals.start('first');
    const second = goals.start('second');
    assert.deepEqual(events.map((e) => e.kind), ['goal.start', 'goal.end', 'goal.start']);
    assert.deepEqual(events[1], { kind: 'goal.end', goalId: first.goalId, outcome: 'handed-off', note: 'a new task was started', durationMs: 0 });
    assert.equal(goals.goal?.goalId, second.goalId);
  });

  test('a task restored after a reload is written again, resumed, when capture runs; only once per session', () => {
    let now = 5_000;
    const { goals, events } = tracker({ now: () => now });
    goals.restore({ goalId: 'g1', goal: 'carry on', startTs: 1_000, issue: 'PROJ-7' });
    assert.deepEqual(events, [], 'nothing before capture runs');
    now = 6_000;
    goals.attached();
    goals.attached(); // a resume after a pause
    assert.deepEqual(events, [{ kind: 'goal.start', goal: 'carry on', goalId: 'g1', issue: 'PROJ-7', resumed: true, startTs: 1_000 }]);
  });

  test('started while paused: written when capture resumes, not before; ended while paused: nothing written', () => {
    const { goals, events, setRecording } = tracker({ recording: false });
    goals.start('while paused');
    assert.deepEqual(events, []);
    setRecording(true);
    goals.attached();
    assert.equal(events.length, 1);
    const first = events[0] as Extract<NewEvent, { kind: 'goal.start' }>;
    assert.equal(first.kind, 'goal.start');
    assert.equal(first.resumed, undefined, 'same session: not resumed');
    setRecording(false);
    goals.end('abandoned');
    assert.equal(events.length, 1);
  });

  test('storedGoal keeps valid values only', () => {
    assert.deepEqual(storedGoal({ goalId: 'g', goal: 't', startTs: 3, url: 'https://x.invalid', extra: 1 }), { goalId: 'g', goal: 't', startTs: 3, url: 'https://x.invalid' });
    for (const bad of [null, 3, 'x', {}, { goalId: 'g', goal: 't', startTs: 'now' }, { goalId: 1, goal: 't', startTs: 1 }]) {
      assert.equal(storedGoal(bad), undefined, JSON.stringify(bad));
    }
  });
});

suite('issue references', () => {
  test('URLs and keys', () => {
    assert.deepEqual(parseIssueRef('https://github.com/o/r/issues/42'), { url: 'https://github.com/o/r/issues/42' });
    assert.deepEqual(parseIssueRef(' PROJ-123 '), { issue: 'PROJ-123' });
    assert.deepEqual(parseIssueRef('#42'), { issue: '#42' });
    assert.deepEqual(parseIssueRef('octo/repo#7'), { issue: 'octo/repo#7' });
    assert.equal(parseIssueRef('   '), undefined);
    assert.ok('error' in (parseIssueRef('ftp://x/y') ?? {}));
    assert.ok('error' in (parseIssueRef('fix the bug') ?? {}));
  });
});

suite('goal texts pass the privacy stage', () => {
  test('a secret in the goal, the issue URL or the note is redacted and counted', () => {
    const stage = new RedactingPrivacyStage(() => new Redactor());
    const aws = 'AKIAQ3EGRTWSY2P7ZK4N';
    const started = stage.process({ kind: 'goal.start', goal: `rotate ${aws} today`, goalId: 'g', url: `https://example.invalid/x?token=${'ghp_8aZr4YtQw2LmN5pKx7Vb3Cd9Ef1Gh6Jk0Lm2'}`, startTs: 1 });
    const text = JSON.stringify(started);
    assert.ok(!text.includes(aws) && !text.includes('ghp_8aZr'), text);
    assert.ok(started.some((p) => p.event.kind === 'privacy.redacted' && p.event.in === 'goal.start' && p.event.field === 'goal'));
    const ended = stage.process({ kind: 'goal.end', goalId: 'g', outcome: 'done', note: `used ${aws}`, durationMs: 1 });
    assert.ok(!JSON.stringify(ended).includes(aws));
    stage.dispose();
  });
});
