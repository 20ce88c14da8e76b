/**
 * Plain text from terminal output: escape sequences removed, carriage-return overwrites
 * resolved, and a bounded capture of a long stream (its head and its tail). Plain Node;
 * never imports `vscode`.
 *
 * What the stripper does, one character at a time (linear time, no regular expressions):
 * - CSI sequences (`ESC [` or U+009B, parameters, intermediates, final byte) are removed:
 *   colours, cursor moves, erase line, private modes such as synchronised output. Erase
 *   in line (`ESC[K` at the start of a line, `ESC[1K`, `ESC[2K`) and "cursor to column 1"
 *   (`ESC[G`, `ESC[1G`, a cursor-left at least as long as the line, e.g. `ESC[999D`)
 *   act on the current line like a carriage return. Moves to other lines (`ESC[1A`…)
 *   are not emulated: a status area that a tool redraws in place leaves its earlier
 *   versions in the text as extra lines.
 * - OSC sequences (`ESC ]` or U+009D, e.g. VS Code shell integration `ESC]633;C BEL`,
 *   hyperlinks, window titles) and the other string sequences (DCS `ESC P`, SOS `ESC X`,
 *   PM `ESC ^`, APC `ESC _`) are removed up to their terminator: BEL (OSC only), ST
 *   (`ESC \` or U+009C), or, defensively, a line feed (which then ends the line as
 *   usual, so an unterminated sequence cannot swallow the rest of the output).
 * - Other escape sequences (`ESC` + intermediates 0x20-0x2F + a final byte, e.g. the
 *   charset designation `ESC ( B`, keypad modes `ESC =`) are removed.
 * - `\r\n` is a line break; a lone `\r` followed by more text starts a new version of the
 *   line and the earlier version is dropped (a progress bar keeps its last state); a `\r`
 *   at the very end keeps the line. `\b` removes the previous character of the line.
 *   Other C0 controls except `\t` and `\n` (BEL, NUL, shift in/out…) are dropped.
 * - A line that grows beyond {@link MAX_PENDING_LINE} code units without a line break is
 *   emitted as it stands, so memory stays bounded; a later `\r` then only rewrites the
 *   part after that point.
 */

const ESC = 0x1b;
const BEL = 0x07;
const BS = 0x08;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_PM = 0x9e;
const C1_APC = 0x9f;

/** Longest incomplete line the stripper holds before emitting it as it stands. */
export const MAX_PENDING_LINE = 64 * 1024;

/** Parameter characters of a CSI sequence kept for interpretation (the rest is skipped). */
const MAX_CSI_PARAMS = 32;

const enum State {
  Text,
  /** Saw ESC. */
  Escape,
  /** ESC followed by intermediate bytes, waiting for the final byte. */
  EscapeIntermediate,
  /** Inside a CSI sequence. */
  Csi,
  /** Inside an OSC / DCS / SOS / PM / APC string. */
  String,
  /** Saw ESC inside a string sequence (ST is `ESC \`). */
  StringEscape,
}

/**
 * Incremental version of {@link stripTerminalSequences}: feed chunks as they arrive (an
 * escape sequence or a `\r\n` may be split between chunks), collect the text that is
 * final, and call {@link end} once at the end of the stream.
 */
export class TerminalTextStripper {
  private state = State.Text;
  /** Pieces of the current (incomplete) line. */
  private line: string[] = [];
  private lineLength = 0;
  /** A `\r` was seen and not yet resolved (by `\n`, by text, or by the end). */
  private pendingCr = false;
  /** The string sequence being skipped is an OSC (which BEL also terminates). */
  private stringIsOsc = false;
  private csiParams = '';
  /** Pieces of text that are final but not yet returned. */
  private out: string[] = [];

  /** Processes a chunk; returns the text that became final (complete lines, mostly). */
  push(chunk: string): string {
    let runStart = -1; // start of the current run of plain text in `chunk`
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case State.Text: {
          const plain = c >= 0x20 ? c !== 0x7f && !(c >= 0x80 && c <= 0x9f) : c === TAB;
          if (plain) {
            if (runStart < 0) {
              if (this.pendingCr) this.restartLine();
              runStart = i;
            }
            continue;
          }
          if (runStart >= 0) {
            this.appendToLine(chunk.slice(runStart, i));
            runStart = -1;
          }
          this.control(c);
          break;
        }
        case State.Escape:
          this.escape(c);
          break;
        case State.EscapeIntermediate:
          if (c >= 0x20 && c <= 0x2f) break;
          if (c >= 0x30 && c <= 0x7e) this.state = State.Text;
          else this.abortSequence(c);
          break;
        case State.Csi:
          if (c >= 0x40 && c <= 0x7e) {
            this.state = State.Text;
            this.csi(c);
          } else if (c >= 0x20 && c <= 0x3f) {
            if (this.csiParams.length < MAX_CSI_PARAMS) this.csiParams += String.fromCharCode(c);
          } else {
            this.abortSequence(c);
          }
          break;
        case State.String:
          if (c === ESC) this.state = State.StringEscape;
          else if (c === C1_ST || (c === BEL && this.stringIsOsc)) this.state = State.Text;
          else if (c === LF) this.abortSequence(c);
          break;
        case State.StringEscape:
          if (c === 0x5c /* \ */) this.state = State.Text;
          else {
            // ESC not followed by `\`: the string ends and a new sequence starts here.
            this.state = State.Escape;
            this.escape(c);
          }
          break;
      }
    }
    if (runStart >= 0) this.appendToLine(chunk.slice(runStart));
    return this.take();
  }

  /** Ends the stream: returns the rest (the incomplete last line, without a line break). */
  end(): string {
    this.pendingCr = false;
    this.state = State.Text;
    this.flushLine();
    return this.take();
  }

  /** The incomplete current line as {@link end} would return it, without consuming it. */
  pending(): string {
    return this.line.join('');
  }

  /** Length of {@link pending}, in UTF-16 code units. */
  get pendingLength(): number {
    return this.lineLength;
  }

  private control(c: number): void {
    switch (c) {
      case LF:
        this.pendingCr = false;
        this.line.push('\n');
        this.flushLine();
        break;
      case CR:
        this.pendingCr = true;
        break;
      case BS:
        if (this.pendingCr) this.restartLine();
        this.backspace();
        break;
      case ESC:
        this.state = State.Escape;
        break;
      case C1_CSI:
        this.startCsi();
        break;
      case C1_OSC:
        this.startString(true);
        break;
      case C1_DCS:
      case C1_SOS:
      case C1_PM:
      case C1_APC:
        this.startString(false);
        break;
      default:
        break; // other controls (BEL, NUL, SI/SO, DEL, C1…) are dropped
    }
  }

  private escape(c: number): void {
    switch (c) {
      case 0x5b: // [
        this.startCsi();
        break;
      case 0x5d: // ]
        this.startString(true);
        break;
      case 0x50: // P  DCS
      case 0x58: // X  SOS
      case 0x5e: // ^  PM
      case 0x5f: // _  APC
        this.startString(false);
        break;
      default:
        if (c >= 0x20 && c <= 0x2f) this.state = State.EscapeIntermediate;
        else if (c >= 0x30 && c <= 0x7e) this.state = State.Text; // two-character sequence
        else this.abortSequence(c);
    }
  }

  private startCsi(): void {
    this.state = State.Csi;
    this.csiParams = '';
  }

  private startString(osc: boolean): void {
    this.state = State.String;
    this.stringIsOsc = osc;
  }

  /** A sequence was interrupted by `c`: drop what was read and handle `c` as text or control. */
  private abortSequence(c: number): void {
    this.state = State.Text;
    const plain = c >= 0x20 ? c !== 0x7f && !(c >= 0x80 && c <= 0x9f) : c === TAB;
    if (plain) {
      if (this.pendingCr) this.restartLine();
      this.appendToLine(String.fromCharCode(c));
    } else {
      this.control(c);
    }
  }

  private csi(final: number): void {
    const params = this.csiParams;
    if (params.length > 0 && params.charCodeAt(0) >= 0x3c) return; // private (`?`, `<`, `=`, `>`)
    const first = params === '' ? 0 : Number.parseInt(params, 10);
    const n = Number.isNaN(first) ? 0 : first;
    switch (final) {
      case 0x4b: // K  erase in line
        if (n === 1 || n === 2 || this.pendingCr) this.restartLine();
        break;
      case 0x47: // G  cursor horizontal absolute
        if (n <= 1) this.pendingCr = true;
        break;
      case 0x44: // D  cursor back
        if (Math.max(n, 1) >= this.lineLength) this.pendingCr = true;
        break;
      default:
        break;
    }
  }

  private restartLine(): void {
    this.pendingCr = false;
    this.line = [];
    this.lineLength = 0;
  }

  private appendToLine(text: string): void {
    this.line.push(text);
    this.lineLength += text.length;
    if (this.lineLength > MAX_PENDING_LINE) this.flushLine();
  }

  private backspace(): void {
    while (this.line.length > 0) {
      const last = this.line[this.line.length - 1];
      if (last.length === 0) {
        this.line.pop();
        continue;
      }
      let cut = 1;
      const lo = last.charCodeAt(last.length - 1);
      if (lo >= 0xdc00 && lo <= 0xdfff && last.length >= 2) {
        const hi = last.charCodeAt(last.length - 2);
        if (hi >= 0xd800 && hi <= 0xdbff) cut = 2;
      }
      this.line[this.line.length - 1] = last.slice(0, last.length - cut);
      this.lineLength -= cut;
      return;
    }
  }

  private flushLine(): void {
    if (this.line.length > 0) this.out.push(this.line.join(''));
    this.line = [];
    this.lineLength = 0;
  }

  private take(): string {
    if (this.out.length === 0) return '';
    const text = this.out.length === 1 ? this.out[0] : this.out.join('');
    this.out = [];
    return text;
  }
}

/**
 * Terminal output as plain text: escape sequences removed, `\r\n` turned into `\n`, lines
 * rewritten with `\r` reduced to their last version. Linear in the input. See the module
 * comment for the details.
 */
export function stripTerminalSequences(raw: string): string {
  const stripper = new TerminalTextStripper();
  const text = stripper.push(raw);
  const rest = stripper.end();
  return rest === '' ? text : text + rest;
}

export interface OutputCaptureOptions {
  /** UTF-16 code units of stripped text kept from the start of the stream. Default 8 192. */
  headChars?: number;
  /** UTF-16 code units of stripped text kept from the end of the stream. Default 8 192. */
  tailChars?: number;
}

export const DEFAULT_CAPTURE_CHARS = 8 * 1024;

/**
 * Keeps the first and last few kilobytes of a terminal or task output stream, as plain
 * text (escape sequences are stripped as the chunks arrive, with state carried across
 * chunks, so a sequence split between two chunks is still removed).
 *
 * Sizes are counted in UTF-16 code units of the stripped text (close to characters, and
 * to bytes for ASCII output); a cut never splits a surrogate pair, so the head or the tail
 * may hold one unit less. Memory stays within about head + 2 × tail + {@link MAX_PENDING_LINE}
 * whatever the size of the stream.
 */
export class OutputCapture {
  private readonly headMax: number;
  private readonly tailMax: number;
  private readonly stripper = new TerminalTextStripper();
  private head = '';
  /** Text after the head; trimmed to the last `tailMax` units when it reaches twice that. */
  private tail = '';
  /** Stripped code units that left the tail buffer. */
  private dropped = 0;
  private headFull = false;
  private ended = false;

  constructor(options: OutputCaptureOptions = {}) {
    this.headMax = Math.max(0, Math.floor(options.headChars ?? DEFAULT_CAPTURE_CHARS));
    this.tailMax = Math.max(0, Math.floor(options.tailChars ?? DEFAULT_CAPTURE_CHARS));
  }

  /** Adds a chunk of raw output (with escape sequences). Ignored after {@link end}. */
  append(chunk: string): void {
    if (this.ended || chunk.length === 0) return;
    this.accept(this.stripper.push(chunk));
  }

  /** Marks the end of the stream (a trailing incomplete line becomes final). Optional. */
  end(): void {
    if (this.ended) return;
    this.accept(this.stripper.end());
    this.ended = true;
  }

  /** Length of the whole stripped text so far (kept or not), in UTF-16 code units. */
  get totalLength(): number {
    return this.head.length + this.tail.length + this.dropped + this.stripper.pendingLength;
  }

  /** Whether {@link text} leaves out part of the stream. */
  get truncated(): boolean {
    const total = this.totalLength;
    const head = this.headFull ? this.head.length : Math.min(this.headMax, total);
    return total - head > this.tailMax;
  }

  /**
   * The kept text: the whole stripped stream when it fits, else the head, a marker line
   * `\n… [12345 characters omitted] …\n` and the tail. Includes the incomplete last line.
   */
  text(): string {
    let head = this.head;
    let rest = this.stripper.pending();
    if (!this.headFull) {
      // Everything so far is in the head; the incomplete line fills it up first.
      const room = this.headMax - head.length;
      if (rest.length <= room) return head + rest;
      const cut = room > 0 && isHighSurrogate(rest.charCodeAt(room - 1)) ? room - 1 : room;
      head += rest.slice(0, cut);
      rest = rest.slice(cut);
    }
    const after = this.tail + rest;
    const kept = keepEnd(after, this.tailMax);
    const omitted = this.dropped + after.length - kept.length;
    return omitted === 0 ? head + kept : `${head}\n… [${omitted} characters omitted] …\n${kept}`;
  }

  private accept(text: string): void {
    if (text.length === 0) return;
    let rest = text;
    if (!this.headFull) {
      const room = this.headMax - this.head.length;
      if (rest.length <= room) {
        this.head += rest;
        return;
      }
      let cut = room;
      if (cut > 0 && isHighSurrogate(rest.charCodeAt(cut - 1))) cut--;
      this.head += rest.slice(0, cut);
      rest = rest.slice(cut);
      this.headFull = true;
    }
    this.tail += rest;
    if (this.tail.length >= 2 * this.tailMax + 1024) {
      const kept = keepEnd(this.tail, this.tailMax);
      this.dropped += this.tail.length - kept.length;
      this.tail = kept;
    }
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** The last `max` code units of `text`, without starting in the middle of a surrogate pair. */
function keepEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  let start = text.length - max;
  const c = text.charCodeAt(start);
  if (c >= 0xdc00 && c <= 0xdfff) start++;
  return text.slice(start);
}
