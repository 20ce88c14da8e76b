/**
 * The one-line summary of each timeline item: what hover shows, what the accessible events
 * list reads out, and the label drawn inside an item when it fits. The lane (file, Tests…)
 * and the kind are shown beside it, so the summary does not repeat them.
 */
import type { EventOf } from '../trace/events';
import { baseName, firstLine, formatCount, formatDuration, truncate } from './format';

const MAX = 160;

function exit(code: number | null | undefined): string {
  return code === null || code === undefined ? 'no exit code' : `exit ${code}`;
}

function took(ms: number | null | undefined): string {
  return typeof ms === 'number' ? ` · ${formatDuration(ms)}` : '';
}

export function editStepSummary(e: EventOf<'edit.step'>): string {
  return `+${e.added} −${e.removed} · ${e.cause} · ${formatCount(e.edits)} edit${e.edits === 1 ? '' : 's'}${took(e.durationMs)}`;
}

export function commandSummary(e: EventOf<'terminal.command'>): string {
  return truncate(`${firstLine(e.commandLine)} → ${exit(e.exitCode)}${took(e.durationMs)}`, MAX);
}

export function taskSummary(e: EventOf<'task.run'>): string {
  return truncate(`task ${e.name} → ${exit(e.exitCode)}${took(e.durationMs)}`, MAX);
}

export function testRunSummary(e: EventOf<'test.run'>): string {
  const counts = [
    e.failed !== undefined ? `${e.failed} failed` : '',
    e.passed !== undefined ? `${e.passed} passed` : '',
    e.skipped ? `${e.skipped} skipped` : '',
  ].filter(Boolean);
  const transition = e.transition ? ` · ${e.transition}` : '';
  return truncate(`${e.outcome}${counts.length ? `: ${counts.join(', ')}` : ''}${transition} · ${e.runner}`, MAX);
}

export function debugSummary(start: EventOf<'debug.session'> | undefined, end: EventOf<'debug.session'> | undefined): string {
  const e = end ?? start;
  if (!e) {
    return 'debug session';
  }
  const parts = [`${e.name} (${e.type})`];
  if (end) {
    parts.push(exit(end.exitCode));
    if (end.exception) {
      parts.push(`exception: ${firstLine(end.exception)}`);
    }
  } else {
    parts.push('running');
  }
  return truncate(parts.join(' · '), MAX);
}

export function debugStopSummary(e: EventOf<'debug.stop'>): string {
  const what = e.exception?.message ?? e.description;
  return truncate(`stopped: ${e.reason}${what ? ` · ${firstLine(what)}` : ''}`, MAX);
}

export function commitSummary(e: EventOf<'git.commit'>): string {
  const files = `${e.files.length} file${e.files.length === 1 ? '' : 's'}`;
  const tests = e.lastTestPassed === null ? 'no test run' : e.lastTestPassed ? 'last test passed' : 'last test failed';
  return truncate(`${e.sha.slice(0, 7)} ${firstLine(e.message)} · ${files} · ${tests}`, MAX);
}

export function checkoutSummary(e: EventOf<'git.checkout'>): string {
  return truncate(`checkout ${e.from ?? '(detached)'} → ${e.to ?? e.sha?.slice(0, 7) ?? '(detached)'}`, MAX);
}

function by(e: EventOf<'file.change'> | EventOf<'file.bulk'>): string {
  const what = e.by.command ?? e.by.operation ?? e.by.program;
  return `by ${e.by.by}${what ? ` (${firstLine(what)})` : ''}`;
}

export function diskChangeSummary(e: EventOf<'file.change'>): string {
  const lines = e.change === 'deleted' ? '' : ` +${e.added} −${e.removed}`;
  return truncate(`${e.change} ${e.path}${lines} · ${by(e)}`, MAX);
}

export function diskBulkSummary(e: EventOf<'file.bulk'>): string {
  return truncate(`${formatCount(e.count)} files (${e.created} created, ${e.changed} changed, ${e.deleted} deleted) · ${by(e)}`, MAX);
}

export function viewSummary(e: EventOf<'editor.view'>): string {
  const r = e.ranges[0];
  const last = e.ranges[e.ranges.length - 1];
  return truncate(`${baseName(e.path)}${r && last ? ` lines ${r.start}–${last.end}` : ''}${e.active ? '' : ' (beside)'}`, MAX);
}

export function navigateSummary(e: EventOf<'editor.navigate'>): string {
  const from = e.from ? `${baseName(e.from.path)}:${e.from.line}` : '–';
  return truncate(`${e.via}: ${from} → ${baseName(e.to.path)}:${e.to.line}`, MAX);
}

export function goalSummary(start: EventOf<'goal.start'> | undefined, end: EventOf<'goal.end'> | undefined): string {
  const goal = start ? firstLine(start.goal) : 'task';
  const issue = start?.issue ? ` (${start.issue})` : '';
  return truncate(`${goal}${issue}${end ? ` · ${end.outcome}` : ' · in progress'}`, MAX);
}

export function pauseSummary(e: EventOf<'capture.pause'>, resumed: boolean): string {
  const reason = e.reason === 'paused' ? 'paused' : e.reason === 'disabled' ? 'off in this workspace' : 'workspace not trusted';
  return `${reason}${resumed ? '' : ' · not resumed'}`;
}

export function redactionSummary(e: EventOf<'privacy.redacted'>): string {
  return truncate(`${e.count} secret${e.count === 1 ? '' : 's'} redacted in ${e.in} ${e.field} (${e.rule})`, MAX);
}

export function diagnosticsSummary(e: EventOf<'diagnostics.change'>): string {
  return truncate(`${baseName(e.path)}: errors ${e.before.errors}→${e.after.errors}, warnings ${e.before.warnings}→${e.after.warnings}`, MAX);
}

export function sessionStartSummary(e: EventOf<'session.start'>): string {
  return truncate(`session started · ${e.folders.join(', ') || 'no folder'} · VS Code ${e.vscodeVersion}`, MAX);
}

export function sessionEndSummary(e: EventOf<'session.end'>): string {
  return `session ended (${e.reason})`;
}

export function droppedSummary(e: EventOf<'capture.dropped'>): string {
  return `${formatCount(e.count)} events lost (${e.reason})`;
}

export function fileOpSummary(e: EventOf<'file.create'> | EventOf<'file.delete'> | EventOf<'file.rename'> | EventOf<'doc.save'>): string {
  switch (e.kind) {
    case 'file.create':
      return 'created';
    case 'file.delete':
      return 'deleted';
    case 'file.rename':
      return truncate(`renamed from ${e.from}`, MAX);
    case 'doc.save':
      return `saved (version ${e.version})`;
  }
}

export function uncapturedTerminalSummary(e: EventOf<'terminal.open'>): string {
  return truncate(`terminal "${e.terminal}" without shell integration: its commands are not captured`, MAX);
}
