/**
 * The details of one timeline item, built on request from the events the model kept: an
 * edit step's diff and where to open it; a command's command line, exit code and output;
 * a test run's counts and failing tests; a commit's message and files; and the links of
 * the story (which edit steps a run tested, which run a fix made pass, which runs tested
 * an edit step), each pointing at an item the page can select.
 */
import type { TraceEvent } from '../trace/events';
import { Flag, ItemKind, kindName } from './codes';
import { firstChangedLine, isOpenablePath } from './diffLine';
import { formatCount, formatDuration } from './format';
import type { TimelineModel } from './model';
import type { DetailLinks, ItemDetails, LinkedItem } from './protocol';

/** Longest diff and output text sent to the page (characters). */
export const MAX_DIFF_CHARS = 200_000;
export const MAX_OUTPUT_CHARS = 64_000;

function clip(text: string, max: number): { text: string; truncated: boolean } {
  return text.length <= max ? { text, truncated: false } : { text: text.slice(0, max), truncated: true };
}

function linked(model: TimelineModel, index: number): LinkedItem {
  return {
    index,
    kind: kindName(model.items.kind[index] ?? 0),
    ts: (model.origin ?? 0) + (model.items.start[index] ?? 0),
    summary: model.summaries[index] ?? '',
  };
}

function byItems(model: TimelineModel, label: string, items: readonly number[]): DetailLinks | undefined {
  return items.length ? { label, items: items.map((i) => linked(model, i)), missing: 0 } : undefined;
}

function byIds(model: TimelineModel, label: string, ids: readonly string[] | undefined): DetailLinks | undefined {
  if (!ids?.length) {
    return undefined;
  }
  const items: LinkedItem[] = [];
  let missing = 0;
  for (const id of ids) {
    const i = model.itemOf(id);
    if (i === undefined) {
      missing++;
    } else {
      items.push(linked(model, i));
    }
  }
  return { label, items, missing };
}

function field(label: string, value: unknown): { label: string; value: string } | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  return { label, value: typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value) };
}

function present<T>(x: T | undefined): x is T {
  return x !== undefined;
}

function exitText(code: number | null | undefined): string {
  return code === null || code === undefined ? 'unknown (the shell could not tell)' : String(code);
}

function openAt(path: string, line: number | undefined): ItemDetails['open'] {
  return isOpenablePath(path) ? { path, line: Math.max(1, line ?? 1) } : undefined;
}

/** Details of item `index`, or null when there is no such item. */
export function buildDetails(model: TimelineModel, index: number): ItemDetails | null {
  const e = model.eventOf(index);
  if (!e || index >= model.count) {
    return null;
  }
  const kind = model.items.kind[index] ?? 0;
  const lane = model.lanes.lanes[model.items.lane[index] ?? 0];
  const duration = model.items.duration[index] ?? 0;
  const base: ItemDetails = {
    index,
    kind: kindName(kind),
    title: model.summaries[index] ?? '',
    lane: lane?.label ?? '',
    ts: (model.origin ?? 0) + (model.items.start[index] ?? 0),
    durationMs: duration > 0 || kind === ItemKind.EditStep ? duration : null,
    fields: [],
    links: [],
  };
  const end = model.endOf(index);
  const extra = describe(model, index, e, end);
  return { ...base, ...extra, fields: (extra.fields ?? []).filter(present), links: (extra.links ?? []).filter(present) };
}

/** What one kind adds to the common part; undefined fields and links are left out. */
type DetailParts = Omit<Partial<ItemDetails>, 'fields' | 'links'> & { fields?: ({ label: string; value: string } | undefined)[]; links?: (DetailLinks | undefined)[] };

function describe(model: TimelineModel, index: number, e: TraceEvent, end: TraceEvent | undefined): DetailParts {
  switch (e.kind) {
    case 'edit.step':
      return {
        title: e.path,
        fields: [
          field('Lines', `+${e.added} −${e.removed}`),
          field('Cause', e.cause),
          field('Edits', formatCount(e.edits)),
          field('Versions', `${e.fromVersion} → ${e.toVersion}`),
          field('Closed by', e.closedBy),
          e.diff ? undefined : field('Diff', 'not recorded (the document is not replayable)'),
        ],
        diff: e.diff ? clip(e.diff, MAX_DIFF_CHARS) : undefined,
        open: openAt(e.path, firstChangedLine(e.diff)),
        links: [byItems(model, 'Tested by', model.testedBy(index))],
      };
    case 'doc.save':
    case 'file.create':
    case 'file.delete':
    case 'file.rename': {
      const path = e.kind === 'file.rename' ? e.to : e.path;
      return {
        title: path,
        fields: [field('What', e.kind), e.kind === 'file.rename' ? field('From', e.from) : undefined, e.kind === 'doc.save' ? field('Version', e.version) : undefined],
        open: e.kind === 'file.delete' ? undefined : openAt(path, 1),
      };
    }
    case 'terminal.command':
      return {
        title: e.commandLine,
        fields: [
          field('Exit code', exitText(e.exitCode)),
          field('Duration', e.durationMs === null ? undefined : formatDuration(e.durationMs)),
          field('Working folder', e.cwd),
          field('Terminal', e.terminal),
          field('Shell', e.shell),
          field('Program', e.program),
          field('Command line confidence', e.confidence),
          field('Output length', e.outputLength === undefined ? undefined : `${formatCount(e.outputLength)} characters${e.outputTruncated ? ' (middle left out)' : ''}`),
          field('Files changed', e.filesCount ?? e.files?.length),
        ],
        output: e.output !== undefined ? clip(e.output, MAX_OUTPUT_CHARS) : undefined,
        files: e.files?.map((f) => ({ path: f.path, change: f.change, added: f.added, removed: f.removed })),
        links: [byIds(model, 'Edit steps it ran after', e.after), byItems(model, 'Recognised as tests', model.derivedFrom(index))],
      };
    case 'task.run':
      return {
        title: `task ${e.name}`,
        fields: [field('Exit code', exitText(e.exitCode)), field('Source', e.source), field('Group', e.group), field('Duration', e.durationMs === null ? undefined : formatDuration(e.durationMs)), field('Files changed', e.filesCount ?? e.files?.length)],
        files: e.files?.map((f) => ({ path: f.path, change: f.change, added: f.added, removed: f.removed })),
        links: [byIds(model, 'Edit steps it ran after', e.after), byItems(model, 'Recognised as tests', model.derivedFrom(index))],
      };
    case 'test.run': {
      const later = model.laterRuns(index);
      return {
        title: `${e.outcome}${e.transition ? ` (${e.transition})` : ''}: ${e.command}`,
        fields: [
          field('Outcome', e.outcome),
          field('Transition', e.transition === 'fixed' ? 'fixed: the previous run of this command failed' : e.transition === 'broke' ? 'broke: the previous run of this command passed' : undefined),
          field('Passed', e.passed),
          field('Failed', e.failed),
          field('Skipped', e.skipped),
          field('Runner', e.runner),
          field('Command', e.command),
          field('Ran from', e.origin),
          field('Duration', e.durationMs === null ? undefined : formatDuration(e.durationMs)),
        ],
        failing: e.failing.length ? [...e.failing] : undefined,
        links: [
          byIds(model, 'Edit steps it tested', e.after),
          e.previous ? byIds(model, e.transition === 'fixed' ? 'The failing run it fixed' : e.transition === 'broke' ? 'The passing run before it broke' : 'Previous run', [e.previous]) : undefined,
          byItems(model, e.outcome === 'passed' ? 'Later run that broke' : 'Later run that fixed it', later),
          e.source ? byIds(model, 'Ran as', [e.source]) : undefined,
        ],
      };
    }
    case 'debug.session': {
      const start = e.phase === 'start' ? e : undefined;
      const stop = end?.kind === 'debug.session' ? end : e.phase === 'end' ? e : undefined;
      const flags = model.items.flags[index] ?? 0;
      return {
        title: `${e.name} (${e.type})`,
        fields: [
          field('Request', e.request),
          field('Exit code', stop ? exitText(stop.exitCode) : 'still running'),
          field('Exception', stop?.exception ?? (flags & Flag.Exception ? 'stopped on an exception' : undefined)),
          field('Configuration', start?.configuration ?? stop?.configuration),
          field('Parent session', e.parent),
        ],
        output: stop?.output !== undefined ? clip(stop.output, MAX_OUTPUT_CHARS) : undefined,
        links: [byIds(model, 'Edit steps it ran after', start?.after), byItems(model, 'Stops', model.stopsOf(index)), byItems(model, 'Recognised as tests', model.derivedFrom(index))],
      };
    }
    case 'debug.stop': {
      const location = e.exception?.frame?.location;
      return {
        title: `stopped: ${e.reason}`,
        fields: [field('Reason', e.reason), field('Description', e.description), field('Exception', e.exception?.message), field('Frame', e.exception?.frame?.name), field('Location', location ? `${location.path}:${location.line}` : undefined)],
        open: location ? openAt(location.path, location.line) : undefined,
      };
    }
    case 'git.commit': {
      const a = e.authorship?.lines;
      return {
        title: `${e.sha.slice(0, 7)} ${e.message.split('\n')[0] ?? ''}`,
        message: e.message,
        fields: [
          field('Commit', e.sha),
          field('Branch', e.branch),
          field('Repository', e.repo),
          field('Made from', e.origin),
          field('Amend', e.amend ? 'yes' : undefined),
          field('Author', e.author),
          field('Last test run', e.lastTestPassed === null ? 'no test run since the previous commit' : e.lastTestPassed ? 'passed' : 'failed'),
          a ? field('Who wrote the added lines', `typed ${a.typed}, pasted ${a.pasted}, completion ${a.completion}, assistant ${a.assistant}, tool ${a.tool}, formatter ${a.formatter}, refactor ${a.refactor}, unknown ${a.unknown}`) : undefined,
        ],
        files: e.files.map((f) => ({ path: f.path, added: f.added, removed: f.removed })),
        links: [byIds(model, 'Test runs since the previous commit', e.tests)],
      };
    }
    case 'git.checkout':
      return { title: `checkout ${e.to ?? e.sha ?? ''}`, fields: [field('From', e.from), field('To', e.to), field('Commit', e.sha), field('Repository', e.repo)] };
    case 'file.change':
      return {
        title: e.path,
        fields: [
          field('Change', e.change),
          field('Lines', e.change === 'deleted' ? undefined : `+${e.added} −${e.removed}`),
          field('Made by', e.by.by),
          field('Command', e.by.command),
          field('Terminal', e.by.terminal),
          field('Program', e.by.program),
          field('Git operation', e.by.operation),
          field('Attribution confidence', e.by.confidence),
          field('Open in the editor', e.editor ? 'yes (the edit is the doc.edit with cause external)' : undefined),
          field('Content', e.omitted ? `not recorded (${e.omitted})` : undefined),
          field('Size', e.size === null ? undefined : `${formatCount(e.size)} bytes`),
        ],
        diff: e.diff ? clip(e.diff, MAX_DIFF_CHARS) : undefined,
        open: e.change === 'deleted' ? undefined : openAt(e.path, e.diff ? firstChangedLine(e.diff) : 1),
      };
    case 'file.bulk':
      return {
        title: `${formatCount(e.count)} files changed on disk`,
        fields: [field('Created', e.created), field('Changed', e.changed), field('Deleted', e.deleted), field('Made by', e.by.by), field('Command', e.by.command), field('Git operation', e.by.operation), field('Attribution confidence', e.by.confidence), e.truncated ? field('Paths', `the first ${e.paths.length} of ${formatCount(e.count)}`) : undefined],
        files: e.paths.map((path) => ({ path, added: null, removed: null })),
      };
    case 'editor.view': {
      const first = e.ranges[0];
      return {
        title: e.path,
        fields: [field('Lines on screen', e.ranges.map((r) => `${r.start}–${r.end}`).join(', ')), field('Editor', e.active ? 'active' : 'beside the active one')],
        open: openAt(e.path, first?.start),
      };
    }
    case 'editor.navigate':
      return {
        title: `${e.to.path}:${e.to.line}`,
        fields: [field('From', e.from ? `${e.from.path}:${e.from.line}` : undefined), field('To', `${e.to.path}:${e.to.line}`), field('Via', e.via), field('Trigger', e.trigger)],
        open: openAt(e.to.path, e.to.line),
      };
    case 'goal.start':
    case 'goal.end': {
      const start = e.kind === 'goal.start' ? e : undefined;
      const done = end?.kind === 'goal.end' ? end : e.kind === 'goal.end' ? e : undefined;
      return {
        title: start?.goal ?? 'task',
        message: done?.note,
        fields: [field('Task', start?.goal), field('Issue', start?.issue), field('Link', start?.url), field('Outcome', done?.outcome ?? 'in progress'), field('Resumed from an earlier session', start?.resumed ? 'yes' : undefined), field('Task duration', done ? formatDuration(done.durationMs) : undefined)],
      };
    }
    case 'capture.pause':
      return {
        title: 'capture paused',
        fields: [field('Reason', e.reason), field('Timed pause until', e.until === null ? undefined : new Date(e.until).toISOString()), field('Resumed', end ? 'yes' : 'not in this session')],
      };
    case 'privacy.redacted':
      return { title: `${e.count} secret(s) redacted`, fields: [field('In', e.in), field('Field', e.field), field('Rule', e.rule), field('Count', e.count), field('Note', 'the trace holds «redacted:<rule>» placeholders, never the value')] };
    case 'diagnostics.change': {
      const first = e.new[0];
      return {
        title: e.path,
        fields: [field('Errors', `${e.before.errors} → ${e.after.errors}`), field('Warnings', `${e.before.warnings} → ${e.after.warnings}`)],
        message: e.new.length ? e.new.map((d) => `${d.severity} line ${d.line}: ${d.message}${d.source ? ` (${d.source}${d.code ? ` ${d.code}` : ''})` : ''}`).join('\n') : undefined,
        open: openAt(e.path, first?.line),
      };
    }
    case 'session.start':
      return {
        title: 'session started',
        fields: [field('Folders', e.folders.join(', ')), field('VS Code', e.vscodeVersion), field('Worktrace', e.extensionVersion), field('Platform', e.platform), field('Trace revision', e.revision ?? 1), field('Repositories', e.repos.map((r) => `${r.root} ${r.branch ?? '(detached)'}${r.dirty ? ' (dirty)' : ''}`).join(', '))],
      };
    case 'session.end':
      return { title: 'session ended', fields: [field('Reason', e.reason)] };
    case 'capture.dropped':
      return { title: `${formatCount(e.count)} events lost`, fields: [field('Events lost', e.count), field('Reason', e.reason)] };
    case 'terminal.open':
      return { title: `terminal ${e.terminal}`, fields: [field('Shell', e.shell), field('Shell integration', e.captured ? 'active' : 'never activated: commands in this terminal are not captured')] };
    default:
      return { fields: [field('Event', e.kind)] };
  }
}
