/**
 * Bench build only: the garbage collector's pauses that fell inside Worktrace's callbacks.
 * A pause stops the thread in whichever callback allocates when the young generation is full,
 * and in a busy extension host VS Code's own work fills most of it (in plain Node, Worktrace
 * allocates about 1 KB per keystroke: ~2 % of the host's allocation while typing). A callback's
 * block (min(wall, process CPU)) includes any pause that landed in it; this sets the pauses the
 * probe observed against the callbacks turns.ts logged, so each figure can be given with and
 * without them. Plain arithmetic over two ordered lists.
 */
import type { CallbackLog } from './turns';

/** Worktrace's callbacks since the last answer, with the garbage collector's pauses inside them taken out. */
export interface GcInside {
  /** Pause time that fell inside Worktrace's callbacks (ms) and in how many of them. */
  insideMs: number;
  callbacks: number;
  /** The sum of the callbacks' blocks, without those pauses (ms). */
  ownMs: number;
  /** The longest block and the longest turn (the sum of its callbacks' blocks), without those pauses. */
  longestBlockMs: number;
  longestBlockWhat?: string;
  longestTurnMs: number;
  longestTurnCalls: number;
}

/**
 * `pauses`: [start, end] pairs (performance.now() ms, in order of start, as the observer
 * delivers them). Each callback's block loses the time pauses overlap it (never below zero).
 */
export function setAgainstGc(log: CallbackLog, pauses: readonly (readonly [number, number])[]): GcInside {
  const sorted = [...pauses].sort((a, b) => a[0] - b[0]);
  const result: GcInside = { insideMs: 0, callbacks: 0, ownMs: 0, longestBlockMs: 0, longestTurnMs: 0, longestTurnCalls: 0 };
  let first = 0; // the first pause that may still overlap a callback (callbacks come in order of start)
  let turn = -1;
  let turnMs = 0;
  let turnCalls = 0;
  const closeTurn = (): void => {
    if (turnMs > result.longestTurnMs) {
      result.longestTurnMs = turnMs;
      result.longestTurnCalls = turnCalls;
    }
  };
  for (let i = 0; i < log.start.length; i++) {
    const start = log.start[i];
    const end = log.end[i];
    while (first < sorted.length && sorted[first][1] <= start) {
      first++;
    }
    let overlap = 0;
    for (let k = first; k < sorted.length && sorted[k][0] < end; k++) {
      overlap += Math.max(0, Math.min(end, sorted[k][1]) - Math.max(start, sorted[k][0]));
    }
    const block = Math.max(0, log.block[i] - overlap);
    if (overlap > 0) {
      result.insideMs += overlap;
      result.callbacks++;
    }
    result.ownMs += block;
    if (block > result.longestBlockMs) {
      result.longestBlockMs = block;
      result.longestBlockWhat = log.what[i];
    }
    if (log.turn[i] !== turn) {
      closeTurn();
      turn = log.turn[i];
      turnMs = 0;
      turnCalls = 0;
    }
    turnMs += block;
    turnCalls++;
  }
  closeTurn();
  return result;
}
