/**
 * The `worktrace` export format: the episodes themselves (src/episodes/episode.ts,
 * `schema/worktrace-episode-1.schema.json`), one JSON object per line. Keys come in a fixed
 * order (the order of the declarations in episode.ts), so the same episodes give the same
 * bytes. Plain Node.
 */
import type { Episode } from '../episodes/episode';
import type { ExportFormat, ExportWriter } from './format';
import { keyOrder, stableStringify } from './stableJson';

/** The keys of every object of an episode, in the order they are written. */
export const EPISODE_KEY_ORDER = keyOrder([
  ['schema', 'id', 'workspace', 'sessions', 'goal', 'start', 'end', 'base', 'steps', 'outcome', 'figures', 'authorship', 'exact', 'problems'],
  ['text', 'url', 'issue', 'source', 'inferredFrom', 'goalId'],
  ['ts', 'boundary', 'repos'],
  ['root', 'head', 'branch'],
  ['path', 'known', 'text', 'sha256', 'missing'],
  ['index', 'type', 'ts', 'durationMs', 'session', 'eventIds', 'action', 'observation', 'source', 'after', 'previous'],
  ['path', 'diff', 'cause', 'added', 'removed', 'edits'],
  ['diagnostics'],
  ['path', 'before', 'after', 'new'],
  ['errors', 'warnings'],
  ['severity', 'message', 'line', 'source', 'code'],
  ['commandLine', 'cwd', 'terminal', 'shell', 'program'],
  ['exitCode', 'output', 'outputTruncated', 'files'],
  ['path', 'change', 'added', 'removed'],
  ['name', 'source', 'group'],
  ['runner', 'command', 'origin'],
  ['outcome', 'passed', 'failed', 'skipped', 'failing', 'transition'],
  ['name', 'type', 'request', 'configuration'],
  ['stops', 'exitCode', 'exception', 'output', 'ended'],
  ['ts', 'reason', 'description', 'exception'],
  ['message', 'frame'],
  ['name', 'location'],
  ['path', 'line', 'column'],
  ['repo', 'message', 'branch', 'amend', 'origin'],
  ['sha', 'parents', 'files', 'tests', 'lastTestPassed', 'authorship'],
  ['repo', 'from', 'to'],
  ['by', 'command', 'terminal', 'program', 'operation', 'confidence'],
  ['path', 'change', 'diff', 'added', 'removed', 'omitted'],
  ['count', 'created', 'changed', 'deleted', 'paths', 'truncated'],
  ['ranges'],
  ['start', 'end'],
  ['from', 'to', 'via', 'trigger'],
  ['kind', 'data'],
  ['status', 'source', 'note', 'lastTestPassed', 'committed', 'commits', 'patch', 'patchExact'],
  ['durationMs', 'activeMs', 'edits', 'editSteps', 'commands', 'tasks', 'testRuns', 'debugSessions', 'commits', 'fileChanges', 'fixed', 'broke'],
  ['lines', 'files', 'unexplained'],
  ['typed', 'pasted', 'completion', 'assistant', 'tool', 'formatter', 'refactor', 'unknown'],
]);

/** One episode as one line of the `worktrace` format (ending in `\n`). */
export function episodeLine(episode: Episode): string {
  return `${stableStringify(episode, EPISODE_KEY_ORDER)}\n`;
}

export const worktraceFormat: ExportFormat = {
  name: 'worktrace',
  description: 'Worktrace episodes, one JSON object per line (schema/worktrace-episode-1.schema.json)',
  extension: '.jsonl',
  create(): ExportWriter {
    return { begin: () => '', episode: episodeLine, end: () => '' };
  },
};
