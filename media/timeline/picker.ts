/** The session picker: date, workspace folders, duration, event count and the task of each session. */
import { formatCount, formatDateTime, formatDuration, truncate } from '../../src/timeline/format';
import type { SessionSummary } from '../../src/timeline/protocol';
import { h } from './dom';

export function sessionLabel(s: SessionSummary): string {
  const where = s.folders?.length ? s.folders.join(', ') : `workspace ${s.workspace.slice(0, 8) || '?'}`;
  const parts = [formatDateTime(s.firstTs), where, formatDuration(Math.max(0, s.lastTs - s.firstTs)), `${formatCount(s.events)} events`];
  if (s.goal) {
    parts.push(`task: ${truncate(s.goal, 60)}`);
  }
  if (s.live) {
    parts.push('recording now');
  }
  return parts.join(' · ');
}

export class SessionPicker {
  constructor(
    private readonly select: HTMLSelectElement,
    onPick: (id: string) => void,
  ) {
    select.addEventListener('change', () => {
      if (select.value) {
        onPick(select.value);
      }
    });
  }

  set(sessions: readonly SessionSummary[], selected: string | undefined): void {
    if (sessions.length === 0) {
      this.select.replaceChildren(h('option', { value: '', disabled: '' }, 'No sessions recorded yet'));
      this.select.disabled = true;
      return;
    }
    this.select.disabled = false;
    this.select.replaceChildren(...sessions.map((s) => h('option', { value: s.id, title: s.id }, sessionLabel(s))));
    if (selected !== undefined) {
      this.select.value = selected;
    }
  }

  show(id: string): void {
    if (this.select.value !== id && Array.from(this.select.options).some((o) => o.value === id)) {
      this.select.value = id;
    }
  }
}
