import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Batch, Destination, SendOutcome } from './destination';
import { mkdirPrivate, openPrivate } from '../../common/privateFs';

const gzip = promisify(gzipCallback);

export interface FileDestinationOptions {
  directory: string;
  /** Write `.ndjson.gz` (each batch one gzip member) instead of `.ndjson`. */
  gzip: boolean;
}

/** The session and day of an event, read from its JSON text without a full parse. */
function fileKey(line: string): { session: string; day: string } {
  const session = /"session":"([^"\\]*)"/.exec(line)?.[1] ?? 'unknown';
  const ts = Number(/"ts":(\d+)/.exec(line)?.[1] ?? Date.now());
  return { session, day: new Date(ts).toISOString().slice(0, 10) };
}

/**
 * The default destination; nothing leaves the machine. NDJSON files, one per session per
 * day: `<directory>/worktrace-<YYYY-MM-DD>-<session>.ndjson[.gz]`. A batch counts as
 * delivered once it is written and fsync'd.
 */
export class FileDestination implements Destination {
  readonly kind = 'file';

  constructor(private readonly options: FileDestinationOptions) {}

  get target(): string {
    return this.options.directory;
  }

  async send(batch: Batch): Promise<SendOutcome> {
    const files = new Map<string, string[]>();
    for (const line of batch.lines) {
      const { session, day } = fileKey(line);
      const name = `worktrace-${day}-${session}.ndjson${this.options.gzip ? '.gz' : ''}`;
      let lines = files.get(name);
      if (!lines) {
        files.set(name, (lines = []));
      }
      lines.push(line);
    }
    try {
      await mkdirPrivate(this.options.directory);
      for (const [name, lines] of files) {
        const text = Buffer.from(lines.join('\n') + '\n', 'utf8');
        const data = this.options.gzip ? await gzip(text) : text;
        const handle = await openPrivate(join(this.options.directory, name), 'a');
        try {
          await handle.write(data);
          await handle.datasync();
        } finally {
          await handle.close();
        }
      }
      return { kind: 'ok' };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOSPC' ? `the disk holding ${this.options.directory} is full` : `cannot write ${this.options.directory}: ${e instanceof Error ? e.message : String(e)}`;
      // The folder may come back (disk freed, drive mounted): keep the batch and retry.
      return { kind: 'retry', reason };
    }
  }
}
