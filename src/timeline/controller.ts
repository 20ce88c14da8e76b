/**
 * The host side of the timeline, without VS Code: answers the page's messages, reads a
 * session from the SessionLibrary into a TimelineModel and sends it in chunks, keeps the
 * live session growing while it is shown (recorded events batched every 250 ms, no timer
 * while nothing arrives), builds details on request, and passes "open this file at this
 * line" on for paths of the session shown. src/ui/timelinePanel.ts wires it to a webview.
 *
 * Nothing here throws into its caller: failures are logged and, where the engineer should
 * know, shown in the page as a problem banner.
 */
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { TraceEvent } from '../trace/events';
import { chunkMessages } from './chunks';
import { buildDetails } from './details';
import type { LibraryProblem, SessionLibrary } from './library';
import { LiveBatcher, realScheduler, type Scheduler } from './liveBatcher';
import { TimelineModel } from './model';
import { CHUNK_SIZE, parsePageMessage, PROTOCOL_VERSION, type HostMessage, type SessionSummary, type ThemeMessage, type ViewState } from './protocol';

/** The session this window records. */
export interface LiveSource {
  /** Its id; undefined while nothing is recorded. */
  sessionId(): string | undefined;
  /** Every event as it is recorded (after the privacy stage: what the trace gets). */
  onDidRecord(listener: (event: TraceEvent) => void): IDisposable;
  /** Optional: writes what was captured so far to the trace, so the library reads it. */
  flush?(): Promise<void>;
}

export interface TimelineControllerOptions {
  library: SessionLibrary;
  live?: LiveSource;
  log: Logger;
  /** Sends a message to the page (webview.postMessage; its promise is awaited for errors only). */
  post(message: HostMessage): unknown;
  /** Opens a trace path of the session shown at a 1-based line. */
  openLocation(path: string, line: number): Promise<void>;
  scheduler?: Scheduler;
  /** How long live events are gathered before they are sent (ms). */
  batchMs?: number;
  chunkSize?: number;
  /** Longest wait for `live.flush()` before reading the live session (ms). */
  flushTimeoutMs?: number;
  now?: () => number;
}

interface Shown {
  id: string;
  live: boolean;
  generation: number;
  model: TimelineModel;
  summary: SessionSummary;
  loading: boolean;
  abort: AbortController;
  /** Items and lanes the page has. */
  sentItems: number;
  sentLanes: number;
  /** Items the page has that changed since they were sent. */
  pendingUpdates: Set<number>;
  problems: LibraryProblem[];
  problemSummary?: string;
  failure?: string;
  /** Live events recorded while the session was being read. */
  early: TraceEvent[];
}

const MAX_PROBLEM_LINES = 5;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class TimelineController implements IDisposable {
  private generation = 0;
  private shown: Shown | undefined;
  private sessions: SessionSummary[] = [];
  /** Folders and task learned from sessions loaded before (the index may not have them). */
  private readonly learned = new Map<string, { folders?: string[]; goal?: string }>();
  private pageReady = false;
  private visible = true;
  private disposed = false;
  private liveSubscription: IDisposable | undefined;
  private readonly batcher: LiveBatcher<TraceEvent>;
  private lastState: ViewState | undefined;

  constructor(private readonly options: TimelineControllerOptions) {
    this.batcher = new LiveBatcher((events) => this.onLiveBatch(events), options.batchMs ?? 250, options.scheduler ?? realScheduler);
  }

  /** The session shown (for tests and the panel's title). */
  get sessionId(): string | undefined {
    return this.shown?.id;
  }

  /** The page's last reported view state. */
  get state(): ViewState | undefined {
    return this.lastState;
  }

  /** Handles one message from the page. Never throws. */
  handle(raw: unknown): void {
    if (this.disposed) {
      return;
    }
    const m = parsePageMessage(raw);
    if (!m) {
      this.options.log.warn(`timeline: ignored a malformed message from the page (${typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw).type) : typeof raw})`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.run(this.onReady(m.state), 'opening the timeline');
        return;
      case 'pickSession':
        this.run(this.pick(m.id), `showing session ${m.id}`);
        return;
      case 'requestDetails':
        this.onRequestDetails(m.generation, m.index);
        return;
      case 'openLocation':
        this.run(this.onOpenLocation(m.path, m.line), `opening ${m.path}`);
        return;
      case 'state':
        this.lastState = m.state;
        return;
      case 'pageError':
        this.options.log.warn(`timeline page: ${m.message}`);
        return;
    }
  }

  /** The panel was hidden (its page is gone until shown again) or shown. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) {
      this.pageReady = false;
    }
  }

  /** Tells the page that the colour theme changed. */
  theme(kind: ThemeMessage['kind']): void {
    if (this.pageReady) {
      this.post({ type: 'theme', kind });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.shown?.abort.abort();
    this.liveSubscription?.dispose();
    this.liveSubscription = undefined;
    this.batcher.dispose();
  }

  private run(work: Promise<void>, what: string): void {
    work.catch((e: unknown) => this.options.log.error(`timeline: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  }

  private post(m: HostMessage): void {
    if (this.disposed) {
      return;
    }
    try {
      Promise.resolve(this.options.post(m)).catch((e: unknown) => this.options.log.warn(`timeline: cannot send ${m.type} to the page: ${message(e)}`));
    } catch (e) {
      this.options.log.warn(`timeline: cannot send ${m.type} to the page: ${message(e)}`);
    }
  }

  private liveId(): string | undefined {
    try {
      return this.options.live?.sessionId();
    } catch {
      return undefined;
    }
  }

  private async onReady(state: ViewState | null): Promise<void> {
    this.pageReady = true;
    this.visible = true;
    const live = this.liveId();
    this.post({ type: 'init', protocol: PROTOCOL_VERSION, live });
    await this.refreshSessions();
    const known = (id: string | undefined): id is string => id !== undefined && this.sessions.some((s) => s.id === id);
    const newest = [...this.sessions].sort((a, b) => b.lastTs - a.lastTs)[0]?.id;
    const id = known(state?.sessionId) ? state.sessionId : known(live) ? live : newest;
    this.post({ type: 'sessions', sessions: this.sessions, selected: id });
    if (id === undefined) {
      this.post({ type: 'status', generation: this.generation, loading: false, events: 0, items: 0, notDrawn: [] });
      return;
    }
    if (this.shown?.id === id) {
      this.resend(this.shown);
    } else {
      await this.load(id);
    }
  }

  private async pick(id: string): Promise<void> {
    if (this.shown?.id === id) {
      return;
    }
    if (!this.sessions.some((s) => s.id === id)) {
      await this.refreshSessions();
      if (!this.sessions.some((s) => s.id === id)) {
        this.options.log.warn(`timeline: the page asked for session ${id}, which is not in the trace`);
        return;
      }
    }
    await this.load(id);
  }

  private async refreshSessions(): Promise<void> {
    let listed: SessionSummary[] = [];
    try {
      listed = await this.options.library.list();
    } catch (e) {
      this.options.log.warn(`timeline: cannot list the sessions of the trace: ${message(e)}`);
      this.post({ type: 'problem', generation: null, severity: 'error', message: `The trace's sessions could not be listed: ${message(e)}`, detail: [] });
    }
    const live = this.liveId();
    const sessions = listed.map((s) => ({ ...s, ...this.learned.get(s.id), live: s.id === live ? true : undefined }));
    if (live !== undefined && !sessions.some((s) => s.id === live)) {
      // Recording, but nothing of it is in the trace files yet.
      const model = this.shown?.id === live ? this.shown.model : undefined;
      const now = (this.options.now ?? Date.now)();
      sessions.push({
        id: live,
        workspace: model?.events[0]?.workspace ?? '',
        firstTs: model && Number.isFinite(model.firstTs) ? model.firstTs : now,
        lastTs: model && Number.isFinite(model.lastTs) ? model.lastTs : now,
        events: model?.events.length ?? 0,
        ...this.learned.get(live),
        live: true,
      });
    }
    this.sessions = sessions.sort((a, b) => b.firstTs - a.firstTs);
  }

  private async load(id: string): Promise<void> {
    this.shown?.abort.abort();
    this.liveSubscription?.dispose();
    this.liveSubscription = undefined;
    this.batcher.clear();
    const summary = this.sessions.find((s) => s.id === id) ?? { id, workspace: '', firstTs: (this.options.now ?? Date.now)(), lastTs: 0, events: 0 };
    const live = id === this.liveId();
    const shown: Shown = {
      id,
      live,
      generation: ++this.generation,
      model: new TimelineModel({ origin: summary.firstTs }),
      summary,
      loading: true,
      abort: new AbortController(),
      sentItems: 0,
      sentLanes: 0,
      pendingUpdates: new Set(),
      problems: [],
      early: [],
    };
    this.shown = shown;
    this.post({ type: 'session', generation: shown.generation, summary, origin: summary.firstTs, live });
    this.postStatus(shown);
    if (live && this.options.live) {
      // Subscribe first: events recorded while the trace is read are appended after it (duplicates dropped by id).
      this.liveSubscription = this.options.live.onDidRecord((e) => this.onLive(e));
      await this.flushLive();
    }
    try {
      const result = await this.options.library.load(
        id,
        (events) => this.onChunk(shown, events),
        (problem) => shown.problems.push(problem),
        shown.abort.signal,
      );
      if (result?.problemSummary) {
        shown.problemSummary = result.problemSummary;
      }
    } catch (e) {
      shown.failure = message(e);
      this.options.log.warn(`timeline: reading session ${id} failed: ${shown.failure}`);
    }
    if (this.shown !== shown) {
      return; // another session was picked meanwhile
    }
    shown.loading = false;
    if (shown.early.length) {
      this.append(shown, shown.early);
      shown.early = [];
    }
    this.send(shown, true);
    this.postProblems(shown);
    this.postStatus(shown);
    this.learn(shown);
  }

  private async flushLive(): Promise<void> {
    const live = this.options.live;
    if (!live?.flush) {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        live.flush(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.options.flushTimeoutMs ?? 2000);
        }),
      ]);
    } catch (e) {
      this.options.log.warn(`timeline: writing the live session before reading it failed: ${message(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private onChunk(shown: Shown, events: readonly TraceEvent[]): void {
    if (this.shown !== shown || this.disposed) {
      return;
    }
    this.append(shown, events);
    this.send(shown, false);
    this.postStatus(shown);
  }

  private append(shown: Shown, events: readonly TraceEvent[]): void {
    const delta = shown.model.append(events);
    for (const i of delta.updated) {
      shown.pendingUpdates.add(i);
    }
  }

  /** Sends what the page does not have yet (nothing while the page is gone: `ready` resends it all). */
  private send(shown: Shown, force: boolean): void {
    if (!this.pageReady || !this.visible || this.shown !== shown) {
      return;
    }
    const messages = chunkMessages(shown.model, {
      generation: shown.generation,
      from: shown.sentItems,
      lanesFrom: shown.sentLanes,
      updated: [...shown.pendingUpdates].sort((a, b) => a - b),
      size: this.options.chunkSize ?? CHUNK_SIZE,
      force,
    });
    shown.pendingUpdates.clear();
    shown.sentItems = shown.model.count;
    shown.sentLanes = shown.model.lanes.count;
    for (const m of messages) {
      this.post(m);
    }
  }

  /** The page reloaded (it was hidden, or the window reloaded): send the session again from the model. */
  private resend(shown: Shown): void {
    shown.generation = ++this.generation;
    shown.sentItems = 0;
    shown.sentLanes = 0;
    shown.pendingUpdates.clear();
    this.post({ type: 'session', generation: shown.generation, summary: shown.summary, origin: shown.model.origin ?? shown.summary.firstTs, live: shown.live });
    this.send(shown, true);
    this.postProblems(shown);
    this.postStatus(shown);
  }

  private postStatus(shown: Shown): void {
    if (!this.pageReady || this.shown !== shown) {
      return;
    }
    const model = shown.model;
    this.post({ type: 'status', generation: shown.generation, loading: shown.loading, events: model.events.length, items: model.count, notDrawn: model.notDrawn() });
  }

  private postProblems(shown: Shown): void {
    if (!this.pageReady) {
      return;
    }
    if (shown.failure !== undefined) {
      const read = shown.model.events.length;
      this.post({ type: 'problem', generation: shown.generation, severity: 'error', message: `This session could not be read to the end (${shown.failure}); showing the ${read} event(s) read before that.`, detail: [] });
    } else if (shown.problems.length || shown.problemSummary) {
      this.post({
        type: 'problem',
        generation: shown.generation,
        severity: 'warning',
        message: shown.problemSummary ?? `${shown.problems.length} part(s) of this trace could not be read; showing what could.`,
        detail: shown.problems.slice(0, MAX_PROBLEM_LINES).map((p) => `${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`),
      });
    }
  }

  /** Keeps the folders and the task of a loaded session for the picker. */
  private learn(shown: Shown): void {
    const { folders, goal } = shown.model;
    if (!folders && !goal) {
      return;
    }
    const before = this.learned.get(shown.id);
    if (before && before.goal === goal && before.folders?.join('\n') === folders?.join('\n')) {
      return;
    }
    this.learned.set(shown.id, { ...(folders ? { folders } : {}), ...(goal ? { goal } : {}) });
    this.sessions = this.sessions.map((s) => (s.id === shown.id ? { ...s, ...this.learned.get(s.id) } : s));
    if (this.pageReady) {
      this.post({ type: 'sessions', sessions: this.sessions, selected: shown.id });
    }
  }

  private onLive(event: TraceEvent): void {
    const shown = this.shown;
    if (!shown?.live || this.disposed) {
      return;
    }
    if (shown.loading) {
      shown.early.push(event);
    } else {
      this.batcher.push(event);
    }
  }

  private onLiveBatch(events: TraceEvent[]): void {
    const shown = this.shown;
    if (!shown?.live || shown.loading) {
      return;
    }
    try {
      this.append(shown, events);
      this.send(shown, true);
      this.postStatus(shown);
      if (shown.model.goal !== this.learned.get(shown.id)?.goal) {
        this.learn(shown);
      }
    } catch (e) {
      this.options.log.error(`timeline: adding live events failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  private onRequestDetails(generation: number, index: number): void {
    const shown = this.shown;
    if (!shown || generation !== shown.generation) {
      return; // an answer for a session the page no longer shows
    }
    try {
      this.post({ type: 'details', generation, index, details: buildDetails(shown.model, index) });
    } catch (e) {
      this.options.log.error(`timeline: details of item ${index} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.post({ type: 'details', generation, index, details: null });
    }
  }

  private async onOpenLocation(path: string, line: number): Promise<void> {
    if (!this.shown?.model.hasPath(path)) {
      this.options.log.warn(`timeline: the page asked to open ${path}, which is not a file of the session shown`);
      return;
    }
    try {
      await this.options.openLocation(path, line);
    } catch (e) {
      this.options.log.warn(`timeline: cannot open ${path}:${line}: ${message(e)}`);
      this.post({ type: 'problem', generation: null, severity: 'warning', message: `${path} could not be opened: ${message(e)}`, detail: [] });
    }
  }
}
