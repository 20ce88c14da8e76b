/**
 * What VS Code loads (dist/extension.js, a few kilobytes): `activate` returns at once and
 * the recorder itself, the composition root in src/extension.ts bundled as dist/worktrace.js,
 * is loaded at the first quiet moment after, from a V8 code cache. A window's start-up is
 * the busiest time of the extension host, and none of Worktrace's work has to happen in it:
 * VS Code waits for the returned promise before it runs one of Worktrace's commands or hands
 * out its API, so nothing reaches a recorder that is not there yet.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as Worktrace from '../extension';
import { loadWithCodeCache, type CacheUse } from './codeCache';
import { firstIdle } from './firstIdle';
import { warmUp } from './warmUp';

/** How the deferred start went (the bench reads it). */
export interface StartReport {
  /** Loading (parsing, compiling, running the module body of) dist/worktrace.js, in milliseconds. */
  loadMs: number;
  /** Worktrace's activate(), in milliseconds. */
  activateMs: number;
  cache: CacheUse;
}

/** The warm-up after the start (the bench reads it): its longest step, in milliseconds. */
export interface WarmUpReport {
  longestStepMs: number;
}

type Main = typeof Worktrace;
/** VS Code's ExtensionContext, named through the recorder so this file needs no `vscode` import. */
type Context = Parameters<Main['activate']>[0];

let main: Promise<Main | undefined> | undefined;
let stopping = false;

export function activate(context: Context): Promise<Worktrace.WorktraceApi> {
  return start(context);
}

/** Loads and activates the recorder after the first quiet moment; `bundle` and `report` are the bench's. */
export async function start(
  context: Context,
  bundle = join(__dirname, 'worktrace.js'),
  report?: (r: StartReport) => void,
  reportWarmUp?: (r: WarmUpReport) => void,
): Promise<Worktrace.WorktraceApi> {
  let loaded: ((m: Main | undefined) => void) | undefined;
  main = new Promise((resolve) => (loaded = resolve));
  try {
    await firstIdle();
    if (stopping) {
      throw new Error('Worktrace was deactivated before it started');
    }
    const began = performance.now();
    const bundleLoaded = loadWithCodeCache<Main>(bundle, join(context.globalStorageUri.fsPath, 'code-cache'));
    const loadMs = performance.now() - began;
    // Loading and activating are two blocks of the event loop, not one twice as long.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopping) {
      throw new Error('Worktrace was deactivated before it started');
    }
    const activating = performance.now();
    const api = bundleLoaded.exports.activate(context);
    loaded?.(bundleLoaded.exports);
    report?.({ loadMs, activateMs: performance.now() - activating, cache: bundleLoaded.cache });
    // At the next quiet moment the hot paths are compiled (warmUp.ts), a step per turn; then
    // the cache is written once, with what activate() and the warm-up compiled in it. Not
    // writing it (a read-only disk, say) only means the next start compiles again.
    void firstIdle()
      .then(() => warmUp(bundleLoaded.exports.WARM_UP_STEPS, () => stopping, () => performance.now()))
      .then((longestStepMs) => {
        reportWarmUp?.({ longestStepMs });
        return stopping ? undefined : bundleLoaded.saveCache();
      })
      .catch(() => undefined);
    return api;
  } finally {
    loaded?.(undefined);
  }
}

export async function deactivate(): Promise<void> {
  stopping = true;
  await (await main)?.deactivate();
}
