/**
 * The episode builder: turns a trace, session by session, into task-level episodes
 * (src/episodes/episode.ts), streaming.
 *
 * Input: sessions one at a time, all sessions of a workspace together, ordered by their
 * first `ts`, each session's events in `seq` order (what the trace reader hands on). Only
 * per-workspace state is carried across sessions (the replayed documents, the repositories,
 * the open episode); a workspace is finished when the next one begins. Episodes are yielded
 * as soon as they end.
 *
 * Events that cannot be used (unknown kind, another schema, wrong types, a repeated id) are
 * skipped, counted in the report and passed to `onProblem`; nothing in the input makes the
 * builder throw. Plain Node; never imports `vscode`.
 */
import { Replayer } from '../replay/replay';
import type { Authorship, EventOf, TracePath, TraceEvent } from '../trace/events';
import type { TraceSession } from '../trace/session';
import { EpisodeDraft } from './draft';
import type { Episode } from './episode';
import { FileKnowledge, type FileState } from './files';
import { BoundaryInference, type Closing } from './inference';
import { newBuildReport, type BuildReport, type EpisodeProblem, type SkipReason } from './report';
import { RepoTracker } from './repos';
import { EditRuns } from './runs';
import { checkEvent } from './validate';

export const DEFAULT_IDLE_GAP_MS = 30 * 60_000;

/** What the replay knows of a file at the point of the trace the builder has reached. */
export interface ReplayedFiles {
  state(path: TracePath): FileState;
}

/**
 * Follows one workspace as the builder walks it (see {@link BuildOptions.observe}): every
 * event the builder uses, in order, and every episode as it closes.
 */
export interface WorkspaceObserver {
  /**
   * An event the builder uses (skipped events are not seen), in trace order, right after the
   * builder applied it to its replay; `files` is that replay (valid during the call only).
   */
  event(event: TraceEvent, files: ReplayedFiles): void;
  /**
   * An episode closes, before it is handed on; the observer may fill its optional fields. It
   * has seen every event up to the episode's last one and, usually, none after. The exception:
   * an explicit episode left open at the end of its session closes when the next session of
   * the workspace shows it was not continued, after that session's first events (snapshots,
   * focus: nothing that is activity).
   */
  episode(episode: Episode): void;
}

export interface BuildOptions {
  /** A gap this long between consecutive events of a session ends an inferred episode. Default 30 minutes. */
  idleGapMs?: number;
  /** Called for every problem (skipped events, replay warnings, inexact episodes…). */
  onProblem?: (problem: EpisodeProblem) => void;
  /** Counters, filled in as the build goes (see {@link newBuildReport}). */
  report?: BuildReport;
  /** Who wrote the lines of an episode's patch; when it returns a value, it becomes `episode.authorship`. Unused by default. */
  authorship?: (episode: Episode) => Authorship | undefined;
  /**
   * Called once per workspace, when its first session comes; the observer it returns follows
   * that workspace and is dropped when the next workspace begins (so its memory is one
   * workspace's). Runs after {@link authorship}.
   */
  observe?: (workspace: string) => WorkspaceObserver | undefined;
}

interface Context {
  idleGapMs: number;
  report: BuildReport;
  problem: (problem: EpisodeProblem) => void;
  authorship: ((episode: Episode) => Authorship | undefined) | undefined;
  observe: ((workspace: string) => WorkspaceObserver | undefined) | undefined;
}

/** Kinds carried as steps that do not open an episode: held until the next one opens in the session. */
const MARKERS = new Set<TraceEvent['kind']>(['privacy.redacted', 'capture.pause', 'capture.resume', 'capture.dropped', 'terminal.open']);

/** Everything known about one workspace while its sessions are read. */
class WorkspaceBuild {
  private readonly replayer = new Replayer();
  private readonly knowledge = new FileKnowledge(this.replayer);
  private readonly repos = new RepoTracker();
  private readonly runs = new EditRuns();
  private readonly inference: BoundaryInference;
  /** The open episode, or the explicit one waiting for the next session. */
  private draft: EpisodeDraft | undefined;
  /** Markers seen while no episode was open, for the next one of this session. */
  private markers: TraceEvent[] = [];
  /** Debug session starts of the current session, for a session that goes on into a later episode. */
  private readonly debugStarts = new Map<string, EventOf<'debug.session'>>();
  private warningsReported = 0;
  private session = '';
  private readonly observer: WorkspaceObserver | undefined;

  constructor(
    readonly workspace: string,
    private readonly ctx: Context,
  ) {
    this.inference = new BoundaryInference({ idleGapMs: ctx.idleGapMs, describe: () => this.repos.describe() });
    this.observer = ctx.observe?.(workspace);
  }

  *read(session: TraceSession): Generator<Episode> {
    this.ctx.report.sessions++;
    this.session = session.id;
    this.inference.startSession();
    this.debugStarts.clear();
    this.markers = [];
    const seen = new Set<string>();
    for (const raw of session.events as readonly unknown[]) {
      this.ctx.report.events++;
      const checked = checkEvent(raw);
      if (!checked.ok) {
        this.skip(raw, checked.reason, checked.message);
        continue;
      }
      const event = checked.event;
      if (seen.has(event.id)) {
        this.skip(raw, 'duplicate', `event id ${event.id} repeated in session ${event.session}; the first copy is kept`);
        continue;
      }
      seen.add(event.id);
      yield* this.event(event);
    }
    this.runs.clear();
    const end = this.inference.endSession();
    if (end.close) {
      yield* this.close(end.close);
    } else if (end.suspend) {
      this.draft?.suspend();
    }
    this.markers = [];
  }

  /** No more sessions of this workspace. */
  *finish(): Generator<Episode> {
    const closing = this.inference.endWorkspace();
    if (closing) {
      yield* this.close(closing);
    }
  }

  private *event(event: TraceEvent): Generator<Episode> {
    const d = this.inference.decide(event);
    if (d.problem !== undefined) {
      this.problem({ reason: 'goal', message: d.problem, session: event.session, seq: event.seq, eventId: event.id, kind: event.kind });
    }
    if (d.idle) {
      this.markers = [];
    }
    if (d.settle) {
      yield* this.close(d.settle);
    }
    if (d.closeBefore) {
      yield* this.close(d.closeBefore);
    }
    if (d.open) {
      this.draft = new EpisodeDraft(this.workspace, d.open, this.repos.snapshot(), this.knowledge, this.runs, (id) => this.debugStarts.get(id));
      for (const marker of this.markers) {
        this.draft.add(marker);
      }
      this.markers = [];
    } else if (d.resume) {
      this.draft?.resume();
      for (const marker of this.markers) {
        this.draft?.add(marker);
      }
      this.markers = [];
    }
    const draft = d.join ? this.draft : undefined;
    draft?.before(event);
    this.knowledge.before(event);
    this.replayer.apply(event);
    this.knowledge.after(event);
    this.reportReplayWarnings();
    switch (event.kind) {
      case 'session.start':
        this.repos.sessionStart(event);
        break;
      case 'git.checkout':
        this.repos.checkout(event);
        break;
      case 'git.commit':
        this.repos.commit(event);
        break;
      case 'debug.session':
        if (event.phase === 'start') this.debugStarts.set(event.sessionId, event);
        break;
      default:
        break;
    }
    this.observer?.event(event, this.knowledge);
    if (draft) {
      draft.add(event);
    } else if (MARKERS.has(event.kind)) {
      this.markers.push(event);
    }
    if (d.closeAfter) {
      yield* this.close(d.closeAfter);
    }
  }

  private *close(closing: Closing): Generator<Episode> {
    const draft = this.draft;
    this.draft = undefined;
    if (!draft) {
      return;
    }
    const episode = draft.finish(closing, this.ctx.authorship);
    this.reportReplayWarnings(); // the Replayer applies edits lazily: reading the end states may find more
    if (!episode) {
      this.ctx.report.empty++;
      return;
    }
    this.observer?.episode(episode);
    this.ctx.report.episodes++;
    if (!episode.exact) {
      this.ctx.report.notExact++;
      for (const message of episode.problems) {
        this.problem({ reason: 'inexact', message, episode: episode.id });
      }
    }
    yield episode;
  }

  private skip(raw: unknown, reason: SkipReason, message: string): void {
    this.ctx.report.skipped[reason]++;
    const v = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const seq = typeof v.seq === 'number' ? v.seq : undefined;
    const id = typeof v.id === 'string' ? v.id : undefined;
    const kind = typeof v.kind === 'string' ? v.kind : undefined;
    this.problem({ reason, message, session: this.session, ...(seq !== undefined ? { seq } : {}), ...(id !== undefined ? { eventId: id } : {}), ...(kind !== undefined ? { kind } : {}) });
    if (reason !== 'malformed') {
      return;
    }
    // Replay of a file whose content event was lost cannot be trusted until its next snapshot.
    if ((kind === 'doc.edit' || kind === 'file.change') && typeof v.path === 'string') {
      this.knowledge.lost(v.path, `a malformed ${kind} of it was skipped (seq ${seq ?? '?'})`);
    }
    if (!this.inference.suspended) this.draft?.problem(`a malformed ${kind ?? 'event'} was skipped (seq ${seq ?? '?'} of session ${this.session}): ${message}`);
  }

  private reportReplayWarnings(): void {
    const warnings = this.replayer.warnings;
    for (; this.warningsReported < warnings.length; this.warningsReported++) {
      const w = warnings[this.warningsReported];
      this.problem({ reason: 'replay', message: w.path === undefined ? w.message : `${w.path}: ${w.message}`, session: w.session, seq: w.seq });
    }
  }

  private problem(problem: Omit<EpisodeProblem, 'workspace'>): void {
    this.ctx.problem({ workspace: this.workspace, ...problem });
  }
}

/**
 * Builds the episodes of a trace. See the module comment for what the input must be;
 * `options.report` (when given) is filled in as the build goes.
 */
export async function* buildEpisodes(sessions: AsyncIterable<TraceSession> | Iterable<TraceSession>, options: BuildOptions = {}): AsyncGenerator<Episode> {
  const report = options.report ?? newBuildReport();
  const onProblem = options.onProblem;
  const ctx: Context = {
    idleGapMs: options.idleGapMs ?? DEFAULT_IDLE_GAP_MS,
    report,
    problem: (problem) => onProblem?.(problem),
    authorship: options.authorship,
    observe: options.observe,
  };
  const finished = new Set<string>();
  let current: WorkspaceBuild | undefined;
  for await (const session of sessions) {
    if (current?.workspace !== session.workspace) {
      if (current) {
        yield* current.finish();
        finished.add(current.workspace);
      }
      if (finished.has(session.workspace)) {
        ctx.problem({
          reason: 'order',
          message: `sessions of workspace ${session.workspace} are not together in the input (session ${session.id} comes after another workspace); episodes do not continue across the gap`,
          workspace: session.workspace,
          session: session.id,
        });
      }
      current = new WorkspaceBuild(session.workspace, ctx);
    }
    yield* current.read(session);
  }
  if (current) {
    yield* current.finish();
  }
}
