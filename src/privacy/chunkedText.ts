/**
 * A text kept in chunks, for the document redaction of documents.ts (DocumentPrivacy): a
 * release applies the held changes to it one by one and reads the text around each, at the
 * cost of about one chunk per change rather than a copy of the document. Plain Node,
 * synchronous; never imports `vscode`.
 */

const CHUNK = 2048;

/**
 * A text kept in pieces of about {@link CHUNK} code units, so that a change or a slice costs
 * about one piece plus a walk over the piece list, not a copy of the whole text (as
 * `applyEdits` in src/replay/apply.ts does it; here the states in between can be read).
 */
export class ChunkedText {
  private chunks: string[] = [];
  private total: number;
  /** A chunk index and its start: where the last change was (typing moves forward). */
  private hintI = 0;
  private hintStart = 0;

  constructor(text: string) {
    for (let i = 0; i < text.length; i += CHUNK) {
      this.chunks.push(text.slice(i, i + CHUNK));
    }
    if (this.chunks.length === 0) {
      this.chunks.push('');
    }
    this.total = text.length;
  }

  get length(): number {
    return this.total;
  }

  /** The chunk holding `offset` (the earlier one on a boundary) and its start. */
  private find(offset: number): [number, number] {
    let i = 0;
    let start = 0;
    if (offset >= this.hintStart && this.hintI < this.chunks.length) {
      i = this.hintI;
      start = this.hintStart;
    }
    while (i < this.chunks.length - 1 && start + this.chunks[i].length < offset) {
      start += this.chunks[i].length;
      i++;
    }
    return [i, start];
  }

  /** Replaces `[offset, offset + length)` (which must fit) by `text`. */
  replace(offset: number, length: number, text: string): void {
    const [i, start] = this.find(offset);
    const end = offset + length;
    let j = i;
    let endOfJ = start + this.chunks[i].length;
    while (endOfJ < end) {
      j++;
      endOfJ += this.chunks[j].length;
    }
    const merged = i === j ? this.chunks[i] : this.chunks.slice(i, j + 1).join('');
    const rel = offset - start;
    const replaced = merged.slice(0, rel) + text + merged.slice(rel + length);
    let pieces: string[];
    if (replaced.length === 0) {
      pieces = this.chunks.length > j - i + 1 ? [] : [''];
    } else if (replaced.length <= 2 * CHUNK) {
      pieces = [replaced];
    } else {
      pieces = [];
      for (let p = 0; p < replaced.length; p += CHUNK) {
        pieces.push(replaced.slice(p, p + CHUNK));
      }
    }
    this.chunks.splice(i, j - i + 1, ...pieces);
    this.total += text.length - length;
    if (i < this.chunks.length) {
      this.hintI = i;
      this.hintStart = start;
    } else {
      this.hintI = 0;
      this.hintStart = 0;
    }
  }

  /** `text.slice(from, to)` for `0 <= from <= to <= length`. */
  slice(from: number, to: number): string {
    if (from >= to) {
      return '';
    }
    const [i, start] = this.find(from);
    const parts: string[] = [];
    let pos = start;
    for (let k = i; k < this.chunks.length && pos < to; k++) {
      const c = this.chunks[k];
      const a = Math.max(0, from - pos);
      const b = Math.min(c.length, to - pos);
      if (b > a) {
        parts.push(c.slice(a, b));
      }
      pos += c.length;
    }
    return parts.join('');
  }

  toString(): string {
    return this.chunks.join('');
  }
}
