import * as vscode from 'vscode';
import type { CaptureController } from '../capture/controller';

export interface CommandDeps {
  log: vscode.LogOutputChannel;
  capture: CaptureController;
}

/** Registers Worktrace's commands; every one is listed in package.json `contributes.commands`. */
export function registerCommands({ log, capture }: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('worktrace.showLog', () => log.show(true)),
    vscode.commands.registerCommand('worktrace.togglePause', () => capture.togglePause()),
  ];
}
