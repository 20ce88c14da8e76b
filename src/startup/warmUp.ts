/**
 * Runs the warm-up steps (warmUpSteps.ts, handed over by the recorder's bundle) one per turn
 * of the event loop. Lives in the few kilobytes VS Code loads at activation, so it imports
 * nothing. Plain Node.
 */

/**
 * Runs the steps one per turn (setImmediate between them) until done or `stop()` says so;
 * resolves with the longest step in milliseconds. A step that throws is skipped: warming up
 * is never worth an error.
 */
export async function warmUp(steps: readonly (() => unknown)[], stop: () => boolean, now: () => number): Promise<number> {
  let longest = 0;
  for (const step of steps) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stop()) {
      break;
    }
    const started = now();
    try {
      step();
    } catch {
      // nothing to warm then
    }
    longest = Math.max(longest, now() - started);
  }
  return longest;
}
