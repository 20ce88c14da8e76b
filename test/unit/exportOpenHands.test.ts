import * as assert from 'node:assert/strict';
import { episodeToOpenHands, openhandsFormat, pythonIsoTime, pythonRepr } from '../../src/export/openhands';
import { INVOICE_COMMIT, LOGIN_COMMAND, LOGIN_TEXTS, TEXTS, abandonedEpisode, fixtureEpisodes, invoiceEpisode, loginEpisode } from '../support/handBuiltEpisodes';
import { formatValidator, jsonLines, runExport } from '../support/formatSchemas';

const validate = formatValidator('openhands', 'eval-output.schema.json');

interface Event {
  id: number;
  timestamp: string;
  source: string;
  message: string;
  cause?: number;
  action?: string;
  args?: Record<string, unknown>;
  observation?: string;
  content?: string;
  extras?: Record<string, unknown>;
  success?: boolean;
}
interface Output {
  instance_id: string;
  test_result: Record<string, unknown>;
  instruction: string;
  history: Event[];
  instance: Record<string, unknown>;
  [key: string]: unknown;
}

/** The observation each action class gets back in OpenHands. */
const OBSERVATION_OF: Record<string, string> = { edit: 'edit', run: 'run', read: 'read', call_tool_mcp: 'mcp' };

/** What the event stream guarantees: ids 0, 1, 2 … and causes naming an earlier action whose observation this is. */
function streamChecks(history: Event[]): string[] {
  const problems: string[] = [];
  history.forEach((event, i) => {
    if (event.id !== i) problems.push(`history[${i}].id is ${event.id}`);
    if (event.cause === undefined) return;
    const cause = history[event.cause] as Event | undefined;
    if (!cause || event.cause >= i || cause.action === undefined) problems.push(`history[${i}].cause ${event.cause} is not an earlier action`);
    else if (event.source !== 'environment' && OBSERVATION_OF[cause.action] !== event.observation) problems.push(`history[${i}]: ${event.observation} answers ${cause.action}`);
  });
  return problems;
}

/** Applies OpenHands file-editor commands (`create`, `str_replace`, `insert`) as its editor does, to check the edits replay. */
function applyEdits(history: Event[], files: Map<string, string>): void {
  for (const event of history) {
    if (event.action !== 'edit') continue;
    const args = event.args as { path: string; command: string; file_text: string | null; old_str: string | null; new_str: string | null; insert_line: number | null };
    const text = files.get(args.path) ?? '';
    if (args.command === 'create') {
      files.set(args.path, args.file_text!);
    } else if (args.command === 'str_replace') {
      const at = text.indexOf(args.old_str!);
      assert.ok(at !== -1, `old_str not found in ${args.path}`);
      assert.equal(text.indexOf(args.old_str!, at + 1), -1, `old_str is not unique in ${args.path}`);
      files.set(args.path, text.slice(0, at) + args.new_str! + text.slice(at + args.old_str!.length));
    } else if (args.command === 'insert') {
      const lines = text.split('\n');
      lines.splice(args.insert_line!, 0, ...args.new_str!.split('\n'));
      files.set(args.path, lines.join('\n'));
    }
  }
}

function output(episode = invoiceEpisode()): Output {
  return episodeToOpenHands(episode) as unknown as Output;
}

suite('export: OpenHands', () => {
  test('every line matches EvalOutput and every event what event_to_dict writes for its class', () => {
    const lines = jsonLines(runExport(openhandsFormat, fixtureEpisodes())) as Output[];
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.deepEqual(validate(line), [], line.instance_id);
      assert.deepEqual(streamChecks(line.history), [], line.instance_id);
      assert.deepEqual(Object.keys(line), ['instance_id', 'test_result', 'instruction', 'metadata', 'history', 'metrics', 'error', 'instance'], 'EvalOutput field order');
    }
  });

  test('the schema and the checks reject what OpenHands cannot read back', () => {
    const broken = (change: (o: Output) => void): Output => {
      const o = output();
      change(o);
      return o;
    };
    const firstOf = (o: Output, key: 'action' | 'observation', value: string): Event => o.history.find((e) => e[key] === value)!;
    assert.notDeepEqual(validate(broken((o) => (firstOf(o, 'action', 'run').args!.worktrace = {}))), [], 'an arg the dataclass does not have');
    assert.notDeepEqual(validate(broken((o) => delete firstOf(o, 'observation', 'run').success)), [], 'CmdOutputObservation carries success');
    assert.notDeepEqual(validate(broken((o) => (firstOf(o, 'observation', 'run').extras!.command = 1))), [], 'command is a string');
    assert.notDeepEqual(validate(broken((o) => ((firstOf(o, 'observation', 'run').extras!.metadata as Record<string, unknown>).exitCode = 1))), [], 'CmdOutputMetadata has no exitCode');
    assert.notDeepEqual(validate(broken((o) => (firstOf(o, 'action', 'edit').action = 'str_replace'))), [], 'an unknown action type');
    assert.notDeepEqual(validate(broken((o) => (o.history[0].timestamp = '2025-01-04 14:13'))), []);
    assert.notDeepEqual(validate(broken((o) => (o.history[0].source = 'assistant'))), []);
    assert.notDeepEqual(validate(broken((o) => delete (o as Partial<Output>).error)), [], 'model_dump_json writes every field');
    assert.notDeepEqual(streamChecks(broken((o) => (firstOf(o, 'observation', 'run').cause = 1)).history), [], 'a run observation caused by a read');
    assert.notDeepEqual(streamChecks(broken((o) => (o.history[3].id = 9)).history), []);
  });

  test('the goal is the user message that starts the history; the outcome is the finish action that ends it', () => {
    const o = output();
    assert.equal(o.instance_id, 'ep-3c9f2a10');
    assert.equal(o.instruction, 'Fix rounding in invoice totals (0.1 × 3 must be 0.30)');
    assert.deepEqual(o.history[0], {
      id: 0,
      timestamp: '2025-01-04T14:13:20+00:00',
      source: 'user',
      message: o.instruction,
      action: 'message',
      args: { content: o.instruction, file_urls: null, image_urls: null, wait_for_response: false, security_risk: -1 },
    });
    const last = o.history[o.history.length - 1];
    assert.equal(last.action, 'finish');
    assert.equal(last.source, 'agent');
    assert.equal(last.timestamp, pythonIsoTime(invoiceEpisode().end.ts));
    assert.deepEqual(last.args, {
      final_thought: 'Outcome: done (explicit).\nRounding fixed; sums are kept in cents.\nLast test run: passed. Commits: 4f1c2a9be0d7.',
      outputs: { status: 'done', source: 'explicit', note: 'Rounding fixed; sums are kept in cents.', last_test_passed: true, committed: true, commits: [INVOICE_COMMIT] },
      thought: '',
    });
    assert.deepEqual(
      o.history.map((e) => e.action ?? `(${e.observation})`),
      ['message', 'read', '(read)', 'edit', '(edit)', 'run', '(run)', 'call_tool_mcp', '(mcp)', 'edit', '(edit)', 'edit', '(edit)', 'run', '(run)', 'call_tool_mcp', '(mcp)', 'finish'],
    );
    assert.deepEqual(o.metadata, null);
    assert.equal(o.error, null);
  });

  test('edits are file-editor commands that replay: str_replace per hunk, create for a new file', () => {
    const files = new Map([
      ['src/total.js', TEXTS.TOTAL_V0],
      ['test/total.test.js', TEXTS.TEST_V0],
    ]);
    const o = output();
    applyEdits(o.history, files);
    assert.equal(files.get('src/total.js'), TEXTS.TOTAL_V1);
    assert.equal(files.get('test/total.test.js'), TEXTS.TEST_V1);
    const login = output(loginEpisode());
    const created = login.history.find((e) => e.action === 'edit' && e.args!.command === 'create')!;
    assert.equal(created.args!.path, 'src/login/例え.ts');
    assert.equal(created.args!.file_text, LOGIN_TEXTS.LOGIN_NEW);
    assert.equal(login.history[created.id + 1].content, 'File created successfully at: src/login/例え.ts');
    assert.equal(login.history[created.id + 1].extras!.prev_exist, false);
    const edit = o.history.find((e) => e.observation === 'edit' && e.extras!.path === 'src/total.js')!;
    assert.match(edit.content!, /^The file src\/total\.js has been edited\. Here's the result of running `cat -n` on a snippet of src\/total\.js:\n {5}1\t'use strict';\n/);
    assert.match(edit.content!, /\n\nsrc\/total\.js: errors 0 -> 1, warnings 0 -> 0\n {2}src\/total\.js:4: error: ';' expected\. \[ts 1005\]$/);
    assert.equal(edit.extras!.impl_source, 'oh_aci');
    assert.match(edit.extras!.diff as string, /^--- src\/total\.js\n\+\+\+ src\/total\.js\n@@ -1,7 \+1,8 @@/);
    const unrecorded = login.history.find((e) => e.action === 'edit' && e.args!.path === 'src/app.ts')!;
    assert.equal(unrecorded.args!.command, '');
    assert.match(login.history[unrecorded.id + 1].content!, /the change was not recorded/);
  });

  test('a command is a run action and its CmdOutputObservation, exit code in metadata, success from it', () => {
    const o = output();
    const [failing, passing] = o.history.filter((e) => e.observation === 'run');
    assert.equal(failing.message, 'Command `node --test` executed with exit code 1.');
    assert.equal(failing.success, false);
    assert.deepEqual(failing.extras, {
      command: 'node --test',
      metadata: { exit_code: 1, pid: -1, username: null, hostname: null, working_dir: '.', py_interpreter_path: null, prefix: '', suffix: '' },
      hidden: false,
    });
    assert.match(failing.content!, /^TAP version 13\n[\s\S]*# fail 1\n$/);
    assert.equal(passing.success, true);
    assert.equal(o.history[failing.cause!].message, 'Running command: node --test');
    assert.equal(o.history[failing.cause!].args!.command, 'node --test');
  });

  test('test runs, the patch and the engineer’s detail that events have no field for are in test_result and instance', () => {
    const episode = invoiceEpisode();
    const o = output(episode);
    assert.equal(o.test_result.git_patch, episode.outcome.patch);
    const runs = o.test_result.test_runs as Record<string, unknown>[];
    assert.deepEqual(
      runs.map((r) => [r.step, r.outcome, r.transition, o.history[r.observation_id as number].observation]),
      [
        [3, 'failed', undefined, 'run'],
        [8, 'passed', 'fixed', 'run'],
      ],
    );
    assert.equal(o.instance.problem_statement, o.instruction);
    assert.equal(o.instance.base_commit, '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b');
    const steps = o.instance.steps as Record<string, unknown>[];
    assert.deepEqual(steps[5], { step: 5, type: 'edit', events: [9, 10], cause: 'paste', added: 2, removed: 1 });
    const abandoned = output(abandonedEpisode());
    const run = abandoned.history.find((e) => e.action === 'call_tool_mcp')!;
    assert.equal(run.args!.name, 'run_tests');
    assert.deepEqual((abandoned.test_result.test_runs as Record<string, unknown>[])[0].observation_id, run.id + 1);
  });

  test('changes on disk come from the environment, caused by the command that made them; tools without a class are MCP calls', () => {
    const o = output(loginEpisode());
    const command = o.history.find((e) => e.action === 'run')!;
    assert.equal(command.args!.command, LOGIN_COMMAND);
    const change = o.history.find((e) => e.observation === 'edit' && e.source === 'environment')!;
    assert.equal(change.cause, command.id);
    assert.equal(change.extras!.path, 'src/app.ts');
    assert.match(change.content!, /^--- src\/app\.ts\n/);
    const environment = o.history.filter((e) => e.source === 'environment');
    assert.deepEqual(
      environment.map((e) => [e.observation, e.cause]),
      [
        ['edit', command.id],
        ['success', undefined],
        ['success', undefined],
        ['edit', undefined],
      ],
    );
    const mcp = o.history.filter((e) => e.action === 'call_tool_mcp').map((e) => e.args!.name);
    assert.deepEqual(mcp, ['git_checkout', 'run_task', 'debug', 'navigate']);
    const debug = o.history.find((e) => e.action === 'call_tool_mcp' && e.args!.name === 'debug')!;
    assert.equal(
      debug.message,
      "I am interacting with the MCP server with name:\n```\ndebug\n```\nand arguments:\n```\n{'name': 'Launch login', 'type': 'pwa-node', 'request': 'launch', 'configuration': {'program': '${workspaceFolder}/src/app.ts', 'args': ['--user', 'ünïcödé'], 'env': ['NODE_ENV']}}\n```",
    );
    assert.match(o.history[debug.id + 1].content!, /^Stopped \(exception\)/);
    const read = o.history.find((e) => e.action === 'read')!;
    assert.deepEqual(read.args!.view_range, [1, 45]);
    assert.match(o.history[read.id + 1].content!, /not known here/, 'src/app.ts had no recorded base');
    const invoiceRead = output().history.find((e) => e.observation === 'read')!;
    assert.match(invoiceRead.content!, /^Here's the result of running `cat -n` on test\/total\.test\.js:\n {5}1\tconst test = require\('node:test'\);\n[\s\S]* {5}7\t\}\);$/);
  });

  test('Python’s isoformat and repr, as the serialiser and MCPAction.message write them', () => {
    assert.equal(pythonIsoTime(1_736_000_000_000), '2025-01-04T14:13:20+00:00');
    assert.equal(pythonIsoTime(1_736_000_000_250), '2025-01-04T14:13:20.250000+00:00');
    // Python 3: repr({'a': "it's", 'b': None, 'c': True, 'd': [1, 'x\n\t\\'], 'e': 'say "hi"', 'f': 'both \' and "', 'g': 'ü😀\x01'})
    assert.equal(
      pythonRepr({ a: "it's", b: null, c: true, d: [1, 'x\n\t\\'], e: 'say "hi"', f: 'both \' and "', g: 'ü😀\x01' }),
      `{'a': "it's", 'b': None, 'c': True, 'd': [1, 'x\\n\\t\\\\'], 'e': 'say "hi"', 'f': 'both \\' and "', 'g': 'ü😀\\x01'}`,
    );
  });

  test('deterministic bytes, one line per episode', () => {
    const out = runExport(openhandsFormat, fixtureEpisodes());
    assert.equal(out, runExport(openhandsFormat, fixtureEpisodes()));
    assert.equal(out.split('\n').length, 4);
    assert.ok(out.includes('«redacted:aws-access-key»'));
    assert.equal(openhandsFormat.extension, '.jsonl');
  });
});
