import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { CaptureController, CaptureState } from '../capture/controller';
import type { Pipeline, PipelineStatus } from '../pipeline/pipeline';

const LOOK: Record<CaptureState, { icon: string; label: string; hint: string }> = {
  starting: { icon: '$(loading~spin)', label: 'Worktrace is starting', hint: 'Starting' },
  recording: { icon: '$(record)', label: 'Worktrace is recording. Activate to pause.', hint: 'Recording: click to pause' },
  paused: { icon: '$(debug-pause)', label: 'Worktrace is paused. Activate to resume.', hint: 'Paused: nothing is captured. Click to resume' },
  disabled: { icon: '$(circle-slash)', label: 'Worktrace is off in this workspace.', hint: 'Off in this workspace (worktrace.enabled is false). Run "Worktrace: Enable in This Workspace" to record' },
  untrusted: { icon: '$(shield)', label: 'Worktrace is off until this workspace is trusted.', hint: 'Off: this workspace is not trusted. Capture starts once you trust it' },
};

/** "14 min" / "1 h 5 min" left of a timed pause. */
export function timeLeft(until: number, now = Date.now()): string {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

function ago(ts: number | undefined): string {
  if (!ts) {
    return 'never';
  }
  const s = Math.round((Date.now() - ts) / 1000);
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : new Date(ts).toLocaleString();
}

/** What the tooltip shows besides capture and delivery. */
export interface TooltipExtras {
  uncapturedTerminals?: readonly string[];
  pausedUntil?: number;
  redacted?: number;
  /** Workspace settings that asked for what only the engineer may grant (ignored). */
  ignoredSettings?: readonly string[];
}

/** Markdown tooltip text of the status item (exported for tests). */
export function tooltipText(state: CaptureState, status: PipelineStatus, extras: TooltipExtras = {}): string {
  const { uncapturedTerminals = [], pausedUntil, redacted = 0, ignoredSettings = [] } = extras;
  const dropped = Object.entries(status.dropped).filter(([, n]) => n > 0);
  const lines = [
    `**Worktrace**: ${LOOK[state].hint}${state === 'paused' && pausedUntil ? ` (resumes in ${timeLeft(pausedUntil)})` : ''}`,
    '',
    `- Destination: ${status.destination ?? (status.waitingForConsent ? `${status.waitingForConsent}, waiting for your consent ("Worktrace: Show / Change Consent"); events stay in the local spool` : `none (${status.configError ?? 'not set'}); events stay in the local spool`)}`,
    `- Waiting in the spool: ${status.pending} event(s)`,
    `- Last delivery: ${ago(status.lastDelivery)}`,
    `- Dropped: ${dropped.length ? dropped.map(([reason, n]) => `${n} (${reason})`).join(', ') : 'none'}`,
    `- Secrets redacted: ${redacted}`,
  ];
  if (uncapturedTerminals.length > 0) {
    lines.push(`- Terminals without shell integration (their commands are not captured): ${uncapturedTerminals.join(', ')}`);
  }
  if (ignoredSettings.length > 0) {
    lines.push(`- Ignored in this workspace's settings (only your own settings may widen capture): ${ignoredSettings.map((s) => s.split(':')[0]).join(', ')}`);
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

  private tick: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly capture: CaptureController,
    private readonly pipeline: Pipeline,
    private readonly redacted: () => number = () => 0,
    private readonly ignoredSettings: () => readonly string[] = () => [],
    onDidChangeSettings?: (listener: () => void) => { dispose(): void },
  ) {
    super();
    if (onDidChangeSettings) {
      this.register(onDidChangeSettings(() => this.render()));
    }
    this.register({ dispose: () => clearInterval(this.tick) });
    this.item = this.register(vscode.window.createStatusBarItem('worktrace.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Worktrace';
    this.item.command = 'worktrace.togglePause';
    this.register(capture.onDidChangeState(() => this.render()));
    this.register(pipeline.onDidChangeStatus(() => this.render()));
    this.render();
    this.item.show();
  }

  /** The tooltip's Markdown text as shown now. */
  get tooltip(): string {
    const tooltip = this.item.tooltip;
    return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
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
    const until = state === 'paused' ? this.capture.pausedUntil : undefined;
    // A timed pause shows the time left: refresh it every half minute while it lasts.
    if (until && !this.tick) {
      this.tick = setInterval(() => this.render(), 30_000);
    } else if (!until && this.tick) {
      clearInterval(this.tick);
      this.tick = undefined;
    }
    const problem = status.spoolError ?? status.configError ?? (status.attempts > 0 || status.failedBatches > 0 ? status.lastError : undefined);
    const waiting = !problem && status.waitingForConsent && state === 'recording';
    this.item.text = `${problem ? '$(warning)' : waiting ? '$(question)' : look.icon} Worktrace${until ? ` ${timeLeft(until)}` : ''}`;
    this.item.backgroundColor = problem ? new vscode.ThemeColor(status.spoolError || status.configError ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString(tooltipText(state, status, { uncapturedTerminals: [...this.uncaptured], pausedUntil: until, redacted: this.redacted(), ignoredSettings: this.ignoredSettings() }), true);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: problem ? `${look.label} Delivery problem: ${problem}` : waiting ? `${look.label} Waiting for your consent to send to ${status.waitingForConsent}.` : look.label, role: 'button' };
  }
}
