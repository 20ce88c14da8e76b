/**
 * ATIF: the Agent Trajectory Interchange Format, Harbor RFC 0001, `ATIF-v1.7` (see
 * test/fixtures/formats/atif/README.md for the exact source). One trajectory per episode,
 * one JSON object per line.
 *
 * - step 1, `user`: the goal;
 * - one `agent` step per action of the engineer: one tool call (toolCalls.ts) and its
 *   result as the observation, linked by `source_call_id`; a test run derived from the
 *   action and the changes on disk it made are further results of the same call;
 * - a `system` step with an observation for a change on disk no action explains, and for
 *   events the episode builder does not model;
 * - a last `agent` step whose message is the outcome.
 *
 * Worktrace detail goes into the `extra` objects the RFC provides, under a `worktrace` key:
 * the root (episode, figures, outcome with the patch, authorship), `agent`, each step
 * (index, type, time, events), each tool call (edit cause, terminal, origin…) and each
 * observation result (diagnostics, exit code, test outcome and transition, attribution).
 * The engineer is not a language model: steps carry no `metrics`, no `model_name`, no
 * `llm_call_count` (left unset, "not tracked": 0 would tell SFT pipelines to drop them).
 *
 * Plain Node; never imports `vscode`.
 */
import { EPISODE_SCHEMA, type Episode } from '../episodes/episode';
import type { ExportFormat, ExportWriter } from './format';
import { TOOL_DEFINITIONS, compact, goalText, isoTime, outcomeText, planTurns, stepExtra, toJson, type JsonObject } from './toolCalls';

export const ATIF_SCHEMA_VERSION = 'ATIF-v1.7';

/** The root extra: the episode without its steps (they are the trajectory). */
function episodeExtra(episode: Episode): JsonObject {
  return compact({
    episode: episode.id,
    schema: episode.schema,
    workspace: episode.workspace,
    sessions: episode.sessions,
    goal: toJson(episode.goal),
    start: toJson(episode.start),
    end: toJson(episode.end),
    base: episode.base.map((file) => compact({ path: file.path, known: file.known, sha256: file.sha256, missing: file.missing })),
    outcome: toJson(episode.outcome),
    figures: toJson(episode.figures),
    authorship: episode.authorship ? toJson(episode.authorship) : undefined,
    exact: episode.exact,
    problems: episode.problems,
  });
}

/** One episode as an ATIF trajectory object. */
export function episodeToAtif(episode: Episode): JsonObject {
  const steps: JsonObject[] = [];
  const next = (): number => steps.length + 1;
  steps.push({
    step_id: next(),
    timestamp: isoTime(episode.start.ts),
    source: 'user',
    message: goalText(episode),
    extra: { worktrace: compact({ goal: toJson(episode.goal), boundary: episode.start.boundary }) },
  });
  for (const turn of planTurns(episode)) {
    if (turn.kind === 'environment') {
      steps.push({
        step_id: next(),
        timestamp: isoTime(turn.step.ts),
        source: 'system',
        message: turn.summary,
        observation: { results: [{ content: turn.content, extra: { worktrace: turn.extra } }] },
        extra: { worktrace: stepExtra(turn.step) },
      });
      continue;
    }
    steps.push({
      step_id: next(),
      timestamp: isoTime(turn.step.ts),
      source: 'agent',
      message: '',
      tool_calls: [{ tool_call_id: turn.callId, function_name: turn.name, arguments: turn.arguments, extra: { worktrace: turn.actionExtra } }],
      observation: {
        results: [
          { source_call_id: turn.callId, content: turn.result, extra: { worktrace: turn.resultExtra } },
          ...turn.folded.map((f) => ({ source_call_id: turn.callId, content: f.content, extra: { worktrace: f.extra } })),
        ],
      },
      extra: { worktrace: stepExtra(turn.step) },
    });
  }
  steps.push({
    step_id: next(),
    timestamp: isoTime(episode.end.ts),
    source: 'agent',
    message: outcomeText(episode),
    extra: { worktrace: { boundary: episode.end.boundary } },
  });
  return {
    schema_version: ATIF_SCHEMA_VERSION,
    session_id: episode.id,
    trajectory_id: episode.id,
    agent: {
      name: 'worktrace',
      version: EPISODE_SCHEMA,
      tool_definitions: TOOL_DEFINITIONS.map((definition) => toJson(definition)),
      extra: { worktrace: { actor: 'human', note: 'A software engineer recorded in VS Code by Worktrace; each tool call is an action the engineer took.' } },
    },
    steps,
    notes: 'Recorded from a human engineer by Worktrace: tool calls are the engineer\'s actions, observations what the editor, terminal and tools showed. No LLM ran: there are no token metrics. Fields under extra.worktrace follow the worktrace-episode/1 schema.',
    final_metrics: { total_steps: steps.length, extra: { worktrace: toJson(episode.figures) } },
    extra: { worktrace: episodeExtra(episode) },
  };
}

/** Agent Trajectory Interchange Format (Harbor RFC 0001, ATIF-v1.7): one trajectory per line. */
export const atifFormat: ExportFormat = {
  name: 'atif',
  description: 'Agent Trajectory Interchange Format (Harbor RFC 0001, ATIF-v1.7), one trajectory per line',
  extension: '.jsonl',
  create(): ExportWriter {
    return {
      begin: () => '',
      episode: (episode) => `${JSON.stringify(episodeToAtif(episode))}\n`,
      end: () => '',
    };
  },
};
