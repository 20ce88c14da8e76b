/**
 * Turning the bytes of an NDJSON trace into events: the line splitter, the line parser and
 * the report's counters put together, for streamed chunks and whole buffers alike.
 * Plain Node.
 */
import type { TraceEvent } from './events';
import { parseTraceLine } from './lineParser';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type SplitItem } from './lineSplitter';
import { countLine, formatCount, type ProblemHandler, type ReadReport } from './readReport';

export interface NdjsonReaderOptions {
  maxLineBytes?: number;
  /** Hand on only this session's events (the others are still parsed and counted). */
  session?: string;
  onProblem?: ProblemHandler;
}

/** Reads the NDJSON bytes of one file, chunk by chunk, into events; counts into `report`. */
export class NdjsonEventReader {
  private readonly splitter: LineSplitter;

  constructor(
    private readonly source: string,
    private readonly report: ReadReport,
    private readonly options: NdjsonReaderOptions = {},
  ) {
    this.splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  /** The events of the lines `chunk` completes. */
  *push(chunk: Uint8Array): Generator<TraceEvent> {
    for (const item of this.splitter.push(chunk)) {
      const event = this.take(item);
      if (event !== undefined) {
        yield event;
      }
    }
    this.noteHighWater();
  }

  /** The event of a last line without a line end, if any. */
  *end(): Generator<TraceEvent> {
    for (const item of this.splitter.end()) {
      const event = this.take(item);
      if (event !== undefined) {
        yield event;
      }
    }
  }

  /**
   * Ends input cut off by damage (a gzip stream cut short or corrupt): a last line that is
   * a whole event is kept; anything else there is part of the damage and is dropped without
   * being counted as a corrupt line. Returns the dropped bytes through `dropped`.
   */
  *endDamaged(dropped: { bytes: number }): Generator<TraceEvent> {
    for (const item of this.splitter.end()) {
      const result = item.kind === 'line' ? parseTraceLine(item.text) : undefined;
      if (item.kind === 'line' && result?.kind === 'event') {
        const event = this.keep(countLine(this.report, result, this.source, item.line, this.options.onProblem));
        if (event !== undefined) {
          yield event;
        }
      } else {
        dropped.bytes += item.kind === 'line' ? Buffer.byteLength(item.text) : item.bytes;
      }
    }
  }

  private take(item: SplitItem): TraceEvent | undefined {
    const { onProblem } = this.options;
    if (item.kind === 'line') {
      return this.keep(countLine(this.report, parseTraceLine(item.text), this.source, item.line, onProblem));
    }
    this.report.lines++;
    if (item.kind === 'too-long') {
      this.report.tooLongLines++;
      onProblem?.({
        kind: 'too-long',
        source: this.source,
        line: item.line,
        message: `line of ${formatCount(item.bytes)} bytes is longer than the limit of ${formatCount(this.splitter.maxLineBytes)}; skipped`,
      });
    } else {
      this.report.corruptLines++;
      onProblem?.({ kind: 'corrupt', source: this.source, line: item.line, message: 'not UTF-8' });
    }
    return undefined;
  }

  private keep(event: TraceEvent | undefined): TraceEvent | undefined {
    const { session } = this.options;
    return event !== undefined && (session === undefined || event.session === session) ? event : undefined;
  }

  private noteHighWater(): void {
    this.report.lineBufferHighWater = Math.max(this.report.lineBufferHighWater, this.splitter.highWaterBytes);
  }
}
