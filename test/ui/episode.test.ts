import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Episode } from '../../src/episodes/episode';
import { runExport } from '../../src/export/run';
import type { EventOf } from '../../src/trace/events';
import { validateEpisode } from '../support/episodeSchema';
import { recordStory } from './story';
import { newestSession, runCommand, statusItem, until, workbench } from './workbench';

const GOAL = 'Make area() multiply its sides';
const ISSUE = 'https://example.invalid/issues/7';

/** Exports the trace folder in `format` (only explicit tasks), returns the output's text. */
async function exportAs(format: string, out: string): Promise<string> {
  const stderr: string[] = [];
  const code = await runExport([workbench().traces, '--out', out, '--format', format, '--filter', 'explicit'], {
    stdout: () => Promise.resolve(),
    stderr: (t) => void stderr.push(t),
    stderrIsTTY: false,
    now: () => performance.now(),
  });
  assert.equal(code, 0, stderr.join(''));
  return readFileSync(out, 'utf8');
}

suite('workbench: a task, recorded and exported', () => {
  test('Start Task…, edits, a failing run, the fix, the run passing, a commit, End Task…: every export format has the goal, the steps in order, the fixed run, the commit and the patch of the commit', async function () {
    this.timeout(300_000);
    const { page, workspace } = workbench();
    await statusItem(page).waitFor({ state: 'visible' });

    await runCommand(page, 'Worktrace: Start Task…');
    await page.locator('.quick-input-widget input').first().waitFor();
    await page.keyboard.type(GOAL);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').filter({ hasText: 'issue URL or key' }).waitFor();
    await page.keyboard.type(ISSUE);
    await page.keyboard.press('Enter');
    const started = await until('goal.start', () => newestSession().find((e): e is EventOf<'goal.start'> => e.kind === 'goal.start' && e.goal === GOAL));
    assert.equal(started.url, ISSUE);
    await page.locator('.statusbar-item[id$="worktrace.status"]').filter({ hasText: 'Make area() multiply' }).waitFor();

    // The task survives a window reload: the new session starts it again, resumed.
    const before = newestSession()[0]?.session;
    await page.reload();
    await page.locator('.statusbar-item[id$="worktrace.status"]').filter({ hasText: 'Make area() multiply' }).waitFor({ timeout: 60_000 });
    const resumed = await until('the resumed goal.start of the new session', () => newestSession().find((e): e is EventOf<'goal.start'> => e.kind === 'goal.start' && e.goalId === started.goalId && e.session !== before));
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.startTs, started.startTs);

    const story = await recordStory('ep', 'Multiply the sides');

    await runCommand(page, 'Worktrace: End Task…');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Done' }).first().click();
    await page.locator('.quick-input-widget').filter({ hasText: 'Optional note' }).waitFor();
    await page.keyboard.type('the test passes now');
    await page.keyboard.press('Enter');
    await until('goal.end', () => newestSession().find((e) => e.kind === 'goal.end' && e.goalId === started.goalId));

    const dir = mkdtempSync(path.join(tmpdir(), 'worktrace-export-'));
    try {
      // worktrace: the episode itself.
      const episodes = (await exportAs('worktrace', path.join(dir, 'episodes.jsonl'))).trim().split('\n').map((l) => JSON.parse(l) as Episode);
      const episode = episodes.find((e) => e.goal.goalId === started.goalId);
      assert.ok(episode, `the task's episode among ${episodes.length}`);
      assert.deepEqual(validateEpisode(episode), []);
      assert.deepEqual([episode.goal.text, episode.goal.url, episode.goal.source], [GOAL, ISSUE, 'explicit']);
      assert.deepEqual(episode.sessions, [before, resumed.session], 'one episode across the window reload');
      assert.deepEqual([episode.outcome.status, episode.outcome.source, episode.outcome.note], ['done', 'explicit', 'the test passes now']);
      const tests = episode.steps.filter((s) => s.type === 'test');
      assert.deepEqual(
        tests.map((s) => (s.type === 'test' ? [s.observation.outcome, s.observation.transition ?? null] : [])),
        [
          ['failed', null],
          ['passed', 'fixed'],
        ],
      );
      const failingTest = tests[0];
      assert.ok(failingTest.type === 'test' && failingTest.observation.failing.includes(story.testName));
      const order = episode.steps.map((s) => s.type);
      const edit = order.findIndex((t, i) => t === 'edit' && i > order.indexOf('test'));
      const commit = order.indexOf('commit');
      assert.ok(order.indexOf('test') < edit && edit < order.lastIndexOf('test') && order.lastIndexOf('test') < commit, `steps in order: ${order.join(', ')}`);
      const commitStep = episode.steps[commit];
      assert.equal(commitStep.type === 'commit' ? commitStep.observation.sha : '', story.commit.sha);
      assert.deepEqual([episode.outcome.committed, episode.outcome.commits, episode.outcome.lastTestPassed], [true, [story.commit.sha], true]);
      assert.equal(episode.figures.fixed, 1);

      // The final patch is the commit's: applied to its parent it gives the committed tree.
      assert.ok(episode.outcome.patchExact, episode.problems.join('; '));
      const check = path.join(dir, 'check');
      execFileSync('git', ['worktree', 'add', '-q', '--detach', check, `${story.commit.sha}^`], { cwd: workspace });
      try {
        writeFileSync(path.join(dir, 'episode.patch'), episode.outcome.patch);
        execFileSync('git', ['apply', '--whitespace=nowarn', path.join(dir, 'episode.patch')], { cwd: check });
        execFileSync('git', ['add', '-A'], { cwd: check });
        assert.equal(execFileSync('git', ['diff', '--cached', '--stat', story.commit.sha], { cwd: check, encoding: 'utf8' }), '', 'the patched parent equals the commit');
      } finally {
        execFileSync('git', ['worktree', 'remove', '--force', check], { cwd: workspace });
      }

      // atif: the goal is the user step; the runs are tool calls whose observations say fixed; the commit is a call.
      const trajectory = (await exportAs('atif', path.join(dir, 'atif.jsonl'))).trim().split('\n').map((l) => JSON.parse(l) as { session_id: string; steps: { source: string; message: string; tool_calls?: { function_name: string; arguments: Record<string, unknown> }[]; observation?: { results: { content?: string }[] } }[] }).find((t) => t.session_id === episode.id);
      assert.ok(trajectory);
      assert.equal(trajectory.steps[0].source, 'user');
      assert.ok(trajectory.steps[0].message.startsWith(GOAL), trajectory.steps[0].message);
      const calls = trajectory.steps.flatMap((s) => s.tool_calls ?? []);
      assert.ok(calls.filter((c) => c.function_name === 'run_command').length >= 2);
      assert.ok(calls.some((c) => c.function_name === 'git_commit'));
      assert.match(JSON.stringify(trajectory), /failed on the previous run and pass now/);

      // openhands: a user message with the goal, run actions with exit codes 1 then 0, a finish.
      const history = (await exportAs('openhands', path.join(dir, 'openhands.jsonl'))).trim().split('\n').map((l) => JSON.parse(l) as { instance_id: string; history: { action?: string; observation?: string; args?: Record<string, unknown>; extras?: { metadata?: { exit_code?: number } }; source: string }[] }).find((h) => h.instance_id === episode.id);
      assert.ok(history);
      assert.equal(history.history[0].action, 'message');
      assert.ok(String(history.history[0].args?.content).startsWith(GOAL));
      const exitCodes = history.history.filter((e) => e.observation === 'run' && String((e as { extras?: { command?: string } }).extras?.command ?? '').includes(story.test)).map((e) => e.extras?.metadata?.exit_code);
      assert.deepEqual(exitCodes.slice(-2), [1, 0], `the runs of ${story.test}: ${JSON.stringify(exitCodes)}`);
      assert.equal(history.history.at(-1)?.action, 'finish');

      // messages: the goal as the user's message, tool calls answered by tool messages.
      const row = (await exportAs('messages', path.join(dir, 'messages.jsonl'))).trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string | null; tool_calls?: { id: string; function: { name: string } }[]; tool_call_id?: string }[] }).find((r) => r.messages.some((m) => m.role === 'user' && typeof m.content === 'string' && m.content.startsWith(GOAL)));
      assert.ok(row);
      const assistantCalls = row.messages.flatMap((m) => m.tool_calls ?? []);
      for (const call of assistantCalls) {
        assert.ok(row.messages.some((m) => m.role === 'tool' && m.tool_call_id === call.id), `call ${call.id} is answered`);
      }
      assert.ok(assistantCalls.some((c) => c.function.name === 'git_commit'));

      // chrome-trace: the task is a process named after the goal, with a tests track.
      const chrome = JSON.parse(await exportAs('chrome-trace', path.join(dir, 'trace.json'))) as { traceEvents: { ph: string; name: string; pid: number; args?: { name?: string } }[] };
      const proc = chrome.traceEvents.find((e) => e.ph === 'M' && e.name === 'process_name' && e.args?.name === GOAL);
      assert.ok(proc);
      assert.ok(chrome.traceEvents.some((e) => e.pid === proc.pid && e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'tests'));
      assert.ok(chrome.traceEvents.filter((e) => e.pid === proc.pid && e.ph === 'X').length >= 4);

      // agent-trace: the commit's record names its files.
      const records = (await exportAs('agent-trace', path.join(dir, 'agent-trace.jsonl'))).trim().split('\n').map((l) => JSON.parse(l) as { vcs?: { revision?: string }; files: { path: string }[] });
      const record = records.find((r) => r.vcs?.revision === story.commit.sha);
      assert.ok(record, 'a record for the commit');
      assert.deepEqual(record.files.map((f) => f.path).sort(), [story.module, story.test].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
