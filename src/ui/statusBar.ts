import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { CaptureController, CaptureState } from '../capture/controller';
import type { Pipeline, PipelineStatus } from '../pipeline/pipeline';

const LOOK: Record<CaptureState, { icon: string; label: string; hint: string }> = {
  starting: { icon: '$(loading~spin)', label: 'Worktrace is starting', hint: 'Starting' },
  recording: { icon: '$(record)', label: 'Worktrace is recording. Activate to pause.', hint: 'Recording: click to pause' },
  paused: { icon: '$(debug-pause)', label: 'Worktrace is paused. Activate to resume.', hint: 'Paused: nothing is captured. Click to resume' },
};

function ago(ts: number | undefined): string {
  if (!ts) {
    return 'never';
  }
  const s = Math.round((Date.now() - ts) / 1000);
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : new Date(ts).toLocaleString();
}

/** Markdown tooltip text of the status item (exported for tests). */
export function tooltipText(state: CaptureState, status: PipelineStatus, uncapturedTerminals: readonly string[] = []): string {
  const dropped = Object.entries(status.dropped).filter(([, n]) => n > 0);
  const lines = [
    `**Worktrace**: ${LOOK[state].hint}`,
    '',
    `- Destination: ${status.destination ?? `none (${status.configError ?? 'not set'}); events stay in the local spool`}`,
    `- Waiting in the spool: ${status.pending} event(s)`,
    `- Last delivery: ${ago(status.lastDelivery)}`,
    `- Dropped: ${dropped.length ? dropped.map(([reason, n]) => `${n} (${reason})`).join(', ') : 'none'}`,
  ];
  if (uncapturedTerminals.length > 0) {
    lines.push(`- Terminals without shell integration (their commands are not captured): ${uncapturedTerminals.join(', ')}`);
  }
  if (status.failedBatches > 0) {
    lines.push(`- Failed batches: ${status.failedBatches} (run "Worktrace: Retry Failed Batches" once fixed)`);
  }
  const problem = status.spoolError ?? status.configError ?? status.lastError;
  if (problem) {
    lines.push('', `$(warning) ${problem}`);
  }
  return lines.join('\n');
}

/**
 * The `worktrace.status` item: shows whether capture runs and whether delivery works;
 * a click toggles pause.
 */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly uncaptured = new Set<string>();

  constructor(
    private readonly capture: CaptureController,
    private readonly pipeline: Pipeline,
  ) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('worktrace.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Worktrace';
    this.item.command = 'worktrace.togglePause';
    this.register(capture.onDidChangeState(() => this.render()));
    this.register(pipeline.onDidChangeStatus(() => this.render()));
    this.render();
    this.item.show();
  }

  /** A terminal where shell integration never activated: say so in the tooltip. */
  noteUncapturedTerminal(name: string): void {
    this.uncaptured.add(name);
    this.render();
  }

  private render(): void {
    const state = this.capture.state;
    const status = this.pipeline.status;
    const look = LOOK[state];
    const problem = status.spoolError ?? status.configError ?? (status.attempts > 0 || status.failedBatches > 0 ? status.lastError : undefined);
    this.item.text = `${problem ? '$(warning)' : look.icon} Worktrace`;
    this.item.backgroundColor = problem ? new vscode.ThemeColor(status.spoolError || status.configError ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString(tooltipText(state, status, [...this.uncaptured]), true);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: problem ? `${look.label} Delivery problem: ${problem}` : look.label, role: 'button' };
  }
}
