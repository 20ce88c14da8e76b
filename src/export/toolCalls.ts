/**
 * The engineer's steps as tool calls, shared by the formats that model a trajectory as an
 * agent calling tools (ATIF and chat messages): one tool per kind of action, with JSON Schema
 * parameters, and a plan that turns an episode's steps into turns.
 *
 * - An action the engineer took (edit, command, task, test run of its own, debug session,
 *   commit, checkout, view, navigation) is an {@link ActionTurn}: one tool call and its result.
 * - A test run derived from a command, task or debug session is folded into that action's
 *   result (it is not a second action: the engineer ran one command).
 * - A change on disk made by the command, task or checkout just before it (and by nothing
 *   in between) is folded into that action's result too; any other change on disk, and any
 *   event the builder does not model, is an {@link EnvironmentTurn}.
 * - A view's result is the text the file had then, rebuilt from the episode's base and the
 *   recorded edits and changes before it ({@link textsAtViews}); the text itself is never
 *   in the trace.
 *
 * Deterministic: ids come from the episode id and the step index; no clock, no randomness.
 * Plain Node; never imports `vscode`.
 */
import type {
  CommandStepData,
  CommitStepData,
  CheckoutStepData,
  DebugStepData,
  EditStepData,
  Episode,
  EpisodeStep,
  FileBulkStepData,
  FileChangeStepData,
  NavigateStepData,
  OtherStepData,
  TaskStepData,
  TestStepData,
  ViewStepData,
} from '../episodes/episode';
import { applyPatch } from 'diff';
import type { ChangeAttribution, ChangedFile, LineRange } from '../trace/events';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A value as JSON: `undefined` members dropped, non-finite numbers and other non-JSON values as `null`. */
export function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : toJson(item)));
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item !== undefined) out[key] = toJson(item);
    }
    return out;
  }
  return null;
}

/** An object with its `undefined` members left out (key order kept). */
export function compact(entries: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export type ToolName = 'edit_file' | 'run_command' | 'run_task' | 'run_tests' | 'debug' | 'git_commit' | 'git_checkout' | 'read_file' | 'navigate';

/** An OpenAI-style function tool definition (also ATIF's `agent.tool_definitions` element). */
export interface ToolDefinition {
  type: 'function';
  function: { name: ToolName; description: string; parameters: JsonObject };
}

function tool(name: ToolName, description: string, properties: JsonObject, required: string[]): ToolDefinition {
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } } };
}

/** Every tool an engineer's step can become, in a fixed order. */
export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  tool(
    'edit_file',
    'Edit a file of the workspace by applying a unified diff (--- path and +++ path headers, @@ hunks with 3 lines of context).',
    {
      path: { type: 'string', description: 'Workspace-relative path with / separators.' },
      diff: { type: 'string', description: 'The change as a unified diff; empty when the change was not recorded.' },
    },
    ['path', 'diff'],
  ),
  tool(
    'run_command',
    'Run a shell command in a terminal of the workspace and wait for it to end.',
    {
      command: { type: 'string', description: 'The command line.' },
      cwd: { type: 'string', description: 'Working directory relative to the workspace root.' },
    },
    ['command'],
  ),
  tool('run_task', 'Run a task configured in the editor (tasks.json or a task provider) and wait for it to end.', { name: { type: 'string', description: 'The task label.' } }, ['name']),
  tool(
    'run_tests',
    "Run tests through the editor's test integration.",
    {
      command: { type: 'string', description: 'What ran the tests (a command line, a task or a test item).' },
      runner: { type: 'string', description: 'The test runner.' },
    },
    ['command'],
  ),
  tool(
    'debug',
    'Start a debug session with a launch configuration and report where the program stopped, its exceptions, output and exit code.',
    {
      name: { type: 'string', description: 'The launch configuration name.' },
      type: { type: 'string', description: 'The debugger type, e.g. node or python.' },
      request: { type: 'string', enum: ['launch', 'attach'] },
      configuration: { type: 'object', description: 'Launch values: program, args, cwd, env keys.' },
    },
    ['name', 'type', 'request'],
  ),
  tool(
    'git_commit',
    'Commit the staged changes of a repository.',
    {
      message: { type: 'string', description: 'The commit message.' },
      amend: { type: 'boolean', description: 'Amend the last commit instead of making a new one.' },
    },
    ['message'],
  ),
  tool('git_checkout', 'Switch a repository to a branch or commit.', { target: { type: 'string', description: 'Branch name, or a commit sha for a detached HEAD.' } }, ['target']),
  tool(
    'read_file',
    'Read lines of a file of the workspace.',
    {
      path: { type: 'string', description: 'Workspace-relative path.' },
      start_line: { type: 'integer', minimum: 1, description: 'First line (1-based).' },
      end_line: { type: 'integer', minimum: 1, description: 'Last line (inclusive).' },
    },
    ['path', 'start_line', 'end_line'],
  ),
  tool(
    'navigate',
    'Jump to a location in the code: a definition, references, an implementation, a symbol, or a file opened from a list.',
    {
      path: { type: 'string', description: 'Workspace-relative path of the target.' },
      line: { type: 'integer', minimum: 1 },
      column: { type: 'integer', minimum: 1 },
      via: { type: 'string', enum: ['definition', 'references', 'implementation', 'symbol', 'history', 'open', 'unknown'] },
    },
    ['path', 'line'],
  ),
];

/** A result folded into an action: a test run derived from it, or a change on disk it made. */
export interface FoldedResult {
  step: TestStepData | FileChangeStepData | FileBulkStepData;
  /** What it showed, as text. */
  content: string;
  extra: JsonObject;
}

export interface ActionTurn {
  kind: 'action';
  step: Exclude<EpisodeStep, FileChangeStepData | FileBulkStepData | OtherStepData>;
  callId: string;
  name: ToolName;
  arguments: JsonObject;
  /** What the engineer saw, as text (the tool result). */
  result: string;
  /** Worktrace detail of the action (cause, terminal, origin…). */
  actionExtra: JsonObject;
  /** Worktrace detail of the result (exit code, diagnostics, test outcome…). */
  resultExtra: JsonObject;
  folded: FoldedResult[];
}

/** Something that happened around the engineer: a change on disk not folded into an action, or another event. */
export interface EnvironmentTurn {
  kind: 'environment';
  step: FileChangeStepData | FileBulkStepData | OtherStepData;
  /** One line. */
  summary: string;
  /** The full text (e.g. the diff). */
  content: string;
  extra: JsonObject;
}

export type Turn = ActionTurn | EnvironmentTurn;

/** The id of the tool call made for a step: derived from the episode id and the step index. */
export function callId(episode: Episode, index: number): string {
  return `${episode.id}.${index}`;
}

/** Worktrace detail every step carries (ATIF `step.extra`, Chrome trace `args`). */
export function stepExtra(step: EpisodeStep): JsonObject {
  return { index: step.index, type: step.type, ts: step.ts, durationMs: step.durationMs, session: step.session, eventIds: step.eventIds };
}

function lines(parts: (string | undefined | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n');
}

function trimEnd(text: string): string {
  return text.replace(/\n+$/, '');
}

export function describeAttribution(by: ChangeAttribution): string {
  switch (by.by) {
    case 'terminal':
      return by.command !== undefined ? `terminal command \`${by.command}\`` : 'a terminal command';
    case 'task':
      return by.command !== undefined ? `task ${by.command}` : 'a task';
    case 'git':
      return by.operation !== undefined ? `git ${by.operation}` : 'git';
    case 'extension':
      return 'an extension';
    case 'unknown':
      return 'an unknown program';
  }
}

function changedFilesText(files: ChangedFile[] | undefined): string | undefined {
  if (!files || files.length === 0) return undefined;
  return ['files changed:', ...files.map((f) => `  ${f.change} ${f.path} (+${f.added} -${f.removed})`)].join('\n');
}

function exitText(exitCode: number | null | undefined): string {
  return `[exit code: ${exitCode ?? 'unknown'}]`;
}

/** The goal as the task the user gives. */
export function goalText(episode: Episode): string {
  const { goal } = episode;
  return lines([goal.text, goal.issue !== undefined ? `Issue: ${goal.issue}` : undefined, goal.url]);
}

/** The outcome, in one paragraph. */
export function outcomeText(episode: Episode): string {
  const o = episode.outcome;
  const last = o.lastTestPassed === null ? 'no test run' : o.lastTestPassed ? 'passed' : 'failed';
  const commits = o.commits.length > 0 ? o.commits.map((sha) => sha.slice(0, 12)).join(', ') : 'none';
  return lines([`Outcome: ${o.status} (${o.source}).`, o.note, `Last test run: ${last}. Commits: ${commits}.`]);
}

/** The diagnostics that changed after an edit step, as lines (empty when none changed). */
export function diagnosticsText(step: EditStepData): string {
  return lines(
    step.observation.diagnostics.map((d) =>
      lines([
        `${d.path}: errors ${d.before.errors} -> ${d.after.errors}, warnings ${d.before.warnings} -> ${d.after.warnings}`,
        ...d.new.map((n) => `  ${d.path}:${n.line}: ${n.severity}: ${n.message}${n.source !== undefined ? ` [${n.source}${n.code !== undefined ? ` ${n.code}` : ''}]` : ''}`),
      ]),
    ),
  );
}

export function editResult(step: EditStepData): string {
  const { action } = step;
  const head =
    action.diff === ''
      ? `Edited ${action.path} (+${action.added} -${action.removed}); the change itself was not recorded (the document was not replayable).`
      : `Edited ${action.path} (+${action.added} -${action.removed}).`;
  return lines([head, diagnosticsText(step)]);
}

export function commandResult(step: CommandStepData): string {
  const o = step.observation;
  return lines([o.output !== undefined ? trimEnd(o.output) : undefined, o.outputTruncated === true ? '[output truncated]' : undefined, changedFilesText(o.files), exitText(o.exitCode)]);
}

export function taskResult(step: TaskStepData): string {
  return lines([changedFilesText(step.observation.files), exitText(step.observation.exitCode)]);
}

export function testSummary(step: TestStepData): string {
  const o = step.observation;
  const counts = [o.passed !== undefined ? `${o.passed} passed` : undefined, o.failed !== undefined ? `${o.failed} failed` : undefined, o.skipped !== undefined ? `${o.skipped} skipped` : undefined].filter(
    (part): part is string => part !== undefined,
  );
  return lines([
    `Tests ${o.outcome}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}.`,
    o.failing.length > 0 ? `Failing: ${o.failing.join('; ')}` : undefined,
    o.transition === 'fixed' ? 'These tests failed on the previous run and pass now.' : o.transition === 'broke' ? 'These tests passed on the previous run and fail now.' : undefined,
  ]);
}

export function debugResult(step: DebugStepData): string {
  const o = step.observation;
  return lines([
    ...o.stops.map((stop) => {
      const frame = stop.exception?.frame;
      const where = frame ? ` at ${frame.name}${frame.location ? ` (${frame.location.path}:${frame.location.line})` : ''}` : '';
      return `Stopped (${stop.reason})${stop.description !== undefined ? `: ${stop.description}` : ''}${stop.exception ? ` - ${stop.exception.message}${where}` : ''}`;
    }),
    o.exception !== undefined ? `Exception: ${o.exception}` : undefined,
    o.output !== undefined ? trimEnd(o.output) : undefined,
    o.ended ? exitText(o.exitCode) : '[the session was still running when the episode ended]',
  ]);
}

export function commitResult(step: CommitStepData): string {
  const o = step.observation;
  return lines([
    `Committed ${o.sha.slice(0, 12)}${step.action.branch !== null ? ` on ${step.action.branch}` : ''}.`,
    ...o.files.map((f) => `  ${f.path} (+${f.added ?? '?'} -${f.removed ?? '?'})`),
  ]);
}

export function checkoutResult(step: CheckoutStepData): string {
  return `Switched from ${step.action.from ?? '(detached HEAD)'} to ${step.action.to ?? '(detached HEAD)'}${step.observation.sha !== null ? ` at ${step.observation.sha.slice(0, 12)}` : ''}.`;
}

/** The lines a view showed: from the first visible line to the last. */
export function viewSpan(step: ViewStepData): { start: number; end: number } {
  const ranges = step.observation.ranges;
  if (ranges.length === 0) return { start: 1, end: 1 };
  return { start: Math.min(...ranges.map((r) => r.start)), end: Math.max(...ranges.map((r) => r.end)) };
}

/** Lines of a text as `cat -n` shows them (1-based, right-aligned in 6 columns, a tab). */
export function numberedLines(lines: readonly string[], first: number): string {
  return lines.map((line, i) => `${String(first + i).padStart(6)}\t${line}`).join('\n');
}

/**
 * What a view showed: the visible ranges of the text the file had then, numbered, with the
 * folded lines between ranges named. Undefined when that text is not known.
 */
export function viewedText(text: string | undefined, ranges: readonly LineRange[]): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const parts: string[] = [];
  let previousEnd: number | undefined;
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    const start = Math.max(1, range.start);
    const end = Math.min(lines.length, range.end);
    if (start > end) continue;
    if (previousEnd !== undefined && start > previousEnd + 1) parts.push(`[lines ${previousEnd + 1}-${start - 1} folded]`);
    parts.push(numberedLines(lines.slice(start - 1, end), start));
    previousEnd = end;
  }
  return parts.join('\n');
}

/**
 * The text of each viewed file at each view step, where the episode lets it be rebuilt: from
 * the file's known base, through every recorded edit and change on disk of that file before
 * the view. A file whose chain breaks (unknown base, an edit that was not recorded, a change
 * on disk without content, a bulk change) is unknown from there on.
 */
export function textsAtViews(episode: Episode): Map<number, string | undefined> {
  const texts = new Map<string, string | undefined>();
  for (const file of episode.base) texts.set(file.path, file.known ? (file.text ?? '') : file.missing === 'created' ? '' : undefined);
  const apply = (path: string, diff: string | undefined): void => {
    const before = texts.get(path);
    if (before === undefined || diff === undefined || diff === '') {
      texts.set(path, undefined);
      return;
    }
    const after = applyPatch(before, diff);
    texts.set(path, after === false ? undefined : after);
  };
  const out = new Map<number, string | undefined>();
  for (const step of episode.steps) {
    switch (step.type) {
      case 'view':
        out.set(step.index, texts.get(step.action.path));
        break;
      case 'edit':
        apply(step.action.path, step.action.diff);
        break;
      case 'file-change':
        if (step.observation.change === 'deleted') texts.set(step.observation.path, undefined);
        else if (step.observation.change === 'created' && texts.get(step.observation.path) === undefined && step.observation.diff !== undefined) texts.set(step.observation.path, '');
        if (step.observation.change !== 'deleted') apply(step.observation.path, step.observation.diff);
        break;
      case 'file-bulk':
        if (step.observation.truncated) texts.clear();
        for (const path of step.observation.paths) texts.set(path, undefined);
        break;
      default:
        break;
    }
  }
  return out;
}

export function viewResult(step: ViewStepData, text?: string): string {
  const span = viewSpan(step);
  const shown = viewedText(text, step.observation.ranges);
  if (shown === undefined || shown === '') {
    return `Viewed ${step.action.path} lines ${span.start}-${span.end}. (The text on screen is not known here: the file's content before this step was not recorded.)`;
  }
  return `${step.action.path} lines ${span.start}-${span.end}:\n${shown}`;
}

export function navigateResult(step: NavigateStepData): string {
  const { from, to, via } = step.action;
  return `Jumped to ${to.path}:${to.line}${from ? ` from ${from.path}:${from.line}` : ''} (${via}).`;
}

export function fileChangeSummary(step: FileChangeStepData): string {
  const o = step.observation;
  return `${o.path} ${o.change} on disk by ${describeAttribution(step.action.by)} (+${o.added} -${o.removed}).`;
}

export function fileChangeContent(step: FileChangeStepData): string {
  const o = step.observation;
  const body = o.diff !== undefined && o.diff !== '' ? trimEnd(o.diff) : o.omitted !== undefined ? `[content not recorded: ${o.omitted}]` : o.change === 'deleted' ? undefined : '[content not recorded]';
  return lines([fileChangeSummary(step), body]);
}

export function fileBulkSummary(step: FileBulkStepData): string {
  const o = step.observation;
  return `${o.count} files changed on disk by ${describeAttribution(step.action.by)}: ${o.created} created, ${o.changed} changed, ${o.deleted} deleted.`;
}

export function fileBulkContent(step: FileBulkStepData): string {
  const o = step.observation;
  return lines([fileBulkSummary(step), ...o.paths.map((p) => `  ${p}`), o.truncated ? `  ... and ${o.count - o.paths.length} more` : undefined]);
}

export function otherSummary(step: OtherStepData): string {
  return `Event ${step.action.kind}.`;
}

export function otherContent(step: OtherStepData): string {
  return `Event ${step.action.kind}: ${JSON.stringify(toJson(step.observation.data))}`;
}

function attributionJson(by: ChangeAttribution): JsonObject {
  return toJson(by) as JsonObject;
}

function testExtra(step: TestStepData): JsonObject {
  return compact({
    step: step.index,
    runner: step.action.runner,
    command: step.action.command,
    origin: step.action.origin,
    outcome: step.observation.outcome,
    passed: step.observation.passed,
    failed: step.observation.failed,
    skipped: step.observation.skipped,
    failing: step.observation.failing,
    transition: step.observation.transition,
    previous: step.previous,
    after: step.after,
  });
}

function foldedFileChange(step: FileChangeStepData | FileBulkStepData): FoldedResult {
  if (step.type === 'file-change') {
    return { step, content: fileChangeContent(step), extra: { step: step.index, ...(toJson(step.observation) as JsonObject), by: attributionJson(step.action.by) } };
  }
  return { step, content: fileBulkContent(step), extra: { step: step.index, ...(toJson(step.observation) as JsonObject), by: attributionJson(step.action.by) } };
}

function environmentTurn(step: FileChangeStepData | FileBulkStepData | OtherStepData): EnvironmentTurn {
  switch (step.type) {
    case 'file-change':
      return { kind: 'environment', step, summary: fileChangeSummary(step), content: fileChangeContent(step), extra: { ...(toJson(step.observation) as JsonObject), by: attributionJson(step.action.by) } };
    case 'file-bulk':
      return { kind: 'environment', step, summary: fileBulkSummary(step), content: fileBulkContent(step), extra: { ...(toJson(step.observation) as JsonObject), by: attributionJson(step.action.by) } };
    case 'event':
      return { kind: 'environment', step, summary: otherSummary(step), content: otherContent(step), extra: { kind: step.action.kind, data: toJson(step.observation.data) } };
  }
}

function actionTurn(episode: Episode, step: ActionTurn['step'], texts: Map<number, string | undefined>): ActionTurn {
  const base = { kind: 'action' as const, step, callId: callId(episode, step.index), folded: [] };
  switch (step.type) {
    case 'edit':
      return {
        ...base,
        name: 'edit_file',
        arguments: { path: step.action.path, diff: step.action.diff },
        result: editResult(step),
        actionExtra: { cause: step.action.cause, added: step.action.added, removed: step.action.removed, edits: step.action.edits },
        resultExtra: { diagnostics: toJson(step.observation.diagnostics) },
      };
    case 'command':
      return {
        ...base,
        name: 'run_command',
        arguments: compact({ command: step.action.commandLine, cwd: step.action.cwd ?? undefined }),
        result: commandResult(step),
        actionExtra: compact({ terminal: step.action.terminal, shell: step.action.shell, program: step.action.program, after: step.after }),
        resultExtra: compact({ exitCode: step.observation.exitCode, outputTruncated: step.observation.outputTruncated, files: step.observation.files ? toJson(step.observation.files) : undefined }),
      };
    case 'task':
      return {
        ...base,
        name: 'run_task',
        arguments: { name: step.action.name },
        result: taskResult(step),
        actionExtra: compact({ source: step.action.source, group: step.action.group, after: step.after }),
        resultExtra: compact({ exitCode: step.observation.exitCode, files: step.observation.files ? toJson(step.observation.files) : undefined }),
      };
    case 'test':
      return {
        ...base,
        name: 'run_tests',
        arguments: { command: step.action.command, runner: step.action.runner },
        result: testSummary(step),
        actionExtra: compact({ origin: step.action.origin, after: step.after }),
        resultExtra: { test: testExtra(step) },
      };
    case 'debug':
      return {
        ...base,
        name: 'debug',
        arguments: compact({ name: step.action.name, type: step.action.type, request: step.action.request, configuration: step.action.configuration ? toJson(step.action.configuration) : undefined }),
        result: debugResult(step),
        actionExtra: { after: step.after },
        resultExtra: toJson(step.observation) as JsonObject,
      };
    case 'commit':
      return {
        ...base,
        name: 'git_commit',
        arguments: step.action.amend ? { message: step.action.message, amend: true } : { message: step.action.message },
        result: commitResult(step),
        actionExtra: { repo: step.action.repo, branch: step.action.branch, origin: step.action.origin },
        resultExtra: toJson(step.observation) as JsonObject,
      };
    case 'checkout':
      return {
        ...base,
        name: 'git_checkout',
        arguments: { target: step.action.to ?? step.observation.sha ?? '' },
        result: checkoutResult(step),
        actionExtra: { repo: step.action.repo, from: step.action.from },
        resultExtra: { sha: step.observation.sha },
      };
    case 'view': {
      const span = viewSpan(step);
      return {
        ...base,
        name: 'read_file',
        arguments: { path: step.action.path, start_line: span.start, end_line: span.end },
        result: viewResult(step, texts.get(step.index)),
        actionExtra: {},
        resultExtra: { ranges: toJson(step.observation.ranges), textKnown: texts.get(step.index) !== undefined },
      };
    }
    case 'navigate':
      return {
        ...base,
        name: 'navigate',
        arguments: compact({ path: step.action.to.path, line: step.action.to.line, column: step.action.to.column, via: step.action.via }),
        result: navigateResult(step),
        actionExtra: { from: toJson(step.action.from), trigger: step.action.trigger },
        resultExtra: {},
      };
  }
}

/** Whether a change on disk was made by this step's action (a command, task or checkout that matches its attribution). */
export function madeBy(step: EpisodeStep, by: ChangeAttribution): boolean {
  if (by.by === 'terminal' && step.type === 'command') {
    return (by.command === undefined || by.command === step.action.commandLine) && (by.terminal === undefined || by.terminal === step.action.terminal);
  }
  if (by.by === 'task' && step.type === 'task') return by.command === undefined || by.command === step.action.name;
  if (by.by === 'git' && step.type === 'checkout') return by.operation === undefined || by.operation === 'checkout' || by.operation === 'switch';
  return false;
}

/** The episode's steps as turns, in step order (see the module comment for what is folded). */
export function planTurns(episode: Episode): Turn[] {
  const turns: Turn[] = [];
  const texts = textsAtViews(episode);
  const byStep = new Map<number, ActionTurn>();
  let lastAction: ActionTurn | undefined;
  for (const step of episode.steps) {
    switch (step.type) {
      case 'test': {
        const source = step.source !== undefined ? byStep.get(step.source) : undefined;
        if (source && (source.step.type === 'command' || source.step.type === 'task' || source.step.type === 'debug')) {
          source.folded.push({ step, content: testSummary(step), extra: { test: testExtra(step) } });
          continue;
        }
        break;
      }
      case 'file-change':
      case 'file-bulk':
        if (lastAction && madeBy(lastAction.step, step.action.by)) {
          lastAction.folded.push(foldedFileChange(step));
        } else {
          turns.push(environmentTurn(step));
        }
        continue;
      case 'event':
        turns.push(environmentTurn(step));
        continue;
      default:
        break;
    }
    const turn = actionTurn(episode, step, texts);
    turns.push(turn);
    byStep.set(step.index, turn);
    lastAction = turn;
  }
  return turns;
}

/** Everything a turn's result shows, as one text: the action's result, then what was folded into it. */
export function fullResult(turn: ActionTurn): string {
  return [turn.result, ...turn.folded.map((f) => f.content)].join('\n\n');
}

/** UTC ISO 8601 with milliseconds, e.g. `2025-01-31T09:15:02.250Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
