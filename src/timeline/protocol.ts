/**
 * The messages between the host (src/ui/timelinePanel.ts through controller.ts) and the
 * timeline page (media/timeline/). Typed unions both ways, after
 * microsoft/vscode-js-profile-visualizer. Session-scoped messages carry the `generation` of
 * the load they belong to: the page drops what belongs to an older one, the host answers
 * only for the current one.
 *
 * Typed arrays travel as typed arrays (VS Code ≥ 1.57 transfers their buffers); the page
 * also accepts plain arrays. The page never trusts the host blindly either: it renders text
 * with textContent only.
 */
import type { ColumnSlice } from './columns';
import type { LaneInfo } from './lanes';

export const PROTOCOL_VERSION = 1;
/** Items per `chunk` message. */
export const CHUNK_SIZE = 5000;

/** One session as the picker shows it. */
export interface SessionSummary {
  id: string;
  workspace: string;
  /** Smallest and largest `ts` of its events (epoch ms). */
  firstTs: number;
  lastTs: number;
  /** Number of events. */
  events: number;
  /** Workspace folder names (from session.start), when known. */
  folders?: string[];
  /** The task (the last goal.start's goal), when known. */
  goal?: string;
  /** The session this window is recording. */
  live?: boolean;
}

/** What the page keeps with vscode.setState and sends back on reload. */
export interface ViewState {
  sessionId?: string;
  /** Time at the left edge, ms after the session's origin. */
  start?: number;
  msPerPx?: number;
  /** Vertical scroll of the lanes, px. */
  scrollTop?: number;
  selected?: number | null;
  /** Keep the live end in view as events arrive. */
  follow?: boolean;
}

/** An item referenced from another item's details (a link the page can follow). */
export interface LinkedItem {
  index: number;
  kind: string;
  /** Epoch ms. */
  ts: number;
  summary: string;
}

export interface DetailLinks {
  label: string;
  items: LinkedItem[];
  /** Ids that are not in this session (an earlier session's run, say). */
  missing: number;
}

/** What the details panel shows for one item. */
export interface ItemDetails {
  index: number;
  kind: string;
  title: string;
  lane: string;
  /** Start, epoch ms. */
  ts: number;
  durationMs: number | null;
  fields: { label: string; value: string }[];
  /** Unified diff (edit steps, changes on disk). */
  diff?: { text: string; truncated: boolean };
  /** Output excerpt (commands, debug sessions). */
  output?: { text: string; truncated: boolean };
  /** Failing test names. */
  failing?: string[];
  /** Files of a commit, a command or a bulk change. */
  files?: { path: string; change?: string; added: number | null; removed: number | null }[];
  /** A commit's full message, a task's note… */
  message?: string;
  links: DetailLinks[];
  /** Where "Open file" goes (a trace path and a 1-based line). */
  open?: { path: string; line: number };
}

// ---- host → page -------------------------------------------------------------------------

export interface InitMessage {
  type: 'init';
  protocol: number;
  /** Id of the session this window records (undefined: not recording). */
  live?: string;
}

export interface SessionsMessage {
  type: 'sessions';
  sessions: SessionSummary[];
  /** The session shown (or about to be). */
  selected?: string;
}

/** A session starts loading: the page drops what it shows and starts anew. */
export interface SessionMessage {
  type: 'session';
  generation: number;
  summary: SessionSummary;
  /** Epoch ms that item starts are counted from. */
  origin: number;
  live: boolean;
}

export interface ItemUpdate {
  index: number;
  duration: number;
  status: number;
  flags: number;
  intensity: number;
  summary: string;
}

/**
 * Items [base, base + n) and updates of items sent before. The host sends typed arrays (each
 * with its own buffer); the page writes them through ColumnSlice, which takes plain arrays too.
 */
export interface ChunkMessage extends ColumnSlice {
  type: 'chunk';
  start: Float64Array;
  duration: Float64Array;
  lane: Uint16Array;
  kind: Uint8Array;
  status: Uint8Array;
  flags: Uint8Array;
  intensity: Float32Array;
  generation: number;
  base: number;
  summary: string[];
  /** Lanes not sent before (in index order). */
  lanes: LaneInfo[];
  updates: ItemUpdate[];
  /** Time span of the events read so far, epoch ms. */
  extent: { first: number; last: number };
}

export interface StatusMessage {
  type: 'status';
  generation: number;
  loading: boolean;
  /** Events read so far. */
  events: number;
  items: number;
  /** Events the timeline counts but does not draw (keystrokes are in edit steps…), by kind. */
  notDrawn: { kind: string; count: number }[];
}

export interface DetailsMessage {
  type: 'details';
  generation: number;
  index: number;
  details: ItemDetails | null;
}

/** Something could not be read (a damaged trace) or done: the page shows a banner. */
export interface ProblemMessage {
  type: 'problem';
  /** Null: not about the session shown. */
  generation: number | null;
  severity: 'error' | 'warning';
  /** One line. */
  message: string;
  /** A few specifics (file and line of damage…). */
  detail: string[];
}

export interface ThemeMessage {
  type: 'theme';
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
}

export type HostMessage = InitMessage | SessionsMessage | SessionMessage | ChunkMessage | StatusMessage | DetailsMessage | ProblemMessage | ThemeMessage;

// ---- page → host -------------------------------------------------------------------------

export interface ReadyMessage {
  type: 'ready';
  /** The state the page restored (vscode.getState), if any. */
  state: ViewState | null;
}

export interface PickSessionMessage {
  type: 'pickSession';
  id: string;
}

export interface RequestDetailsMessage {
  type: 'requestDetails';
  generation: number;
  index: number;
}

export interface OpenLocationMessage {
  type: 'openLocation';
  /** A trace path of the session shown. */
  path: string;
  /** 1-based. */
  line: number;
}

export interface StateMessage {
  type: 'state';
  state: ViewState;
}

/** An error inside the page, for the Worktrace log. */
export interface PageErrorMessage {
  type: 'pageError';
  message: string;
}

export type PageMessage = ReadyMessage | PickSessionMessage | RequestDetailsMessage | OpenLocationMessage | StateMessage | PageErrorMessage;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function optionalNumber(x: unknown): boolean {
  return x === undefined || (typeof x === 'number' && Number.isFinite(x));
}

function parseViewState(x: unknown): ViewState | null {
  if (!isRecord(x)) {
    return null;
  }
  const ok =
    (x.sessionId === undefined || typeof x.sessionId === 'string') &&
    optionalNumber(x.start) &&
    optionalNumber(x.msPerPx) &&
    optionalNumber(x.scrollTop) &&
    (x.selected === undefined || x.selected === null || isIndex(x.selected)) &&
    (x.follow === undefined || typeof x.follow === 'boolean');
  return ok ? (x) : null;
}

/** A page message, checked field by field (the page is not trusted), or undefined. */
export function parsePageMessage(x: unknown): PageMessage | undefined {
  if (!isRecord(x) || typeof x.type !== 'string') {
    return undefined;
  }
  switch (x.type) {
    case 'ready':
      return { type: 'ready', state: x.state === null || x.state === undefined ? null : parseViewState(x.state) };
    case 'pickSession':
      return typeof x.id === 'string' && x.id.length > 0 && x.id.length < 200 ? { type: 'pickSession', id: x.id } : undefined;
    case 'requestDetails':
      return isIndex(x.generation) && isIndex(x.index) ? { type: 'requestDetails', generation: x.generation, index: x.index } : undefined;
    case 'openLocation':
      return typeof x.path === 'string' && x.path.length > 0 && x.path.length < 4096 && isIndex(x.line) && x.line >= 1 ? { type: 'openLocation', path: x.path, line: x.line } : undefined;
    case 'state': {
      const state = parseViewState(x.state);
      return state ? { type: 'state', state } : undefined;
    }
    case 'pageError':
      return typeof x.message === 'string' ? { type: 'pageError', message: x.message.slice(0, 2000) } : undefined;
    default:
      return undefined;
  }
}
