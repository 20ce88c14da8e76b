/** What every destination implements. Plain Node. */

/** A batch: consecutive records of one spool segment. Its id is stable across retries and restarts. */
export interface Batch {
  id: string;
  /** The events, each as its JSON text. */
  lines: readonly string[];
}

export type SendOutcome =
  | { kind: 'ok'; /** A partial success reported by the receiver: logged, not retried. */ partial?: string }
  | { kind: 'retry'; reason: string; /** From Retry-After. */ retryAfterMs?: number }
  | { kind: 'fail'; status?: number; reason: string };

export interface Destination {
  /** `file`, `http` or `otlp`. */
  readonly kind: string;
  /** Where it delivers, for people (a folder or a URL without credentials). */
  readonly target: string;
  send(batch: Batch): Promise<SendOutcome>;
}
