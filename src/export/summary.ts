/**
 * The one line an export ends with on stderr: what it wrote (or counted), what the reader
 * read and skipped, what the builder built and skipped, and how many episodes are not exact.
 * Plain Node.
 */
import { SKIP_REASONS, type BuildReport, type SkipReason } from '../episodes/report';
import { formatCount, summary, type ReadReport } from '../trace/readReport';

const SKIPPED: Record<SkipReason, string> = {
  'unknown-kind': 'of unknown kinds',
  'newer-schema': 'of a newer schema',
  malformed: 'malformed',
  duplicate: 'duplicate',
};

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export interface ExportOutcome {
  /** `exported N episodes to <name> (<format>…)` or `counted N episodes`. */
  what: { kind: 'export'; output: string; format: string } | { kind: 'stats' };
  /** Episodes kept (written or counted). */
  kept: number;
  read: ReadReport;
  build: BuildReport;
  /** Problems reported one by one (reader and builder), for the --verbose hint. */
  problems: number;
  verbose: boolean;
}

/** The summary line (without a line break). */
export function exportSummary(o: ExportOutcome): string {
  const filtered = o.build.episodes - o.kept;
  const kept =
    o.what.kind === 'export'
      ? `exported ${plural(o.kept, 'episode', 'episodes')} to ${o.what.output} (${o.what.format}${filtered > 0 ? `; ${formatCount(filtered)} filtered out` : ''})`
      : `counted ${plural(o.kept, 'episode', 'episodes')}${filtered > 0 ? ` (${formatCount(filtered)} filtered out)` : ''}`;
  const skipped = SKIP_REASONS.reduce((n, r) => n + o.build.skipped[r], 0);
  const reasons = SKIP_REASONS.filter((r) => o.build.skipped[r] > 0).map((r) => `${formatCount(o.build.skipped[r])} ${SKIPPED[r]}`);
  const built =
    `built ${plural(o.build.episodes, 'episode', 'episodes')} from ${plural(o.build.sessions, 'session', 'sessions')} ` +
    `(${formatCount(o.build.notExact)} not exact), skipping ${plural(skipped, 'event', 'events')}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`;
  const hint = o.problems > 0 && !o.verbose ? ' (--verbose for each problem)' : '';
  return `${kept}; ${summary(o.read)}; ${built}${hint}`;
}
