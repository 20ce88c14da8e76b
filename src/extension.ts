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
import { FileTraceWriter } from './pipeline/fileWriter';
import { EditStepper } from './semantic/editSteps';
import { newSalt, workspaceId } from './trace/identity';
import { passThroughPrivacy, Recorder } from './trace/recorder';
import { StatusBar } from './ui/statusBar';
import { Configuration } from './vscode/configuration';
import { TracePaths } from './vscode/paths';

/** What `vscode.extensions.getExtension('worktrace.worktrace').exports` offers. */
export interface WorktraceApi {
  readonly sessionId: string;
  /** Folder of the local trace files. */
  readonly traceDirectory: string;
  /** Closes the open edit step and writes everything captured so far. */
  flush(): Promise<void>;
}

let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): WorktraceApi {
  const log = vscode.window.createOutputChannel('Worktrace', { log: true });
  context.subscriptions.push(log);
  const config = new Configuration(log);
  context.subscriptions.push(config);
  const settings = config.settings;

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

  const traceDirectory = settings.fileDirectory || path.join(context.globalStorageUri.fsPath, 'traces');
  const writer = new FileTraceWriter({ directory: traceDirectory, flushIntervalMs: 500, maxBatch: 1000 }, log);
  const recorder = new Recorder(identity, passThroughPrivacy, writer, log);
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
  context.subscriptions.push(capture, new StatusBar(capture), ...registerCommands({ log, capture }));

  log.info(`Worktrace ${extensionVersion(context)} in VS Code ${vscode.version}; session ${identity.session}; traces in ${traceDirectory}`);
  void startSession(context, recorder, capture, log);

  const flush = async (): Promise<void> => {
    capture.flush();
    stepper.closeAll('flush');
    await writer.flush();
  };
  shutdown = async () => {
    capture.dispose();
    recorder.emit({ kind: 'session.end', reason: 'deactivate' });
    await flush();
    recorder.dispose();
  };
  return { sessionId: identity.session, traceDirectory, flush };
}

/** Probes git for each folder (asynchronously), writes `session.start`, then starts capture. */
async function startSession(context: vscode.ExtensionContext, recorder: Recorder, capture: CaptureController, log: vscode.LogOutputChannel): Promise<void> {
  try {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const probes = await Promise.all(folders.map((f) => (f.uri.scheme === 'file' ? probeGit(f.uri.fsPath, folders.length > 1 ? f.name : '.') : Promise.resolve(undefined))));
    recorder.emit({
      kind: 'session.start',
      vscodeVersion: vscode.version,
      extensionVersion: extensionVersion(context),
      platform: `${process.platform}-${process.arch}`,
      folders: folders.map((f) => f.name),
      repos: probes.filter((p) => p !== undefined),
    });
  } catch (e) {
    log.error(`could not describe the session: ${String(e)}`);
  }
  capture.start();
}

function extensionVersion(context: vscode.ExtensionContext): string {
  return (context.extension.packageJSON as { version: string }).version;
}

export async function deactivate(): Promise<void> {
  const done = shutdown;
  shutdown = undefined;
  await done?.();
}
