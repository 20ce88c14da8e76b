/**
 * The message of the last line of a reflog (`.git/logs/HEAD`): `checkout: moving from main to
 * other`, `commit: Fix`, `pull: Fast-forward`… It names the git operation that moved HEAD.
 * Reads only the end of the file. Plain Node.
 */
import { promises as fs } from 'node:fs';

const TAIL_BYTES = 4096;

/** The last reflog line's message, or undefined when it cannot be read. */
export async function lastReflogMessage(logFile: string): Promise<string | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(logFile, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const last = lines.at(-1);
    const tab = last?.indexOf('\t') ?? -1;
    return last !== undefined && tab >= 0 ? last.slice(tab + 1) : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
