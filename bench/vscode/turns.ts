/**
 * Bench build only: Worktrace's time per turn of the extension host's event loop. VS Code
 * hands an extension host many events in one message (a replace in 200 files: hundreds of
 * opens, edits and saves), and calls every listener of each in the same turn; what the
 * editor waits for is the sum of Worktrace's listeners and timers in that turn, not the
 * longest of them. The shims (vscodeShim.ts, timerShim.ts) add each callback's block
 * (min(wall, process CPU)) to the current turn; an immediate, queued by the first callback
 * of a turn, closes it once the turn (and its microtasks) ended. The no-op twins of
 * Worktrace's listeners (vscodeShim.ts) are counted the same way, apart: the floor of the
 * measurement. One record for the whole extension host, shared through globalThis like the others.
 */

export interface TurnStats {
  /** The longest sum of Worktrace's callbacks in one turn (ms) and how many callbacks it held. */
  longestTurnMs: number;
  longestTurnCalls: number;
  /** What the longest turn's longest callback was (an event or where its timer was set). */
  longestTurnWhat?: string;
  /** The longest turn by what ran in it: block time (ms) and callbacks of each event or timer. */
  longestTurnBy?: Record<string, { ms: number; calls: number }>;
  /**
   * Worktrace's longest turn only: what the no-op twins of its listeners measured in that same
   * turn (ms, callbacks): the floor of the measurement there (the timing itself, and the
   * process losing its core to others while a callback runs, which a busy 2-core machine does
   * often in a replace).
   */
  longestTurnFloorMs?: number;
  longestTurnFloorCalls?: number;
}

/** One kind of callback counted per turn: Worktrace's own, or the shim's no-op twins of its listeners. */
export type Counted = 'worktrace' | 'twins';

interface Tracker {
  stats: TurnStats;
  current: Turn;
}

interface Turn {
  ms: number;
  calls: number;
  longest: number;
  what?: string;
  by: Map<string, { ms: number; calls: number }>;
}

const newTurn = (): Turn => ({ ms: 0, calls: 0, longest: 0, by: new Map() });

/**
 * Worktrace's callbacks since the last reset, each with when it ran (performance.now()), its
 * block and its turn: the garbage collector's pauses are set against them when the probe
 * answers (gcInside.ts), since a pause lands in whichever callback allocates when the heap
 * is full, and VS Code's own work fills it too.
 */
export interface CallbackLog {
  start: number[];
  end: number[];
  block: number[];
  turn: number[];
  what: (string | undefined)[];
}

/** More callbacks than any block makes (a checkout: a few thousand); past it the log stops growing. */
const LOG_LIMIT = 200_000;

interface Shared {
  trackers: Record<Counted, Tracker>;
  open: boolean;
  /** Bumped when a turn closes. */
  turn: number;
  log: CallbackLog;
}

const tracker = (): Tracker => ({ stats: { longestTurnMs: 0, longestTurnCalls: 0 }, current: newTurn() });
const shared = globalThis as { __worktraceBenchTurns?: Shared };
const emptyLog = (): CallbackLog => ({ start: [], end: [], block: [], turn: [], what: [] });
const state: Shared = (shared.__worktraceBenchTurns ??= { trackers: { worktrace: tracker(), twins: tracker() }, open: false, turn: 0, log: emptyLog() });
// The real one: a free `setImmediate` in the bench build is the timer shim's, which would count this as Worktrace's.
const realSetImmediate = globalThis.setImmediate;

function closeTurn(): void {
  state.open = false;
  state.turn++;
  const twins = state.trackers.twins.current;
  for (const t of Object.values(state.trackers)) {
    const turn = t.current;
    if (turn.ms > t.stats.longestTurnMs) {
      t.stats.longestTurnMs = turn.ms;
      t.stats.longestTurnCalls = turn.calls;
      t.stats.longestTurnWhat = turn.what;
      t.stats.longestTurnBy = Object.fromEntries(turn.by);
      if (t === state.trackers.worktrace) {
        t.stats.longestTurnFloorMs = twins.ms;
        t.stats.longestTurnFloorCalls = twins.calls;
      }
    }
    t.current = newTurn();
  }
}

/** A callback that ran from `start` to `end` (performance.now()) blocked the thread for `blockMs`: one of Worktrace's, or a no-op twin (`counted`). */
export function noteBlock(blockMs: number, what: string | undefined, start: number, end: number, counted: Counted = 'worktrace'): void {
  if (counted === 'worktrace' && state.log.start.length < LOG_LIMIT) {
    const log = state.log;
    log.start.push(start);
    log.end.push(end);
    log.block.push(blockMs);
    log.turn.push(state.turn);
    log.what.push(what);
  }
  const turn = state.trackers[counted].current;
  turn.ms += blockMs;
  turn.calls++;
  const key = what ?? '?';
  const by = turn.by.get(key);
  if (by) {
    by.ms += blockMs;
    by.calls++;
  } else {
    turn.by.set(key, { ms: blockMs, calls: 1 });
  }
  if (blockMs >= turn.longest) {
    turn.longest = blockMs;
    turn.what = what;
  }
  if (!state.open) {
    state.open = true;
    realSetImmediate(closeTurn);
  }
}

export function turnStats(counted: Counted = 'worktrace'): TurnStats {
  return { ...state.trackers[counted].stats };
}

/** Worktrace's callbacks since the last reset. */
export function callbackLog(): CallbackLog {
  return state.log;
}

export function resetTurnStats(): void {
  for (const t of Object.values(state.trackers)) {
    t.stats = { longestTurnMs: 0, longestTurnCalls: 0 };
  }
  state.log = emptyLog();
}
