/**
 * Bench build only: what `npm run bench` reads from inside a real extension host. It keeps
 * no timer of its own; the harness sends SIGUSR2 and the probe answers by writing
 * `<WORKTRACE_BENCH_PROBE>/<pid>.json` (then starts counting afresh):
 * - the extension host's event-loop delay (perf_hooks.monitorEventLoopDelay): its maximum
 *   is the longest synchronous block anyone caused since the last answer;
 * - Worktrace's own timer callbacks (timerShim.ts): how many fired, the longest, the total;
 * - Worktrace's listeners of VS Code's events (vscodeShim.ts): calls, total, the longest; and
 *   the same of their no-op twins, the floor of that measurement;
 * - when Worktrace's activate() ran, how long it took, how long the recorder's deferred load and
 *   activate() took, and when `session.start` was recorded.
 * With WORKTRACE_BENCH_CPU_PROFILE=<folder> (`npm run bench -- --profile DIR`) it also writes
 * CPU profiles, taken in process: `<pid>-startup.cpuprofile` (loading and activate()) and one
 * per stretch between two answers (`<pid>-<answer>.cpuprofile`), so each scenario the harness
 * brackets with answers has its own; and it notes where each timer Worktrace fires was set.
 */
import { Session } from 'node:inspector';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as perfConstants, monitorEventLoopDelay, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resetTimerStats, timerStats } from './timerShim';
import { listenerStats, resetListenerStats, twinStats, type ListenerStats } from './listenerStats';
import { callbackLog, resetTurnStats, turnStats, type TurnStats } from './turns';
import { setAgainstGc, type GcInside } from './gcInside';

export interface ProbeReport {
  pid: number;
  /** Answers written so far, this one included. */
  answer: number;
  /** Event-loop delay since the last answer, in milliseconds. */
  loopDelay: { maxMs: number; p99Ms: number; meanMs: number };
  timers: { fires: number; longestMs: number; longestBlockMs: number; totalMs: number; totalCpuMs: number; totalBlockMs: number; origins?: Record<string, number>; longestOrigin?: string; longestBlockOrigin?: string };
  /** Worktrace's listeners of VS Code's events (vscodeShim.ts), since the last answer. */
  listeners: ListenerStats;
  /** The no-op twins of those listeners (vscodeShim.ts: subscribe), since the last answer. */
  twins: ListenerStats;
  /** Garbage collections since the last answer (anyone's): pauses of the main thread, in all and the longest, by kind. */
  gc: GcStats;
  /** Worktrace's longest turn of the event loop since the last answer: the sum of its callbacks in it (turns.ts). */
  turns: TurnStats;
  /** The same for the twins: the longest sum of the no-op twins' callbacks in one turn. */
  twinTurns: TurnStats;
  /** Worktrace's callbacks since the last answer without the garbage collector's pauses that fell inside them (gcInside.ts). */
  gcInside: GcInside;
  /** Epoch milliseconds when activate() was called and how long it ran (the entry's, until it returned). */
  activateStartedAt?: number;
  activateMs?: number;
  /** The recorder loaded after the first quiet moment: its load and its activate(), in milliseconds, and the code cache. */
  recorderLoadMs?: number;
  recorderActivateMs?: number;
  codeCache?: string;
  /** The warm-up after the recorder started (src/startup/warmUp.ts): its longest step, in milliseconds. */
  warmUpLongestMs?: number;
  /** Epoch milliseconds when the first `session.start` was recorded (never, when capture is off). */
  sessionStartAt?: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface GcStats {
  count: number;
  totalMs: number;
  longestMs: number;
  /** Pause time by kind (minor, major, incremental, weak). */
  byKindMs: Record<string, number>;
}

const directory = process.env.WORKTRACE_BENCH_PROBE;
const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};
let gc: GcStats = { count: 0, totalMs: 0, longestMs: 0, byKindMs: {} };
/** The pauses since the last answer: [start, end] (performance.now() ms). */
let gcPauses: [number, number][] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcPauses.push([entry.startTime, entry.startTime + entry.duration]);
    const kind = GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
    gc.count++;
    gc.totalMs += entry.duration;
    gc.longestMs = Math.max(gc.longestMs, entry.duration);
    gc.byKindMs[kind] = (gc.byKindMs[kind] ?? 0) + entry.duration;
  }
});
const loop = monitorEventLoopDelay({ resolution: 2 });
let answer = 0;

export const probe: Pick<ProbeReport, 'activateStartedAt' | 'activateMs' | 'recorderLoadMs' | 'recorderActivateMs' | 'codeCache' | 'warmUpLongestMs' | 'sessionStartAt'> = {};

/**
 * Answers the harness. When it asked for a garbage collection first (a file `<pid>.gc` beside
 * the answer), the heap is collected before memory is read, so two windows compare what they
 * keep rather than what garbage each happened to hold (the extension host runs without
 * --expose-gc: the flag is set now and `gc` taken from a fresh context, bench build only).
 */
function answerHarness(): void {
  if (!directory) {
    return;
  }
  const request = join(directory, `${process.pid}.gc`);
  if (existsSync(request)) {
    rmSync(request, { force: true });
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  }
  report();
}

/** Writes the answer atomically (the harness polls for a new `answer`). */
function report(): void {
  if (!directory) {
    return;
  }
  const memory = process.memoryUsage();
  const body: ProbeReport = {
    pid: process.pid,
    answer: ++answer,
    loopDelay: { maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6, meanMs: Number.isNaN(loop.mean) ? 0 : loop.mean / 1e6 },
    timers: { ...timerStats },
    listeners: { ...listenerStats(), byEvent: { ...listenerStats().byEvent } },
    twins: { ...twinStats(), byEvent: { ...twinStats().byEvent } },
    gc,
    turns: turnStats(),
    gcInside: setAgainstGc(callbackLog(), gcPauses),
    twinTurns: turnStats('twins'),
    ...probe,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
  };
  const file = join(directory, `${process.pid}.json`);
  if (profileDirectory && answer > 1) {
    stopProfile(`${process.pid}-${answer}`);
    startProfile();
  }
  writeFileSync(`${file}.tmp`, JSON.stringify(body));
  renameSync(`${file}.tmp`, file);
  loop.reset();
  gc = { count: 0, totalMs: 0, longestMs: 0, byKindMs: {} };
  gcPauses = [];
  resetTimerStats();
  resetTurnStats();
  resetListenerStats();
}

/** Starts measuring; the first answer is written at once, so the harness learns this pid. */
export function startProbe(): void {
  if (!directory) {
    return;
  }
  loop.enable();
  gcObserver.observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', answerHarness);
  report();
}

export const now = (): number => performance.timeOrigin + performance.now();

const profileDirectory = process.env.WORKTRACE_BENCH_CPU_PROFILE;
let profiler: Session | undefined;

function startProfile(): void {
  profiler = new Session();
  profiler.connect();
  profiler.post('Profiler.enable');
  profiler.post('Profiler.setSamplingInterval', { interval: Number(process.env.WORKTRACE_BENCH_PROFILE_INTERVAL_US ?? 1000) });
  profiler.post('Profiler.start');
}

function stopProfile(name: string): void {
  const session = profiler;
  profiler = undefined;
  session?.post('Profiler.stop', (error, result) => {
    if (!error && profileDirectory) {
      writeFileSync(join(profileDirectory, `${name}.cpuprofile`), JSON.stringify(result.profile));
    }
    session.disconnect();
  });
}

/** Starts the in-process CPU profile of start-up, when asked for. */
export function startStartupProfile(): void {
  if (profileDirectory) {
    startProfile();
  }
}

/** Writes the start-up profile (Chrome DevTools and VS Code open it) and goes on profiling until the next answer. */
export function stopStartupProfile(): void {
  if (profileDirectory) {
    stopProfile(`${process.pid}-startup`);
    startProfile();
  }
}
