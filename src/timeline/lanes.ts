/**
 * Lanes of the timeline: one per file with its edit steps, and one each for the task,
 * capture state, tests, terminal commands and tasks, debug sessions, commits, changes on
 * disk, reading, problems and redactions. Lanes are created on first use and never
 * removed, so a lane's index is stable while a live session grows; the display order is
 * by group, then by creation. Plain TypeScript, shared by host and page.
 */

export const LaneGroup = {
  Task: 0,
  Capture: 1,
  Tests: 2,
  Runs: 3,
  Debug: 4,
  Commits: 5,
  Disk: 6,
  Reading: 7,
  Problems: 8,
  Privacy: 9,
  Files: 10,
} as const;
export type LaneGroup = (typeof LaneGroup)[keyof typeof LaneGroup];

const GROUP_LABELS: readonly string[] = ['Task', 'Capture', 'Tests', 'Terminal & tasks', 'Debug', 'Commits', 'Changes on disk', 'Reading', 'Problems', 'Redactions', 'Files'];

export function groupLabel(group: number): string {
  return GROUP_LABELS[group] ?? 'Other';
}

/** One lane as the page receives it. */
export interface LaneInfo {
  index: number;
  group: LaneGroup;
  /** What the lane shows: a group name, or for a file lane its trace path. */
  label: string;
  /** File lanes: the trace path (workspace-relative). */
  path?: string;
}

/** The most lanes the `lane` column (Uint16) can address; further files share one lane. */
export const MAX_LANES = 65_000;
const OVERFLOW_KEY = '\u0000overflow';

/** Assigns lane indices on first use (host side). */
export class LaneRegistry {
  private readonly byKey = new Map<string, number>();
  readonly lanes: LaneInfo[] = [];

  get count(): number {
    return this.lanes.length;
  }

  /** The lane of a group other than Files. */
  group(group: Exclude<LaneGroup, typeof LaneGroup.Files>): number {
    return this.get(`group:${group}`, () => ({ group, label: groupLabel(group) }));
  }

  /** The lane of one file. */
  file(path: string): number {
    if (this.lanes.length >= MAX_LANES - 1 && !this.byKey.has(`file:${path}`)) {
      return this.get(OVERFLOW_KEY, () => ({ group: LaneGroup.Files, label: 'Other files' }));
    }
    return this.get(`file:${path}`, () => ({ group: LaneGroup.Files, label: path, path }));
  }

  /** Whether a file lane exists for this path (what the page may ask the host to open). */
  hasFile(path: string): boolean {
    return this.byKey.has(`file:${path}`);
  }

  private get(key: string, make: () => Omit<LaneInfo, 'index'>): number {
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.lanes.length;
      this.byKey.set(key, index);
      this.lanes.push({ index, ...make() });
    }
    return index;
  }
}

/** Lane indices in display order: by group, then in order of creation. */
export function displayOrder(lanes: readonly LaneInfo[]): number[] {
  return [...lanes].sort((a, b) => a.group - b.group || a.index - b.index).map((l) => l.index);
}
