/**
 * Lifetime helpers, after the `Disposable` base of microsoft/vscode-pull-request-github
 * (src/common/lifecycle.ts). Plain Node: `vscode.Disposable` satisfies `IDisposable`.
 */

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(dispose: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        dispose();
      }
    },
  };
}

/** Disposes every item, last registered first; one failing item does not stop the rest. */
export function disposeAll(disposables: IDisposable[]): void {
  const errors: unknown[] = [];
  while (disposables.length) {
    try {
      disposables.pop()?.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) {
    throw errors[0];
  }
  if (errors.length > 1) {
    throw new AggregateError(errors, 'several disposables failed');
  }
}

export abstract class Disposable implements IDisposable {
  private isDisposedFlag = false;
  private disposables: IDisposable[] = [];

  public dispose(): void {
    if (this.isDisposedFlag) {
      return;
    }
    this.isDisposedFlag = true;
    disposeAll(this.disposables);
  }

  protected get isDisposed(): boolean {
    return this.isDisposedFlag;
  }

  /** Ties `value` to this object's lifetime; disposes it at once if this is already disposed. */
  protected register<T extends IDisposable>(value: T): T {
    if (this.isDisposedFlag) {
      value.dispose();
    } else {
      this.disposables.push(value);
    }
    return value;
  }
}

/** A disposable slot whose content can be replaced (the old value is disposed). */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private current: T | undefined;
  private disposed = false;

  get value(): T | undefined {
    return this.current;
  }

  set value(value: T | undefined) {
    if (this.disposed) {
      value?.dispose();
      return;
    }
    if (value === this.current) {
      return;
    }
    const old = this.current;
    this.current = value;
    old?.dispose();
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    this.disposed = true;
    const old = this.current;
    this.current = undefined;
    old?.dispose();
  }
}
