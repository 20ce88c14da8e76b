import * as vscode from 'vscode';
import type { Logger } from '../common/logger';
import { probeGit } from '../git/probe';
import { SCHEMA_REVISION, type NewEventOf } from '../trace/events';

/** Describes this window's session (VS Code, extension, folders, git HEAD and dirtiness), asynchronously. */
export async function describeSession(extensionVersion: string, log: Logger): Promise<NewEventOf<'session.start'>> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let repos: NewEventOf<'session.start'>['repos'] = [];
  try {
    const probes = await Promise.all(folders.map((f) => (f.uri.scheme === 'file' ? probeGit(f.uri.fsPath, folders.length > 1 ? f.name : '.') : Promise.resolve(undefined))));
    repos = probes.filter((p) => p !== undefined);
  } catch (e) {
    log.warn(`could not read the git state: ${String(e)}`);
  }
  return {
    kind: 'session.start',
    vscodeVersion: vscode.version,
    extensionVersion,
    platform: `${process.platform}-${process.arch}`,
    folders: folders.map((f) => f.name),
    repos,
    revision: SCHEMA_REVISION,
  };
}
