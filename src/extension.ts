/**
 * Composition root: creates the logger, configuration, pipeline, collectors, status bar
 * and commands once each, wires them by constructor and hands them to VS Code for
 * disposal. No synchronous file or process work happens here.
 */
import * as path from 'node:path';
import { nanoid } from 'nanoid';
import * as vscode from 'vscode';
import { commitAuthorship } from './authorship/commitFromGit';
import type { DiskCapture } from './disk/diskCapture';
import { AuthorshipTracker } from './authorship/tracker';
import { CaptureController, storedPause, type PauseRecord } from './capture/controller';
import { registerTaskCommands } from './commands/task';
import { GoalTracker, storedGoal, type CurrentGoal } from './goals/goalTracker';
import { tightenTree } from './common/privateFs';
import { TurnBudget } from './common/turnBudget';
import { registerCommands } from './commands';
import { GitInspector } from './git/inspector';
import { Pipeline } from './pipeline/pipeline';
import { EditStepper } from './semantic/editSteps';
import { Linker } from './semantic/linker';
import type { NewEventOf, TraceEvent } from './trace/events';
import { newSalt, workspaceId } from './trace/identity';
import { Recorder } from './trace/recorder';
import { StatusBar } from './ui/statusBar';
import { registerTimeline } from './ui/timelinePanel';
import { Configuration } from './vscode/configuration';
import { Consent } from './vscode/consent';
import { destinationDeps, DestinationWiring } from './vscode/destination';
import { WorkspaceValue } from './vscode/workspaceValue';
import { PrivacySetup } from './vscode/privacy';
import { createCollectors } from './vscode/collectors';
import { TracePaths } from './vscode/paths';
import { describeSession } from './vscode/session';

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
  /** What the status bar item's tooltip says now (Markdown). */
  statusText(): string;
}

export const TOKEN_KEY = 'worktrace.endpoint.token';

/** Run once after start-up by startup/entry.ts (see startup/warmUpSteps.ts). */
export { WARM_UP_STEPS } from './startup/warmUpSteps';
/** What recording and the document and disk collectors' work may take of one turn of the extension host's event loop, together (ms); the rest waits for later turns (see TurnBudget). */
const TURN_BUDGET_MS = 4;
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
  const consent = new Consent(context.workspaceState, log);
  const tokenChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(tokenChanged, context.secrets.onDidChange((e) => e.key === TOKEN_KEY && tokenChanged.fire()));
  const destinations = new DestinationWiring(config, pipeline, consent, destinationDeps(context.secrets, TOKEN_KEY, defaultTraceDirectory, extensionVersion), tokenChanged.event);
  const privacySetup = new PrivacySetup(config, salt, log);
  const privacy = privacySetup.stage;
  context.subscriptions.push(consent, destinations, pipeline, privacySetup);
  // A turn budget: a replace in 200 files hands over hundreds of events in one message; the
  // editor must not wait until all of them are recorded.
  const turnBudget = new TurnBudget(TURN_BUDGET_MS);
  const recorder = new Recorder(identity, privacy, pipeline, log, Date.now, { turnBudget });
  pipeline.setEventSink((e) => recorder.emit(e));
  const stepper = new EditStepper((e) => recorder.emit(e), { pauseMs: settings.editStepPauseMs });
  const linker = new Linker((e) => recorder.emit(e), () => stepper.closeAll('run'), { tests: () => config.settings.capture.tests });
  recorder.setEnricher((e) => linker.enrich(e));
  const authors = new AuthorshipTracker({ maxCharacters: 4 * 1024 * 1024 });
  context.subscriptions.push(
    recorder.observe((e) => authors.apply(e)),
    recorder.observe((e) => stepper.observe(e)),
    recorder.observe((e) => linker.observe(e)),
    recorder.observe((e) => e.kind === 'file.create' && privacySetup.reloadIgnoredSoon()),
    stepper,
  );

  /** Capture runs unless the workspace setting or the engineer's consent answer says no. */
  const captureEnabled = (): boolean => config.settings.enabled && !destinations.disabledByConsent;
  /** Writes what collectors and the privacy stage hold back and closes the open edit step. */
  const settle = (): void => {
    capture.flush();
    recorder.drain();
    privacy.releaseAll();
    stepper.closeAll('flush');
  };
  let disk: DiskCapture | undefined;
  const paths = new TracePaths(salt);
  const pauseStore = new WorkspaceValue<PauseRecord>(context.storageUri, context.workspaceState, 'pause', storedPause);
  const taskStore = new WorkspaceValue<CurrentGoal>(context.storageUri, context.workspaceState, 'task', storedGoal);
  const inspector = new GitInspector();
  let sessionStart: NewEventOf<'session.start'> | undefined;
  let sessionStarted = false;
  const capture = new CaptureController(
    {
      attach: () =>
        createCollectors({
          sink: recorder,
          paths,
          settings: () => config.settings,
          inspector,
          onUncapturedTerminal: (name) => status.noteUncapturedTerminal(name),
          disk: () => disk,
          turnBudget,
          authorship: (root, repo, sha) => {
            recorder.drain();
            privacy.releaseAll(); // keystrokes still held belong to the commit's lines
            return commitAuthorship(inspector, authors, root, repo, sha);
          },
          log,
        }),
      afterAttach: () => {
        if (!sessionStarted && sessionStart) {
          sessionStarted = true;
          recorder.emit(sessionStart); // the first time capture runs in this window
        } else {
          recorder.emit({ kind: 'capture.resume' });
        }
        goals.attached();
      },
      beforeDetach: (next, until) => {
        recorder.drain();
        privacy.releaseAll();
        stepper.closeAll('flush');
        if (next !== 'starting' && sessionStarted) {
          recorder.emit({ kind: 'capture.pause', reason: next === 'untrusted' ? 'untrusted' : next === 'disabled' ? 'disabled' : 'paused', until: until ?? null });
        }
      },
      persistPause: (pause) => pauseStore.write(pause).catch((e: unknown) => log.warn(`cannot store the pause: ${String(e)}`)),
    },
    log,
    { enabled: captureEnabled(), trusted: vscode.workspace.isTrusted },
  );
  const goals = new GoalTracker({
    emit: (e) => recorder.emit(e),
    recording: () => capture.state === 'recording',
    persist: (goal) => taskStore.write(goal).catch((e: unknown) => log.warn(`cannot store the current task: ${String(e)}`)),
  });
  let lastExclusions = JSON.stringify([config.settings.exclude, config.settings.respectGitignore]);
  context.subscriptions.push(
    config.onDidChange(() => {
      capture.refresh();
      capture.setEnabled(captureEnabled());
      const exclusions = JSON.stringify([config.settings.exclude, config.settings.respectGitignore]);
      if (exclusions !== lastExclusions) {
        lastExclusions = exclusions;
        capture.reattach(); // documents no longer excluded get a snapshot, so replay can start there
      }
    }),
    consent.onDidChange(() => capture.setEnabled(captureEnabled())),
    vscode.workspace.onDidGrantWorkspaceTrust(() => capture.setTrusted(true)),
  );
  const traceDirectory = (): string => config.settings.fileDirectory || defaultTraceDirectory;
  const status = new StatusBar({ capture, pipeline, goals, redacted: () => privacy.redacted, ignoredSettings: () => config.ignoredWorkspaceSettings, onDidChangeSettings: (listener) => config.onDidChange(listener) });
  context.subscriptions.push(
    capture,
    status,
    ...registerCommands({
      log,
      capture,
      pipeline,
      secrets: context.secrets,
      tokenKey: TOKEN_KEY,
      traceDirectory,
      consent,
      consentKey: () => destinations.consentKey,
      persist: async () => {
        settle();
        await pipeline.persist();
      },
      resnapshot: () => capture.reattach(),
    }),
    ...registerTaskCommands(goals),
  );

  /** The changes-on-disk capture: a content store in the workspace storage (none without a workspace). */
  const openDiskCapture = async (): Promise<DiskCapture | undefined> => {
    if (!context.storageUri || context.storageUri.scheme !== 'file') {
      return undefined;
    }
    try {
      // Loaded here, after activation: a bundle of its own (scripts/esbuild-options.mjs).
      const { DiskCapture } = await import('./disk/diskCapture.js');
      return await DiskCapture.create({
        storeDirectory: path.join(context.storageUri.fsPath, 'content-store'),
        storeCapBytes: settings.diskStoreBytes,
        bulkThreshold: settings.bulkThreshold,
        maxBytes: settings.maxDocumentBytes,
        isExcluded: (p) => privacySetup.isExcluded(p),
        respectGitignore: () => config.settings.respectGitignore,
        containsSecret: (t) => privacySetup.containsSecret(t),
        sink: recorder,
        log,
      });
    } catch (e) {
      log.error(`changes on disk are not captured: cannot open the content store (${e instanceof Error ? e.message : String(e)}); check that the extension's storage folder is writable`);
      return undefined;
    }
  };

  context.subscriptions.push(
    registerTimeline(context, {
      traceDirectory,
      live: {
        sessionId: () => (sessionStarted ? identity.session : undefined),
        onDidRecord: (listener) => recorder.observe(listener),
        flush: async () => {
          settle();
          await pipeline.drain();
        },
      },
      log,
    }),
  );

  log.info(`Worktrace ${extensionVersion} in VS Code ${vscode.version}; session ${identity.session}`);
  void (async () => {
    void restrictEarlierData([storage, traceDirectory(), context.storageUri?.fsPath], log);
    const [described, , pause, task] = await Promise.all([
      describeSession(extensionVersion, log),
      privacySetup.loadIgnored(),
      pauseStore.read(),
      taskStore.read(),
      pipeline.start().catch((e: unknown) => log.error(`cannot open the spool: ${e instanceof Error ? e.message : String(e)}; events are kept in memory`)),
    ]);
    sessionStart = described;
    disk = await openDiskCapture();
    capture.restorePause(pause);
    goals.restore(task);
    capture.start();
  })();

  const flush = async (): Promise<void> => {
    settle();
    await disk?.settle();
    settle();
    await destinations.settled();
    await pipeline.drain();
  };
  shutdown = async () => {
    capture.dispose();
    await disk?.dispose();
    if (sessionStarted) {
      recorder.emit({ kind: 'session.end', reason: 'deactivate' });
    }
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
    statusText: () => status.tooltip,
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

/** Data written by versions before 0.2 could be readable by other accounts: tighten it (0700/0600). */
async function restrictEarlierData(folders: (string | undefined)[], log: vscode.LogOutputChannel): Promise<void> {
  const problems: string[] = [];
  for (const folder of folders) {
    if (folder) {
      const changed = await tightenTree(folder, problems);
      if (changed.folders + changed.files > 0) {
        log.info(`made ${changed.folders} folder(s) and ${changed.files} file(s) in ${folder} private to your account (left readable by an earlier version)`);
      }
    }
  }
  problems.forEach((p) => log.warn(p));
}

export async function deactivate(): Promise<void> {
  const done = shutdown;
  shutdown = undefined;
  await done?.();
}
