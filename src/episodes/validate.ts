/**
 * Which trace events the episode builder can use: the kinds of src/trace/events.ts, schema
 * `worktrace/1`, and bodies whose fields have the types events.ts declares. A trace read from
 * disk is only JSON: a wrong type must be caught here, not throw deep inside the builder.
 *
 * Fields the format does not know are allowed (readers ignore them); values of closed enums
 * the builder branches on or copies into typed episode fields are checked. Plain Node; never
 * imports `vscode`.
 */
import { SCHEMA, type Kind, type TraceEvent } from '../trace/events';
import type { SkipReason } from './report';

/** Returns a description of what is wrong, or undefined when the value fits. */
type Check = (value: unknown, at: string) => string | undefined;

const str: Check = (v, at) => (typeof v === 'string' ? undefined : `${at} is not a string`);
const num: Check = (v, at) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${at} is not a finite number`);
const bool: Check = (v, at) => (typeof v === 'boolean' ? undefined : `${at} is not a boolean`);
const record: Check = (v, at) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `${at} is not an object`);

function nullable(check: Check): Check {
  return (v, at) => (v === null ? undefined : check(v, at));
}

function oneOf(...values: readonly string[]): Check {
  return (v, at) => (typeof v === 'string' && values.includes(v) ? undefined : `${at} is not one of ${values.join(', ')}`);
}

function arrayOf(item: Check): Check {
  return (v, at) => {
    if (!Array.isArray(v)) {
      return `${at} is not an array`;
    }
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${at}[${i}]`);
      if (problem !== undefined) {
        return problem;
      }
    }
    return undefined;
  };
}

/** An object with these `required` fields and, when present, these `optional` ones. */
function obj(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (v, at) => {
    const problem = record(v, at);
    if (problem !== undefined) {
      return problem;
    }
    const o = v as Record<string, unknown>;
    for (const [key, check] of Object.entries(required)) {
      const p = check(o[key], at === '' ? key : `${at}.${key}`);
      if (p !== undefined) {
        return p;
      }
    }
    for (const [key, check] of Object.entries(optional)) {
      if (o[key] !== undefined) {
        const p = check(o[key], at === '' ? key : `${at}.${key}`);
        if (p !== undefined) {
          return p;
        }
      }
    }
    return undefined;
  };
}

/** Either of two checks (the first one's message when both fail). */
function either(a: Check, b: Check): Check {
  return (v, at) => {
    const first = a(v, at);
    return first === undefined || b(v, at) === undefined ? undefined : first;
  };
}

const contentChange = obj({ offset: num, length: num, text: str });
const location = obj({ path: str, line: num }, { column: num });
const lineRange = obj({ start: num, end: num });
const counts = obj({ errors: num, warnings: num });
const changedFile = obj({ path: str, change: oneOf('created', 'changed', 'deleted'), added: num, removed: num });
const attribution = obj(
  { by: oneOf('terminal', 'task', 'git', 'extension', 'unknown'), confidence: oneOf('high', 'medium', 'low') },
  {
    command: str,
    terminal: str,
    program: str,
    operation: oneOf('checkout', 'switch', 'pull', 'merge', 'rebase', 'stash', 'reset', 'commit', 'cherry-pick', 'revert', 'restore', 'other'),
  },
);
const authorshipCounts = obj({ typed: num, pasted: num, completion: num, assistant: num, tool: num, formatter: num, refactor: num, unknown: num });
const authorship = obj({ lines: authorshipCounts, files: arrayOf(obj({ path: str, lines: authorshipCounts })), unexplained: num });
const runFiles = { files: arrayOf(changedFile), filesCount: num };

/**
 * The body of every kind. A `Record<Kind, …>`: a kind added to events.ts does not compile
 * until it is added here, so this is also the list of kinds the builder knows.
 */
const BODIES: Record<Kind, Check> = {
  'session.start': obj({ folders: arrayOf(str), repos: arrayOf(obj({ root: str, head: nullable(str), branch: nullable(str) })) }, { vscodeVersion: str, extensionVersion: str, platform: str, revision: num }),
  'session.end': obj({}, { reason: str }),
  'doc.open': obj({ path: str, eol: oneOf('\n', '\r\n'), version: num, replayable: bool }, { text: str, languageId: str, length: num, sha256: str, omitted: str, existing: bool }),
  'doc.excluded': obj({ path: str }),
  'doc.edit': obj({ path: str, version: num, changes: arrayOf(contentChange), cause: str }),
  'doc.save': obj({ path: str }, { version: num }),
  'doc.close': obj({ path: str }),
  'file.create': obj({ path: str }),
  'file.delete': obj({ path: str }),
  'file.rename': obj({ from: str, to: str }),
  'editor.focus': obj({ path: nullable(str) }, { languageId: str }),
  'terminal.open': obj({ terminal: str, captured: bool }, { shell: str }),
  'terminal.command': obj(
    { commandLine: str, cwd: nullable(str), exitCode: nullable(num), startTs: nullable(num), durationMs: nullable(num), terminal: str, after: arrayOf(str) },
    { confidence: str, shell: str, program: str, ...runFiles, output: str, outputLength: num, outputTruncated: bool },
  ),
  'task.run': obj({ name: str, source: str, exitCode: nullable(num), startTs: nullable(num), durationMs: nullable(num), after: arrayOf(str) }, { group: str, ...runFiles }),
  'test.run': obj(
    { runner: str, command: str, origin: oneOf('terminal', 'task', 'debug', 'test-api'), outcome: oneOf('passed', 'failed', 'errored', 'unknown'), failing: arrayOf(str), durationMs: nullable(num), after: arrayOf(str) },
    { source: str, passed: num, failed: num, skipped: num, transition: oneOf('fixed', 'broke'), previous: str },
  ),
  'debug.session': obj(
    { phase: oneOf('start', 'end'), sessionId: str, type: str, request: str, name: str },
    { parent: str, configuration: record, durationMs: num, exitCode: nullable(num), exception: str, output: str, after: arrayOf(str) },
  ),
  'debug.stop': obj(
    { sessionId: str, reason: str },
    { description: str, exception: obj({ message: str }, { frame: obj({ name: str }, { location }) }) },
  ),
  'debug.breakpoints': obj({ added: arrayOf(either(location, obj({ function: str }))), removed: arrayOf(either(location, obj({ function: str }))) }),
  'diagnostics.change': obj({ path: str, before: counts, after: counts, new: arrayOf(obj({ severity: str, message: str, line: num }, { source: str, code: str })) }),
  'git.commit': obj(
    {
      repo: str,
      sha: str,
      parents: arrayOf(str),
      branch: nullable(str),
      message: str,
      files: arrayOf(obj({ path: str, added: nullable(num), removed: nullable(num) })),
      amend: bool,
      origin: oneOf('scm', 'terminal', 'external'),
      tests: arrayOf(str),
      lastTestPassed: nullable(bool),
    },
    { author: str, authorship },
  ),
  'git.checkout': obj({ repo: str, from: nullable(str), to: nullable(str), sha: nullable(str) }),
  'capture.pause': obj({ reason: str }, { until: nullable(num) }),
  'capture.resume': obj({}),
  'privacy.redacted': obj({ in: str, field: str, rule: str, count: num }),
  'capture.dropped': obj({ count: num, reason: str }),
  'goal.start': obj({ goal: str, goalId: str }, { url: str, issue: str, resumed: bool, startTs: num }),
  'goal.end': obj({ goalId: str, outcome: oneOf('done', 'abandoned', 'handed-off') }, { note: str, durationMs: num }),
  'file.change': obj(
    { path: str, change: oneOf('created', 'changed', 'deleted'), added: num, removed: num, sha256: nullable(str), by: attribution },
    { changes: arrayOf(contentChange), diff: str, text: str, size: nullable(num), omitted: oneOf('binary', 'too-large'), editor: bool },
  ),
  'file.bulk': obj({ count: num, created: num, changed: num, deleted: num, paths: arrayOf(str), truncated: bool, by: attribution }, { hashes: arrayOf(nullable(str)) }),
  'editor.view': obj({ path: str, ranges: arrayOf(lineRange) }, { active: bool }),
  'editor.selection': obj({ path: str }, { trigger: str, selections: arrayOf(obj({ start: obj({ line: num, column: num }), end: obj({ line: num, column: num }) })), count: num, chars: num, lines: num }),
  'editor.navigate': obj({ from: nullable(location), to: location, via: str, trigger: str }),
  'edit.step': obj({ path: str, diff: str, added: num, removed: num, edits: num, startTs: num, durationMs: num, cause: str, editIds: arrayOf(str) }, { fromVersion: num, toVersion: num, closedBy: str }),
};

const envelope = obj({ id: str, seq: num, ts: num, session: str, kind: str }, { workspace: str });

export function isKnownKind(kind: string): kind is Kind {
  return Object.prototype.hasOwnProperty.call(BODIES, kind);
}

/** The verdict on one value read from a trace. */
export type Checked = { ok: true; event: TraceEvent } | { ok: false; reason: Exclude<SkipReason, 'duplicate'>; message: string };

/**
 * Whether `value` is an event the builder can use. In this order: an envelope with the
 * wrong types is `malformed`; a `schema` other than `worktrace/1` is `newer-schema`; a kind
 * events.ts does not know is `unknown-kind`; a body with the wrong types is `malformed`.
 * Never throws.
 */
export function checkEvent(value: unknown): Checked {
  const envelopeProblem = envelope(value, '');
  if (envelopeProblem !== undefined) {
    return { ok: false, reason: 'malformed', message: `malformed envelope: ${envelopeProblem}` };
  }
  const v = value as Record<string, unknown>;
  if (v.schema !== SCHEMA) {
    return { ok: false, reason: 'newer-schema', message: `schema ${JSON.stringify(v.schema) ?? 'undefined'} is not ${SCHEMA}` };
  }
  const kind = v.kind as string;
  if (!isKnownKind(kind)) {
    return { ok: false, reason: 'unknown-kind', message: `unknown kind ${JSON.stringify(kind)}` };
  }
  const problem = BODIES[kind](value, '');
  if (problem !== undefined) {
    return { ok: false, reason: 'malformed', message: `malformed ${kind}: ${problem}` };
  }
  return { ok: true, event: value as TraceEvent };
}
