/**
 * The first quiet moment of the event loop: a short timer that fires (nearly) on time says
 * nothing else is running. Start-up waits for it so that Worktrace's own loading comes after
 * the work VS Code and the other extensions do as a window opens, not in the middle of it.
 */
import { performance } from 'node:perf_hooks';

export interface IdleOptions {
  /** Length of the timer that probes the loop. */
  frameMs?: number;
  /** How late that timer may fire and still count as quiet. */
  slackMs?: number;
  /** Resolve after this long even if the loop never was quiet. */
  maxMs?: number;
}

export function firstIdle({ frameMs = 16, slackMs = 4, maxMs = 2_000 }: IdleOptions = {}): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const probe = (): void => {
      const asked = performance.now();
      setTimeout(() => {
        const fired = performance.now();
        if (fired - asked <= frameMs + slackMs || fired - started >= maxMs) {
          resolve();
        } else {
          probe();
        }
      }, frameMs);
    };
    probe();
  });
}
