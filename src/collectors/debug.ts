import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import { OutputCapture } from '../semantic/terminalText';
import type { NewEventOf, SourceLocation, TraceSink } from '../trace/events';
import type { TracePaths } from '../vscode/paths';

export interface DebugCollectorOptions {
  /** Characters kept from the start and from the end of a session's output. */
  readonly outputChars: number;
}

interface SessionState {
  startTs: number;
  /** The root session (js-debug runs a parent and a child; output arrives on the child). */
  root: vscode.DebugSession;
  capture?: OutputCapture;
  exitCode?: number;
  exception?: string;
  /** A stop for an exception, waiting for VS Code's exceptionInfo / stackTrace requests. */
  stop?: { reason: string; description?: string; message?: string; frame?: { name: string; location?: SourceLocation }; timer: ReturnType<typeof setTimeout> };
}

/** The launch values worth keeping; they pass the privacy stage with the event. */
const CONFIG_KEYS = ['program', 'module', 'args', 'cwd', 'runtimeExecutable', 'runtimeArgs', 'env', 'console', 'preLaunchTask'];

interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
  success?: boolean;
  body?: Record<string, unknown>;
}

const EXITED = /Process exited with code (-?\d+)/;
const ERROR_LINE = /(?:^|\s)((?:[A-Z]\w*)?(?:Error|Exception)(?: \[\w+\])?: [^\n]+)/;

/**
 * Turns debug sessions into `debug.session` (start and end), `debug.stop` and
 * `debug.breakpoints` events. A debug adapter tracker observes the DAP traffic: stopped
 * events, program output (kept bounded, telemetry dropped) and the exit code, which
 * js-debug only reports as text on its parent session.
 */
export class DebugCollector extends Disposable {
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    private readonly options: DebugCollectorOptions,
    log: Logger,
  ) {
    super();
    this.register(vscode.debug.onDidStartDebugSession(guard(log, 'debug.session start', (s: vscode.DebugSession) => this.start(s))));
    this.register(vscode.debug.onDidTerminateDebugSession(guard(log, 'debug.session end', (s: vscode.DebugSession) => this.end(s))));
    this.register(vscode.debug.onDidChangeBreakpoints(guard(log, 'debug.breakpoints', (e: vscode.BreakpointsChangeEvent) => this.breakpoints(e))));
    const onMessage = guard(log, 'debug adapter message', (session: vscode.DebugSession, message: DapMessage) => this.message(session, message));
    this.register(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({ onDidSendMessage: (message: DapMessage) => onMessage(session, message) }),
      }),
    );
  }

  private root(session: vscode.DebugSession): vscode.DebugSession {
    let root = session;
    while (root.parentSession) {
      root = root.parentSession;
    }
    return root;
  }

  private state(session: vscode.DebugSession): SessionState {
    let state = this.sessions.get(session.id);
    if (!state) {
      state = { startTs: Date.now(), root: this.root(session) };
      this.sessions.set(session.id, state);
    }
    return state;
  }

  private configuration(session: vscode.DebugSession): Record<string, unknown> | undefined {
    const config = session.configuration as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const key of CONFIG_KEYS) {
      if (config[key] !== undefined) {
        kept[key] = key === 'program' || key === 'cwd' ? this.relative(config[key]) : config[key];
      }
    }
    return Object.keys(kept).length ? kept : undefined;
  }

  private relative(value: unknown): unknown {
    if (typeof value !== 'string' || !value.startsWith('/')) {
      return value;
    }
    return this.paths.locate(vscode.Uri.file(value))?.path || '.';
  }

  private start(session: vscode.DebugSession): void {
    this.state(session);
    const configuration = this.configuration(session);
    this.sink.emit({
      kind: 'debug.session',
      phase: 'start',
      sessionId: session.id,
      type: session.type,
      request: String(session.configuration.request ?? ''),
      name: session.name,
      ...(session.parentSession ? { parent: session.parentSession.id } : {}),
      ...(configuration ? { configuration } : {}),
      after: [],
    });
  }

  private end(session: vscode.DebugSession): void {
    const state = this.state(session);
    this.sessions.delete(session.id);
    if (state.stop) {
      this.flushStop(session, state);
    }
    const isRoot = !session.parentSession;
    const event: NewEventOf<'debug.session'> = {
      kind: 'debug.session',
      phase: 'end',
      sessionId: session.id,
      type: session.type,
      request: String(session.configuration.request ?? ''),
      name: session.name,
      ...(session.parentSession ? { parent: session.parentSession.id } : {}),
      durationMs: Date.now() - state.startTs,
    };
    if (isRoot) {
      const configuration = this.configuration(session);
      if (configuration) event.configuration = configuration;
      event.exitCode = state.exitCode ?? null;
      if (state.exception) event.exception = state.exception;
      if (state.capture) {
        state.capture.end();
        event.output = state.capture.text();
      }
    }
    this.sink.emit(event);
  }

  private message(session: vscode.DebugSession, message: DapMessage): void {
    if (message.type === 'event') {
      const body = message.body ?? {};
      if (message.event === 'output') {
        const category = typeof body.category === 'string' ? body.category : 'console';
        const text = typeof body.output === 'string' ? body.output : '';
        if (category === 'telemetry' || !text) {
          return;
        }
        const root = this.state(this.root(session));
        const exited = EXITED.exec(text);
        if (exited) {
          root.exitCode = Number(exited[1]);
        }
        if (category === 'stdout' || category === 'stderr') {
          root.capture ??= new OutputCapture({ headChars: this.options.outputChars, tailChars: this.options.outputChars });
          root.capture.append(text);
          if (category === 'stderr' && !root.exception) {
            const error = ERROR_LINE.exec(text);
            if (error) root.exception = error[1].slice(0, 500);
          }
        }
      } else if (message.event === 'exited' && typeof body.exitCode === 'number') {
        this.state(this.root(session)).exitCode = body.exitCode;
      } else if (message.event === 'stopped') {
        this.stopped(session, body);
      }
    } else if (message.type === 'response' && message.success) {
      const state = this.sessions.get(session.id);
      if (!state?.stop) {
        return;
      }
      if (message.command === 'exceptionInfo') {
        const body = message.body as { details?: { message?: string }; description?: string; exceptionId?: string } | undefined;
        state.stop.message = (body?.details?.message ?? body?.description ?? body?.exceptionId ?? '').slice(0, 500);
      } else if (message.command === 'stackTrace') {
        const frames = message.body?.stackFrames as { name: string; line: number; column?: number; source?: { path?: string } }[] | undefined;
        const top = frames?.[0];
        if (top) {
          const location = top.source?.path ? this.paths.locate(vscode.Uri.file(top.source.path)) : undefined;
          state.stop.frame = { name: top.name, ...(location && !location.outside ? { location: { path: location.path, line: top.line, ...(top.column ? { column: top.column } : {}) } } : {}) };
        }
      }
      if (state.stop.message !== undefined && state.stop.frame) {
        this.flushStop(session, state);
      }
    }
  }

  private stopped(session: vscode.DebugSession, body: Record<string, unknown>): void {
    const state = this.state(session);
    if (state.stop) {
      this.flushStop(session, state);
    }
    const reason = typeof body.reason === 'string' ? body.reason : 'unknown';
    const description = typeof body.description === 'string' ? body.description : typeof body.text === 'string' ? body.text : undefined;
    // Wait briefly for the exception message and the top frame VS Code asks for next.
    const timer = setTimeout(() => this.flushStop(session, state), 1_500);
    state.stop = { reason, ...(description ? { description } : {}), timer };
    if (reason !== 'exception') {
      state.stop.message = '';
    }
  }

  private flushStop(session: vscode.DebugSession, state: SessionState): void {
    const stop = state.stop;
    if (!stop) {
      return;
    }
    state.stop = undefined;
    clearTimeout(stop.timer);
    if (this.isDisposed) {
      return;
    }
    const exception = stop.reason === 'exception' ? { message: stop.message || stop.description || 'exception', ...(stop.frame ? { frame: stop.frame } : {}) } : undefined;
    this.sink.emit({ kind: 'debug.stop', sessionId: session.id, reason: stop.reason, ...(stop.description ? { description: stop.description } : {}), ...(exception ? { exception } : {}) });
  }

  private breakpoints(e: vscode.BreakpointsChangeEvent): void {
    const describe = (b: vscode.Breakpoint): SourceLocation | { function: string } | undefined => {
      if (b instanceof vscode.SourceBreakpoint) {
        const location = this.paths.locate(b.location.uri);
        return location && !location.outside ? { path: location.path, line: b.location.range.start.line + 1 } : undefined;
      }
      if (b instanceof vscode.FunctionBreakpoint) {
        return { function: b.functionName };
      }
      return undefined;
    };
    const added = e.added.map(describe).filter((b) => b !== undefined);
    const removed = e.removed.map(describe).filter((b) => b !== undefined);
    if (added.length || removed.length) {
      this.sink.emit({ kind: 'debug.breakpoints', added, removed });
    }
  }
}
