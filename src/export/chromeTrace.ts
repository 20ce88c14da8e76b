/**
 * Chrome Trace Event Format (the "Trace Event Format" document; what chrome://tracing and
 * Perfetto's JSON importer read): one JSON object `{"traceEvents": [...], "displayTimeUnit": "ms"}`
 * written as a stream (its opening, each episode's events, its closing).
 *
 * - one process per episode, named after the goal (`process_name` metadata event) and
 *   sorted in export order (`process_sort_index`); process and thread ids share one
 *   namespace (the process id is its `episode` thread's id), numbered in export order;
 * - one thread per track (`thread_name` metadata), in this order (`thread_sort_index`):
 *   `episode` (one slice over the whole episode), `edit <path>` per file, `terminal <name>`
 *   per terminal, `tests`, `tasks`, `debug`, `git`, `disk changes`, `reading` (views and
 *   jumps), `events`;
 * - a step with a duration is a complete event (`ph: "X"`, `ts` and `dur` in microseconds
 *   since the epoch); one without (a commit, a checkout, a change on disk, a jump, a debug
 *   stop, another event) is a thread-scoped instant event (`ph: "i"`, `s: "t"`);
 * - `args` carry the step's detail.
 *
 * Slices on one thread must nest; two steps of one track that overlap without nesting (two
 * commands in one terminal's history can, when one was still running) go to a second thread
 * of that track (`terminal bash (2)`). See test/fixtures/formats/chrome-trace/README.md.
 *
 * Plain Node; never imports `vscode`.
 */
import type { Episode, EpisodeStep } from '../episodes/episode';
import type { ExportFormat, ExportWriter } from './format';
import { compact, describeAttribution, outcomeText, stepExtra, toJson, viewSpan, type JsonObject } from './toolCalls';

const US_PER_MS = 1000;

function us(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

interface Lane {
  tid: number;
  /** End (µs) of the last complete event placed on it. */
  end: number;
}

/**
 * The threads of one episode's process: tracks split into lanes where slices would overlap.
 * Ids are one namespace, as on Linux: the process id is its first thread's id (the
 * `episode` track), every other thread takes the next free id of the whole file.
 */
class Tracks {
  private readonly lanes = new Map<string, Lane[]>();
  readonly names: { tid: number; name: string; track: string }[] = [];

  constructor(
    private readonly pid: number,
    private readonly nextId: () => number,
  ) {}

  private add(track: string, name: string): Lane {
    const lane = { tid: this.names.length === 0 ? this.pid : this.nextId(), end: Number.NEGATIVE_INFINITY };
    this.names.push({ tid: lane.tid, name, track });
    return lane;
  }

  /** The thread for a slice from `start` to `end` (µs) on `track`: the first lane free by `start`. */
  slice(track: string, start: number, end: number): number {
    const lanes = this.lanes.get(track) ?? [];
    this.lanes.set(track, lanes);
    let lane = lanes.find((candidate) => candidate.end <= start);
    if (!lane) {
      lane = this.add(track, lanes.length === 0 ? track : `${track} (${lanes.length + 1})`);
      lanes.push(lane);
    }
    lane.end = Math.max(lane.end, end);
    return lane.tid;
  }

  /** The thread for an instant on `track` (an instant never overlaps: the track's first lane). */
  instant(track: string): number {
    const lanes = this.lanes.get(track) ?? [];
    this.lanes.set(track, lanes);
    if (lanes.length === 0) lanes.push(this.add(track, track));
    return lanes[0].tid;
  }
}

/** Tracks in a fixed order: the episode, edits, terminals, tests, tasks, debug, git, disk changes, reading, events. */
const TRACK_ORDER = ['episode', 'edit ', 'terminal ', 'tests', 'tasks', 'debug', 'git', 'disk changes', 'reading', 'events'];

function trackRank(track: string): number {
  const rank = TRACK_ORDER.findIndex((prefix) => (prefix.endsWith(' ') ? track.startsWith(prefix) : track === prefix));
  return rank === -1 ? TRACK_ORDER.length : rank;
}

interface Placed {
  name: string;
  cat: string;
  track: string;
  /** Duration (ms); undefined: an instant. */
  durationMs?: number;
  ts: number;
  args: JsonObject;
}

function placeStep(step: EpisodeStep): Placed {
  const common = stepExtra(step);
  switch (step.type) {
    case 'edit':
      return {
        name: `edit ${step.action.path}`,
        cat: 'edit',
        track: `edit ${step.action.path}`,
        ts: step.ts,
        durationMs: step.durationMs,
        args: { ...common, path: step.action.path, cause: step.action.cause, added: step.action.added, removed: step.action.removed, edits: step.action.edits, diff: step.action.diff, diagnostics: toJson(step.observation.diagnostics) },
      };
    case 'command':
      return {
        name: step.action.commandLine,
        cat: 'terminal',
        track: `terminal ${step.action.terminal}`,
        ts: step.ts,
        durationMs: step.durationMs,
        args: compact({ ...common, command: step.action.commandLine, cwd: step.action.cwd, terminal: step.action.terminal, exitCode: step.observation.exitCode, output: step.observation.output, files: step.observation.files ? toJson(step.observation.files) : undefined, after: step.after }),
      };
    case 'task':
      return {
        name: step.action.name,
        cat: 'task',
        track: 'tasks',
        ts: step.ts,
        durationMs: step.durationMs,
        args: compact({ ...common, name: step.action.name, source: step.action.source, group: step.action.group, exitCode: step.observation.exitCode, after: step.after }),
      };
    case 'test':
      return {
        name: `${step.action.command}: ${step.observation.outcome}${step.observation.transition ? ` (${step.observation.transition})` : ''}`,
        cat: 'test',
        track: 'tests',
        ts: step.ts,
        durationMs: step.durationMs,
        args: compact({ ...common, ...(toJson(step.action) as JsonObject), ...(toJson(step.observation) as JsonObject), source: step.source, previous: step.previous, after: step.after }),
      };
    case 'debug':
      return {
        name: `debug ${step.action.name}`,
        cat: 'debug',
        track: 'debug',
        ts: step.ts,
        durationMs: step.durationMs,
        args: { ...common, ...(toJson(step.action) as JsonObject), exitCode: step.observation.exitCode ?? null, exception: step.observation.exception ?? null, ended: step.observation.ended, after: step.after },
      };
    case 'commit':
      return { name: `commit ${step.observation.sha.slice(0, 12)}: ${step.action.message.split('\n')[0]}`, cat: 'git', track: 'git', ts: step.ts, args: { ...common, ...(toJson(step.action) as JsonObject), ...(toJson(step.observation) as JsonObject) } };
    case 'checkout':
      return { name: `checkout ${step.action.to ?? step.observation.sha ?? '(detached HEAD)'}`, cat: 'git', track: 'git', ts: step.ts, args: { ...common, ...(toJson(step.action) as JsonObject), sha: step.observation.sha } };
    case 'file-change':
      return {
        name: `${step.observation.change} ${step.observation.path}`,
        cat: 'disk',
        track: 'disk changes',
        ts: step.ts,
        args: { ...common, ...(toJson(step.observation) as JsonObject), by: toJson(step.action.by), byText: describeAttribution(step.action.by) },
      };
    case 'file-bulk':
      return { name: `${step.observation.count} files changed`, cat: 'disk', track: 'disk changes', ts: step.ts, args: { ...common, ...(toJson(step.observation) as JsonObject), by: toJson(step.action.by) } };
    case 'view': {
      const span = viewSpan(step);
      return { name: `view ${step.action.path}:${span.start}-${span.end}`, cat: 'reading', track: 'reading', ts: step.ts, durationMs: step.durationMs, args: { ...common, path: step.action.path, ranges: toJson(step.observation.ranges) } };
    }
    case 'navigate':
      return { name: `${step.action.via} -> ${step.action.to.path}:${step.action.to.line}`, cat: 'reading', track: 'reading', ts: step.ts, args: { ...common, ...(toJson(step.action) as JsonObject) } };
    case 'event':
      return { name: step.action.kind, cat: 'event', track: 'events', ts: step.ts, args: { ...common, kind: step.action.kind, data: toJson(step.observation.data) } };
  }
}

/**
 * One episode's trace events: metadata first, then the episode slice and its steps in order.
 * `pid` is the process id; `nextId` hands out thread ids no other process or thread uses;
 * `order` sorts the process among the others.
 */
export function episodeToTraceEvents(episode: Episode, pid: number, nextId: () => number, order: number = pid): JsonObject[] {
  const tracks = new Tracks(pid, nextId);
  const body: JsonObject[] = [];
  const start = us(episode.start.ts);
  const end = Math.max(start, us(episode.end.ts));
  body.push({
    name: episode.goal.text,
    cat: 'episode',
    ph: 'X',
    ts: start,
    dur: end - start,
    pid,
    tid: tracks.slice('episode', start, end),
    args: compact({
      episode: episode.id,
      goal: toJson(episode.goal),
      outcome: outcomeText(episode),
      status: episode.outcome.status,
      lastTestPassed: episode.outcome.lastTestPassed,
      commits: episode.outcome.commits,
      figures: toJson(episode.figures),
      boundaries: `${episode.start.boundary} -> ${episode.end.boundary}`,
      exact: episode.exact,
      problems: episode.problems,
    }),
  });
  for (const step of episode.steps) {
    const placed = placeStep(step);
    const ts = us(placed.ts);
    if (placed.durationMs === undefined) {
      body.push({ name: placed.name, cat: placed.cat, ph: 'i', s: 't', ts, pid, tid: tracks.instant(placed.track), args: placed.args });
    } else {
      const dur = Math.max(0, us(placed.durationMs));
      const tid = tracks.slice(placed.track, ts, ts + dur);
      body.push({ name: placed.name, cat: placed.cat, ph: 'X', ts, dur, pid, tid, args: placed.args });
      if (step.type === 'debug') {
        for (const stop of step.observation.stops) {
          body.push({ name: `stopped: ${stop.reason}`, cat: 'debug', ph: 'i', s: 't', ts: Math.min(Math.max(us(stop.ts), ts), ts + dur), pid, tid, args: toJson(stop) });
        }
      }
    }
  }
  const metadata: JsonObject[] = [
    { name: 'process_name', ph: 'M', pid, tid: pid, args: { name: episode.goal.text } },
    { name: 'process_sort_index', ph: 'M', pid, tid: pid, args: { sort_index: order } },
  ];
  tracks.names.forEach(({ tid, name, track }, i) => {
    metadata.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name } });
    metadata.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: trackRank(track) * 10_000 + i } });
  });
  return [...metadata, ...body];
}

/** Chrome Trace Event Format (chrome://tracing, Perfetto): one process per episode, one thread per track. */
export const chromeTraceFormat: ExportFormat = {
  name: 'chrome-trace',
  description: 'Chrome Trace Event Format JSON (chrome://tracing, ui.perfetto.dev): one process per episode, one track per file, terminal, tests, tasks, debug, git, disk changes, reading',
  extension: '.json',
  create(): ExportWriter {
    let lastId = 0;
    let episodes = 0;
    const nextId = (): number => ++lastId;
    return {
      begin: () => '{"traceEvents":[',
      episode: (episode) => {
        episodes++;
        const events = episodeToTraceEvents(episode, nextId(), nextId, episodes).map((event) => JSON.stringify(event));
        return `${episodes === 1 ? '\n' : ',\n'}${events.join(',\n')}`;
      },
      end: () => '\n],"displayTimeUnit":"ms"}\n',
    };
  },
};
