/**
 * Reads commit details with simple-git (plain Node; the git collector asks, it does no
 * I/O of its own). Never rejects: a failure resolves undefined and is logged by the caller.
 */
import type { SimpleGit } from 'simple-git';

/**
 * simple-git is loaded on the first git question, not at start-up (the build makes it a
 * bundle of its own, dist/simple-git.js): most windows ask nothing of git for a while.
 */
async function git(root: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: root, timeout: { block: 10_000 } });
}

export interface CommitDetails {
  sha: string;
  parents: string[];
  author: string;
  message: string;
  files: { path: string; added: number | null; removed: number | null }[];
}

const SEP = '\u0001';

/** Parses `git show --numstat --format=<H SEP P SEP an SEP B SEP>` output. */
export function parseShow(output: string): CommitDetails | undefined {
  const parts = output.split(SEP);
  if (parts.length < 5) {
    return undefined;
  }
  const [sha, parents, author, message, rest] = [parts[0].trim(), parts[1].trim(), parts[2], parts[3], parts.slice(4).join(SEP)];
  const files: CommitDetails['files'] = [];
  for (const line of rest.split('\n')) {
    const m = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(line);
    if (m) {
      files.push({ path: m[3], added: m[1] === '-' ? null : Number(m[1]), removed: m[2] === '-' ? null : Number(m[2]) });
    }
  }
  return { sha, parents: parents ? parents.split(' ') : [], author, message: message.replace(/\n+$/, ''), files };
}

export class GitInspector {
  async describe(root: string, sha: string): Promise<CommitDetails | undefined> {
    try {
      const out = await (await git(root)).raw(['show', '--no-color', '--numstat', '--no-renames', `--format=%H${SEP}%P${SEP}%an${SEP}%B${SEP}`, sha]);
      return parseShow(out);
    } catch {
      return undefined;
    }
  }

  /** The output of `git <args>` in `root`, or undefined when git fails. */
  async raw(root: string, args: string[]): Promise<string | undefined> {
    try {
      return await (await git(root)).raw(args);
    } catch {
      return undefined;
    }
  }

  async parents(root: string, sha: string): Promise<string[] | undefined> {
    try {
      const out = await (await git(root)).raw(['rev-list', '--parents', '-n', '1', sha]);
      return out.trim().split(' ').slice(1);
    } catch {
      return undefined;
    }
  }
}
