/**
 * An episode's figures: how long it took, how long someone was active, and counts of what
 * was done. Plain Node; never imports `vscode`.
 */
import type { EpisodeFigures, EpisodeStep } from './episode';

/** A gap between two events counts as activity up to this long. */
export const ACTIVE_GAP_CAP_MS = 5 * 60_000;

/**
 * Time with activity: the sum of the gaps between consecutive events of the episode, each
 * capped at {@link ACTIVE_GAP_CAP_MS}. Gaps are measured within a session (the time between
 * two windows of an episode that spans a reload is not activity) and from the largest `ts`
 * so far (events held back to settle are stamped earlier than the ones before them).
 */
export class ActiveTime {
  private session: string | undefined;
  private lastTs = 0;
  private total = 0;

  add(ts: number, session: string): void {
    if (session === this.session) {
      this.total += Math.min(ACTIVE_GAP_CAP_MS, Math.max(0, ts - this.lastTs));
      this.lastTs = Math.max(this.lastTs, ts);
    } else {
      this.session = session;
      this.lastTs = ts;
    }
  }

  get ms(): number {
    return this.total;
  }
}

export function figures(steps: readonly EpisodeStep[], span: { startTs: number; endTs: number; activeMs: number; edits: number }): EpisodeFigures {
  const f: EpisodeFigures = {
    durationMs: Math.max(0, span.endTs - span.startTs),
    activeMs: span.activeMs,
    edits: span.edits,
    editSteps: 0,
    commands: 0,
    tasks: 0,
    testRuns: 0,
    debugSessions: 0,
    commits: 0,
    fileChanges: 0,
    fixed: 0,
    broke: 0,
  };
  for (const step of steps) {
    switch (step.type) {
      case 'edit':
        f.editSteps++;
        break;
      case 'command':
        f.commands++;
        break;
      case 'task':
        f.tasks++;
        break;
      case 'test':
        f.testRuns++;
        if (step.observation.transition === 'fixed') f.fixed++;
        if (step.observation.transition === 'broke') f.broke++;
        break;
      case 'debug':
        f.debugSessions++;
        break;
      case 'commit':
        f.commits++;
        break;
      case 'file-change':
        f.fileChanges++;
        break;
      case 'file-bulk':
        f.fileChanges += step.observation.count;
        break;
      default:
        break;
    }
  }
  return f;
}
