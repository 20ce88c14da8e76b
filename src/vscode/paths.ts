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

/** Bumped when the workspace folders change: every TracePaths forgets what it located. */
let foldersVersion = 0;
let watchingFolders = false;

function watchFolders(): void {
  if (!watchingFolders) {
    watchingFolders = true;
    // Lives as long as the extension host: one listener however many TracePaths there are.
    vscode.workspace.onDidChangeWorkspaceFolders(() => foldersVersion++);
  }
}

/** URIs whose location is remembered; past it the memory starts afresh. */
const REMEMBERED = 4_096;

/** A folder's URI path ending in `/`: what a path under it starts with. */
export function folderBase(folderPath: string): string {
  return folderPath.endsWith('/') ? folderPath : `${folderPath}/`;
}

/** Maps URIs to trace paths: workspace-relative with `/`, never absolute. */
export class TracePaths {
  /**
   * Locations by URI: every keystroke, selection and scroll asks, and finding a URI's
   * workspace folder is the costly part. Forgotten when the workspace folders change.
   */
  private readonly known = new Map<string, TraceLocation | undefined>();
  private foldersVersion = -1;
  /** Whether the workspace has exactly one folder, as of the folders' version it was read at. */
  private single = { version: -1, value: false };

  constructor(private readonly salt: string) {
    watchFolders();
  }

  /**
   * A URI the file-system watcher of `folder` reported (a checkout reports thousands at once):
   * in a single-folder workspace, its path inside `folder` (`base`: the folder's URI path
   * ending in `/`) without looking its folder up or remembering it; otherwise as {@link locate}.
   */
  inFolder(base: string, uri: vscode.Uri): TraceLocation | undefined {
    if (uri.scheme === 'file' && uri.path.startsWith(base) && this.singleFolder()) {
      return { path: uri.path.slice(base.length), outside: false };
    }
    return this.locate(uri);
  }

  /** Read once per change of the workspace folders (VS Code copies the folder list on every read). */
  private singleFolder(): boolean {
    if (this.single.version !== foldersVersion) {
      this.single = { version: foldersVersion, value: (vscode.workspace.workspaceFolders?.length ?? 0) === 1 };
    }
    return this.single.value;
  }

  /** Whether Worktrace captures documents of this URI's scheme at all (cheap: no lookup). */
  captures(uri: vscode.Uri): boolean {
    return CAPTURED_SCHEMES.has(uri.scheme);
  }

  /** Undefined for URIs Worktrace does not capture (output channels, git views, settings…). */
  locate(uri: vscode.Uri): TraceLocation | undefined {
    if (!CAPTURED_SCHEMES.has(uri.scheme)) {
      return undefined;
    }
    if (foldersVersion !== this.foldersVersion || this.known.size >= REMEMBERED) {
      this.known.clear();
      this.foldersVersion = foldersVersion;
    }
    const key = uri.toString();
    if (this.known.has(key)) {
      return this.known.get(key);
    }
    const location = this.find(uri);
    this.known.set(key, location);
    return location;
  }

  private find(uri: vscode.Uri): TraceLocation | undefined {
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
    // A path under its folder (all of them, but on case-insensitive disks) is cut by string work.
    const base = folderBase(folder.uri.path);
    const relative = uri.path.startsWith(base) ? uri.path.slice(base.length) : path.posix.relative(folder.uri.path, uri.path);
    return { path: this.singleFolder() ? relative : `${folder.name}/${relative}`, outside: false };
  }
}
