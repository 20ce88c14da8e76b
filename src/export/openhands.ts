/**
 * OpenHands: the episode as an OpenHands event list, each event as OpenHands' serialiser
 * (`openhands/events/serialization/event.py`, `event_to_dict`) writes it, wrapped the way
 * OpenHands' evaluation harness stores one trajectory per JSONL line (`EvalOutput` in
 * `evaluation/utils/shared.py`, written with `model_dump_json()`):
 *
 *   {"instance_id", "test_result", "instruction", "metadata", "history", "metrics", "error", "instance"}
 *
 * `history` is the event list; `test_result.git_patch` the episode's final patch (as the
 * SWE-bench harness stores it); `instance` the task (goal, repositories, base files).
 * See test/fixtures/formats/openhands/README.md for the exact source and the mapping.
 *
 * Events: ids from 0 in order; `timestamp` ISO 8601 (UTC, as Python's `isoformat()`);
 * `source` `user` (the goal), `agent` (the engineer's actions and their observations: the
 * runtime gives an observation its action's source), `environment` (changes on disk and
 * other events); observations link to their action by `cause`. `args` and `extras` hold
 * exactly the dataclass fields of each action and observation class, so `event_from_dict`
 * reads every event back; Worktrace detail that has no field there is in `instance.steps`
 * and `test_result.test_runs`.
 *
 * Plain Node; never imports `vscode`.
 */
import { FILE_HEADERS_ONLY, formatPatch, parsePatch, type StructuredPatchHunk } from 'diff';
import type { EditStepData, Episode, EpisodeStep, TestStepData } from '../episodes/episode';
import type { ExportFormat, ExportWriter } from './format';
import {
  checkoutResult,
  commitResult,
  compact,
  debugResult,
  diagnosticsText,
  fileBulkContent,
  fileChangeContent,
  goalText,
  madeBy,
  navigateResult,
  otherContent,
  outcomeText,
  taskResult,
  testSummary,
  textsAtViews,
  toJson,
  viewSpan,
  viewedText,
  type JsonObject,
  type JsonValue,
} from './toolCalls';

/** `ActionSecurityRisk.UNKNOWN`, as the serialiser writes it (`.value`). */
const SECURITY_RISK_UNKNOWN = -1;

/** Python's `datetime.isoformat()` of an aware UTC datetime: microseconds only when non-zero. */
export function pythonIsoTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2025-01-31T09:15:02.250Z
  const millis = iso.slice(20, 23);
  return millis === '000' ? `${iso.slice(0, 19)}+00:00` : `${iso.slice(0, 19)}.${millis}000+00:00`;
}

/** Python's `repr()` of a JSON value (how `MCPAction.message` shows its arguments). */
export function pythonRepr(value: JsonValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = '';
    for (const ch of value) {
      const code = ch.codePointAt(0) ?? 0;
      if (ch === '\\') out += '\\\\';
      else if (ch === quote) out += `\\${quote}`;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else out += ch;
    }
    return `${quote}${out}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`)
    .join(', ')}}`;
}

type Source = 'user' | 'agent' | 'environment';

/** Builds one episode's events, numbering them from 0. */
class History {
  readonly events: JsonObject[] = [];

  action(ts: number, source: Source, message: string, action: string, args: JsonObject): number {
    const id = this.events.length;
    this.events.push({ id, timestamp: pythonIsoTime(ts), source, message, action, args });
    return id;
  }

  observation(ts: number, source: Source, message: string, cause: number | undefined, observation: string, content: string, extras: JsonObject, success?: boolean): number {
    const id = this.events.length;
    const event: JsonObject = { id, timestamp: pythonIsoTime(ts), source, message };
    if (cause !== undefined) event.cause = cause;
    event.observation = observation;
    event.content = content;
    event.extras = extras;
    if (success !== undefined) event.success = success;
    this.events.push(event);
    return id;
  }

  /** `MCPAction` and its `MCPObservation`: a tool OpenHands has no action class for. */
  mcp(step: EpisodeStep, name: string, args: JsonObject, content: string): { action: number; observation: number } {
    const action = this.action(
      step.ts,
      'agent',
      `I am interacting with the MCP server with name:\n\`\`\`\n${name}\n\`\`\`\nand arguments:\n\`\`\`\n${pythonRepr(args)}\n\`\`\``,
      'call_tool_mcp',
      { name, arguments: args, thought: '', security_risk: SECURITY_RISK_UNKNOWN },
    );
    const observation = this.observation(step.ts + step.durationMs, 'agent', content, action, 'mcp', content, { name, arguments: args });
    return { action, observation };
  }
}

function fileEditArgs(path: string, fields: { command: string; file_text?: string; old_str?: string; new_str?: string; insert_line?: number }): JsonObject {
  return {
    path,
    command: fields.command,
    file_text: fields.file_text ?? null,
    old_str: fields.old_str ?? null,
    new_str: fields.new_str ?? null,
    insert_line: fields.insert_line ?? null,
    content: '',
    start: 1,
    end: -1,
    thought: '',
    security_risk: SECURITY_RISK_UNKNOWN,
    impl_source: 'oh_aci',
  };
}

function fileEditExtras(path: string, prevExist: boolean, diff: string | null): JsonObject {
  return { path, prev_exist: prevExist, old_content: null, new_content: null, impl_source: 'oh_aci', diff, _diff_cache: null };
}

/** `cat -n` of the lines a hunk leaves, numbered from its new start. */
function snippet(hunk: StructuredPatchHunk): string {
  let line = hunk.newStart;
  const out: string[] = [];
  for (const text of hunk.lines) {
    if (text.startsWith('+') || text.startsWith(' ')) {
      out.push(`${String(line).padStart(6)}\t${text.slice(1)}`);
      line++;
    }
  }
  return out.join('\n');
}

function side(hunk: StructuredPatchHunk, keep: '-' | '+'): string[] {
  return hunk.lines.filter((text) => text.startsWith(' ') || text.startsWith(keep)).map((text) => text.slice(1));
}

/** The text a created file got: every added line, with its newline unless git says there is none. */
function createdText(hunk: StructuredPatchHunk): string {
  let text = '';
  hunk.lines.forEach((line, i) => {
    if (!line.startsWith('+')) return;
    text += line.slice(1);
    if (!(hunk.lines[i + 1] ?? '').startsWith('\\')) text += '\n';
  });
  return text;
}

/** The files of a unified diff; none when it is empty or cannot be read. */
function parseDiff(diff: string): ReturnType<typeof parsePatch> {
  if (diff === '') return [];
  try {
    return parsePatch(diff);
  } catch {
    return [];
  }
}

/**
 * An edit step as OpenHands' file editor would have made it (`impl_source: oh_aci`): one
 * `str_replace` per hunk of the diff (`insert` for a hunk with no old lines, `create` for a
 * file written from empty), each with its `FileEditObservation`; the diagnostics that changed
 * after the step end the last observation.
 */
function addEdit(history: History, step: EditStepData): number[] {
  const { path, diff } = step.action;
  const end = step.ts + step.durationMs;
  const diagnostics = diagnosticsText(step);
  const withDiagnostics = (content: string, last: boolean): string => (last && diagnostics !== '' ? `${content}\n\n${diagnostics}` : content);
  const patches = parseDiff(diff);
  const patch = patches.length === 1 ? patches[0] : undefined;
  if (!patch || patch.hunks.length === 0) {
    const action = history.action(step.ts, 'agent', '', 'edit', fileEditArgs(path, { command: '' }));
    const content = `The file ${path} was edited (+${step.action.added} -${step.action.removed}); the change was not recorded (the document was not replayable).`;
    return [action, history.observation(end, 'agent', `I edited the file ${path}.`, action, 'edit', withDiagnostics(content, true), fileEditExtras(path, true, null))];
  }
  const ids: number[] = [];
  patch.hunks.forEach((hunk, i) => {
    const last = i === patch.hunks.length - 1;
    // The step diffs have no header after the file names: keep it that way (an empty header would add a tab).
    const hunkDiff = formatPatch({ oldFileName: patch.oldFileName, newFileName: patch.newFileName, oldHeader: patch.oldHeader || undefined, newHeader: patch.newHeader || undefined, hunks: [hunk] }, FILE_HEADERS_ONLY);
    const oldLines = side(hunk, '-');
    const creates = patch.hunks.length === 1 && hunk.oldLines === 0 && hunk.oldStart <= 1 && !hunk.lines.some((line) => line.startsWith('-'));
    let args: JsonObject;
    let content: string;
    if (creates) {
      args = fileEditArgs(path, { command: 'create', file_text: createdText(hunk) });
      content = `File created successfully at: ${path}`;
    } else if (oldLines.length === 0) {
      // `parsePatch` reads a hunk of no old lines as starting one line later than `@@ -n,0`.
      args = fileEditArgs(path, { command: 'insert', new_str: side(hunk, '+').join('\n'), insert_line: hunk.oldStart - 1 });
      content = `The file ${path} has been edited. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippet(hunk)}`;
    } else {
      args = fileEditArgs(path, { command: 'str_replace', old_str: oldLines.join('\n'), new_str: side(hunk, '+').join('\n') });
      content = `The file ${path} has been edited. Here's the result of running \`cat -n\` on a snippet of ${path}:\n${snippet(hunk)}`;
    }
    const action = history.action(step.ts, 'agent', '', 'edit', args);
    ids.push(action, history.observation(end, 'agent', `I edited the file ${path}.`, action, 'edit', withDiagnostics(content, last), fileEditExtras(path, !creates, hunkDiff)));
  });
  return ids;
}

function cmdMetadata(exitCode: number | null, workingDir: string | null): JsonObject {
  return { exit_code: exitCode ?? -1, pid: -1, username: null, hostname: null, working_dir: workingDir, py_interpreter_path: null, prefix: '', suffix: '' };
}

function testRun(step: TestStepData, observationId: number | undefined): JsonObject {
  return compact({
    step: step.index,
    observation_id: observationId,
    runner: step.action.runner,
    command: step.action.command,
    origin: step.action.origin,
    outcome: step.observation.outcome,
    passed: step.observation.passed,
    failed: step.observation.failed,
    skipped: step.observation.skipped,
    failing: step.observation.failing,
    transition: step.observation.transition,
  });
}

/** Worktrace detail of a step that OpenHands' events have no field for. */
function stepNote(step: EpisodeStep, events: number[]): JsonObject {
  const base = { step: step.index, type: step.type, events };
  switch (step.type) {
    case 'edit':
      return { ...base, cause: step.action.cause, added: step.action.added, removed: step.action.removed };
    case 'command':
      return compact({ ...base, terminal: step.action.terminal, shell: step.action.shell, program: step.action.program });
    case 'file-change':
    case 'file-bulk':
      return { ...base, by: toJson(step.action.by) };
    case 'commit':
      return compact({ ...base, origin: step.action.origin, authorship: step.observation.authorship ? toJson(step.observation.authorship) : undefined });
    case 'navigate':
      return { ...base, trigger: step.action.trigger };
    default:
      return base;
  }
}

/** One episode as OpenHands' evaluation output (`EvalOutput`) with its event history. */
export function episodeToOpenHands(episode: Episode): JsonObject {
  const history = new History();
  const goal = goalText(episode);
  history.action(episode.start.ts, 'user', goal, 'message', { content: goal, file_urls: null, image_urls: null, wait_for_response: false, security_risk: SECURITY_RISK_UNKNOWN });

  const texts = textsAtViews(episode);
  const notes: JsonObject[] = [];
  const testRuns: JsonObject[] = [];
  const actionOf = new Map<number, { action: number; observation: number }>();
  let last: { step: EpisodeStep; action: number } | undefined;

  for (const step of episode.steps) {
    const end = step.ts + step.durationMs;
    let ids: number[] = [];
    switch (step.type) {
      case 'edit':
        ids = addEdit(history, step);
        break;
      case 'command': {
        const command = step.action.commandLine;
        const action = history.action(step.ts, 'agent', `Running command: ${command}`, 'run', {
          command,
          is_input: false,
          thought: '',
          blocking: false,
          is_static: false,
          cwd: null,
          hidden: false,
          confirmation_state: 'confirmed',
          security_risk: SECURITY_RISK_UNKNOWN,
        });
        const exitCode = step.observation.exitCode ?? -1;
        const output = step.observation.output ?? '';
        const observation = history.observation(end, 'agent', `Command \`${command}\` executed with exit code ${exitCode}.`, action, 'run', output, { command, metadata: cmdMetadata(step.observation.exitCode, step.action.cwd), hidden: false }, exitCode === 0);
        ids = [action, observation];
        break;
      }
      case 'task':
        ids = Object.values(history.mcp(step, 'run_task', compact({ name: step.action.name, source: step.action.source, group: step.action.group }), taskResult(step)));
        break;
      case 'test': {
        const source = step.source !== undefined ? actionOf.get(step.source) : undefined;
        if (source) {
          testRuns.push(testRun(step, source.observation));
          notes.push(stepNote(step, []));
          continue;
        }
        const pair = history.mcp(step, 'run_tests', { command: step.action.command, runner: step.action.runner }, testSummary(step));
        testRuns.push(testRun(step, pair.observation));
        ids = [pair.action, pair.observation];
        break;
      }
      case 'debug':
        ids = Object.values(
          history.mcp(step, 'debug', compact({ name: step.action.name, type: step.action.type, request: step.action.request, configuration: step.action.configuration ? toJson(step.action.configuration) : undefined }), debugResult(step)),
        );
        break;
      case 'commit':
        ids = Object.values(history.mcp(step, 'git_commit', { repo: step.action.repo, message: step.action.message, amend: step.action.amend }, commitResult(step)));
        break;
      case 'checkout':
        ids = Object.values(history.mcp(step, 'git_checkout', { repo: step.action.repo, target: step.action.to ?? step.observation.sha ?? '' }, checkoutResult(step)));
        break;
      case 'view': {
        const span = viewSpan(step);
        const path = step.action.path;
        const action = history.action(step.ts, 'agent', `Reading file: ${path}`, 'read', { path, start: 0, end: -1, thought: '', security_risk: SECURITY_RISK_UNKNOWN, impl_source: 'oh_aci', view_range: [span.start, span.end] });
        const shown = viewedText(texts.get(step.index), step.observation.ranges);
        const content =
          shown === undefined || shown === ''
            ? `[Viewed lines ${span.start}-${span.end} of ${path}; the text on screen is not known here: the file's content before this step was not recorded.]`
            : `Here's the result of running \`cat -n\` on ${path}:\n${shown}`;
        ids = [action, history.observation(end, 'agent', `I read the file ${path}.`, action, 'read', content, { path, impl_source: 'oh_aci' })];
        break;
      }
      case 'navigate':
        ids = Object.values(history.mcp(step, 'navigate', compact({ path: step.action.to.path, line: step.action.to.line, column: step.action.to.column, via: step.action.via }), navigateResult(step)));
        break;
      case 'file-change': {
        const o = step.observation;
        const cause = last && madeBy(last.step, step.action.by) ? last.action : undefined;
        const content = o.diff !== undefined && o.diff !== '' ? o.diff : fileChangeContent(step);
        ids = [history.observation(step.ts, 'environment', `I edited the file ${o.path}.`, cause, 'edit', content, fileEditExtras(o.path, o.change !== 'created', o.diff ?? null))];
        notes.push(stepNote(step, ids));
        continue;
      }
      case 'file-bulk': {
        const cause = last && madeBy(last.step, step.action.by) ? last.action : undefined;
        const content = fileBulkContent(step);
        ids = [history.observation(step.ts, 'environment', content, cause, 'success', content, {})];
        notes.push(stepNote(step, ids));
        continue;
      }
      case 'event': {
        const content = otherContent(step);
        ids = [history.observation(step.ts, 'environment', content, undefined, 'success', content, {})];
        notes.push(stepNote(step, ids));
        continue;
      }
    }
    notes.push(stepNote(step, ids));
    if (ids.length >= 2) {
      actionOf.set(step.index, { action: ids[0], observation: ids[ids.length - 1] });
      last = { step, action: ids[0] };
    }
  }

  const outcome = episode.outcome;
  history.action(episode.end.ts, 'agent', "All done! What's next on the agenda?", 'finish', {
    final_thought: outcomeText(episode),
    outputs: compact({ status: outcome.status, source: outcome.source, note: outcome.note, last_test_passed: outcome.lastTestPassed, committed: outcome.committed, commits: outcome.commits }),
    thought: '',
  });

  const firstRepo = episode.start.repos[0];
  return {
    instance_id: episode.id,
    test_result: {
      git_patch: outcome.patch,
      patch_exact: outcome.patchExact,
      status: outcome.status,
      last_test_passed: outcome.lastTestPassed,
      committed: outcome.committed,
      commits: outcome.commits,
      test_runs: testRuns,
      figures: toJson(episode.figures),
    },
    instruction: goal,
    metadata: null,
    history: history.events,
    metrics: null,
    error: null,
    instance: compact({
      instance_id: episode.id,
      problem_statement: goal,
      base_commit: firstRepo?.head ?? undefined,
      repos: toJson(episode.start.repos),
      goal: toJson(episode.goal),
      workspace: episode.workspace,
      sessions: episode.sessions,
      start: { ts: episode.start.ts, boundary: episode.start.boundary },
      end: toJson(episode.end),
      base: episode.base.map((file) => compact({ path: file.path, known: file.known, sha256: file.sha256, missing: file.missing })),
      authorship: episode.authorship ? toJson(episode.authorship) : undefined,
      exact: episode.exact,
      problems: episode.problems,
      steps: notes,
    }),
  };
}

/** OpenHands event history (openhands/events/serialization) in OpenHands' evaluation output layout, one trajectory per line. */
export const openhandsFormat: ExportFormat = {
  name: 'openhands',
  description: "OpenHands event history (event_to_dict) in OpenHands' evaluation output layout (EvalOutput), one trajectory per line",
  extension: '.jsonl',
  create(): ExportWriter {
    return {
      begin: () => '',
      episode: (episode) => `${JSON.stringify(episodeToOpenHands(episode))}\n`,
      end: () => '',
    };
  },
};
