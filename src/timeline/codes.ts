/**
 * The small integer codes of the timeline's columns, shared by the host (which builds the
 * columns from trace events) and the webview page (which draws them). Plain TypeScript: no
 * `vscode`, no Node, no DOM.
 */
import { EDIT_CAUSES, type EditCause } from '../trace/events';

/** What an item is (the `kind` column). */
export const ItemKind = {
  EditStep: 0,
  Save: 1,
  FileCreate: 2,
  FileDelete: 3,
  FileRename: 4,
  Command: 5,
  Task: 6,
  TestRun: 7,
  Debug: 8,
  DebugStop: 9,
  Commit: 10,
  Checkout: 11,
  DiskChange: 12,
  DiskBulk: 13,
  View: 14,
  Navigate: 15,
  Goal: 16,
  Pause: 17,
  Redaction: 18,
  Diagnostics: 19,
  SessionStart: 20,
  SessionEnd: 21,
  Dropped: 22,
  TerminalUncaptured: 23,
} as const;
export type ItemKind = (typeof ItemKind)[keyof typeof ItemKind];

/** The trace kind each item kind is drawn from (what the events list shows). */
export const KIND_NAMES: readonly string[] = [
  'edit.step',
  'doc.save',
  'file.create',
  'file.delete',
  'file.rename',
  'terminal.command',
  'task.run',
  'test.run',
  'debug.session',
  'debug.stop',
  'git.commit',
  'git.checkout',
  'file.change',
  'file.bulk',
  'editor.view',
  'editor.navigate',
  'goal',
  'capture.pause',
  'privacy.redacted',
  'diagnostics.change',
  'session.start',
  'session.end',
  'capture.dropped',
  'terminal.open',
];

export function kindName(kind: number): string {
  return KIND_NAMES[kind] ?? 'unknown';
}

/** Outcome of a command, task or debug session (`status` column). */
export const RunStatus = { Unknown: 0, Ok: 1, Failed: 2 } as const;
/** Outcome of a test run (`status` column). */
export const TestStatus = { Unknown: 0, Passed: 1, Failed: 2, Errored: 3 } as const;
/** How a task ended (`status` column of a goal band; open bands carry Flag.Open). */
export const GoalStatus = { Open: 0, Done: 1, Abandoned: 2, HandedOff: 3 } as const;
/** Why capture paused (`status` column of a pause band). */
export const PauseStatus = { Paused: 0, Disabled: 1, Untrusted: 2 } as const;
/** Whether a file's error count went up (`status` column of a diagnostics mark). */
export const DiagnosticsStatus = { Same: 0, Better: 1, Worse: 2 } as const;
/** What changed a file on disk (`status` column of file.change / file.bulk): ChangeAttribution.by. */
export const ATTRIBUTIONS = ['terminal', 'task', 'git', 'extension', 'unknown'] as const;

/** Bits of the `flags` column. */
export const Flag = {
  /** Not ended yet (a running debug session, a task not finished, a pause not resumed): drawn up to the last event. */
  Open: 1,
  /** A test run that passes where the previous run of the same command failed. */
  Fixed: 2,
  /** A test run that fails where the previous run passed. */
  Broke: 4,
  /** A debug session or stop with an exception. */
  Exception: 8,
  /** Began before this session (a resumed task): drawn from the session's start. */
  Continued: 16,
} as const;

/**
 * Colour roles. The page maps each to a CSS custom property `--wt-c-<name>` (timeline.css),
 * which in turn reads VS Code's theme variables, so every theme (light, dark, high contrast)
 * gets readable colours.
 */
export const Colour = {
  Typed: 0,
  Pasted: 1,
  Completion: 2,
  Assistant: 3,
  Tool: 4,
  External: 5,
  Ok: 6,
  Fail: 7,
  Unknown: 8,
  Neutral: 9,
  Goal: 10,
  Pause: 11,
  Privacy: 12,
  Reading: 13,
  Warning: 14,
  Git: 15,
} as const;
export type Colour = (typeof Colour)[keyof typeof Colour];
export const COLOUR_NAMES: readonly string[] = ['typed', 'pasted', 'completion', 'assistant', 'tool', 'external', 'ok', 'fail', 'unknown', 'neutral', 'goal', 'pause', 'privacy', 'reading', 'warning', 'git'];
export const COLOUR_COUNT = COLOUR_NAMES.length;

/** Which colour wins when several items share one pixel column (higher wins): failures stand out. */
export const COLOUR_PRIORITY: readonly number[] = [4, 5, 5, 6, 3, 5, 7, 10, 2, 1, 0, 0, 8, 1, 9, 4];

const CAUSE_COLOUR: Record<EditCause, Colour> = {
  typing: Colour.Typed,
  'multi-cursor': Colour.Typed,
  undo: Colour.Typed,
  redo: Colour.Typed,
  paste: Colour.Pasted,
  completion: Colour.Completion,
  suggestion: Colour.Completion,
  snippet: Colour.Completion,
  assistant: Colour.Assistant,
  format: Colour.Tool,
  refactor: Colour.Tool,
  programmatic: Colour.Tool,
  external: Colour.External,
};

const ATTRIBUTION_COLOUR: readonly Colour[] = [Colour.Tool, Colour.Tool, Colour.Git, Colour.Assistant, Colour.Unknown];

/** The colour role of one item. */
export function colourOf(kind: number, status: number, flags: number): Colour {
  switch (kind) {
    case ItemKind.EditStep:
    case ItemKind.Save:
      return kind === ItemKind.Save ? Colour.Neutral : (CAUSE_COLOUR[EDIT_CAUSES[status] ?? 'programmatic'] ?? Colour.Tool);
    case ItemKind.Command:
    case ItemKind.Task:
    case ItemKind.Debug:
      if (flags & Flag.Exception) {
        return Colour.Fail;
      }
      return status === RunStatus.Ok ? Colour.Ok : status === RunStatus.Failed ? Colour.Fail : Colour.Unknown;
    case ItemKind.TestRun:
      return status === TestStatus.Passed ? Colour.Ok : status === TestStatus.Failed || status === TestStatus.Errored ? Colour.Fail : Colour.Unknown;
    case ItemKind.DebugStop:
      return flags & Flag.Exception ? Colour.Fail : Colour.Neutral;
    case ItemKind.Commit:
      return status === RunStatus.Ok ? Colour.Ok : status === RunStatus.Failed ? Colour.Fail : Colour.Git;
    case ItemKind.Checkout:
      return Colour.Git;
    case ItemKind.DiskChange:
    case ItemKind.DiskBulk:
      return ATTRIBUTION_COLOUR[status] ?? Colour.Unknown;
    case ItemKind.View:
    case ItemKind.Navigate:
      return Colour.Reading;
    case ItemKind.Goal:
      return Colour.Goal;
    case ItemKind.Pause:
      return Colour.Pause;
    case ItemKind.Redaction:
      return Colour.Privacy;
    case ItemKind.Diagnostics:
      return status === DiagnosticsStatus.Worse ? Colour.Fail : status === DiagnosticsStatus.Better ? Colour.Ok : Colour.Neutral;
    case ItemKind.Dropped:
    case ItemKind.TerminalUncaptured:
      return Colour.Warning;
    default:
      return Colour.Neutral;
  }
}

/** Items drawn as bands across their lane's full height, under the other lanes' items. */
export function isBand(kind: number): boolean {
  return kind === ItemKind.Goal || kind === ItemKind.Pause;
}

/** Item kinds whose intensity (lines changed) sets the bar height. */
export function scalesWithIntensity(kind: number): boolean {
  return kind === ItemKind.EditStep || kind === ItemKind.DiskChange;
}
