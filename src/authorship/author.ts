/**
 * Who can have written a piece of text: the fine `Origin` the tracker keeps per character,
 * the `Author` class it is counted under (the keys of `AuthorshipCounts`), and the
 * human/AI `Contribution` class of Agent Trace. Plain Node; never imports `vscode`.
 */
import type { AuthorshipCounts } from '../trace/events';

/** An author class, as counted in `AuthorshipCounts` (`git.commit.authorship`). */
export type Author = keyof AuthorshipCounts;

/** Every author class, in the order counts are listed. */
export const AUTHORS: readonly Author[] = ['typed', 'pasted', 'completion', 'assistant', 'tool', 'formatter', 'refactor', 'unknown'];

/**
 * Where a character came from, finer than {@link Author}:
 * - `typed`: typing, multi-cursor typing, undo/redo that restored nothing known;
 * - `pasted`: a paste;
 * - `inline`: an accepted inline completion (ghost text);
 * - `suggestion`: an accepted item of the completion list;
 * - `snippet`: a snippet;
 * - `assistant`: a workspace edit of another extension (a chat or agent assistant), also on disk (`file.change` by `extension`);
 * - `agent`: written on disk by a known agent CLI (`file.change` whose `by.program` is one, see origins.ts);
 * - `tool`: written on disk by any other command, task or program, or reloaded from disk (`external`);
 * - `formatter`, `refactor`: a formatter; a refactoring or code action;
 * - `unknown`: there before capture, brought by git, or a programmatic edit.
 */
export type Origin = 'typed' | 'pasted' | 'inline' | 'suggestion' | 'snippet' | 'assistant' | 'agent' | 'tool' | 'formatter' | 'refactor' | 'unknown';

export const ORIGINS: readonly Origin[] = ['typed', 'pasted', 'inline', 'suggestion', 'snippet', 'assistant', 'agent', 'tool', 'formatter', 'refactor', 'unknown'];

const AUTHOR_OF: Record<Origin, Author> = {
  typed: 'typed',
  pasted: 'pasted',
  inline: 'completion',
  suggestion: 'completion',
  snippet: 'completion',
  assistant: 'assistant',
  agent: 'tool',
  tool: 'tool',
  formatter: 'formatter',
  refactor: 'refactor',
  unknown: 'unknown',
};

/** The author class an origin is counted under. */
export function authorOf(origin: Origin): Author {
  return AUTHOR_OF[origin];
}

/**
 * Human or AI, as Agent Trace's contributor types (`human`, `ai`, `mixed`, `unknown`).
 */
export type Contribution = 'human' | 'ai' | 'mixed' | 'unknown';

/**
 * The class of one origin: `human` when the engineer chose the text (typed it, picked a
 * completion-list item or snippet, ran a refactoring); `ai` when a model produced it (inline
 * completion, assistant, agent CLI); `unknown` when the trace cannot tell (a paste's source,
 * a formatter's output, another tool, text of unknown origin).
 */
const CONTRIBUTION_OF: Record<Origin, Exclude<Contribution, 'mixed'>> = {
  typed: 'human',
  suggestion: 'human',
  snippet: 'human',
  refactor: 'human',
  inline: 'ai',
  assistant: 'ai',
  agent: 'ai',
  pasted: 'unknown',
  tool: 'unknown',
  formatter: 'unknown',
  unknown: 'unknown',
};

export function contributionOf(origin: Origin): Exclude<Contribution, 'mixed'> {
  return CONTRIBUTION_OF[origin];
}

/** All-zero counts. */
export function emptyCounts(): AuthorshipCounts {
  return { typed: 0, pasted: 0, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 };
}

/** Adds `b` into `a` (in place) and returns `a`. */
export function addCounts(a: AuthorshipCounts, b: AuthorshipCounts): AuthorshipCounts {
  for (const author of AUTHORS) {
    a[author] += b[author];
  }
  return a;
}

/** Sum of all counts. */
export function totalOf(counts: AuthorshipCounts): number {
  let sum = 0;
  for (const author of AUTHORS) {
    sum += counts[author];
  }
  return sum;
}
