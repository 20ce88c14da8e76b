import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import { programOf } from '../disk/program';
import { OutputCapture } from '../semantic/terminalText';
import type { ChangedFile, TraceSink } from '../trace/events';
import type { TracePaths } from '../vscode/paths';

export interface TerminalCollectorOptions {
  /** worktrace.capture.terminalOutput */
  readonly output: boolean;
  /** Characters kept from the start and from the end of a command's output. */
  readonly outputChars: number;
  /** How long a new terminal may take to get shell integration before it counts as uncaptured. */
  readonly integrationTimeoutMs?: number;
}

interface Running {
  startTs: number;
  /** Key of this execution for the attribution of changes on disk. */
  key: string;
  terminal: vscode.Terminal;
  capture?: OutputCapture;
  reading?: Promise<void>;
}

/** Changes on disk made while a command ran (disk/diskCapture.ts), when that capture is on. */
export interface CommandFiles {
  commandStarted(key: string, start: { commandLine: string; terminal: string; startTs: number }): void;
  /** Resolves with the files the command changed, once its last changes were read (about 1.5 s after its end). */
  commandEnded(key: string, endTs: number): Promise<{ files: ChangedFile[]; count: number }>;
}

const CONFIDENCE = ['low', 'medium', 'high'] as const;

/**
 * The shell the terminal runs. Not `terminal.state.shell`: VS Code reports the process in the
 * foreground there (`node` while a Node script runs), and the default title follows it too.
 */
function shellOf(terminal: vscode.Terminal): string | undefined {
  const options = terminal.creationOptions as vscode.TerminalOptions;
  const shell = options.shellPath ?? (vscode.env.shell || undefined);
  return shell ? path.basename(shell).replace(/\.exe$/i, '') : undefined;
}

/**
 * Turns shell-integration executions into `terminal.command` events (command line,
 * confidence, cwd, exit code, timing, output stripped of escape sequences, first and last
 * part), and marks terminals where shell integration never activates with `terminal.open`
 * (`captured: false`). Reading the output stream happens here only because the API
 * requires `read()` to be called in the start handler; nothing is written anywhere.
 */
export class TerminalCollector extends Disposable {
  private readonly running = new Map<vscode.TerminalShellExecution, Running>();
  private readonly pending = new Map<vscode.Terminal, ReturnType<typeof setTimeout>>();
  private readonly reported = new WeakSet<vscode.Terminal>();
  /** A terminal's name when first seen: its title later follows the process in the foreground. */
  private readonly names = new WeakMap<vscode.Terminal, string>();
  private executions = 0;

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    private readonly options: TerminalCollectorOptions,
    private readonly onUncaptured: (terminal: string) => void,
    log: Logger,
    private readonly files?: CommandFiles,
  ) {
    super();
    this.register(vscode.window.onDidStartTerminalShellExecution(guard(log, 'terminal start', (e: vscode.TerminalShellExecutionStartEvent) => this.start(e))));
    this.register(vscode.window.onDidEndTerminalShellExecution(guard(log, 'terminal.command', (e: vscode.TerminalShellExecutionEndEvent) => void this.end(e).catch((err: unknown) => log.error(`terminal.command failed: ${String(err)}`)))));
    this.register(vscode.window.onDidOpenTerminal(guard(log, 'terminal.open', (t: vscode.Terminal) => this.watch(t))));
    this.register(vscode.window.onDidChangeTerminalShellIntegration(guard(log, 'terminal.open', (e: vscode.TerminalShellIntegrationChangeEvent) => this.integrated(e.terminal))));
    this.register(vscode.window.onDidCloseTerminal(guard(log, 'terminal close', (t: vscode.Terminal) => this.forget(t))));
    for (const terminal of vscode.window.terminals) {
      this.watch(terminal);
    }
    this.register({
      dispose: () => {
        this.pending.forEach((timer) => clearTimeout(timer));
        this.pending.clear();
        this.running.clear();
      },
    });
  }

  private nameOf(terminal: vscode.Terminal): string {
    let name = this.names.get(terminal);
    if (name === undefined) {
      name = terminal.name;
      this.names.set(terminal, name);
    }
    return name;
  }

  private watch(terminal: vscode.Terminal): void {
    this.nameOf(terminal);
    if (terminal.shellIntegration) {
      this.integrated(terminal);
      return;
    }
    if (this.pending.has(terminal) || this.reported.has(terminal)) {
      return;
    }
    const timer = setTimeout(() => {
      this.pending.delete(terminal);
      if (!terminal.shellIntegration && !this.isDisposed) {
        this.reported.add(terminal);
        this.sink.emit({ kind: 'terminal.open', terminal: this.nameOf(terminal), ...this.shell(terminal), captured: false });
        this.onUncaptured(this.nameOf(terminal));
      }
    }, this.options.integrationTimeoutMs ?? 10_000);
    this.pending.set(terminal, timer);
  }

  private integrated(terminal: vscode.Terminal): void {
    const timer = this.pending.get(terminal);
    if (timer) {
      clearTimeout(timer);
      this.pending.delete(terminal);
    }
    if (!this.reported.has(terminal)) {
      this.reported.add(terminal);
      this.sink.emit({ kind: 'terminal.open', terminal: this.nameOf(terminal), ...this.shell(terminal), captured: true });
    }
  }

  private forget(terminal: vscode.Terminal): void {
    // A command whose terminal closed never reports its end: stop attributing changes to it.
    for (const [execution, running] of this.running) {
      if (running.terminal === terminal) {
        this.running.delete(execution);
        void this.files?.commandEnded(running.key, Date.now()).catch(() => undefined);
      }
    }
    const timer = this.pending.get(terminal);
    if (timer) {
      clearTimeout(timer);
      this.pending.delete(terminal);
    }
  }

  private shell(terminal: vscode.Terminal): { shell?: string } {
    const shell = shellOf(terminal);
    return shell ? { shell } : {};
  }

  private start(e: vscode.TerminalShellExecutionStartEvent): void {
    const running: Running = { startTs: Date.now(), key: `${++this.executions}`, terminal: e.terminal };
    this.files?.commandStarted(running.key, { commandLine: e.execution.commandLine.value, terminal: this.nameOf(e.terminal), startTs: running.startTs });
    if (this.options.output) {
      // read() must be called now, in the start handler, or the first output is missed.
      const stream = e.execution.read();
      const capture = new OutputCapture({ headChars: this.options.outputChars, tailChars: this.options.outputChars });
      running.capture = capture;
      running.reading = (async () => {
        for await (const chunk of stream) {
          capture.append(chunk);
        }
      })().catch(() => undefined);
    }
    this.running.set(e.execution, running);
  }

  private async end(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const running = this.running.get(e.execution);
    this.running.delete(e.execution);
    if (running?.reading) {
      // The stream ends with the command; do not wait long for a stream that lingers.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([running.reading, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)))]);
      clearTimeout(timer);
    }
    if (this.isDisposed) {
      return;
    }
    const commandLine = e.execution.commandLine; // read again at the end: it can be more accurate
    const cwd = e.execution.cwd ?? e.shellIntegration.cwd;
    const capture = running?.capture;
    capture?.end();
    const end = Date.now();
    // Changes on disk made by the command come a little after its end: wait for them (the event keeps its end time).
    const changed = running && this.files ? await this.files.commandEnded(running.key, end).catch(() => undefined) : undefined;
    if (this.isDisposed && !changed) {
      return;
    }
    const program = programOf(commandLine.value);
    this.sink.emit({
      kind: 'terminal.command',
      commandLine: commandLine.value,
      confidence: CONFIDENCE[commandLine.confidence] ?? 'low',
      cwd: cwd ? this.relative(cwd) : null,
      exitCode: e.exitCode ?? null,
      startTs: running?.startTs ?? null,
      durationMs: running ? end - running.startTs : null,
      terminal: this.nameOf(e.terminal),
      ...this.shell(e.terminal),
      ...(program ? { program } : {}),
      ...(changed && changed.count > 0 ? { files: changed.files.slice(0, 200), filesCount: changed.count } : {}),
      ...(capture ? { output: capture.text(), outputLength: capture.totalLength, outputTruncated: capture.truncated } : {}),
      after: [],
    }, changed ? end : undefined);
  }

  private relative(cwd: vscode.Uri): string {
    // code-server reports cwd with a `vscode-local:` scheme: the path is what matters.
    const location = this.paths.locate(vscode.Uri.file(cwd.path));
    return location ? location.path || '.' : cwd.path;
  }
}
