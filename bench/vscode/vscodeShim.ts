/**
 * Bench build only (bench/vscode/extensionBuild.ts resolves Worktrace's `import 'vscode'` to
 * this module): the real VS Code API, except that every listener Worktrace gives an event of
 * `vscode.window`, `workspace`, `debug`, `tasks`, `languages` and `extensions` is timed, and
 * so is each method of the providers it registers (`languages.register…Provider`), so
 * the probe can say how much of the extension host's time Worktrace's own handlers took
 * (calls, total, longest) — the cost of recording measured where it is spent, beside the
 * whole process's CPU that the side-by-side ratios compare. Each listener gets a no-op twin
 * (see subscribe): what the twins measure is the floor of that measurement. The released bundle
 * has none of this.
 */
import * as real from 'vscode';
import { listenerStats, twinStats, type ListenerStats } from './listenerStats';
import { noteBlock, type Counted } from './turns';

export * from 'vscode';

type Listener = (...args: unknown[]) => unknown;
type Event = (listener: Listener, thisArgs?: unknown, disposables?: real.Disposable[]) => real.Disposable;

function timed(name: string, listener: Listener, thisArgs: unknown, counted: Counted = 'worktrace'): Listener {
  const stats: ListenerStats = counted === 'twins' ? twinStats() : listenerStats();
  return (...args: unknown[]): unknown => {
    // The process's CPU is read before the clock starts: reading it (getrusage, summed over
    // every thread of the process) is not the callback's time, and right after VS Code's own
    // work it took tens of microseconds, five to ten times what Worktrace's listeners took in a replace.
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    try {
      return listener.apply(thisArgs, args);
    } finally {
      const took = performance.now() - started;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      stats.calls++;
      stats.totalMs += took;
      const blockMs = Math.min(took, cpuMs); // see ListenerStats.longestBlockMs
      stats.totalCpuMs += cpuMs;
      stats.totalBlockMs += blockMs;
      stats.byEvent[name] = (stats.byEvent[name] ?? 0) + blockMs;
      noteBlock(blockMs, name, started, started + took, counted);
      if (blockMs > stats.longestBlockMs) {
        stats.longestBlockMs = blockMs;
        stats.longestBlockEvent = name;
      }
      if (took > stats.longestMs) {
        stats.longestMs = took;
        stats.longestEvent = name;
      }
    }
  };
}

const doNothing = (): void => undefined;

/**
 * Subscribes Worktrace's listener, timed, and right after it its no-op twin, timed the same way
 * and counted apart (listenerStats.ts: twinStats): both run in the same turn, one after the
 * other, so the twin measures what any callback there measures, whatever it does. The twin
 * goes when Worktrace's listener goes (pausing detaches both).
 */
function subscribe(event: Event, name: string, listener: Listener, thisArgs: unknown, disposables?: real.Disposable[]): real.Disposable {
  const own = event(timed(name, listener, thisArgs), undefined, disposables);
  const twin = event(timed(name, doNothing, undefined, 'twins'), undefined, disposables);
  return {
    dispose: (): void => {
      own.dispose();
      twin.dispose();
    },
  };
}

/**
 * A provider whose methods are timed like listeners (`languages.registerDefinitionProvider.provideDefinition`):
 * VS Code calls Worktrace's observing providers (navigation, code actions, paste, inline
 * completions) on requests of its own, and that time is Worktrace's too. Only the synchronous
 * part is timed; Worktrace's providers answer at once.
 */
function timedProvider(label: string, provider: object): object {
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(provider)) {
    const value = (provider as Record<string, unknown>)[key];
    wrapped[key] = typeof value === 'function' ? timed(`${label}.${key}`, value as Listener, provider) : value;
  }
  return wrapped;
}


/** ` ← <the function that subscribed>`, so each collector's listeners are told apart (a stack once per subscription, not per call). */
function subscriber(): string {
  const frame = (new Error().stack ?? '').split('\n')[3]?.trim().replace(/^at /, '').replace(/\(.*[\\/]/, '(');
  return frame ? ` ← ${frame}` : '';
}

/** A file-system watcher whose onDidCreate/onDidChange/onDidDelete listeners are timed. */
function timedWatcher(label: string, watcher: real.FileSystemWatcher): real.FileSystemWatcher {
  const wrapped = Object.create(watcher) as real.FileSystemWatcher;
  for (const key of ['onDidCreate', 'onDidChange', 'onDidDelete'] as const) {
    const event = watcher[key] as unknown as Event;
    Object.defineProperty(wrapped, key, {
      value: (listener: Listener, thisArgs?: unknown, disposables?: real.Disposable[]) => subscribe(event, `${label}.${key}${subscriber()}`, listener, thisArgs, disposables),
    });
  }
  Object.defineProperty(wrapped, 'dispose', { value: (): void => void watcher.dispose() });
  return wrapped;
}

/**
 * `namespace` with each `onDid…`/`onWill…` event timing its listeners and each
 * `register…Provider` timing the provider's methods; everything else is the real one (through the prototype).
 */
function timedNamespace<T extends object>(label: string, namespace: T): T {
  const wrapped = Object.create(namespace) as T;
  for (const key of Object.getOwnPropertyNames(namespace)) {
    if (/^register\w*Provider$/.test(key)) {
      Object.defineProperty(wrapped, key, {
        get: () => {
          const register = (namespace as Record<string, unknown>)[key] as (...args: unknown[]) => real.Disposable;
          // The provider is the first argument that is an object with methods (a selector may come before it).
          return (...args: unknown[]) => {
            const at = args.findIndex((a) => typeof a === 'object' && a !== null && !Array.isArray(a) && Object.values(a).some((v) => typeof v === 'function'));
            if (at >= 0) args[at] = timedProvider(`${label}.${key}`, args[at] as object);
            return register.apply(namespace, args);
          };
        },
      });
      continue;
    }
    if (key === 'createFileSystemWatcher') {
      // The watcher's events (changes on disk: thousands in a checkout) are timed like the namespaces' events.
      Object.defineProperty(wrapped, key, {
        get: () => {
          const create = (namespace as Record<string, unknown>)[key] as (...args: unknown[]) => real.FileSystemWatcher;
          return (...args: unknown[]) => timedWatcher(`${label}.${key}`, create.apply(namespace, args));
        },
      });
      continue;
    }
    if (!/^on(Did|Will)/.test(key)) continue;
    Object.defineProperty(wrapped, key, {
      get: () => {
        const event = (namespace as Record<string, unknown>)[key] as Event;
        return (listener: Listener, thisArgs?: unknown, disposables?: real.Disposable[]) => subscribe(event, `${label}.${key}${subscriber()}`, listener, thisArgs, disposables);
      },
    });
  }
  return wrapped;
}

export const window = timedNamespace('window', real.window);
export const workspace = timedNamespace('workspace', real.workspace);
export const debug = timedNamespace('debug', real.debug);
export const tasks = timedNamespace('tasks', real.tasks);
export const languages = timedNamespace('languages', real.languages);
export const extensions = timedNamespace('extensions', real.extensions);
