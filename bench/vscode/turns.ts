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
}

/** One kind of callback counted per turn: Worktrace's own, or the shim's no-op twins of its listeners. */
export type Counted = 'worktrace' | 'twins';

interface Tracker {
  stats: TurnStats;
  current: { ms: number; calls: number; longest: number; what?: string };
}

interface Shared {
  trackers: Record<Counted, Tracker>;
  open: boolean;
}

const tracker = (): Tracker => ({ stats: { longestTurnMs: 0, longestTurnCalls: 0 }, current: { ms: 0, calls: 0, longest: 0 } });
const shared = globalThis as { __worktraceBenchTurns?: Shared };
const state: Shared = (shared.__worktraceBenchTurns ??= { trackers: { worktrace: tracker(), twins: tracker() }, open: false });
// The real one: a free `setImmediate` in the bench build is the timer shim's, which would count this as Worktrace's.
const realSetImmediate = globalThis.setImmediate;

function closeTurn(): void {
  state.open = false;
  for (const t of Object.values(state.trackers)) {
    const turn = t.current;
    if (turn.ms > t.stats.longestTurnMs) {
      t.stats.longestTurnMs = turn.ms;
      t.stats.longestTurnCalls = turn.calls;
      t.stats.longestTurnWhat = turn.what;
    }
    t.current = { ms: 0, calls: 0, longest: 0 };
  }
}

/** A callback blocked the thread for `blockMs`: one of Worktrace's, or a no-op twin (`counted`). */
export function noteBlock(blockMs: number, what: string | undefined, counted: Counted = 'worktrace'): void {
  const turn = state.trackers[counted].current;
  turn.ms += blockMs;
  turn.calls++;
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

export function resetTurnStats(): void {
  for (const t of Object.values(state.trackers)) {
    t.stats = { longestTurnMs: 0, longestTurnCalls: 0 };
  }
}
