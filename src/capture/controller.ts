import { Disposable, MutableDisposable, type IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';

/**
 * - `starting`: the session is being set up.
 * - `recording`: the collectors are attached.
 * - `paused`: the engineer paused capture (for a while or until resumed).
 * - `disabled`: `worktrace.enabled` is false for this workspace.
 * - `untrusted`: the workspace is not trusted; capture waits for trust.
 */
export type CaptureState = 'starting' | 'recording' | 'paused' | 'disabled' | 'untrusted';

/** The attached collectors. */
export interface Attached extends IDisposable {
  /** Writes anything a collector still holds back (called by flush). */
  flush?(): void;
  /** Settings changed: attach or detach individual collectors. */
  update?(): void;
}

export interface CaptureHooks {
  /** Attaches the collectors' listeners; disposing the result detaches every one of them. */
  attach(): Attached;
  /** Just before the listeners are detached (close open edit steps, write a marker). */
  beforeDetach?(next: CaptureState, pausedUntil: number | undefined): void;
  /** Just after the listeners were attached (write a marker). */
  afterAttach?(previous: CaptureState): void;
  /** The pause changed: persist it so it survives a window reload. */
  persistPause?(pause: PauseRecord | undefined): PromiseLike<void> | void;
}

/** A pause as persisted: until a time (epoch ms), or until resumed (null). */
export interface PauseRecord {
  until: number | null;
}

export interface CaptureConditions {
  enabled: boolean;
  trusted: boolean;
}

/**
 * Owns whether capture runs. Recording means the collectors are attached; pausing,
 * disabling or distrust disposes them, so nothing typed or run meanwhile reaches
 * Worktrace at all. A timed pause ends by itself. Plain Node: the VS Code layer supplies
 * the collectors through `attach` and the conditions (setting, trust, stored pause).
 */
export class CaptureController extends Disposable {
  private current: CaptureState = 'starting';
  private started = false;
  private enabled: boolean;
  private trusted: boolean;
  private pause: PauseRecord | undefined;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly collectors = this.register(new MutableDisposable<Attached>());
  private readonly listeners = new Set<(state: CaptureState) => void>();
  private persisting: PromiseLike<void> | void = undefined;

  constructor(
    private readonly hooks: CaptureHooks,
    private readonly log: Logger,
    conditions: CaptureConditions = { enabled: true, trusted: true },
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.enabled = conditions.enabled;
    this.trusted = conditions.trusted;
    this.register({ dispose: () => clearTimeout(this.resumeTimer) });
  }

  get state(): CaptureState {
    return this.current;
  }

  /** When a timed pause ends (epoch ms); undefined when not paused or paused until resumed. */
  get pausedUntil(): number | undefined {
    return this.pause?.until ?? undefined;
  }

  onDidChangeState(listener: (state: CaptureState) => void): IDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A pause stored by an earlier window (before `start`): kept unless it already ended. */
  restorePause(pause: PauseRecord | undefined): void {
    if (!this.started && pause && (pause.until === null || pause.until > this.now())) {
      this.pause = pause;
    }
  }

  /** Ends the `starting` state. */
  start(): void {
    if (!this.started && !this.isDisposed) {
      this.started = true;
      this.apply();
    }
  }

  /** Pauses until resumed, or for `ms`. */
  pauseFor(ms?: number): void {
    this.pause = { until: ms === undefined ? null : this.now() + ms };
    this.persisting = this.hooks.persistPause?.(this.pause);
    this.apply();
  }

  resume(): void {
    if (!this.pause) {
      return;
    }
    this.pause = undefined;
    this.persisting = this.hooks.persistPause?.(undefined);
    this.apply();
  }

  /** Resolves once the last pause change is stored (commands await it before returning). */
  async whenPersisted(): Promise<void> {
    await this.persisting;
  }

  togglePause(): void {
    if (this.pause) {
      this.resume();
    } else {
      this.pauseFor();
    }
  }

  get isPaused(): boolean {
    return this.pause !== undefined;
  }

  setEnabled(enabled: boolean): void {
    if (this.enabled !== enabled) {
      this.enabled = enabled;
      this.apply();
    }
  }

  setTrusted(trusted: boolean): void {
    if (this.trusted !== trusted) {
      this.trusted = trusted;
      this.apply();
    }
  }

  /** Settings changed: lets the attached collectors follow them. */
  refresh(): void {
    this.collectors.value?.update?.();
  }

  /** Detaches and attaches the collectors again (fresh document snapshots), if recording. */
  reattach(): void {
    if (this.current !== 'recording') {
      return;
    }
    this.collectors.value?.flush?.();
    this.collectors.value = this.hooks.attach();
  }

  /** Asks the attached collectors to write what they hold back. */
  flush(): void {
    this.collectors.value?.flush?.();
  }

  private wanted(): CaptureState {
    if (!this.started) return 'starting';
    if (!this.trusted) return 'untrusted';
    if (!this.enabled) return 'disabled';
    if (this.pause) return 'paused';
    return 'recording';
  }

  private apply(): void {
    clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    if (this.pause?.until != null) {
      const left = this.pause.until - this.now();
      if (left <= 0) {
        this.pause = undefined;
        this.hooks.persistPause?.(undefined);
      } else {
        this.resumeTimer = setTimeout(() => this.resume(), Math.min(left, 2 ** 31 - 1));
      }
    }
    const next = this.wanted();
    const previous = this.current;
    if (next === previous) {
      this.notify(); // e.g. a new pause duration
      return;
    }
    if (next === 'recording') {
      this.collectors.value = this.hooks.attach();
      this.current = next;
      this.hooks.afterAttach?.(previous);
    } else {
      if (this.collectors.value) {
        try {
          this.collectors.value.flush?.(); // anything held back belongs before the marker
          this.hooks.beforeDetach?.(next, this.pausedUntil);
        } finally {
          this.collectors.clear();
        }
      }
      this.current = next;
    }
    this.log.info(`capture ${next}${next === 'paused' && this.pausedUntil ? ` until ${new Date(this.pausedUntil).toLocaleTimeString()}` : ''}`);
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) {
      listener(this.current);
    }
  }

  /** Detaches everything (window closing): `beforeDetach` is told `starting`, i.e. no pause. */
  override dispose(): void {
    if (this.collectors.value) {
      this.collectors.value.flush?.();
      this.hooks.beforeDetach?.('starting', undefined);
    }
    this.listeners.clear();
    super.dispose();
  }
}

/** Checks a stored pause (a file from an older version, or damaged). */
export function storedPause(value: unknown): PauseRecord | undefined {
  const until = (value as { until?: unknown } | null | undefined)?.until;
  return until === null || (typeof until === 'number' && Number.isFinite(until)) ? { until } : undefined;
}
