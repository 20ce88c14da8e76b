/**
 * The export's progress on stderr. On a terminal: one line redrawn in place with `\r` — the
 * pass (1/2 reading every file to index its sessions, 2/2 building episodes session by
 * session), bytes read of the pass's total, episodes written and events per second — at most
 * every {@link ProgressOptions.redrawMs}, and cleared at the end. Not on a terminal (a log, a
 * pipe): a plain line every {@link ProgressOptions.plainMs}, the first only after that long
 * (a short export prints none). Driven by the reader's and the builder's callbacks: no timer,
 * so nothing is left running. Plain Node.
 */
import type { ReadProgress } from '../trace/source';
import { formatCount } from '../trace/readReport';

export interface ProgressTerminal {
  /** Writes text to stderr as is. */
  write(text: string): void;
  /** Whether stderr is a terminal. */
  isTTY: boolean;
  /** Its width in characters (default, and when 0: 80). */
  columns?: number;
}

export interface ProgressOptions {
  /** Milliseconds clock (a monotonic one). */
  now: () => number;
  /** Least time between two redraws on a terminal (default 100 ms: ~10 per second). */
  redrawMs?: number;
  /** Time between two plain lines when not on a terminal (default 10 s). */
  plainMs?: number;
}

/** Counters the progress shows besides bytes. */
export interface ProgressCounts {
  /** Events read (pass 1) or built (pass 2) so far. */
  events: number;
  episodes: number;
}

const BAR = 16;

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(1);
}

export class ExportProgress {
  private pass: ReadProgress = { pass: 'index', bytesRead: 0, bytesTotal: 0 };
  private passStart: number;
  private passEvents = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastPlain: number;
  private drawn = false;
  private readonly redrawMs: number;
  private readonly plainMs: number;

  constructor(
    private readonly terminal: ProgressTerminal,
    private readonly counts: () => ProgressCounts,
    private readonly options: ProgressOptions,
  ) {
    this.redrawMs = options.redrawMs ?? 100;
    this.plainMs = options.plainMs ?? 10_000;
    this.passStart = options.now();
    this.lastPlain = this.passStart;
  }

  /** The reader's `onProgress`. */
  read(progress: ReadProgress): void {
    if (progress.pass !== this.pass.pass) {
      this.passStart = this.options.now();
      this.passEvents = this.counts().events;
    }
    this.pass = progress;
    this.tick();
  }

  /** Something else moved (an episode written). */
  tick(): void {
    const now = this.options.now();
    if (this.terminal.isTTY) {
      if (now - this.lastDraw >= this.redrawMs) {
        this.lastDraw = now;
        this.drawn = true;
        const columns = this.terminal.columns !== undefined && this.terminal.columns > 0 ? this.terminal.columns : 80; // 0: a terminal that does not say
        this.terminal.write(`\r${this.line(now, columns - 1)}\x1b[K`);
      }
      return;
    }
    if (now - this.lastPlain >= this.plainMs) {
      this.lastPlain = now;
      this.terminal.write(`export: ${this.line(now, Number.POSITIVE_INFINITY)}\n`);
    }
  }

  /** Clears the bar (on a terminal); call before the summary line. */
  finish(): void {
    if (this.drawn) {
      this.terminal.write('\r\x1b[K');
      this.drawn = false;
    }
  }

  /** The progress as one line of at most `width` characters. */
  line(now: number, width: number): string {
    const { pass, bytesRead, bytesTotal } = this.pass;
    const fraction = bytesTotal > 0 ? Math.min(1, bytesRead / bytesTotal) : 0;
    const filled = Math.round(fraction * BAR);
    const { events, episodes } = this.counts();
    const seconds = (now - this.passStart) / 1000;
    const rate = seconds > 0 ? Math.round((events - this.passEvents) / seconds) : 0;
    const parts = [
      pass === 'index' ? '1/2 reading ' : '2/2 building',
      `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}]`,
      `${String(Math.floor(fraction * 100)).padStart(3)}%`,
      `${megabytes(bytesRead)}/${megabytes(bytesTotal)} MB`,
      `${formatCount(rate)} events/s`,
      `${formatCount(episodes)} episodes`,
    ];
    const text = parts.join(' ');
    return text.length > width ? text.slice(0, Math.max(0, width)) : text;
  }
}
