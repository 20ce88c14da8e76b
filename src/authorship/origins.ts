/**
 * What each trace signal means for authorship: the origin of the text a `doc.edit` cause or a
 * change on disk (`file.change`, `file.bulk`) inserts. Plain Node; never imports `vscode`.
 */
import type { ChangeAttribution, EditCause } from '../trace/events';
import type { Origin } from './author';

/**
 * Origin of the text a `doc.edit` inserts, by its cause. `undo` and `redo` map to `typed`
 * here; the tracker first tries to restore the origin the text had before (see undo.ts).
 */
const ORIGIN_OF_CAUSE: Record<EditCause, Origin> = {
  typing: 'typed',
  'multi-cursor': 'typed',
  undo: 'typed',
  redo: 'typed',
  paste: 'pasted',
  completion: 'inline',
  suggestion: 'suggestion',
  snippet: 'snippet',
  assistant: 'assistant',
  format: 'formatter',
  refactor: 'refactor',
  programmatic: 'unknown',
  external: 'tool',
};

/** Origin of the text an edit with this cause inserts; `unknown` for a cause this revision does not know. */
export function originOfCause(cause: EditCause): Origin {
  return Object.prototype.hasOwnProperty.call(ORIGIN_OF_CAUSE, cause) ? ORIGIN_OF_CAUSE[cause] : 'unknown';
}

/**
 * Programs (first word of a command line, `ChangeAttribution.program`) that are agent CLIs:
 * text they write on disk is counted `tool` but its contribution is `ai`. Inferred from the
 * program name only; a wrapper script with another name is an ordinary `tool`.
 */
export const AGENT_PROGRAMS: ReadonlySet<string> = new Set(['aider', 'amp', 'claude', 'cline', 'codex', 'copilot', 'crush', 'cursor-agent', 'droid', 'gemini', 'goose', 'kiro-cli', 'opencode', 'qwen']);

/**
 * Origin of text written on disk (`file.change`, `file.bulk`, or the `external` reload of an
 * open file), by what made the change: `git` brings back existing code (`unknown`); an
 * extension's workspace edit on a closed file is an assistant's; a known agent CLI is
 * `agent`; any other command, task or program is `tool`.
 */
export function originOfChange(by: ChangeAttribution): Origin {
  switch (by.by) {
    case 'git':
      return 'unknown';
    case 'extension':
      return 'assistant';
    case 'terminal':
    case 'task':
    case 'unknown':
      return by.program !== undefined && AGENT_PROGRAMS.has(by.program.toLowerCase()) ? 'agent' : 'tool';
    default:
      return 'tool';
  }
}
