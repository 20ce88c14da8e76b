/**
 * The Worktrace trace format, schema `worktrace/1`.
 *
 * One JSON object per event, stored and shipped as NDJSON. Every event carries the
 * envelope below plus the body of its kind. Kinds and their fields are part of the
 * public format: `schema/worktrace-1.schema.json` describes the same shapes and every
 * event emitted in tests is validated against it. Add a kind in both places.
 *
 * This module never imports `vscode`.
 */

export const SCHEMA = 'worktrace/1';

/** Fields every event carries. */
export interface Envelope {
  schema: typeof SCHEMA;
  /** Unique id (nanoid, 21 characters). */
  id: string;
  /** Monotonic within a session, starting at 1. */
  seq: number;
  /** Epoch milliseconds. */
  ts: number;
  /** Id of this window's capture session. */
  session: string;
  /** Stable id of the workspace that does not reveal its absolute path. */
  workspace: string;
}

export type EditCause = 'typing' | 'paste' | 'undo' | 'redo' | 'multi-cursor' | 'programmatic' | 'external';
export const EDIT_CAUSES: readonly EditCause[] = ['typing', 'paste', 'undo', 'redo', 'multi-cursor', 'programmatic', 'external'];

/**
 * One content change, as VS Code applies it: replace `length` UTF-16 code units at
 * `offset` with `text`. The changes of one `doc.edit` are applied in array order, each
 * to the result of the previous one.
 */
export interface ContentChange {
  offset: number;
  length: number;
  text: string;
}

export type Eol = '\n' | '\r\n';

/** Why an edit step was closed. */
export type StepCloseReason = 'pause' | 'switch' | 'save' | 'close' | 'run' | 'reopen' | 'flush';

export interface GitRepoState {
  /** Repository root relative to the workspace (`.` for a folder that is itself a repository). */
  root: string;
  head: string | null;
  branch: string | null;
  dirty: boolean;
}

/**
 * A document's path in the trace: workspace-relative with `/` separators (prefixed with
 * the folder name in multi-root workspaces), `untitled:<name>` for untitled documents,
 * or `outside:<hash>` for files outside every workspace folder (recorded without content).
 */
export type TracePath = string;

/** Outcome of a test run. */
export type TestOutcome = 'passed' | 'failed' | 'errored' | 'unknown';

/** A source location (workspace-relative path, 1-based line). */
export interface SourceLocation {
  path: TracePath;
  line: number;
  column?: number;
}

export interface DiagnosticCounts {
  errors: number;
  warnings: number;
}

export interface EventBodies {
  'session.start': {
    vscodeVersion: string;
    extensionVersion: string;
    platform: string;
    /** Workspace folder names, in order. Never absolute paths. */
    folders: string[];
    repos: GitRepoState[];
  };
  'session.end': {
    reason: 'deactivate' | 'disabled';
  };
  'doc.open': {
    path: TracePath;
    languageId: string;
    eol: Eol;
    version: number;
    /** Whether `text` holds the complete content, so replay can start from here. */
    replayable: boolean;
    /** Full text; absent when the document is too large or outside the workspace. */
    text?: string;
    /** Length of the text in UTF-16 code units. */
    length: number;
    /** SHA-256 (hex) of the UTF-8 text. */
    sha256: string;
    /** Why the text is absent. */
    omitted?: 'too-large' | 'outside-workspace';
    /** True when this snapshot was taken for a document already open (activation, resume). */
    existing?: boolean;
  };
  'doc.excluded': {
    /** `excluded:<hash>`: the file is excluded (worktrace.exclude, .gitignore); nothing of it is recorded. */
    path: TracePath;
  };
  'doc.edit': {
    path: TracePath;
    /** Document version after the change. */
    version: number;
    changes: ContentChange[];
    cause: EditCause;
  };
  'doc.save': {
    path: TracePath;
    version: number;
  };
  'doc.close': {
    path: TracePath;
  };
  'file.create': {
    path: TracePath;
  };
  'file.delete': {
    path: TracePath;
  };
  'file.rename': {
    from: TracePath;
    to: TracePath;
  };
  'editor.focus': {
    /** Null when no text editor is active. */
    path: TracePath | null;
    languageId?: string;
  };
  'terminal.open': {
    /** The terminal's name. */
    terminal: string;
    shell?: string;
    /** False: shell integration never activated, so commands in this terminal cannot be captured. */
    captured: boolean;
  };
  'terminal.command': {
    commandLine: string;
    /** How sure VS Code is of the command line (shell integration's confidence). */
    confidence: 'low' | 'medium' | 'high';
    /** Working directory relative to the workspace (`outside:<hash>` outside it), null when unknown. */
    cwd: string | null;
    /** Null when the shell could not tell (Ctrl+C, no integration for this command). */
    exitCode: number | null;
    /** When it started (epoch ms); null for a command already running when capture began. */
    startTs: number | null;
    durationMs: number | null;
    terminal: string;
    shell?: string;
    /** Output with ANSI/OSC sequences stripped: the first and last part (worktrace.capture.terminalOutputKilobytes). */
    output?: string;
    /** Output length before truncation (UTF-16 code units). */
    outputLength?: number;
    outputTruncated?: boolean;
    /** Ids of the edit steps since the previous terminal command. */
    after: string[];
  };
  'task.run': {
    name: string;
    source: string;
    group?: string;
    exitCode: number | null;
    startTs: number | null;
    durationMs: number | null;
    after: string[];
  };
  'test.run': {
    runner: string;
    /** The command line, task name or debug configuration that ran the tests. */
    command: string;
    origin: 'terminal' | 'task' | 'debug' | 'test-api';
    /** Id of the terminal.command, task.run or debug.session event it was derived from. */
    source?: string;
    outcome: TestOutcome;
    passed?: number;
    failed?: number;
    skipped?: number;
    /** Names of failing tests, where the output names them (at most 50). */
    failing: string[];
    durationMs: number | null;
    /** Ids of the edit steps since the previous test run. */
    after: string[];
    /** Set when the outcome differs from the previous run of the same command. */
    transition?: 'fixed' | 'broke';
    /** Id of that previous run. */
    previous?: string;
  };
  'debug.session': {
    phase: 'start' | 'end';
    /** VS Code's id of the debug session. */
    sessionId: string;
    type: string;
    request: string;
    name: string;
    parent?: string;
    /** Launch values that matter for replay (program, args, cwd, env keys), through the privacy stage. */
    configuration?: Record<string, unknown>;
    durationMs?: number;
    exitCode?: number | null;
    /** End: the first error the program printed (e.g. an uncaught exception). */
    exception?: string;
    /** End: program output (stdout/stderr), first and last part. */
    output?: string;
    /** Start: ids of the edit steps since the previous debug session. */
    after?: string[];
  };
  'debug.stop': {
    sessionId: string;
    reason: string;
    description?: string;
    exception?: { message: string; frame?: { name: string; location?: SourceLocation } };
  };
  'debug.breakpoints': {
    added: (SourceLocation | { function: string })[];
    removed: (SourceLocation | { function: string })[];
  };
  'diagnostics.change': {
    path: TracePath;
    before: DiagnosticCounts;
    after: DiagnosticCounts;
    /** Up to 20 diagnostics that were not there before. */
    new: { severity: 'error' | 'warning' | 'info' | 'hint'; message: string; source?: string; code?: string; line: number }[];
  };
  'git.commit': {
    /** Repository root relative to the workspace (`.` for the folder itself). */
    repo: string;
    sha: string;
    parents: string[];
    branch: string | null;
    message: string;
    files: { path: string; added: number | null; removed: number | null }[];
    amend: boolean;
    origin: 'scm' | 'terminal' | 'external';
    /** Only with worktrace.capture.authorName. Never the email. */
    author?: string;
    /** Ids of the test runs since the previous commit. */
    tests: string[];
    /** Whether the last of those passed (null: no test run since the previous commit). */
    lastTestPassed: boolean | null;
  };
  'git.checkout': {
    repo: string;
    from: string | null;
    to: string | null;
    sha: string | null;
  };
  'capture.pause': {
    /** `paused` by the engineer; `disabled` by worktrace.enabled; `untrusted` workspace. */
    reason: 'paused' | 'disabled' | 'untrusted';
    /** When a timed pause ends (epoch ms), null until resumed. */
    until: number | null;
  };
  'capture.resume': Record<never, never>;
  'privacy.redacted': {
    /** Kind of the event whose text held secrets. */
    in: string;
    /** Which field of it. */
    field: string;
    /** The rule that matched (as in the placeholder `«redacted:<rule>»`). */
    rule: string;
    count: number;
  };
  'capture.dropped': {
    /** Exact number of events lost. */
    count: number;
    /** `queue-full`: the spool could not keep up or could not be written; `spool-full`: the spool reached worktrace.spool.maxMegabytes while undelivered (oldest dropped); `corrupt`: records after damage in a spool segment. */
    reason: 'queue-full' | 'spool-full' | 'corrupt';
  };
  'edit.step': {
    path: TracePath;
    fromVersion: number;
    toVersion: number;
    /** Unified diff of the step (`diff` package). Empty when the document is not replayable. */
    diff: string;
    added: number;
    removed: number;
    /** Number of raw `doc.edit` events in the step. */
    edits: number;
    startTs: number;
    durationMs: number;
    /** The cause with most raw edits in the step. */
    cause: EditCause;
    closedBy: StepCloseReason;
    /** Ids of the `doc.edit` events the step covers, in order. */
    editIds: string[];
  };
}

export type Kind = keyof EventBodies;

/** An event as a collector hands it to the sink: a kind and its body, no envelope yet. */
export type NewEvent = { [K in Kind]: { kind: K } & EventBodies[K] }[Kind];

/** A complete event as written to the trace. */
export type TraceEvent = { [K in Kind]: Envelope & { kind: K } & EventBodies[K] }[Kind];

export type EventOf<K extends Kind> = Extract<TraceEvent, { kind: K }>;
export type NewEventOf<K extends Kind> = Extract<NewEvent, { kind: K }>;

/** Where collectors hand their events. Implementations never throw and never block. */
export interface TraceSink {
  /** `ts`: when it happened, if earlier than now (an event held back to settle its cause). */
  emit(event: NewEvent, ts?: number): void;
}
