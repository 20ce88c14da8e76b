import * as assert from 'node:assert/strict';
import { SYSTEM_PROMPT, episodeToMessages, messagesFormat } from '../../src/export/messages';
import { TOOL_DEFINITIONS } from '../../src/export/toolCalls';
import { LOGIN_COMMAND, abandonedEpisode, fixtureEpisodes, invoiceEpisode, loginEpisode } from '../support/handBuiltEpisodes';
import { formatValidator, jsonLines, runExport, schemaValidator, type Validator } from '../support/formatSchemas';

const validate = formatValidator('messages', 'fine-tune-chat.schema.json');

interface ToolCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}
interface Message {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}
interface Row {
  messages: Message[];
  tools: { type: string; function: { name: string; description: string; parameters: object } }[];
}

const parameterValidators = new Map<string, Validator>(TOOL_DEFINITIONS.map((d) => [d.function.name, schemaValidator(d.function.parameters)]));

/**
 * What trainers need beyond the row's shape: every tool call answered by the tool message
 * right after it, arguments that are a JSON object valid for the tool's parameters, a tool
 * the row defines, and the assistant speaking last.
 */
function conversationChecks(row: Row): string[] {
  const problems: string[] = [];
  const tools = new Set(row.tools.map((t) => t.function.name));
  row.messages.forEach((message, i) => {
    for (const call of message.tool_calls ?? []) {
      if (!tools.has(call.function.name)) problems.push(`messages[${i}]: tool ${call.function.name} is not defined`);
      let args: unknown;
      try {
        args = JSON.parse(call.function.arguments);
      } catch {
        problems.push(`messages[${i}]: arguments are not JSON`);
        continue;
      }
      for (const problem of parameterValidators.get(call.function.name)?.(args) ?? [`no parameters for ${call.function.name}`]) problems.push(`messages[${i}] arguments: ${problem}`);
      const answer = row.messages[i + 1];
      if (answer?.role !== 'tool' || answer.tool_call_id !== call.id) problems.push(`messages[${i}]: tool call ${call.id} is not answered by the next message`);
    }
    if (message.role === 'tool' && row.messages[i - 1]?.tool_calls?.some((c) => c.id === message.tool_call_id) !== true) problems.push(`messages[${i}]: answers no tool call`);
  });
  if (row.messages[row.messages.length - 1]?.role !== 'assistant') problems.push('the last message is not the assistant’s');
  return problems;
}

function row(episode = invoiceEpisode()): Row {
  return episodeToMessages(episode) as unknown as Row;
}

suite('export: chat messages', () => {
  test('every row matches OpenAI’s fine-tuning chat format with tools, and the conversation checks pass', () => {
    const rows = jsonLines(runExport(messagesFormat, fixtureEpisodes())) as Row[];
    assert.equal(rows.length, 3);
    for (const r of rows) {
      assert.deepEqual(validate(r), []);
      assert.deepEqual(conversationChecks(r), []);
      assert.deepEqual(Object.keys(r), ['messages', 'tools']);
    }
  });

  test('the schema and the checks reject what trainers reject', () => {
    const broken = (change: (r: Row) => void): Row => {
      const r = row();
      change(r);
      return r;
    };
    const firstCall = (r: Row): ToolCall => r.messages.find((m) => m.tool_calls)!.tool_calls![0];
    assert.notDeepEqual(validate(broken((r) => ((firstCall(r).function as unknown as { arguments: object }).arguments = { path: 'a' }))), [], 'arguments must be a JSON string');
    assert.notDeepEqual(validate(broken((r) => delete r.messages.find((m) => m.role === 'tool')!.tool_call_id)), [], 'a tool message needs tool_call_id');
    assert.notDeepEqual(validate(broken((r) => (r.messages[1].role = 'developer' as never))), []);
    assert.notDeepEqual(validate(broken((r) => ((r as unknown as Record<string, unknown>).episode = 'x'))), [], 'no unknown keys');
    assert.notDeepEqual(validate(broken((r) => r.messages.push({ role: 'assistant' }))), [], 'an assistant message needs content or tool calls');
    assert.notDeepEqual(conversationChecks(broken((r) => r.messages.pop())), [], 'the assistant must speak last');
    assert.notDeepEqual(conversationChecks(broken((r) => (firstCall(r).function.arguments = '{"path": 3}'))), [], 'arguments must fit the parameters');
    assert.notDeepEqual(conversationChecks(broken((r) => (firstCall(r).id = 'other'))), [], 'each call answered by the next message');
  });

  test('system prompt, then the goal, then one assistant tool call and its tool answer per action, then the outcome', () => {
    const r = row();
    assert.deepEqual(r.messages.slice(0, 2), [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: 'Fix rounding in invoice totals (0.1 × 3 must be 0.30)' },
    ]);
    const calls = r.messages.filter((m) => m.role === 'assistant' && m.tool_calls).map((m) => m.tool_calls![0]);
    assert.deepEqual(
      calls.map((c) => c.function.name),
      ['read_file', 'edit_file', 'run_command', 'navigate', 'edit_file', 'edit_file', 'run_command', 'git_commit'],
    );
    for (const c of calls) assert.equal(c.type, 'function');
    assert.deepEqual(JSON.parse(calls[2].function.arguments), { command: 'node --test', cwd: '.' });
    assert.deepEqual(JSON.parse(calls[0].function.arguments), { path: 'test/total.test.js', start_line: 1, end_line: 8 });
    assert.equal(calls[2].id, 'ep-3c9f2a10.2');
    const answers = r.messages.filter((m) => m.role === 'tool');
    assert.equal(answers.length, calls.length);
    assert.match(answers[2].content!, /# fail 1\n\[exit code: 1\]\n\nTests failed: 1 passed, 1 failed, 0 skipped\.\nFailing: rounds to cents$/);
    assert.match(answers[6].content!, /These tests failed on the previous run and pass now\.$/);
    assert.match(answers[4].content!, /^Edited src\/total\.js \(\+2 -1\)\.\nsrc\/total\.js: errors 0 -> 1/);
    assert.match(answers[0].content!, /^test\/total\.test\.js lines 1-8:\n {5}1\tconst test = require\('node:test'\);\n/, 'a view shows the text rebuilt from the base');
    const assistantTurns = r.messages.filter((m) => m.role === 'assistant');
    assert.ok(assistantTurns.slice(0, -1).every((m) => m.content === undefined), 'tool-call messages carry no invented text');
    assert.deepEqual(r.messages[r.messages.length - 1], { role: 'assistant', content: 'Outcome: done (explicit).\nRounding fixed; sums are kept in cents.\nLast test run: passed. Commits: 4f1c2a9be0d7.' });
  });

  test('tools lists every tool with JSON Schema parameters, the same in every row', () => {
    const rows = fixtureEpisodes().map(row);
    for (const r of rows) assert.deepEqual(r.tools, TOOL_DEFINITIONS);
    assert.deepEqual(
      rows[0].tools.map((t) => t.function.name),
      ['edit_file', 'run_command', 'run_task', 'run_tests', 'debug', 'git_commit', 'git_checkout', 'read_file', 'navigate'],
    );
  });

  test('environment: consecutive changes on disk and other events make one user message; a change the command made is in its answer', () => {
    const r = row(loginEpisode());
    const environment = r.messages.filter((m) => m.role === 'user' && m.content!.startsWith('[environment]'));
    assert.equal(environment.length, 1);
    assert.equal(
      environment[0].content,
      [
        '[environment] 120 files changed on disk by git pull: 20 created, 95 changed, 5 deleted.\n  docs/a.md\n  docs/b.md\n  src/util.ts\n  ... and 117 more',
        '[environment] Event capture.pause: {"reason":"paused","until":null}',
        '[environment] config.json changed on disk by an unknown program (+0 -0).\n[content not recorded: too-large]',
      ].join('\n\n'),
    );
    const i = r.messages.findIndex((m) => m.tool_calls?.[0].function.name === 'run_command');
    assert.deepEqual(JSON.parse(r.messages[i].tool_calls![0].function.arguments), { command: LOGIN_COMMAND });
    assert.match(r.messages[i + 1].content!, /^src\/app\.ts 42ms\nfiles changed:\n {2}changed src\/app\.ts \(\+2 -2\)\n\[exit code: 0\]\n\nsrc\/app\.ts changed on disk by terminal command/);
    assert.match(r.messages[i + 1].content!, /\n\+import \{ login \} from '\.\/login\/例え';/);
  });

  test('an episode without actions is still a valid row ending with the assistant', () => {
    const episode = abandonedEpisode();
    episode.steps = [];
    const r = row(episode);
    assert.deepEqual(validate(r), []);
    assert.deepEqual(conversationChecks(r), []);
    assert.deepEqual(
      r.messages.map((m) => m.role),
      ['system', 'user', 'assistant'],
    );
  });

  test('deterministic bytes, one row per line, text as is', () => {
    const out = runExport(messagesFormat, fixtureEpisodes());
    assert.equal(out, runExport(messagesFormat, fixtureEpisodes()));
    assert.equal(out.split('\n').length, 4);
    assert.ok(out.includes('«redacted:aws-access-key»'));
    assert.ok(out.includes('ログイン 😀'));
    assert.equal(messagesFormat.extension, '.jsonl');
  });
});
