/**
 * An episode being built: the events that joined it so far, turned into steps, its files'
 * bases, its time; {@link EpisodeDraft.finish} makes the {@link Episode}. Plain Node; never
 * imports `vscode`.
 */
import { createHash } from 'node:crypto';
import type { Authorship, TraceEvent } from '../trace/events';
import { EpisodeFiles } from './base';
import { EPISODE_SCHEMA, type Episode, type EpisodeBoundary, type EpisodeRepo } from './episode';
import { ActiveTime, figures } from './figures';
import type { FileKnowledge } from './files';
import type { Closing, Opening } from './inference';
import type { EditRuns } from './runs';
import { StepCollector, type DebugStartLookup } from './steps';

/** `ep-` and 16 hex digits of SHA-256 over the workspace and the id of the episode's first event. */
export function episodeId(workspace: string, firstEventId: string): string {
  return `ep-${createHash('sha256').update(`${workspace}\n${firstEventId}`, 'utf8').digest('hex').slice(0, 16)}`;
}

export class EpisodeDraft {
  private readonly sessions: string[] = [];
  private readonly steps: StepCollector;
  private readonly files: EpisodeFiles;
  private readonly active = new ActiveTime();
  private readonly problems: string[] = [];
  private firstEvent: TraceEvent | undefined;
  private lastTs = 0;
  /** Largest `ts` of the episode's events in each of its sessions. */
  private readonly sessionEnds = new Map<string, number>();
  private edits = 0;

  constructor(
    private readonly workspace: string,
    private readonly opening: Opening,
    private readonly repos: EpisodeRepo[],
    knowledge: FileKnowledge,
    runs: EditRuns,
    debugStart: DebugStartLookup,
  ) {
    this.steps = new StepCollector(debugStart);
    this.files = new EpisodeFiles(knowledge, runs);
  }

  /** Call with each event of the episode before it is applied to the replay (records the bases). */
  before(event: TraceEvent): void {
    this.files.before(event);
  }

  /** Adds an event of the episode (after it was applied to the replay). */
  add(event: TraceEvent): void {
    if (!this.firstEvent) {
      this.firstEvent = event;
      this.lastTs = event.ts;
    }
    if (this.sessions[this.sessions.length - 1] !== event.session) {
      this.sessions.push(event.session);
    }
    this.lastTs = Math.max(this.lastTs, event.ts);
    this.sessionEnds.set(event.session, Math.max(this.sessionEnds.get(event.session) ?? event.ts, event.ts));
    this.active.add(event.ts, event.session);
    if (event.kind === 'doc.edit') {
      this.edits++;
    }
    this.steps.add(event);
  }

  /** Something in the episode that keeps it from being rebuilt exactly (e.g. a malformed event skipped). */
  problem(message: string): void {
    this.problems.push(message);
  }

  suspend(): void {
    this.files.suspend();
  }

  resume(): void {
    this.files.resume();
  }

  /** The finished episode; undefined when it has no step (it is not emitted). */
  finish(closing: Closing, authorship?: (episode: Episode) => Authorship | undefined): Episode | undefined {
    const first = this.firstEvent;
    if (!first || this.steps.steps.length === 0) {
      return undefined;
    }
    const startTs = first.ts;
    const endTs = this.lastTs;
    this.steps.finish((session) => this.sessionEnds.get(session) ?? endTs);
    const steps = this.steps.steps;
    const files = this.files.result();
    const problems = [...files.problems, ...this.problems];
    let lastTestPassed: boolean | null = null;
    const commits: string[] = [];
    for (const step of steps) {
      if (step.type === 'test') lastTestPassed = step.observation.outcome === 'passed';
      if (step.type === 'commit') commits.push(step.observation.sha);
    }
    const boundary: EpisodeBoundary = closing.boundary;
    const episode: Episode = {
      schema: EPISODE_SCHEMA,
      id: episodeId(this.workspace, first.id),
      workspace: this.workspace,
      sessions: [...this.sessions],
      goal: this.opening.goal,
      start: { ts: startTs, boundary: this.opening.boundary, repos: this.repos },
      end: { ts: endTs, boundary },
      base: files.base,
      steps,
      outcome: {
        status: closing.outcome.status,
        source: closing.outcome.source,
        ...(closing.outcome.note !== undefined ? { note: closing.outcome.note } : {}),
        lastTestPassed,
        committed: commits.length > 0,
        commits,
        patch: files.patch,
        patchExact: files.problems.length === 0,
      },
      figures: figures(steps, { startTs, endTs, activeMs: this.active.ms, edits: this.edits }),
      exact: problems.length === 0,
      problems,
    };
    const lines = authorship?.(episode);
    if (lines !== undefined) {
      episode.authorship = lines;
    }
    return episode;
  }
}
