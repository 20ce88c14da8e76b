/** Helpers for integration tests that run inside the real extension host. */
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorktraceApi } from '../../src/extension';
import { replayTrace } from '../../src/replay/replay';
import { readTrace } from '../../src/trace/readTrace';
import type { TraceEvent } from '../../src/trace/events';
import { validateEvent } from '../support/schema';

export async function worktrace(): Promise<WorktraceApi> {
  const extension = vscode.extensions.getExtension<WorktraceApi>('worktrace.worktrace');
  assert.ok(extension, 'Worktrace is installed');
  return extension.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** Flushes Worktrace and reads this session's events from the local trace files. */
export async function sessionEvents(): Promise<TraceEvent[]> {
  const api = await worktrace();
  await api.flush();
  if (!existsSync(api.traceDirectory)) {
    return []; // nothing was ever written
  }
  return readTrace(api.traceDirectory).filter((e) => e.session === api.sessionId);
}

/** Asserts that every event of the session validates against the checked-in JSON Schema. */
export function assertValid(events: readonly TraceEvent[]): void {
  for (const event of events) {
    assert.deepEqual(validateEvent(event), [], `${event.kind} #${event.seq} validates: ${JSON.stringify(event).slice(0, 300)}`);
  }
}

/** Replays this session's trace and returns the rebuilt text of a workspace-relative path. */
export async function replayed(relativePath: string): Promise<string> {
  const events = await sessionEvents();
  assertValid(events);
  const { documents } = replayTrace(events);
  const doc = documents.get(relativePath);
  assert.ok(doc, `the trace holds ${relativePath}`);
  assert.ok(doc.replayable, `${relativePath} is replayable`);
  return doc.text;
}

/**
 * The acceptance check: replay of the captured trace equals document.getText(), and,
 * once saved, the file on disk, byte for byte.
 */
export async function assertReplayExact(document: vscode.TextDocument): Promise<void> {
  const relative = vscode.workspace.asRelativePath(document.uri, false);
  if (document.isDirty) {
    assert.ok(await document.save(), 'document saved');
  }
  const text = await replayed(relative);
  assert.equal(text, document.getText(), 'replay equals document.getText()');
  const disk = await fs.readFile(document.uri.fsPath);
  assert.ok(Buffer.from(text, 'utf8').equals(disk), `replay equals ${relative} on disk byte for byte`);
}

/** Creates a file in the workspace and opens it in an editor. */
export async function openNew(relativePath: string, content: string | Buffer): Promise<vscode.TextEditor> {
  const file = path.join(workspaceRoot(), relativePath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document);
}

/** Resolves when the document satisfies `predicate` (checked now and on each change). */
export function whenText(document: vscode.TextDocument, predicate: (text: string) => boolean, what: string): Promise<void> {
  if (predicate(document.getText())) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, 20_000);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === document && predicate(document.getText())) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

/** Types text through the real typing path, one character per `type` command. */
export async function typeChars(text: string): Promise<void> {
  for (const ch of text) {
    await vscode.commands.executeCommand('type', { text: ch });
  }
}

export function editsOf(events: readonly TraceEvent[], path: string): Extract<TraceEvent, { kind: 'doc.edit' }>[] {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'doc.edit' }> => e.kind === 'doc.edit' && e.path === path);
}

export function stepsOf(events: readonly TraceEvent[], path: string): Extract<TraceEvent, { kind: 'edit.step' }>[] {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'edit.step' }> => e.kind === 'edit.step' && e.path === path);
}

/** Resolves with the first recorded event (from now on) that satisfies `predicate`. */
export function nextEvent<K extends TraceEvent['kind']>(kind: K, predicate: (e: Extract<TraceEvent, { kind: K }>) => boolean = () => true, timeoutMs = 60_000): Promise<Extract<TraceEvent, { kind: K }>> {
  // Subscribe synchronously: the event may be recorded before an `await` here would return.
  const api = vscode.extensions.getExtension<WorktraceApi>('worktrace.worktrace')?.exports;
  if (!api) {
    return Promise.reject(new Error('Worktrace is not active: await worktrace() first'));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for a ${kind} event`));
    }, timeoutMs);
    const sub = api.onDidRecord((e) => {
      if (e.kind === kind && predicate(e as Extract<TraceEvent, { kind: K }>)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e as Extract<TraceEvent, { kind: K }>);
      }
    });
  });
}

/** Opens a bash terminal and resolves once its shell integration is active. */
export async function bashTerminal(name: string): Promise<vscode.Terminal> {
  const terminal = vscode.window.createTerminal({ name, shellPath: '/bin/bash', cwd: workspaceRoot() });
  terminal.show();
  if (terminal.shellIntegration) {
    return terminal;
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('shell integration did not activate in 30 s'));
    }, 30_000);
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal === terminal) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
  return terminal;
}

/** Runs a command through shell integration and resolves with its exit code when it ends. */
export async function runInTerminal(terminal: vscode.Terminal, command: string): Promise<number | undefined> {
  const integration = terminal.shellIntegration;
  assert.ok(integration, 'shell integration is active');
  const execution = integration.executeCommand(command);
  return new Promise((resolve) => {
    const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
      if (e.execution === execution) {
        sub.dispose();
        resolve(e.exitCode);
      }
    });
  });
}

/**
 * Consent for the configured network destination, as an engineer gives it. The consent
 * notification itself is clicked through the real workbench in test/ui/consent.test.ts;
 * in-host suites answer through the command that the notice's "Allow" runs.
 */
export async function grantConsentForTests(): Promise<void> {
  await vscode.commands.executeCommand('worktrace.showConsent', 'allow');
}

/** Asserts that none of `secrets` appears in any file below the given folders. */
export async function assertNotOnDisk(folders: readonly string[], secrets: readonly string[]): Promise<void> {
  for (const dir of folders) {
    for (const file of await fs.readdir(dir, { recursive: true })) {
      const full = path.join(dir, String(file));
      if ((await fs.stat(full)).isFile()) {
        const text = await fs.readFile(full, 'utf8');
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `${secret.slice(0, 8)}… is not in ${full}`);
        }
      }
    }
  }
}
