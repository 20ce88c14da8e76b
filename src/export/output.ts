/**
 * Where an export's bytes go: a file, written all or nothing, or a stream (stdout). Plain Node.
 *
 * A file output writes to a temporary file next to its path (same folder, so the rename
 * cannot cross file systems), fsyncs it and renames it over the path only when the export
 * succeeded: a failed or interrupted export leaves the path as it was (absent, or the
 * previous dataset) and removes the temporary file. The file is created `0600` (it holds
 * code from the traces), like every file Worktrace writes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, promises as fs, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Text is gathered up to this many UTF-16 code units before one write. */
const FLUSH_AT = 1 << 20;

export interface DatasetOutput {
  /** For messages: the path, or `stdout`. */
  readonly name: string;
  /** Whether a failure leaves nothing behind (a file) or what was written so far (a stream). */
  readonly atomic: boolean;
  /** Appends `text` (buffered); resolves when more may be written. */
  write(text: string): Promise<void>;
  /** Everything is written: flush, and for a file, fsync and rename into place. */
  commit(): Promise<void>;
  /** The export failed: for a file, the temporary file is removed and the path left as it was. */
  discard(): Promise<void>;
  /** {@link discard} for a process about to exit (a signal handler): synchronous, best effort. */
  discardSync(): void;
}

class Buffered {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly sink: (text: string) => Promise<void>) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) {
      await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.size === 0 && this.parts.length === 0) {
      return;
    }
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.sink(text);
  }
}

/**
 * A file output at `path` (see the module comment). Creates missing parent folders.
 * @throws when the temporary file cannot be created (the folder cannot be written, …).
 */
export async function openFileOutput(path: string): Promise<DatasetOutput> {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  let open = true;
  const buffer = new Buffered(async (text) => {
    await handle.write(text, null, 'utf8');
  });
  const close = async (): Promise<void> => {
    if (open) {
      open = false;
      await handle.close();
    }
  };
  return {
    name: path,
    atomic: true,
    write: (text) => buffer.write(text),
    async commit(): Promise<void> {
      await buffer.flush();
      await handle.sync();
      await close();
      await fs.rename(temp, path);
    },
    async discard(): Promise<void> {
      try {
        await close();
      } finally {
        await fs.rm(temp, { force: true });
      }
    },
    discardSync(): void {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    },
  };
}

/** An output to a stream such as stdout: `write` resolves when the stream takes more. Nothing to undo on failure. */
export function streamOutput(name: string, write: (text: string) => Promise<void>): DatasetOutput {
  const buffer = new Buffered(write);
  return {
    name,
    atomic: false,
    write: (text) => buffer.write(text),
    commit: () => buffer.flush(),
    discard: () => Promise.resolve(),
    discardSync: () => undefined,
  };
}
