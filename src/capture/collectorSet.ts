import { disposeAll, type IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { Attached } from './controller';

export interface CollectorFactory {
  /** Whether the setting for this collector is on now. */
  enabled(): boolean;
  create(): IDisposable;
}

/**
 * The collectors of a recording capture, each switched by its setting: `update()` creates
 * the ones turned on and disposes (detaches) the ones turned off. Plain Node.
 */
export class CollectorSet implements Attached {
  private readonly active = new Map<string, IDisposable>();

  constructor(
    private readonly factories: Record<string, CollectorFactory>,
    private readonly log: Logger,
    private readonly onFlush?: () => void,
  ) {
    this.update();
  }

  update(): void {
    for (const [name, factory] of Object.entries(this.factories)) {
      const on = factory.enabled();
      const current = this.active.get(name);
      if (on && !current) {
        try {
          this.active.set(name, factory.create());
        } catch (e) {
          this.log.error(`cannot start the ${name} collector: ${e instanceof Error ? e.message : String(e)}`);
        }
      } else if (!on && current) {
        this.active.delete(name);
        current.dispose();
        this.log.info(`${name} capture turned off`);
      }
    }
  }

  /** Names of the collectors attached now. */
  get names(): string[] {
    return [...this.active.keys()];
  }

  flush(): void {
    this.onFlush?.();
  }

  dispose(): void {
    const all = [...this.active.values()];
    this.active.clear();
    disposeAll(all);
  }
}
