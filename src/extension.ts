/**
 * Composition root: creates the logger, configuration, pipeline, collectors, status bar
 * and commands once each, wires them by constructor and hands them to VS Code for
 * disposal. No synchronous file or process work happens here.
 */
import * as path from 'node:path';
import { nanoid } from 'nanoid';
import * as vscode from 'vscode';
import { CaptureController, type Attached } from './capture/controller';
import { DocumentCollector } from './collectors/documents';
import { FileCollector } from './collectors/files';
import { registerCommands } from './commands';
import { disposeAll, type IDisposable } from './common/lifecycle';
import { probeGit } from './git/probe';
import { createDestination } from './pipeline/destinations/factory';
import { Pipeline } from './pipeline/pipeline';
import { EditStepper } from './semantic/editSteps';
import { newSalt, workspaceId } from './trace/identity';
import { passThroughPrivacy, Recorder } from './trace/recorder';
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

  const recorder = new Recorder(identity, passThroughPrivacy, pipeline, log);
  pipeline.setEventSink((e) => recorder.emit(e));
  const stepper = new EditStepper((e) => recorder.emit(e), { pauseMs: settings.editStepPauseMs });
  context.subscriptions.push(recorder.observe((e) => stepper.observe(e)), stepper);

  const paths = new TracePaths(salt);
  const capture = new CaptureController(
    {
      attach: (): Attached => {
        const documents = new DocumentCollector(recorder, paths, { get maxDocumentBytes() { return config.settings.maxDocumentBytes; } }, log);
        const collectors: IDisposable[] = [documents, new FileCollector(recorder, paths, log)];
        return { dispose: () => disposeAll(collectors), flush: () => documents.settleAll() };
      },
      beforeDetach: () => stepper.closeAll('flush'),
    },
    log,
  );
  const traceDirectory = (): string => config.settings.fileDirectory || defaultTraceDirectory;
  context.subscriptions.push(
    capture,
    new StatusBar(capture, pipeline),
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
