/**
 * An export format: turns episodes into the bytes of one output file, streaming (one
 * episode at a time). Output must be deterministic: the same episodes give the same bytes
 * (no export time, no random ids, stable key order). Plain Node.
 */
import type { Episode } from '../episodes/episode';

/** Writes one output file; created once per export. */
export interface ExportWriter {
  /** Text before the first episode (e.g. the opening of a JSON document); may be empty. */
  begin(): string;
  /** Text for one episode (e.g. one JSON line ending in `\n`). */
  episode(episode: Episode): string;
  /** Text after the last episode; may be empty. */
  end(): string;
}

export interface ExportFormat {
  /** As given to `--format`. */
  name: string;
  /** One line for `--help`. */
  description: string;
  /** Suggested file extension, e.g. `.jsonl`. */
  extension: string;
  /**
   * Whether the writer reads `authorshipRanges` (authorship/episode.ts): where the lines of
   * each commit and of the final patch are, not only how many. Locating them costs a line diff
   * per committed file, so the export computes them only for formats that ask.
   */
  locatesAuthorship?: boolean;
  create(): ExportWriter;
}
