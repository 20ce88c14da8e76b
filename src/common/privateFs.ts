/**
 * Files and folders only their owner can read: every folder Worktrace creates is 0700 and
 * every file 0600, created that way (the mode is given at creation, so there is no moment
 * when another account could open them), never tightened afterwards — except
 * {@link tightenTree}, which fixes what earlier versions left behind.
 *
 * On Windows the modes are ignored by the OS: there the privacy of the files rests on the
 * per-user storage location VS Code gives the extension (under the user's profile).
 *
 * Plain Node.
 */
import { promises as fs, mkdirSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** `mkdir -p` with mode 0700 for every folder it creates. */
export async function mkdirPrivate(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
}

export function mkdirPrivateSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/** Writes a file created with mode 0600 (an existing file keeps its mode: see tightenTree). */
export async function writeFilePrivate(file: string, data: string | Uint8Array, flag: 'w' | 'wx' | 'a' = 'w'): Promise<void> {
  await fs.writeFile(file, data, { mode: FILE_MODE, flag });
}

export function writeFilePrivateSync(file: string, data: string | Uint8Array, flag: 'w' | 'wx' | 'a' = 'w'): void {
  writeFileSync(file, data, { mode: FILE_MODE, flag });
}

/** Opens a file, creating it with mode 0600. */
export function openPrivate(file: string, flags: string): Promise<fs.FileHandle> {
  return fs.open(file, flags, FILE_MODE);
}

/** What {@link tightenTree} changed. */
export interface TightenResult {
  folders: number;
  files: number;
}

/**
 * Removes group and other permission bits from `root` and everything below it (folders
 * 0700, files 0600 or stricter), for data left by earlier versions. Symbolic links are not
 * followed. A missing root is fine; other errors are collected and returned, not thrown.
 */
export async function tightenTree(root: string, problems: string[] = []): Promise<TightenResult> {
  const result: TightenResult = { folders: 0, files: 0 };
  if (process.platform === 'win32') {
    return result;
  }
  const visit = async (path: string, stats: Stats): Promise<void> => {
    if (stats.isSymbolicLink()) {
      return;
    }
    const loose = stats.mode & 0o077;
    if (loose !== 0) {
      try {
        await fs.chmod(path, stats.mode & 0o700);
        if (stats.isDirectory()) result.folders++;
        else result.files++;
      } catch (e) {
        problems.push(`cannot restrict ${path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (stats.isDirectory()) {
      let names: string[];
      try {
        names = await fs.readdir(path);
      } catch (e) {
        problems.push(`cannot list ${path}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      for (const name of names) {
        const child = join(path, name);
        try {
          await visit(child, await fs.lstat(child));
        } catch {
          // removed meanwhile
        }
      }
    }
  };
  try {
    await visit(root, await fs.lstat(root));
  } catch {
    // no such folder yet
  }
  return result;
}
