import * as assert from 'node:assert/strict';
import { ATIF_SCHEMA_VERSION, atifFormat, episodeToAtif } from '../../src/export/atif';
import { TOOL_DEFINITIONS } from '../../src/export/toolCalls';
import { LOGIN_COMMAND, abandonedEpisode, fixtureEpisodes, invoiceEpisode, loginEpisode } from '../support/handBuiltEpisodes';
import { formatValidator, jsonLines, runExport } from '../support/formatSchemas';

const validate = formatValidator('atif', 'trajectory.schema.json');

interface ToolCall {
  tool_call_id: string;
  function_name: string;
  arguments: Record<string, unknown>;
  extra?: { worktrace: Record<string, unknown> };
}
interface Result {
  source_call_id?: string;
  content?: string;
  extra?: { worktrace: Record<string, unknown> };
}
interface Step {
  step_id: number;
  timestamp?: string;
  source: string;
  message: string;
  tool_calls?: ToolCall[];
  observation?: { results: Result[] };
  extra?: { worktrace: Record<string, unknown> };
  [key: string]: unknown;
}
interface Trajectory {
  schema_version: string;
  session_id: string;
  trajectory_id: string;
  agent: { name: string; version: string; tool_definitions: unknown[] };
  steps: Step[];
  final_metrics: { total_steps: number; extra: { worktrace: Record<string, unknown> } };
  extra: { worktrace: Record<string, unknown> };
}

/**
 * The checks of Harbor's model validators that JSON Schema cannot state
 * (Trajectory.validate_step_ids, Trajectory.validate_tool_call_references, Step.validate_timestamp).
 */
function harborModelChecks(trajectory: Trajectory): string[] {
  const problems: string[] = [];
  trajectory.steps.forEach((step, i) => {
    if (step.step_id !== i + 1) problems.push(`steps[${i}].step_id: expected ${i + 1}, got ${step.step_id}`);
    if (step.timestamp !== undefined && Number.isNaN(Date.parse(step.timestamp))) problems.push(`steps[${i}].timestamp is not ISO 8601`);
    const ids = new Set<string>();
    for (const call of step.tool_calls ?? []) {
      if (ids.has(call.tool_call_id)) problems.push(`step ${step.step_id} has duplicate tool_call_id ${call.tool_call_id}`);
      ids.add(call.tool_call_id);
    }
    for (const result of step.observation?.results ?? []) {
      if (result.source_call_id !== undefined && !ids.has(result.source_call_id)) problems.push(`step ${step.step_id}: source_call_id ${result.source_call_id} is not one of its tool calls`);
    }
  });
  return problems;
}

function trajectory(episode = invoiceEpisode()): Trajectory {
  return episodeToAtif(episode) as unknown as Trajectory;
}

function agentSteps(t: Trajectory): Step[] {
  return t.steps.filter((step) => step.tool_calls !== undefined);
}

suite('export: ATIF', () => {
  test('every trajectory matches the ATIF-v1.7 schema and passes the checks of Harbor’s model validators', () => {
    const lines = jsonLines(runExport(atifFormat, fixtureEpisodes())) as Trajectory[];
    assert.equal(lines.length, 3);
    for (const t of lines) {
      assert.deepEqual(validate(t), [], t.session_id);
      assert.deepEqual(harborModelChecks(t), [], t.session_id);
      assert.equal(t.schema_version, ATIF_SCHEMA_VERSION);
    }
  });

  test('the schema and the checks reject what Harbor rejects', () => {
    const mutate = (change: (t: Trajectory) => void): Trajectory => {
      const t = trajectory();
      change(t);
      return t;
    };
    assert.notDeepEqual(validate(mutate((t) => (t.schema_version = 'ATIF-v2.0'))), []);
    assert.notDeepEqual(validate(mutate((t) => delete (t.agent as Partial<Trajectory['agent']>).version)), []);
    assert.notDeepEqual(validate(mutate((t) => ((t as unknown as Record<string, unknown>).worktrace = {}))), [], 'extra="forbid" at the root');
    assert.notDeepEqual(validate(mutate((t) => (t.steps[0].tool_calls = agentSteps(t)[0].tool_calls))), [], 'tool_calls on a user step');
    assert.notDeepEqual(validate(mutate((t) => (agentSteps(t)[0].tool_calls = [{ tool_call_id: 'x', function_name: 'f' } as ToolCall]))), [], 'tool call without arguments');
    const dispatch = (t: Trajectory): void => {
      agentSteps(t)[0].llm_call_count = 0;
      agentSteps(t)[0].metrics = { prompt_tokens: 1 };
    };
    assert.notDeepEqual(validate(mutate(dispatch)), [], 'metrics on a deterministic dispatch (llm_call_count 0)');
    assert.notDeepEqual(harborModelChecks(mutate((t) => (t.steps[2].step_id = 7))), []);
    assert.notDeepEqual(harborModelChecks(mutate((t) => (agentSteps(t)[0].observation!.results[0].source_call_id = 'elsewhere'))), []);
  });

  test('the goal is the user step, each action a tool call whose result links back by source_call_id, the outcome the last agent message', () => {
    const t = trajectory();
    assert.deepEqual(t.steps[0], {
      step_id: 1,
      timestamp: '2025-01-04T14:13:20.000Z',
      source: 'user',
      message: 'Fix rounding in invoice totals (0.1 × 3 must be 0.30)',
      extra: { worktrace: { goal: { text: 'Fix rounding in invoice totals (0.1 × 3 must be 0.30)', source: 'explicit', goalId: 'goal-1' }, boundary: 'goal.start' } },
    });
    const calls = agentSteps(t).map((step) => step.tool_calls![0].function_name);
    assert.deepEqual(calls, ['read_file', 'edit_file', 'run_command', 'navigate', 'edit_file', 'edit_file', 'run_command', 'git_commit']);
    for (const step of agentSteps(t)) {
      assert.equal(step.source, 'agent');
      assert.equal(step.tool_calls!.length, 1);
      assert.ok(step.observation!.results.every((r) => r.source_call_id === step.tool_calls![0].tool_call_id));
    }
    const ids = agentSteps(t).map((step) => step.tool_calls![0].tool_call_id);
    assert.equal(new Set(ids).size, ids.length, 'tool call ids are unique in the trajectory');
    assert.deepEqual(ids.slice(0, 3), ['ep-3c9f2a10.0', 'ep-3c9f2a10.1', 'ep-3c9f2a10.2'], 'derived from the episode id and the step index');
    const edit = agentSteps(t)[1].tool_calls![0];
    assert.equal(edit.arguments.path, 'test/total.test.js');
    const step = invoiceEpisode().steps[1];
    assert.ok(step.type === 'edit');
    assert.equal(edit.arguments.diff, step.action.diff);
    const last = t.steps[t.steps.length - 1];
    assert.equal(last.source, 'agent');
    assert.equal(last.tool_calls, undefined);
    assert.match(last.message, /^Outcome: done \(explicit\)\.\nRounding fixed; sums are kept in cents\.\nLast test run: passed\. Commits: 4f1c2a9be0d7\.$/);
    assert.equal(t.final_metrics.total_steps, t.steps.length);
  });

  test('a test run is a further result of the command that ran it, with its counts and transition', () => {
    const steps = agentSteps(trajectory()).filter((step) => step.tool_calls![0].function_name === 'run_command');
    const [failing, passing] = steps;
    assert.equal(failing.observation!.results.length, 2);
    assert.match(failing.observation!.results[0].content!, /not ok 2 - rounds to cents[\s\S]*\[exit code: 1\]$/);
    assert.equal(failing.observation!.results[0].extra!.worktrace.exitCode, 1);
    assert.deepEqual((failing.observation!.results[1].extra!.worktrace.test as Record<string, unknown>).failing, ['rounds to cents']);
    const test = passing.observation!.results[1].extra!.worktrace.test as Record<string, unknown>;
    assert.equal(test.outcome, 'passed');
    assert.equal(test.transition, 'fixed');
    assert.equal(test.previous, 3);
    assert.match(passing.observation!.results[1].content!, /^Tests passed: 2 passed, 0 failed, 0 skipped\.\nThese tests failed on the previous run and pass now\.$/);
  });

  test('Worktrace detail rides in extra: edit cause, diagnostics, attribution, figures, outcome with the patch, authorship', () => {
    const episode = invoiceEpisode();
    const t = trajectory(episode);
    const pasted = agentSteps(t)[4];
    assert.equal(pasted.tool_calls![0].extra!.worktrace.cause, 'paste');
    assert.deepEqual(pasted.observation!.results[0].extra!.worktrace.diagnostics, [
      { path: 'src/total.js', before: { errors: 0, warnings: 0 }, after: { errors: 1, warnings: 0 }, new: [{ severity: 'error', message: "';' expected.", line: 4, source: 'ts', code: '1005' }] },
    ]);
    assert.match(pasted.observation!.results[0].content!, /src\/total\.js:4: error: ';' expected\. \[ts 1005\]/);
    assert.deepEqual(pasted.extra!.worktrace, { index: 5, type: 'edit', ts: episode.steps[5].ts, durationMs: 2000, session: 'sess-7d1e', eventIds: ['e08'] });
    const root = t.extra.worktrace;
    assert.equal(root.episode, 'ep-3c9f2a10');
    assert.equal((root.outcome as { patch: string }).patch, episode.outcome.patch);
    assert.deepEqual(root.figures, episode.figures);
    assert.deepEqual(t.final_metrics.extra.worktrace, episode.figures);
    const commit = agentSteps(t)[7];
    assert.deepEqual(commit.observation!.results[0].extra!.worktrace.authorship, (episode.steps[9] as { observation: { authorship: unknown } }).observation.authorship);
    assert.ok(!JSON.stringify(root.base).includes('use strict'), 'base file texts are not repeated (the worktrace format has them)');
  });

  test('a change on disk is a result of the command that made it; other changes and unmodelled events are system steps', () => {
    const t = trajectory(loginEpisode());
    const command = agentSteps(t).find((step) => step.tool_calls![0].function_name === 'run_command')!;
    assert.equal(command.tool_calls![0].arguments.command, LOGIN_COMMAND);
    assert.equal(command.observation!.results.length, 2);
    const change = command.observation!.results[1];
    assert.match(change.content!, /^src\/app\.ts changed on disk by terminal command `AWS_ACCESS_KEY_ID=«redacted:aws-access-key» npx prettier --write src\/app\.ts` \(\+2 -2\)\.\n--- src\/app\.ts/);
    assert.deepEqual(change.extra!.worktrace.by, { by: 'terminal', command: LOGIN_COMMAND, terminal: 'zsh — login', program: 'prettier', confidence: 'high' });
    const system = t.steps.filter((step) => step.source === 'system');
    assert.deepEqual(
      system.map((step) => step.message),
      ['120 files changed on disk by git pull: 20 created, 95 changed, 5 deleted.', 'Event capture.pause.', 'config.json changed on disk by an unknown program (+0 -0).'],
    );
    for (const step of system) {
      assert.equal(step.observation!.results.length, 1);
      assert.equal(step.observation!.results[0].source_call_id, undefined);
    }
    assert.deepEqual(system[1].observation!.results[0].extra!.worktrace, { kind: 'capture.pause', data: { reason: 'paused', until: null } });
    const debug = agentSteps(t).find((step) => step.tool_calls![0].function_name === 'debug')!;
    assert.match(debug.observation!.results[0].content!, /^Stopped \(exception\): Paused on exception - TypeError: Cannot read properties of undefined \(reading 'name'\) at login \(src\/login\/例え\.ts:3\)/);
    const unrecorded = agentSteps(t).find((step) => step.tool_calls![0].arguments.path === 'src/app.ts' && step.tool_calls![0].function_name === 'edit_file')!;
    assert.equal(unrecorded.tool_calls![0].arguments.diff, '');
    assert.match(unrecorded.observation!.results[0].content!, /not recorded/);
  });

  test('an inferred goal is marked, a test run of its own is a run_tests call, text passes through unchanged', () => {
    const t = trajectory(loginEpisode());
    assert.equal(t.steps[0].message, 'Work on branch fix-login ✨ 修正');
    assert.deepEqual(t.steps[0].extra!.worktrace.goal, { text: 'Work on branch fix-login ✨ 修正', source: 'inferred', inferredFrom: 'branch' });
    const line = runExport(atifFormat, [loginEpisode()]);
    assert.ok(line.includes('«redacted:aws-access-key»'));
    assert.ok(line.includes('// ログイン 😀'), 'non-BMP and CJK text is written as is, not escaped');
    const abandoned = trajectory(abandonedEpisode());
    assert.equal(abandoned.steps[0].message, 'Speed up the CSV import\nIssue: PROJ-123\nhttps://tracker.example.com/PROJ-123');
    const run = agentSteps(abandoned)[0];
    assert.deepEqual(run.tool_calls![0].arguments, { command: 'csv import suite', runner: 'test-api' });
    assert.equal(run.observation!.results[0].content, 'Tests passed: 3 passed, 0 failed.');
    assert.match(abandoned.steps[abandoned.steps.length - 1].message, /^Outcome: abandoned \(explicit\)\.\nNeeds a streaming parser first\./);
  });

  test('the engineer is no language model: no metrics, model names or LLM call counts; the tools are defined on the agent', () => {
    const t = trajectory();
    assert.equal(t.agent.name, 'worktrace');
    assert.equal(t.agent.version, 'worktrace-episode/1');
    assert.deepEqual(t.agent.tool_definitions, TOOL_DEFINITIONS);
    for (const step of t.steps) {
      for (const key of ['metrics', 'model_name', 'llm_call_count', 'reasoning_content', 'reasoning_effort']) assert.equal(step[key], undefined, key);
    }
    const names = new Set(TOOL_DEFINITIONS.map((d) => d.function.name));
    for (const step of agentSteps(t)) assert.ok(names.has(step.tool_calls![0].function_name as never));
  });

  test('one trajectory per line; the same episodes give the same bytes; the episodes are not modified', () => {
    const episodes = fixtureEpisodes();
    const before = JSON.stringify(episodes);
    const first = runExport(atifFormat, episodes);
    assert.equal(first, runExport(atifFormat, fixtureEpisodes()));
    assert.equal(JSON.stringify(episodes), before);
    assert.equal(first.split('\n').length, 4);
    assert.equal(atifFormat.create().begin(), '');
    assert.equal(atifFormat.create().end(), '');
    assert.equal(atifFormat.extension, '.jsonl');
  });
});
