import { Disposable, MutableDisposable, type IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';

export type CaptureState = 'starting' | 'recording' | 'paused';

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
  /** Called just before the listeners are detached (close open edit steps, write markers). */
  beforeDetach?(): void;
}

/**
 * Owns whether capture runs. Recording means the collectors are attached; pausing
 * disposes them, so nothing typed or run while paused reaches Worktrace at all.
 * Plain Node: the VS Code layer supplies the collectors through `attach`.
 */
export class CaptureController extends Disposable {
  private current: CaptureState = 'starting';
  private wantPaused = false;
  private readonly collectors = this.register(new MutableDisposable<Attached>());
  private readonly listeners = new Set<(state: CaptureState) => void>();

  constructor(
    private readonly hooks: CaptureHooks,
    private readonly log: Logger,
  ) {
    super();
  }

  get state(): CaptureState {
    return this.current;
  }

  onDidChangeState(listener: (state: CaptureState) => void): IDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Ends the `starting` state: begins recording unless a pause was asked for meanwhile. */
  start(): void {
    if (this.current === 'starting' && !this.isDisposed) {
      this.apply(this.wantPaused ? 'paused' : 'recording');
    }
  }

  pause(): void {
    this.wantPaused = true;
    if (this.current === 'recording') {
      this.apply('paused');
    }
  }

  resume(): void {
    this.wantPaused = false;
    if (this.current === 'paused') {
      this.apply('recording');
    }
  }

  /** Settings changed: lets the attached collectors follow them. */
  refresh(): void {
    this.collectors.value?.update?.();
  }

  /** Asks the attached collectors to write what they hold back. */
  flush(): void {
    this.collectors.value?.flush?.();
  }

  togglePause(): void {
    if (this.wantPaused) {
      this.resume();
    } else {
      this.pause();
    }
  }

  private apply(state: CaptureState): void {
    if (state === 'recording') {
      this.collectors.value = this.hooks.attach();
    } else if (this.collectors.value) {
      try {
        this.hooks.beforeDetach?.();
      } finally {
        this.collectors.clear();
      }
    }
    this.current = state;
    this.log.info(`capture ${state}`);
    for (const listener of this.listeners) {
      listener(state);
    }
  }

  override dispose(): void {
    if (this.collectors.value) {
      this.hooks.beforeDetach?.();
    }
    this.listeners.clear();
    super.dispose();
  }
}
