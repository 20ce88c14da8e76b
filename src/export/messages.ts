/**
 * Chat messages for supervised fine-tuning: one JSON line per episode,
 * `{"messages": [...], "tools": [...]}`, in OpenAI's fine-tuning chat format with tools
 * (`FineTuneChatRequestInput`; TRL's SFTTrainer reads the same `messages` and `tools`
 * columns — see test/fixtures/formats/messages/README.md).
 *
 * - `system`: a fixed prompt saying what the assistant is (an engineer in a workspace);
 * - `user`: the goal;
 * - `assistant`: one message per action of the engineer, with one `tool_calls` entry
 *   (`id`, `type: "function"`, `function: {name, arguments}` where `arguments` is a JSON
 *   string) and no content: the engineer's actions are what the model learns;
 * - `tool`: the result the engineer saw, answering by `tool_call_id` (a test run derived
 *   from the action and the changes on disk it made are appended to it);
 * - `user`: a change on disk no action explains, or an event the builder does not model,
 *   as a message from the environment (each prefixed `[environment]`; consecutive ones in
 *   one message);
 * - a last `assistant` message with the outcome, so every row ends with the assistant.
 *
 * `tools` lists every tool (toolCalls.ts) with JSON Schema parameters. Rows carry nothing
 * else (OpenAI rejects unknown keys); the episode id is only in the tool call ids.
 *
 * Plain Node; never imports `vscode`.
 */
import type { Episode } from '../episodes/episode';
import type { ExportFormat, ExportWriter } from './format';
import { TOOL_DEFINITIONS, fullResult, goalText, outcomeText, planTurns, toJson, type JsonObject } from './toolCalls';

export const SYSTEM_PROMPT =
  'You are a software engineer working in a code repository in VS Code. Work towards the task the user gives by calling the tools: ' +
  'read and navigate the code, edit files with unified diffs, run commands, tasks and tests, debug, and commit with git. ' +
  'Tool results show what the editor, terminal and tools reported.';

/** One episode as a fine-tuning row. */
export function episodeToMessages(episode: Episode): JsonObject {
  const messages: JsonObject[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: goalText(episode) },
  ];
  /** The last environment message: consecutive environment turns go into one `user` message. */
  let environment: { message: JsonObject; text: string } | undefined;
  for (const turn of planTurns(episode)) {
    if (turn.kind === 'environment') {
      const text = `[environment] ${turn.content}`;
      if (environment && messages[messages.length - 1] === environment.message) {
        environment.text = `${environment.text}\n\n${text}`;
        environment.message.content = environment.text;
      } else {
        environment = { message: { role: 'user', content: text }, text };
        messages.push(environment.message);
      }
      continue;
    }
    messages.push({
      role: 'assistant',
      tool_calls: [{ id: turn.callId, type: 'function', function: { name: turn.name, arguments: JSON.stringify(turn.arguments) } }],
    });
    messages.push({ role: 'tool', tool_call_id: turn.callId, content: fullResult(turn) });
  }
  messages.push({ role: 'assistant', content: outcomeText(episode) });
  return { messages, tools: TOOL_DEFINITIONS.map((definition) => toJson(definition)) };
}

/** Chat messages with tool calls for supervised fine-tuning (OpenAI fine-tuning format; TRL SFTTrainer `messages` + `tools`). */
export const messagesFormat: ExportFormat = {
  name: 'messages',
  description: 'Chat messages with tool calls for supervised fine-tuning (OpenAI fine-tuning chat format; TRL SFTTrainer messages + tools), one row per line',
  extension: '.jsonl',
  create(): ExportWriter {
    return {
      begin: () => '',
      episode: (episode) => `${JSON.stringify(episodeToMessages(episode))}\n`,
      end: () => '',
    };
  },
};
