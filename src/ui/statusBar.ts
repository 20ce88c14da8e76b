import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { CaptureController, CaptureState } from '../capture/controller';
import type { GoalTracker } from '../goals/goalTracker';
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
  /** The current task and when it started. */
  task?: { goal: string; startTs: number; url?: string; issue?: string };
}

/** "25 min" / "2 h 5 min" since `startTs`. */
export function elapsed(startTs: number, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - startTs) / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** A goal as short as the status bar needs it. */
function short(goal: string, max = 32): string {
  return goal.length > max ? `${goal.slice(0, max - 1)}…` : goal;
}

/** Markdown tooltip text of the status item (exported for tests). */
export function tooltipText(state: CaptureState, status: PipelineStatus, extras: TooltipExtras = {}): string {
  const { uncapturedTerminals = [], pausedUntil, redacted = 0, ignoredSettings = [], task } = extras;
  const dropped = Object.entries(status.dropped).filter(([, n]) => n > 0);
  const lines = [
    `**Worktrace**: ${LOOK[state].hint}${state === 'paused' && pausedUntil ? ` (resumes in ${timeLeft(pausedUntil)})` : ''}`,
    ...(task
      ? ['', `**Task**: ${task.goal.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1')} (${elapsed(task.startTs)}${task.url ? `, ${task.url}` : task.issue ? `, ${task.issue}` : ''}). "Worktrace: End Task…" when it is done.`]
      : ['', 'No task: "Worktrace: Start Task…" says what you set out to do.']),
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

/** What the status bar item shows. */
export interface StatusSources {
  capture: CaptureController;
  pipeline: Pipeline;
  goals: Pick<GoalTracker, 'goal' | 'onDidChange'>;
  /** Secrets redacted so far. */
  redacted: () => number;
  /** Workspace settings that were ignored (config/trust.ts). */
  ignoredSettings: () => readonly string[];
  onDidChangeSettings: (listener: () => void) => { dispose(): void };
}

/**
 * The `worktrace.status` item: shows whether capture runs and whether delivery works;
 * a click toggles pause.
 */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly uncaptured = new Set<string>();

  private tick: ReturnType<typeof setInterval> | undefined;
  /** What the item shows now (text, colour, tooltip, label), to skip renders that change nothing. */
  private shown = '';

  private readonly capture: CaptureController;
  private readonly pipeline: Pipeline;

  constructor(private readonly sources: StatusSources) {
    super();
    this.capture = sources.capture;
    this.pipeline = sources.pipeline;
    this.register(sources.onDidChangeSettings(() => this.render()));
    this.register(sources.goals.onDidChange(() => this.render()));
    this.register({ dispose: () => clearInterval(this.tick) });
    this.item = this.register(vscode.window.createStatusBarItem('worktrace.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Worktrace';
    this.item.command = 'worktrace.togglePause';
    this.register(this.capture.onDidChangeState(() => this.render()));
    this.register(this.pipeline.onDidChangeStatus(() => this.render()));
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
    const task = this.sources.goals.goal;
    // A timed pause shows the time left, a task how long it has run: refresh every half
    // minute while one of them lasts (no timer otherwise).
    if ((until || task) && !this.tick) {
      this.tick = setInterval(() => this.render(), 30_000);
    } else if (!until && !task && this.tick) {
      clearInterval(this.tick);
      this.tick = undefined;
    }
    const problem = status.spoolError ?? status.configError ?? (status.attempts > 0 || status.failedBatches > 0 ? status.lastError : undefined);
    const waiting = !problem && status.waitingForConsent && state === 'recording';
    const text = `${problem ? '$(warning)' : waiting ? '$(question)' : look.icon} Worktrace${until ? ` ${timeLeft(until)}` : ''}${task ? ` · ${short(task.goal)} · ${elapsed(task.startTs)}` : ''}`;
    const background = problem ? (status.spoolError || status.configError ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground') : undefined;
    const tooltip = tooltipText(state, status, { uncapturedTerminals: [...this.uncaptured], pausedUntil: until, redacted: this.sources.redacted(), ignoredSettings: this.sources.ignoredSettings(), ...(task ? { task } : {}) });
    const label = problem ? `${look.label} Delivery problem: ${problem}` : waiting ? `${look.label} Waiting for your consent to send to ${status.waitingForConsent}.` : look.label;
    const accessible = task ? `${label} Task: ${task.goal}, ${elapsed(task.startTs)}.` : label;
    // The pipeline's status changes with every batch written; most changes show nothing new.
    // Each property set is a message to the window: set them only when something shows.
    const shown = JSON.stringify([text, background, tooltip, accessible]);
    if (shown === this.shown) {
      return;
    }
    this.shown = shown;
    this.item.text = text;
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    this.item.tooltip = new vscode.MarkdownString(tooltip, true);
    this.item.accessibilityInformation = { label: accessible, role: 'button' };
  }
}
