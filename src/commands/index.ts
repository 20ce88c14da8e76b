import * as vscode from 'vscode';
import type { CaptureController } from '../capture/controller';
import type { Pipeline } from '../pipeline/pipeline';
import { deleteLocalData, describeLocalData } from '../pipeline/localData/deleteLocalData';
import { forgetRecent } from '../pipeline/localData/forgetRecent';
import type { Consent, ConsentDecision } from '../vscode/consent';
import { mkdirPrivate } from '../common/privateFs';

export interface CommandDeps {
  log: vscode.LogOutputChannel;
  capture: CaptureController;
  pipeline: Pipeline;
  secrets: vscode.SecretStorage;
  tokenKey: string;
  traceDirectory: () => string;
  consent: Consent;
  /** The consent key of the configured destination. */
  consentKey: () => string;
  /** Writes everything held or queued to the spool (before data on disk is rewritten). */
  persist: () => Promise<void>;
  /** Fresh snapshots of the open documents (after data was forgotten, so replay stays exact). */
  resnapshot: () => void;
}

/** Registers Worktrace's commands; every one is listed in package.json `contributes.commands`. */
export function registerCommands({ log, capture, pipeline, secrets, tokenKey, traceDirectory, consent, consentKey, persist, resnapshot }: CommandDeps): vscode.Disposable[] {
  const folders = { spoolDirectory: pipeline.spool.directory, get traceDirectory() { return traceDirectory(); } };
  return [
    vscode.commands.registerCommand('worktrace.showLog', () => log.show(true)),
    vscode.commands.registerCommand('worktrace.togglePause', () => {
      capture.togglePause();
      return capture.whenPersisted();
    }),
    vscode.commands.registerCommand('worktrace.pause', () => {
      capture.pauseFor();
      return capture.whenPersisted();
    }),
    vscode.commands.registerCommand('worktrace.resume', () => {
      capture.resume();
      return capture.whenPersisted();
    }),
    vscode.commands.registerCommand('worktrace.pauseFor', async (minutes?: number) => {
      if (typeof minutes === 'number') {
        capture.pauseFor(minutes * 60_000);
        await capture.whenPersisted();
        return;
      }
      const picked = await vscode.window.showQuickPick(
        [
          { label: '$(clock) 15 minutes', minutes: 15 },
          { label: '$(clock) 1 hour', minutes: 60 },
          { label: '$(debug-pause) Until I resume', minutes: undefined },
        ],
        { title: 'Worktrace: pause capture', placeHolder: 'Nothing is captured while paused, not even in memory' },
      );
      if (picked) {
        capture.pauseFor(picked.minutes === undefined ? undefined : picked.minutes * 60_000);
        await capture.whenPersisted();
      }
    }),
    vscode.commands.registerCommand('worktrace.enableInWorkspace', async () => {
      const config = vscode.workspace.getConfiguration('worktrace');
      await config.update('enabled', true, vscode.ConfigurationTarget.Workspace);
      if (config.inspect<boolean>('enabled')?.globalValue === false) {
        void vscode.window.showWarningMessage('Worktrace is turned off in your user settings (worktrace.enabled: false), and a workspace setting cannot turn it on. Change your user setting to record here.');
      }
    }),
    vscode.commands.registerCommand('worktrace.disableInWorkspace', async () => {
      await vscode.workspace.getConfiguration('worktrace').update('enabled', false, vscode.ConfigurationTarget.Workspace);
    }),
    vscode.commands.registerCommand('worktrace.flushNow', async () => {
      await pipeline.flush();
      log.info('flush requested: everything captured so far is in the spool and being sent');
    }),
    vscode.commands.registerCommand('worktrace.openTraceFolder', async () => {
      const folder = vscode.Uri.file(traceDirectory());
      await mkdirPrivate(folder.fsPath);
      if (vscode.env.remoteName || vscode.env.uiKind === vscode.UIKind.Web) {
        // The OS file manager is not reachable from a remote or browser window: open the folder in the explorer instead.
        await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true });
      } else {
        await vscode.commands.executeCommand('revealFileInOS', folder);
      }
    }),
    vscode.commands.registerCommand('worktrace.setEndpointToken', async (token?: string) => {
      const value =
        typeof token === 'string'
          ? token
          : await vscode.window.showInputBox({
              title: 'Worktrace: endpoint token',
              prompt: 'Bearer token sent to worktrace.endpoint.url. Kept in VS Code secret storage (the OS keychain), never in settings. Leave empty to remove it.',
              password: true,
              ignoreFocusOut: true,
            });
      if (value === undefined) {
        return;
      }
      if (value.trim()) {
        await secrets.store(tokenKey, value.trim());
        log.info('endpoint token stored in secret storage');
      } else {
        await secrets.delete(tokenKey);
        log.info('endpoint token removed');
      }
    }),
    vscode.commands.registerCommand('worktrace.showConsent', async (answer?: ConsentDecision) => {
      const key = consentKey();
      if (key.startsWith('file ')) {
        void vscode.window.showInformationMessage('Worktrace writes to local files only (worktrace.destination is "file"): nothing leaves this machine, no consent is needed.');
        return;
      }
      if (answer === 'allow' || answer === 'local' || answer === 'disable') {
        await consent.set(key, answer);
        return;
      }
      const current = consent.decision(key);
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Allow', description: `send this workspace's trace to ${key}`, decision: 'allow' as const },
          { label: 'Keep local only', description: 'write local trace files instead; nothing leaves the machine', decision: 'local' as const },
          { label: 'Disable here', description: 'capture nothing in this workspace', decision: 'disable' as const },
        ].map((i) => ({ ...i, picked: i.decision === current, detail: i.decision === current ? 'current choice' : undefined })),
        { title: `Worktrace: consent for ${key}`, placeHolder: current ? `Current choice: ${current}` : 'Not answered yet' },
      );
      if (picked) {
        await consent.set(key, picked.decision);
      }
    }),
    vscode.commands.registerCommand('worktrace.forgetRecent', async (minutes?: number) => {
      const chosen =
        typeof minutes === 'number'
          ? minutes
          : (
              await vscode.window.showQuickPick(
                [5, 15, 60].map((m) => ({ label: `Forget the last ${m} minutes`, minutes: m })),
                { title: 'Worktrace: forget recent capture', placeHolder: 'Removed from the spool and the local trace files (what was already delivered to an endpoint stays there)' },
              )
            )?.minutes;
      if (chosen === undefined) {
        return;
      }
      const sinceTs = Date.now() - chosen * 60_000;
      await persist();
      const result = await forgetRecent({ spoolDirectory: folders.spoolDirectory, traceDirectory: folders.traceDirectory, sinceTs });
      resnapshot();
      for (const note of result.notes) {
        log.warn(`forget recent: ${note.file}: ${note.kind}: ${note.detail}`);
      }
      const message = `Worktrace forgot the last ${chosen} minutes: ${result.spoolRecords} event(s) from the spool and ${result.traceEvents} from local trace files.`;
      log.info(message);
      void vscode.window.showInformationMessage(message);
    }),
    vscode.commands.registerCommand('worktrace.deleteLocalData', async (confirmed?: boolean) => {
      const summary = await describeLocalData(folders);
      const size = `${(summary.total.bytes / 1048576).toFixed(1)} MB in ${summary.total.files} file(s)`;
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(
          `Delete Worktrace's local data (${size}: the spool of undelivered events and the local trace files)? This cannot be undone.`,
          { modal: true },
          'Delete',
        );
        if (answer !== 'Delete') {
          return;
        }
      }
      await persist();
      const result = await deleteLocalData(folders);
      resnapshot();
      for (const failure of result.failures) {
        log.warn(`delete local data: ${failure.file}: ${failure.reason}`);
      }
      const message = `Worktrace deleted ${result.files} file(s), ${(result.bytes / 1048576).toFixed(1)} MB of local data.`;
      log.info(message);
      void vscode.window.showInformationMessage(message);
    }),
    vscode.commands.registerCommand('worktrace.retryFailed', async () => {
      const n = await pipeline.retryFailed();
      void vscode.window.showInformationMessage(n ? `Worktrace: ${n} failed batch(es) are queued again.` : 'Worktrace: there are no failed batches.');
    }),
  ];
}
