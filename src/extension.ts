/**
 * Composition root: creates the logger, configuration, pipeline, collectors, status bar
 * and commands once each, wires them by constructor and hands them to VS Code for
 * disposal. No synchronous file or process work happens here.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { nanoid } from 'nanoid';
import * as vscode from 'vscode';
import { CollectorSet } from './capture/collectorSet';
import { CaptureController } from './capture/controller';
import { DebugCollector } from './collectors/debug';
import { DiagnosticsCollector } from './collectors/diagnostics';
import { DocumentCollector } from './collectors/documents';
import { FileCollector } from './collectors/files';
import { GitCollector } from './collectors/git';
import { TaskCollector } from './collectors/tasks';
import { TerminalCollector } from './collectors/terminal';
import { TestResultsCollector } from './collectors/testResults';
import { registerCommands } from './commands';
import { GitInspector } from './git/inspector';
import { probeGit } from './git/probe';
import { createDestination } from './pipeline/destinations/factory';
import { Pipeline } from './pipeline/pipeline';
import { EditStepper } from './semantic/editSteps';
import { Linker } from './semantic/linker';
import type { TraceEvent } from './trace/events';
import { newSalt, workspaceId } from './trace/identity';
import { Recorder } from './trace/recorder';
import { Redactor } from './privacy/redact';
import { RedactingPrivacyStage } from './privacy/stage';
import { StatusBar } from './ui/statusBar';
import { Configuration } from './vscode/configuration';
import { TracePaths } from './vscode/paths';

/** What `vscode.extensions.getExtension('worktrace.worktrace').exports` offers. */
export interface WorktraceApi {
  readonly sessionId: string;
  /** Folder of the local trace files (the `file` destination). */
  readonly traceDirectory: string;
  /** Folder of the durable spool. */
  readonly spoolDirectory: string;
  /** Closes the open edit step, writes everything captured so far and waits until it is delivered (or cannot be). */
  flush(): Promise<void>;
  /** Every event as it is recorded (after the privacy stage), e.g. to wait for one in tests or to show a live view. */
  onDidRecord(listener: (event: TraceEvent) => void): vscode.Disposable;
}

export const TOKEN_KEY = 'worktrace.endpoint.token';
let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): WorktraceApi {
  const log = vscode.window.createOutputChannel('Worktrace', { log: true });
  context.subscriptions.push(log);
  const config = new Configuration(log);
  context.subscriptions.push(config);
  const settings = config.settings;
  const extensionVersion = (context.extension.packageJSON as { version: string }).version;

  let salt = context.globalState.get<string>('worktrace.salt');
  if (!salt) {
    salt = newSalt();
    void context.globalState.update('worktrace.salt', salt);
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  const identity = {
    session: nanoid(),
    workspace: workspaceId(salt, folders.map((f) => f.uri.toString()), vscode.workspace.workspaceFile?.toString()),
  };

  const storage = context.globalStorageUri.fsPath;
  const defaultTraceDirectory = path.join(storage, 'traces');
  const pipeline = new Pipeline(
    { directory: path.join(storage, 'spool'), maxSpoolBytes: settings.spoolMaxBytes, maxBatchEvents: settings.maxBatchEvents, flushIntervalMs: settings.flushIntervalMs },
    log,
  );
  const applyDestination = (): void => {
    const made = createDestination(config.settings, {
      defaultTraceDirectory,
      token: async () => (await context.secrets.get(TOKEN_KEY)) || undefined,
      identity: { extensionVersion, vscodeVersion: vscode.version },
    });
    pipeline.setDestination('destination' in made ? made.destination : undefined, 'error' in made ? made.error : undefined);
  };
  applyDestination();
  context.subscriptions.push(config.onDidChange(applyDestination), pipeline);

  let redactor = new Redactor({ extraPatterns: settings.redactPatterns });
  redactor.problems.forEach((p) => log.warn(p));
  context.subscriptions.push(
    config.onDidChange((s) => {
      redactor = new Redactor({ extraPatterns: s.redactPatterns });
      redactor.problems.forEach((p) => log.warn(p));
    }),
  );
  // Output and messages name absolute paths; keep the workspace's and the home folder's out of the trace.
  const pathReplacements = [
    ...folders.filter((f) => f.uri.scheme === 'file').map((f) => ({ from: f.uri.fsPath, to: folders.length > 1 ? `\${workspaceFolder:${f.name}}` : '${workspaceFolder}' })),
    { from: os.homedir(), to: '~' },
  ].filter((r) => r.from.length > 1).sort((a, b) => b.from.length - a.from.length);
  const privacy = new RedactingPrivacyStage(() => redactor, (e) => recorder.emit(e), pathReplacements);
  const recorder = new Recorder(identity, privacy, pipeline, log);
  pipeline.setEventSink((e) => recorder.emit(e));
  const stepper = new EditStepper((e) => recorder.emit(e), { pauseMs: settings.editStepPauseMs });
  const linker = new Linker((e) => recorder.emit(e), () => stepper.closeAll('run'), { tests: () => config.settings.capture.tests });
  recorder.setEnricher((e) => linker.enrich(e));
  context.subscriptions.push(recorder.observe((e) => stepper.observe(e)), recorder.observe((e) => linker.observe(e)), stepper);

  const paths = new TracePaths(salt);
  const inspector = new GitInspector();
  const capture = new CaptureController(
    {
      attach: () => {
        let documents: DocumentCollector | undefined;
        const on = (key: keyof typeof settings.capture) => () => config.settings.capture[key];
        const collectors = new CollectorSet(
          {
            documents: { enabled: () => true, create: () => (documents = new DocumentCollector(recorder, paths, { get maxDocumentBytes() { return config.settings.maxDocumentBytes; } }, log)) },
            files: { enabled: () => true, create: () => new FileCollector(recorder, paths, log) },
            terminal: {
              enabled: on('terminal'),
              create: () => new TerminalCollector(recorder, paths, { get output() { return config.settings.capture.terminalOutput; }, get outputChars() { return config.settings.terminalOutputChars; } }, (name) => status.noteUncapturedTerminal(name), log),
            },
            tasks: { enabled: on('tasks'), create: () => new TaskCollector(recorder, log) },
            tests: { enabled: () => config.settings.capture.tests && TestResultsCollector.available(), create: () => new TestResultsCollector(recorder, log) },
            debug: { enabled: on('debug'), create: () => new DebugCollector(recorder, paths, { get outputChars() { return config.settings.terminalOutputChars; } }, log) },
            diagnostics: { enabled: on('diagnostics'), create: () => new DiagnosticsCollector(recorder, paths, 500, log) },
            git: { enabled: on('git'), create: () => new GitCollector(recorder, paths, inspector, { get authorName() { return config.settings.capture.authorName; } }, log) },
          },
          log,
          () => documents?.settleAll(),
        );
        return collectors;
      },
      beforeDetach: () => stepper.closeAll('flush'),
    },
    log,
  );
  context.subscriptions.push(config.onDidChange(() => capture.refresh()));
  const traceDirectory = (): string => config.settings.fileDirectory || defaultTraceDirectory;
  const status = new StatusBar(capture, pipeline);
  context.subscriptions.push(
    capture,
    status,
    ...registerCommands({ log, capture, pipeline, secrets: context.secrets, tokenKey: TOKEN_KEY, traceDirectory }),
  );

  log.info(`Worktrace ${extensionVersion} in VS Code ${vscode.version}; session ${identity.session}`);
  void startSession(extensionVersion, recorder, pipeline, capture, log);

  const flush = async (): Promise<void> => {
    capture.flush();
    stepper.closeAll('flush');
    await pipeline.drain();
  };
  shutdown = async () => {
    capture.dispose();
    recorder.emit({ kind: 'session.end', reason: 'deactivate' });
    stepper.closeAll('flush');
    recorder.dispose();
    await pipeline.shutdown();
  };
  return {
    sessionId: identity.session,
    get traceDirectory() {
      return traceDirectory();
    },
    spoolDirectory: pipeline.spool.directory,
    flush,
    onDidRecord: (listener) => {
      const subscription = recorder.observe((e) => {
        try {
          listener(e);
        } catch (err) {
          log.warn(`an onDidRecord listener failed: ${String(err)}`);
        }
      });
      return new vscode.Disposable(() => subscription.dispose());
    },
  };
}

/** Opens the spool, probes git (asynchronously), writes `session.start`, then starts capture. */
async function startSession(extensionVersion: string, recorder: Recorder, pipeline: Pipeline, capture: CaptureController, log: vscode.LogOutputChannel): Promise<void> {
  try {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const [probes] = await Promise.all([
      Promise.all(folders.map((f) => (f.uri.scheme === 'file' ? probeGit(f.uri.fsPath, folders.length > 1 ? f.name : '.') : Promise.resolve(undefined)))),
      pipeline.start().catch((e: unknown) => log.error(`cannot open the spool: ${e instanceof Error ? e.message : String(e)}; events are kept in memory`)),
    ]);
    recorder.emit({
      kind: 'session.start',
      vscodeVersion: vscode.version,
      extensionVersion,
      platform: `${process.platform}-${process.arch}`,
      folders: folders.map((f) => f.name),
      repos: probes.filter((p) => p !== undefined),
    });
  } catch (e) {
    log.error(`could not describe the session: ${String(e)}`);
  }
  capture.start();
}

export async function deactivate(): Promise<void> {
  const done = shutdown;
  shutdown = undefined;
  await done?.();
}
