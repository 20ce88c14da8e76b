/**
 * `--stats`: what a folder of traces holds, counted episode by episode as they are built
 * (nothing is kept per episode: memory is a few counters, one per distinct step count, and
 * the ids of the sessions and workspaces seen). Plain Node.
 *
 * The token estimate is the length of each episode's `messages` rendering (the chat rows of
 * the `messages` format, tool definitions included, as JSON text) divided by 4, the usual
 * rule of thumb for English text and code with byte-pair tokenizers; count it with the
 * target model's tokenizer when precision matters.
 */
import type { Episode, StepType } from '../episodes/episode';
import { formatCount } from '../trace/readReport';
import { episodeToMessages } from './messages';

/** The step types in the order the table lists them. */
const STEP_TYPES: readonly StepType[] = ['edit', 'command', 'task', 'test', 'debug', 'commit', 'checkout', 'file-change', 'file-bulk', 'view', 'navigate', 'event'];
const OUTCOMES = ['done', 'abandoned', 'handed-off', 'unknown'] as const;

/** Characters per token of the estimate. */
export const CHARACTERS_PER_TOKEN = 4;

/** What the stats add to the episodes: the read side. */
export interface StatsContext {
  /** Sessions read (all of them, with or without episodes). */
  sessions: number;
  /** Workspaces read. */
  workspaces: number;
  /** The filters applied (empty: none). */
  filters: string;
}

function day(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

function joined(entries: readonly (readonly [string, number])[]): string {
  return entries.map(([name, n]) => `${name} ${formatCount(n)}`).join(' · ');
}

export class EpisodeStats {
  private episodes = 0;
  private readonly outcomes = new Map<string, number>();
  private explicit = 0;
  private exact = 0;
  private fixed = 0;
  private steps = 0;
  private readonly stepTypes = new Map<string, number>();
  /** Episodes by their number of steps (an exact median without keeping every count). */
  private readonly stepCounts = new Map<number, number>();
  private readonly sessions = new Set<string>();
  private readonly workspaces = new Set<string>();
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  private characters = 0;
  private maxTokens = 0;

  /** Counts one episode. */
  add(episode: Episode): void {
    this.episodes++;
    this.outcomes.set(episode.outcome.status, (this.outcomes.get(episode.outcome.status) ?? 0) + 1);
    if (episode.goal.source === 'explicit') this.explicit++;
    if (episode.exact) this.exact++;
    if (episode.figures.fixed > 0) this.fixed++;
    this.steps += episode.steps.length;
    this.stepCounts.set(episode.steps.length, (this.stepCounts.get(episode.steps.length) ?? 0) + 1);
    for (const step of episode.steps) {
      this.stepTypes.set(step.type, (this.stepTypes.get(step.type) ?? 0) + 1);
    }
    for (const session of episode.sessions) this.sessions.add(session);
    this.workspaces.add(episode.workspace);
    this.first = Math.min(this.first, episode.start.ts);
    this.last = Math.max(this.last, episode.end.ts);
    const characters = JSON.stringify(episodeToMessages(episode)).length;
    this.characters += characters;
    this.maxTokens = Math.max(this.maxTokens, Math.ceil(characters / CHARACTERS_PER_TOKEN));
  }

  /** The median number of steps per episode (the lower middle for an even count); 0 without episodes. */
  medianSteps(): number {
    if (this.episodes === 0) {
      return 0;
    }
    const rank = Math.ceil(this.episodes / 2);
    let seen = 0;
    for (const [count, n] of [...this.stepCounts].sort((a, b) => a[0] - b[0])) {
      seen += n;
      if (seen >= rank) {
        return count;
      }
    }
    return 0;
  }

  /** The table, one line per row, ready for stdout. */
  render(context: StatsContext): string[] {
    const tokens = Math.ceil(this.characters / CHARACTERS_PER_TOKEN);
    const types = [...STEP_TYPES.filter((t) => this.stepTypes.has(t)), ...[...this.stepTypes.keys()].filter((t) => !(STEP_TYPES as readonly string[]).includes(t)).sort()];
    const rows: [string, string][] = [
      ['episodes', formatCount(this.episodes) + (context.filters === '' ? '' : ` (filter: ${context.filters})`)],
      ['  by outcome', joined(OUTCOMES.map((o) => [o, this.outcomes.get(o) ?? 0] as const))],
      ['  by goal', joined([['explicit', this.explicit], ['inferred', this.episodes - this.explicit]])],
      ['  exact', joined([['exact', this.exact], ['not exact', this.episodes - this.exact]])],
      ['  with a fix', `${formatCount(this.fixed)} (a test went from failing to passing)`],
      ['steps', `${formatCount(this.steps)} · median ${formatCount(this.medianSteps())} per episode`],
      ['  by type', types.length === 0 ? '-' : joined(types.map((t) => [t, this.stepTypes.get(t) ?? 0] as const))],
      ['sessions', `${formatCount(context.sessions)} read · ${formatCount(this.sessions.size)} in these episodes`],
      ['workspaces', `${formatCount(context.workspaces)} read · ${formatCount(this.workspaces.size)} in these episodes`],
      ['dates', this.episodes === 0 ? '-' : `${day(this.first)} to ${day(this.last)} (UTC)`],
      [
        'tokens (estimate)',
        `~${formatCount(tokens)} · mean ${formatCount(this.episodes === 0 ? 0 : Math.round(tokens / this.episodes))} · max ${formatCount(this.maxTokens)} per episode ` +
          `(characters of the messages rendering / ${CHARACTERS_PER_TOKEN})`,
      ],
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`);
  }
}
