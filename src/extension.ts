/**
 * Composition root: creates the logger, configuration, pipeline, collectors, status bar
 * and commands once each, wires them by constructor and hands them to VS Code for
 * disposal. No synchronous file or process work happens here.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { nanoid } from 'nanoid';
import * as vscode from 'vscode';
import { CaptureController, type PauseRecord } from './capture/controller';
import { registerCommands } from './commands';
import { GitInspector } from './git/inspector';
import { createDestination } from './pipeline/destinations/factory';
import { Pipeline } from './pipeline/pipeline';
import { EditStepper } from './semantic/editSteps';
import { Linker } from './semantic/linker';
import type { NewEventOf, TraceEvent } from './trace/events';
import { newSalt, saltedHash, workspaceId } from './trace/identity';
import { listIgnored } from './git/probe';
import { Exclusions, IgnoredIndex } from './privacy/exclusions';
import { Recorder } from './trace/recorder';
import { Redactor } from './privacy/redact';
import { RedactingPrivacyStage } from './privacy/stage';
import { StatusBar } from './ui/statusBar';
import { Configuration } from './vscode/configuration';
import { Consent } from './vscode/consent';
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
}

export const TOKEN_KEY = 'worktrace.endpoint.token';
const PAUSE_KEY = 'worktrace.pause';
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
  context.subscriptions.push(consent);
  const applyDestination = (): void => {
    const deps = {
      defaultTraceDirectory,
      token: async () => (await context.secrets.get(TOKEN_KEY)) || undefined,
      identity: { extensionVersion, vscodeVersion: vscode.version },
    };
    const made = createDestination(config.settings, deps);
    if ('error' in made) {
      pipeline.setDestination(undefined, made.error);
      return;
    }
    const destination = made.destination;
    if (destination.kind === 'file') {
      pipeline.setDestination(destination);
      return;
    }
    // A network destination: only with the engineer's consent for this workspace and endpoint.
    const key = `${destination.kind} ${config.settings.endpointUrl}`;
    const decision = consent.decision(key);
    if (decision === 'allow') {
      pipeline.setDestination(destination);
    } else if (decision === 'local' || decision === 'disable') {
      const local = createDestination({ ...config.settings, destination: 'file' }, deps);
      pipeline.setDestination('destination' in local ? local.destination : undefined);
    } else {
      pipeline.setDestination(undefined, undefined, `${destination.kind} ${destination.target}`);
      consent.ask(key, `${destination.kind === 'otlp' ? 'the OpenTelemetry Collector at' : ''} ${destination.target}`.trim());
    }
  };
  applyDestination();
  const consentDisabled = (): boolean => {
    const s = config.settings;
    return s.destination !== 'file' && consent.decision(`${s.destination} ${s.endpointUrl}`) === 'disable';
  };
  context.subscriptions.push(config.onDidChange(applyDestination), consent.onDidChange(applyDestination), pipeline);

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
  const ignored = new IgnoredIndex();
  const makeExclusions = (): Exclusions => {
    const made = new Exclusions({ globs: config.settings.exclude, ignored: (p) => config.settings.respectGitignore && ignored.has(p), hash: (p) => saltedHash(salt, p) });
    made.problems.forEach((p) => log.warn(p));
    return made;
  };
  let exclusions = makeExclusions();
  context.subscriptions.push(config.onDidChange(() => (exclusions = makeExclusions())));
  const reloadIgnored = debounce(() => void loadIgnored(ignored, log), 1_000);
  const privacy = new RedactingPrivacyStage(() => redactor, pathReplacements, () => exclusions);
  context.subscriptions.push({ dispose: () => privacy.dispose() });
  const recorder = new Recorder(identity, privacy, pipeline, log);
  pipeline.setEventSink((e) => recorder.emit(e));
  const stepper = new EditStepper((e) => recorder.emit(e), { pauseMs: settings.editStepPauseMs });
  const linker = new Linker((e) => recorder.emit(e), () => stepper.closeAll('run'), { tests: () => config.settings.capture.tests });
  recorder.setEnricher((e) => linker.enrich(e));
  context.subscriptions.push(
    recorder.observe((e) => stepper.observe(e)),
    recorder.observe((e) => linker.observe(e)),
    recorder.observe((e) => e.kind === 'file.create' && reloadIgnored()),
    stepper,
  );

  const paths = new TracePaths(salt);
  const inspector = new GitInspector();
  let sessionStart: NewEventOf<'session.start'> | undefined;
  let sessionStarted = false;
  const capture = new CaptureController(
    {
      attach: () => createCollectors({ sink: recorder, paths, settings: () => config.settings, inspector, onUncapturedTerminal: (name) => status.noteUncapturedTerminal(name), log }),
      afterAttach: () => {
        if (!sessionStarted && sessionStart) {
          sessionStarted = true;
          recorder.emit(sessionStart); // the first time capture runs in this window
        } else {
          recorder.emit({ kind: 'capture.resume' });
        }
      },
      beforeDetach: (next, until) => {
        privacy.releaseAll();
        stepper.closeAll('flush');
        if (next !== 'starting' && sessionStarted) {
          recorder.emit({ kind: 'capture.pause', reason: next === 'untrusted' ? 'untrusted' : next === 'disabled' ? 'disabled' : 'paused', until: until ?? null });
        }
      },
      persistPause: (pause) => context.workspaceState.update(PAUSE_KEY, pause),
    },
    log,
    { enabled: workspaceEnabled() && !consentDisabled(), trusted: vscode.workspace.isTrusted, ...(context.workspaceState.get<PauseRecord>(PAUSE_KEY) ? { pause: context.workspaceState.get<PauseRecord>(PAUSE_KEY) } : {}) },
  );
  context.subscriptions.push(
    config.onDidChange(() => {
      capture.refresh();
      capture.setEnabled(workspaceEnabled() && !consentDisabled());
    }),
    consent.onDidChange(() => capture.setEnabled(workspaceEnabled() && !consentDisabled())),
    vscode.workspace.onDidGrantWorkspaceTrust(() => capture.setTrusted(true)),
  );
  const traceDirectory = (): string => config.settings.fileDirectory || defaultTraceDirectory;
  const status = new StatusBar(capture, pipeline, () => privacy.redacted);
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
      consentKey: () => `${config.settings.destination} ${config.settings.endpointUrl}`,
      persist: async () => {
        capture.flush();
        privacy.releaseAll();
        stepper.closeAll('flush');
        await pipeline.persist();
      },
      resnapshot: () => capture.reattach(),
    }),
  );

  log.info(`Worktrace ${extensionVersion} in VS Code ${vscode.version}; session ${identity.session}`);
  void (async () => {
    const [described] = await Promise.all([
      describeSession(extensionVersion, log),
      loadIgnored(ignored, log),
      pipeline.start().catch((e: unknown) => log.error(`cannot open the spool: ${e instanceof Error ? e.message : String(e)}; events are kept in memory`)),
    ]);
    sessionStart = described;
    capture.start();
  })();

  const flush = async (): Promise<void> => {
    capture.flush();
    privacy.releaseAll();
    stepper.closeAll('flush');
    await pipeline.drain();
  };
  shutdown = async () => {
    capture.dispose();
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

/** Loads what git ignores in every workspace folder (trace paths). */
async function loadIgnored(index: IgnoredIndex, log: vscode.LogOutputChannel): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const lists = await Promise.all(folders.map(async (f) => (await listIgnored(f.uri.fsPath)).map((p) => (folders.length > 1 ? `${f.name}/${p}` : p))));
  index.set(lists.flat());
  log.debug(`${index.size} git-ignored entries excluded`);
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** worktrace.enabled as it applies to this workspace (team leads set it in .vscode/settings.json). */
function workspaceEnabled(): boolean {
  return vscode.workspace.getConfiguration('worktrace').get<boolean>('enabled', true) !== false;
}

export async function deactivate(): Promise<void> {
  const done = shutdown;
  shutdown = undefined;
  await done?.();
}
