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

/**
 * Revision of `worktrace/1`. Additive changes (a new kind, a new optional field, a new
 * value of an open enum such as `cause`) keep `schema: "worktrace/1"` and raise the
 * revision; readers ignore kinds and fields they do not know. A change that removes a field
 * or changes its meaning would be `worktrace/2`. The revisions are listed in the README
 * (Trace format → Versions) and in the schema's description.
 */
export const SCHEMA_REVISION = 2;

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

/**
 * Who or what made an edit, as far as VS Code lets an extension tell (README, "Who wrote the
 * code", says which are exact and which inferred):
 * - `typing`, `paste`, `undo`, `redo`, `multi-cursor`: the engineer at the keyboard;
 * - `completion`: an accepted inline completion (ghost text, e.g. Copilot) — revision 2;
 * - `suggestion`: an accepted item of the completion list (IntelliSense) — revision 2;
 * - `snippet`: a snippet inserted — revision 2;
 * - `format`: Format Document / Selection, format on save, on type, on paste — revision 2;
 * - `refactor`: a code action or rename (possibly across files) — revision 2;
 * - `assistant`: a workspace edit applied by another extension (a chat or agent assistant) — revision 2;
 * - `programmatic`: a programmatic edit that cannot be told apart further;
 * - `external`: the file changed on disk and VS Code reloaded it.
 */
export type EditCause =
  | 'typing'
  | 'paste'
  | 'undo'
  | 'redo'
  | 'multi-cursor'
  | 'completion'
  | 'suggestion'
  | 'snippet'
  | 'format'
  | 'refactor'
  | 'assistant'
  | 'programmatic'
  | 'external';
export const EDIT_CAUSES: readonly EditCause[] = ['typing', 'paste', 'undo', 'redo', 'multi-cursor', 'completion', 'suggestion', 'snippet', 'format', 'refactor', 'assistant', 'programmatic', 'external'];

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

/** Lines 1-based, inclusive. */
export interface LineRange {
  start: number;
  end: number;
}

/** A position: 1-based line and column (UTF-16 code units, as VS Code counts). */
export interface Position {
  line: number;
  column: number;
}

/** How the engineer ended a task (`goal.end`). */
export type GoalOutcome = 'done' | 'abandoned' | 'handed-off';

/** What made a change on disk, and how sure Worktrace is (`file.change`, `file.bulk`). */
export interface ChangeAttribution {
  /**
   * - `terminal`: a command running in a terminal with shell integration (the changes came while it ran or just after);
   * - `task`: a VS Code task;
   * - `git`: a git operation (HEAD or a ref moved with the change);
   * - `extension`: a workspace edit applied by an extension to files that are not open;
   * - `unknown`: nothing running could be tied to it (another program, a sync tool…).
   */
  by: 'terminal' | 'task' | 'git' | 'extension' | 'unknown';
  /** Terminal: the command line (through the privacy stage); task: its name. */
  command?: string;
  /** Terminal: its name. */
  terminal?: string;
  /** The program the command ran (e.g. `node`, `claude`, `git`), when told by the command line. */
  program?: string;
  /** Git: the operation, when it can be told (from the command line or the reflog message). */
  operation?: 'checkout' | 'switch' | 'pull' | 'merge' | 'rebase' | 'stash' | 'reset' | 'commit' | 'cherry-pick' | 'revert' | 'restore' | 'other';
  /**
   * `high`: one command or operation ran and the change came within it; `medium`: it came in
   * the grace window after a command ended, or several commands ran at once; `low`: a guess.
   */
  confidence: 'high' | 'medium' | 'low';
}

/** A file a command or task changed on disk, with line counts (`terminal.command.files`). */
export interface ChangedFile {
  path: TracePath;
  change: 'created' | 'changed' | 'deleted';
  added: number;
  removed: number;
}

/** Lines by who wrote them (authorship of a commit or an episode). */
export interface AuthorshipCounts {
  /** Typed by the engineer (including multi-cursor typing, undo and redo of typed text). */
  typed: number;
  pasted: number;
  /** Inline completions, completion-list suggestions and snippets. */
  completion: number;
  /** Workspace edits of another extension (a chat or agent assistant). */
  assistant: number;
  /** Written on disk by a tool (a terminal command, task or agent CLI; `file.change`). */
  tool: number;
  formatter: number;
  /** Refactorings and code actions. */
  refactor: number;
  /** No recorded edit explains the line (written while not capturing, programmatic, git). */
  unknown: number;
}

/** Authorship of the lines a commit adds (`git.commit.authorship`). */
export interface Authorship {
  /** Lines the commit adds, split by who wrote them; they sum to the added lines of replayed files. */
  lines: AuthorshipCounts;
  /** Per file (files with added lines only). */
  files: { path: TracePath; lines: AuthorshipCounts }[];
  /** Added lines of files the trace could not replay (counted nowhere above). */
  unexplained: number;
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
    /** Revision of worktrace/1 the writer used (absent: revision 1). */
    revision?: number;
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
    /** The shell the terminal runs (e.g. `bash`), not the program in the foreground. */
    shell?: string;
    /**
     * The program the command ran: the basename of the first word of the command line, after
     * `VAR=value` assignments and the wrappers `sudo`, `env`, `time`, `nohup`, `exec`, `command`,
     * `builtin`, `nice`; package runners and interpreters are kept as they are (`npx jest` → `npx`,
     * `python -m pytest` → `python`). The rule: src/disk/program.ts — revision 2.
     */
    program?: string;
    /** Files the command changed on disk (`file.change`), with line counts — revision 2. At most 200; `filesCount` has the total. */
    files?: ChangedFile[];
    filesCount?: number;
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
    /** Files the task changed on disk — revision 2 (as in `terminal.command`). */
    files?: ChangedFile[];
    filesCount?: number;
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
    /** Who wrote the lines the commit adds, from the trace — revision 2. */
    authorship?: Authorship;
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
  'goal.start': {
    /** The engineer's one-line goal (through the privacy stage). Revision 2. */
    goal: string;
    /** Id of this task; `goal.end` and a resumed `goal.start` carry the same. */
    goalId: string;
    /** An issue URL, when given. */
    url?: string;
    /** An issue key (e.g. `PROJ-123`, `#42`), when given. */
    issue?: string;
    /** The task was started in an earlier session of this workspace and goes on (window reload). */
    resumed?: boolean;
    /** When the task started (epoch ms); for a resumed task, the original start. */
    startTs: number;
  };
  'goal.end': {
    goalId: string;
    outcome: GoalOutcome;
    /** The engineer's note (through the privacy stage). */
    note?: string;
    durationMs: number;
  };
  'file.change': {
    /** A file changed on disk by something other than the editor's own save. Revision 2. */
    path: TracePath;
    change: 'created' | 'changed' | 'deleted';
    /**
     * The exact change from the last known content, as in `doc.edit` (UTF-16 offsets, applied
     * in order). Absent when the last content is not known (then `text` is a snapshot), for
     * binary and too-large files, and for deletions.
     */
    changes?: ContentChange[];
    /** Unified diff from the last known content (`diff` package); absent when `changes` is. */
    diff?: string;
    added: number;
    removed: number;
    /** The full text after the change: a base snapshot for a file seen for the first time (or evicted from the content store). */
    text?: string;
    /** SHA-256 (hex) of the file's bytes after the change; null when deleted. */
    sha256: string | null;
    /** Size in bytes after the change; null when deleted. */
    size: number | null;
    /** Why there is no content: a binary file, or over worktrace.capture.maxDocumentKilobytes. */
    omitted?: 'binary' | 'too-large';
    /**
     * The file is open in the editor: VS Code reloaded it and the content change is the
     * `doc.edit` with cause `external`; this event says what made it and carries no
     * `changes` or `text` (replay must not apply it twice).
     */
    editor?: boolean;
    by: ChangeAttribution;
  };
  'file.bulk': {
    /** One command, task or git operation changed more files than worktrace.diskChanges.bulkThreshold: one summary instead of a change per file. Revision 2. */
    count: number;
    created: number;
    changed: number;
    deleted: number;
    /** The first paths (at most 100), sorted. */
    paths: TracePath[];
    /** SHA-256 after the change of those paths (null: deleted, or not read). */
    hashes: (string | null)[];
    truncated: boolean;
    by: ChangeAttribution;
  };
  'editor.view': {
    /** What was on screen once it stayed for worktrace.capture.viewDwellMs. The text is not copied: replay rebuilds it. Revision 2. */
    path: TracePath;
    /** Visible line ranges (folded regions split them). */
    ranges: LineRange[];
    /** The active editor (false: another visible editor, e.g. a split). */
    active: boolean;
  };
  'editor.selection': {
    /** Where the cursors and selections settled, and how they got there. Revision 2. */
    path: TracePath;
    /** How the last move was made: VS Code's TextEditorSelectionChangeKind, `edit` when an edit moved it. */
    trigger: 'keyboard' | 'mouse' | 'command' | 'edit';
    /** The primary selection first; at most 20. `start` is the anchor, `end` the active end. */
    selections: { start: Position; end: Position }[];
    /** Number of selections (cursors). */
    count: number;
    /** Characters selected in all selections (UTF-16 code units). */
    chars: number;
    /** Lines spanned by the selections. */
    lines: number;
  };
  'editor.navigate': {
    /** The active location jumped to another file, or far within one, through a command or a click. Revision 2. */
    from: SourceLocation | null;
    to: SourceLocation;
    /**
     * What made the jump, when it can be told: `definition`, `references`, `implementation`
     * and `symbol` (a navigation provider was asked just before), `history` (back/forward),
     * `open` (a file opened from a list: search results, problems, the Explorer, breadcrumbs),
     * `unknown`.
     */
    via: 'definition' | 'references' | 'implementation' | 'symbol' | 'history' | 'open' | 'unknown';
    trigger: 'keyboard' | 'mouse' | 'command' | 'unknown';
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
