/**
 * Bench build only: Worktrace's time per turn of the extension host's event loop. VS Code
 * hands an extension host many events in one message (a replace in 200 files: hundreds of
 * opens, edits and saves), and calls every listener of each in the same turn; what the
 * editor waits for is the sum of Worktrace's listeners and timers in that turn, not the
 * longest of them. The shims (vscodeShim.ts, timerShim.ts) add each callback's block
 * (min(wall, process CPU)) to the current turn; an immediate, queued by the first callback
 * of a turn, closes it once the turn (and its microtasks) ended. One record for the whole
 * extension host, shared through globalThis like the others.
 */

export interface TurnStats {
  /** The longest sum of Worktrace's callbacks in one turn (ms) and how many callbacks it held. */
  longestTurnMs: number;
  longestTurnCalls: number;
  /** What the longest turn's longest callback was (an event or where its timer was set). */
  longestTurnWhat?: string;
}

interface Shared {
  stats: TurnStats;
  current: { ms: number; calls: number; longest: number; what?: string };
  open: boolean;
}

const shared = globalThis as { __worktraceBenchTurns?: Shared };
const state: Shared = (shared.__worktraceBenchTurns ??= { stats: { longestTurnMs: 0, longestTurnCalls: 0 }, current: { ms: 0, calls: 0, longest: 0 }, open: false });
// The real one: a free `setImmediate` in the bench build is the timer shim's, which would count this as Worktrace's.
const realSetImmediate = globalThis.setImmediate;

function closeTurn(): void {
  state.open = false;
  const turn = state.current;
  if (turn.ms > state.stats.longestTurnMs) {
    state.stats.longestTurnMs = turn.ms;
    state.stats.longestTurnCalls = turn.calls;
    state.stats.longestTurnWhat = turn.what;
  }
  state.current = { ms: 0, calls: 0, longest: 0 };
}

/** A callback of Worktrace's blocked the thread for `blockMs`. */
export function noteBlock(blockMs: number, what: string | undefined): void {
  const turn = state.current;
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

export function turnStats(): TurnStats {
  return { ...state.stats };
}

export function resetTurnStats(): void {
  state.stats = { longestTurnMs: 0, longestTurnCalls: 0 };
}
