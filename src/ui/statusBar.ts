import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { CaptureController, CaptureState } from '../capture/controller';

const LOOK: Record<CaptureState, { text: string; label: string; tooltip: string }> = {
  starting: { text: '$(loading~spin) Worktrace', label: 'Worktrace is starting', tooltip: 'Worktrace is starting' },
  recording: { text: '$(record) Worktrace', label: 'Worktrace is recording. Activate to pause.', tooltip: 'Worktrace is recording: click to pause' },
  paused: { text: '$(debug-pause) Worktrace', label: 'Worktrace is paused. Activate to resume.', tooltip: 'Worktrace is paused: nothing is captured. Click to resume' },
};

/** The `worktrace.status` item: shows whether capture runs; a click toggles pause. */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly capture: CaptureController) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('worktrace.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Worktrace';
    this.item.command = 'worktrace.togglePause';
    this.register(capture.onDidChangeState(() => this.render()));
    this.render();
    this.item.show();
  }

  private render(): void {
    const look = LOOK[this.capture.state];
    this.item.text = look.text;
    this.item.tooltip = look.tooltip;
    this.item.accessibilityInformation = { label: look.label, role: 'button' };
  }
}
