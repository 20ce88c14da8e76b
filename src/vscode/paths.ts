import * as path from 'node:path';
import * as vscode from 'vscode';
import { saltedHash } from '../trace/identity';

export interface TraceLocation {
  /** The path written to the trace (see `TracePath` in src/trace/events.ts). */
  path: string;
  /** Outside every workspace folder: recorded without content, under a hashed path. */
  outside: boolean;
}

const CAPTURED_SCHEMES = new Set(['file', 'untitled']);

/** Maps URIs to trace paths: workspace-relative with `/`, never absolute. */
export class TracePaths {
  constructor(private readonly salt: string) {}

  /** Undefined for URIs Worktrace does not capture (output channels, git views, settings…). */
  locate(uri: vscode.Uri): TraceLocation | undefined {
    if (!CAPTURED_SCHEMES.has(uri.scheme)) {
      return undefined;
    }
    if (uri.scheme === 'untitled') {
      return { path: `untitled:${uri.path}`, outside: false };
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) {
      return { path: `outside:${saltedHash(this.salt, uri.toString())}`, outside: true };
    }
    const relative = path.posix.relative(folder.uri.path, uri.path);
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    return { path: multiRoot ? `${folder.name}/${relative}` : relative, outside: false };
  }
}
