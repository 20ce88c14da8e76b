/**
 * Splitting a stream of bytes into text lines with bounded memory. Plain Node.
 */
import { isUtf8 } from 'node:buffer';

/** Longest line kept by default (bytes, without the line end). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** What the splitter hands on, in order. `line` is the 1-based line number. */
export type SplitItem =
  /** A complete line, decoded, without its `\n` or `\r\n`. */
  | { kind: 'line'; line: number; text: string }
  /** A line longer than the limit: skipped without being kept; `bytes` is its length. */
  | { kind: 'too-long'; line: number; bytes: number }
  /** A line whose bytes are not valid UTF-8. */
  | { kind: 'not-utf8'; line: number; bytes: number };

const LF = 0x0a;
const CR = 0x0d;
/** A partial line's buffer starts this small and doubles as it grows (up to the limit). */
const INITIAL_PARTIAL_BYTES = 4096;
/** A partial-line buffer larger than this is let go once its line is done (not reused). */
const KEEP_PARTIAL_BYTES = 1024 * 1024;

/**
 * Cuts byte chunks into lines at `\n`, whatever the chunk boundaries: a line (or a UTF-8
 * character) split across chunks is put together first. `\r\n` line ends lose their `\r`;
 * a last line without a line end is handed on by {@link end}.
 *
 * Memory: the splitter keeps only the unfinished part of the current line, and at most
 * `maxLineBytes` of it: a longer line is dropped as soon as it passes the limit, the rest
 * of it skipped up to its `\n`, and it is reported as one `too-long` item. So what it holds
 * is bounded by `maxLineBytes` plus the chunk being split ({@link highWaterBytes}).
 */
export class LineSplitter {
  private partial: Buffer | undefined;
  private partialLength = 0;
  /** Inside a line already known to be too long: its bytes so far. */
  private skipping: number | undefined;
  private lineNo = 0;
  private held = 0;
  private highWater = 0;
  /** Length of the chunk being split (0 between pushes). */
  private chunkLength = 0;

  constructor(readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    if (!(Number.isSafeInteger(maxLineBytes) && maxLineBytes > 0)) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
  }

  /** Lines seen so far (complete, too long or not UTF-8). */
  get lines(): number {
    return this.lineNo;
  }

  /** The most bytes held at once: the partial line's buffer plus the chunk being split. */
  get highWaterBytes(): number {
    return this.highWater;
  }

  /** Bytes of an unfinished line held now. */
  get bufferedBytes(): number {
    return this.held;
  }

  /** Splits one chunk; yields the lines it completes. The chunk is not kept. */
  *push(chunk: Uint8Array): Generator<SplitItem> {
    this.chunkLength = chunk.length;
    this.noteHeld();
    let pos = 0;
    while (pos < chunk.length) {
      const newline = indexOfByte(chunk, LF, pos);
      const end = newline === -1 ? chunk.length : newline;
      if (this.skipping !== undefined) {
        this.skipping += end - pos;
      } else if (this.partialLength + (end - pos) > this.maxLineBytes) {
        // Too long: forget what was kept and skip the rest of the line.
        this.skipping = this.partialLength + (end - pos);
        this.dropPartial();
      } else if (newline !== -1 && this.partialLength === 0) {
        yield this.decode(chunk.subarray(pos, end)); // the common case: a whole line within the chunk, no copy
        pos = end + 1;
        continue;
      } else {
        this.append(chunk.subarray(pos, end));
      }
      if (newline === -1) {
        break;
      }
      yield this.finishLine();
      pos = end + 1;
    }
    this.chunkLength = 0;
  }

  /** Hands on the last line when the input did not end with `\n`. */
  *end(): Generator<SplitItem> {
    if (this.skipping !== undefined || this.partialLength > 0) {
      yield this.finishLine();
    }
    this.dropPartial();
  }

  private noteHeld(): void {
    this.highWater = Math.max(this.highWater, this.held + this.chunkLength);
  }

  private finishLine(): SplitItem {
    if (this.skipping !== undefined) {
      const bytes = this.skipping;
      this.skipping = undefined;
      return { kind: 'too-long', line: ++this.lineNo, bytes };
    }
    const item = this.decode(this.partial === undefined ? new Uint8Array(0) : this.partial.subarray(0, this.partialLength));
    this.partialLength = 0;
    if (this.partial !== undefined && this.partial.length > KEEP_PARTIAL_BYTES) {
      this.dropPartial();
    }
    this.held = this.partial?.length ?? 0;
    return item;
  }

  private decode(bytes: Uint8Array): SplitItem {
    const line = ++this.lineNo;
    const length = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, length);
    if (!isUtf8(body)) {
      return { kind: 'not-utf8', line, bytes: length };
    }
    return { kind: 'line', line, text: body.toString('utf8') };
  }

  private append(bytes: Uint8Array): void {
    const needed = this.partialLength + bytes.length;
    if (this.partial === undefined || this.partial.length < needed) {
      let size = Math.max(INITIAL_PARTIAL_BYTES, this.partial?.length ?? 0);
      while (size < needed) {
        size *= 2;
      }
      const grown = Buffer.allocUnsafe(Math.min(size, this.maxLineBytes));
      this.partial?.copy(grown, 0, 0, this.partialLength);
      this.partial = grown;
    }
    this.partial.set(bytes, this.partialLength);
    this.partialLength = needed;
    this.held = this.partial.length;
    this.noteHeld();
  }

  private dropPartial(): void {
    this.partial = undefined;
    this.partialLength = 0;
    this.held = 0;
  }
}

function indexOfByte(bytes: Uint8Array, value: number, from: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(value, from);
}
