/**
 * Helpers of the episode builder's tests: sessions from events, a build that collects
 * everything, and a check of every episode built against the episode schema.
 */
import * as assert from 'node:assert/strict';
import type { EpisodeWithRanges } from '../../src/authorship/episode';
import { buildEpisodes, type BuildOptions } from '../../src/episodes/builder';
import type { Episode } from '../../src/episodes/episode';
import { newBuildReport, type BuildReport, type EpisodeProblem } from '../../src/episodes/report';
import type { TraceEvent } from '../../src/trace/events';
import type { TraceSession } from '../../src/trace/session';
import { validateEpisode } from './episodeSchema';
import { gitApply } from './gitApply';

/** The sessions of `events`, in order of first appearance, each with its events in input order. */
export function sessionsOf(events: readonly TraceEvent[]): TraceSession[] {
  const sessions = new Map<string, TraceSession>();
  for (const event of events) {
    let s = sessions.get(event.session);
    if (!s) {
      s = { id: event.session, workspace: event.workspace, firstTs: event.ts, lastTs: event.ts, events: [] };
      sessions.set(event.session, s);
    }
    s.firstTs = Math.min(s.firstTs, event.ts);
    s.lastTs = Math.max(s.lastTs, event.ts);
    s.events.push(event);
  }
  return [...sessions.values()];
}

async function* stream(sessions: readonly TraceSession[]): AsyncGenerator<TraceSession> {
  for (const s of sessions) {
    await Promise.resolve();
    yield s;
  }
}

export interface Built {
  episodes: Episode[];
  report: BuildReport;
  problems: EpisodeProblem[];
}

/**
 * Builds the episodes of `input` (sessions, or events grouped into sessions in order of
 * appearance), asserting that every episode is valid against
 * schema/worktrace-episode-1.schema.json.
 */
export async function build(input: readonly TraceEvent[] | readonly TraceSession[], options: Omit<BuildOptions, 'report' | 'onProblem'> = {}): Promise<Built> {
  const sessions = input.length > 0 && 'events' in input[0] ? (input as readonly TraceSession[]) : sessionsOf(input as readonly TraceEvent[]);
  const report = newBuildReport();
  const problems: EpisodeProblem[] = [];
  const episodes: Episode[] = [];
  for await (const episode of buildEpisodes(stream(sessions), { ...options, report, onProblem: (p) => problems.push(p) })) {
    // authorshipRanges is an in-memory companion (authorship/episode.ts), not part of the episode format
    const { authorshipRanges: _ranges, ...plain } = episode as EpisodeWithRanges;
    assert.deepEqual(validateEpisode(plain), [], `episode ${episode.id} does not fit the schema`);
    episodes.push(episode);
  }
  return { episodes, report, problems };
}

/** Applies an episode's patch with the real `git apply` to its known base files; returns every base file's content afterwards. */
export function applyEpisodePatch(episode: Episode): Map<string, string | null> {
  const files = new Map(episode.base.flatMap((f) => (f.known && f.text !== undefined ? [[f.path, f.text] as [string, string]] : [])));
  return gitApply(files, episode.outcome.patch, episode.base.map((f) => f.path));
}
