/**
 * The logging seam. In the extension it is VS Code's LogOutputChannel "Worktrace"
 * (which satisfies this interface as it is); in plain Node tests and tools it can be
 * a memory or stderr logger. Modules outside the VS Code layer log only through it.
 */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(error: string | Error, ...args: unknown[]): void;
}

/** A logger that keeps lines in memory (tests, tools). */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  private add(level: string, message: string | Error, args: unknown[]): void {
    const text = message instanceof Error ? message.message : message;
    this.lines.push(`[${level}] ${[text, ...args.map((a) => String(a))].join(' ')}`);
  }
  trace(m: string, ...a: unknown[]): void { this.add('trace', m, a); }
  debug(m: string, ...a: unknown[]): void { this.add('debug', m, a); }
  info(m: string, ...a: unknown[]): void { this.add('info', m, a); }
  warn(m: string, ...a: unknown[]): void { this.add('warn', m, a); }
  error(m: string | Error, ...a: unknown[]): void { this.add('error', m, a); }
}

/** Runs `fn`, logging instead of throwing: handlers must never throw into VS Code. */
export function guard<A extends unknown[]>(log: Logger, what: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (e) {
      log.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
}
