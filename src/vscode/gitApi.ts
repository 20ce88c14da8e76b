/**
 * The small part of the built-in `vscode.git` extension API (getAPI(1)) Worktrace uses.
 * The full typings live in the VS Code repository (extensions/git/src/api/git.d.ts).
 */
import type * as vscode from 'vscode';

export interface GitBranch {
  readonly name?: string;
  readonly commit?: string;
}

export interface GitRepositoryState {
  readonly HEAD: GitBranch | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: GitRepositoryState;
  readonly onDidCommit?: vscode.Event<void>;
  commit(message: string, opts?: { all?: boolean | 'tracked' }): Promise<void>;
  add(paths: string[]): Promise<void>;
}

export interface GitAPI {
  readonly repositories: GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
}

export interface GitExtension {
  getAPI(version: 1): GitAPI;
}
