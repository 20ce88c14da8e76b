/**
 * The git operation of a command line (`git [-C dir] [-c k=v] [--git-dir …] <op> …`) or of a
 * reflog message (`checkout: moving from a to b`), for `ChangeAttribution.operation`.
 * Plain Node.
 */
import type { ChangeAttribution } from '../trace/events';
import { commandWords, programName } from './program';

export type GitOperation = NonNullable<ChangeAttribution['operation']>;

/** Subcommands named as they are; every other subcommand (and an alias) is `other`. */
const NAMED = new Set<GitOperation>(['checkout', 'switch', 'pull', 'merge', 'rebase', 'stash', 'reset', 'commit', 'cherry-pick', 'revert', 'restore']);

/** Global options of git that take a value in the next word when not written `--opt=value`. */
const GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--super-prefix', '--list-cmds', '--attr-source']);

/**
 * The operation of a git command line: `checkout`, `switch`, `pull`, `merge`, `rebase`,
 * `stash`, `reset`, `commit`, `cherry-pick`, `revert`, `restore` as named, `restore` also for
 * `git checkout … -- <paths>` (it restores files and moves no HEAD), `other` for any other
 * subcommand (or none). Undefined when the command line does not run git. Wrappers and
 * assignments are skipped as in {@link commandWords} (`cd repo && GIT_TRACE=1 git pull` → `pull`).
 */
export function gitOperationOfCommand(commandLine: string): GitOperation | undefined {
  const words = commandWords(commandLine);
  if (words.length === 0 || programName(words[0])?.toLowerCase() !== 'git') {
    return undefined;
  }
  let i = 1;
  while (i < words.length && words[i].startsWith('-')) {
    const w = words[i];
    if (w === '--') {
      i++;
      break;
    }
    i += GLOBAL_WITH_VALUE.has(w) ? 2 : 1;
  }
  const sub = words[i];
  if (sub === undefined) {
    return 'other';
  }
  if (sub === 'checkout' && words.slice(i + 1).includes('--')) {
    return 'restore';
  }
  return NAMED.has(sub as GitOperation) ? (sub as GitOperation) : 'other';
}

/**
 * The message of a reflog line (`<old> <new> <who> <time> <tz>\t<message>`), or the text
 * itself when it is not a whole reflog line.
 */
export function reflogMessageOf(line: string): string {
  const trimmed = line.replace(/\r?\n$/, '');
  const tab = trimmed.indexOf('\t');
  if (tab !== -1 && /^[0-9a-f]{40,64} [0-9a-f]{40,64} /.test(trimmed)) {
    return trimmed.slice(tab + 1);
  }
  return trimmed;
}

/**
 * The operation of a reflog message, as git writes them:
 * `checkout: moving from a to b` (also `git switch`) → checkout; `pull: Fast-forward`,
 * `pull --rebase (finish): …` → pull; `merge x: Fast-forward` → merge; `rebase (start): …`,
 * `rebase -i (finish): …` → rebase; `reset: moving to …` → reset; `commit: …`, `commit (amend): …`,
 * `commit (initial): …`, `commit (merge): …` → commit; `cherry-pick: …` → cherry-pick;
 * `revert: …` → revert; `WIP on main: …` / `On main: …` (the log of refs/stash) → stash;
 * anything else (`branch: Created from …`, `clone: …`, `am: …`) → other. Undefined for an empty message.
 * A whole reflog line is accepted too.
 */
export function gitOperationOfReflog(message: string): GitOperation | undefined {
  const m = reflogMessageOf(message).trim();
  if (m === '') {
    return undefined;
  }
  const head = /^([a-z-]+)(?: [^:]*)?:/.exec(m);
  if (head) {
    const word = head[1];
    switch (word) {
      case 'checkout':
      case 'pull':
      case 'merge':
      case 'rebase':
      case 'reset':
      case 'commit':
      case 'cherry-pick':
      case 'revert':
        return word;
      case 'switch':
        return 'switch';
      default:
        break;
    }
  }
  if (/^(?:WIP on|On) [^:]+:/.test(m)) {
    return 'stash';
  }
  return 'other';
}
