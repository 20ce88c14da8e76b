import { nanoid } from 'nanoid';
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { TurnBudget } from '../common/turnBudget';
import { TurnQueue } from '../common/turnQueue';
import { SCHEMA, type NewEvent, type TraceEvent, type TraceSink } from './events';

/**
 * The privacy stage: the one place every event passes before it is written anywhere or
 * kept past the current step. It may rewrite an event (redaction) or drop it (exclusion)
 * by returning undefined. The privacy issue fills it; collectors cannot bypass it because
 * the Recorder is the only TraceSink they get.
 */
export interface PrivacyStage {
  /**
   * Returns what may be recorded now, in order: nothing (dropped, or held back until it is
   * safe, e.g. keystrokes that may be part of a secret), the event rewritten, or events held
   * earlier followed by this one. A held event keeps the time it happened (`ts`). `ts`: when
   * this event happened (the time an event that waits is recorded with).
   */
  process(event: NewEvent, ts?: number): readonly Processed[];
  /** Lets the stage record events it releases later on its own (a pause in typing). */
  connect?(accept: (items: readonly Processed[]) => void): void;
}

export interface Processed {
  event: NewEvent;
  ts?: number;
}

/** Lets every event through unchanged (until exclusion and redaction land). */
export const passThroughPrivacy: PrivacyStage = { process: (event) => [{ event }] };

/** Where stamped events go next: the delivery pipeline. `write` must not block or throw. */
export interface TraceWriter {
  write(event: TraceEvent): void;
}

/** Sees every event after it was written (the semantic layer). */
export type TraceObserver = (event: TraceEvent) => void;

export interface RecorderIdentity {
  session: string;
  workspace: string;
}

export interface RecorderOptions {
  /**
   * How long (ms) recording may take in one turn of the event loop before further events of
   * that turn wait for the next turns. VS Code hands an extension host hundreds of events in
   * one message (a replace in 200 files: their opens, edits and saves) and calls every
   * listener in the same turn; without a budget the editor waits for all of them. Default:
   * no budget (everything at once, as tests expect); the extension sets one.
   */
  turnBudgetMs?: number;
  /** A budget shared with the collectors' queue (common/turnBudget.ts), instead of `turnBudgetMs`. */
  turnBudget?: TurnBudget;
  /** A monotonic clock in ms (performance.now). */
  clock?: () => number;
  /** Runs `fn` in a later turn, after I/O (setImmediate). */
  later?: (fn: () => void) => void;
}

/**
 * The sink every collector emits into: runs the privacy stage, lets the semantic layer
 * add its links, stamps the envelope (id, seq, ts, session, workspace), hands the event
 * to the pipeline, then to observers such as the edit-step builder and the linker (whose
 * derived events come back through `emit`).
 *
 * With a turn budget (RecorderOptions.turnBudget or turnBudgetMs), an event emitted once this turn's
 * recording took the budget, or while earlier events wait, joins the end of a queue (a
 * TurnQueue, with the time it was emitted), which later turns work through a budget at a
 * time; order is kept. Events emitted while an event is being recorded (an observer's derived
 * events, the enricher closing a step) are recorded at once, as without a budget. `drain`
 * records everything waiting now (flush, pause, shutdown).
 */
export class Recorder implements TraceSink, IDisposable {
  private seq = 0;
  private readonly observers: TraceObserver[] = [];
  /** The semantic layer's links (set once wired): runs after the privacy stage, before stamping. */
  private enrich: ((event: NewEvent) => NewEvent) | undefined;
  private disposed = false;
  /** Recording within the turn budget: events past it wait, in order, for later turns. */
  private readonly turns: TurnQueue;

  constructor(
    private readonly identity: RecorderIdentity,
    private readonly privacy: PrivacyStage,
    private readonly writer: TraceWriter,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    options: RecorderOptions = {},
  ) {
    this.turns = new TurnQueue(log, {
      ...(options.turnBudgetMs === undefined ? {} : { budgetMs: options.turnBudgetMs }),
      ...(options.turnBudget ? { budget: options.turnBudget } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.later ? { later: options.later } : {}),
    });
    privacy.connect?.((items) => this.accept(items));
  }

  get session(): string {
    return this.identity.session;
  }

  get lastSeq(): number {
    return this.seq;
  }

  setEnricher(enrich: (event: NewEvent) => NewEvent): void {
    this.enrich = enrich;
  }

  observe(observer: TraceObserver): IDisposable {
    this.observers.push(observer);
    return { dispose: () => void this.observers.splice(this.observers.indexOf(observer) >>> 0, 1) };
  }

  emit(event: NewEvent, ts?: number): void {
    if (this.disposed) {
      return;
    }
    // An event that waits is recorded with the time it was emitted.
    const at = this.turns.wouldWait() ? (ts ?? this.now()) : ts;
    this.turns.run('recording', () => this.process(event, at));
  }

  /** Events waiting for a later turn (see the class comment). */
  get backlog(): number {
    return this.turns.backlog;
  }

  /** Records every waiting event now (flush, pause, shutdown): whatever comes next comes after them. */
  drain(): void {
    this.turns.drain();
  }

  private process(event: NewEvent, ts: number | undefined): void {
    let processed: readonly Processed[];
    try {
      processed = this.privacy.process(event, ts ?? this.now());
    } catch (e) {
      // Fail closed: an event the privacy stage could not process is not recorded.
      this.log.error(`the privacy stage failed on a ${event.kind} event, which was dropped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    }
    this.accept(processed, ts);
  }

  /** Records events that already passed the privacy stage (also its own later releases). */
  accept(items: readonly Processed[], ts?: number): void {
    for (const item of items) {
      if (this.disposed) {
        return;
      }
      try {
        // May emit first (closing the open edit step), so that step gets the lower seq.
        const kept = this.enrich ? this.enrich(item.event) : item.event;
        const stamped = {
          schema: SCHEMA,
          id: nanoid(),
          seq: ++this.seq,
          ts: item.ts ?? ts ?? this.now(),
          session: this.identity.session,
          workspace: this.identity.workspace,
          ...kept,
        } as TraceEvent;
        this.writer.write(stamped);
        for (const observer of this.observers) {
          observer(stamped);
        }
      } catch (e) {
        this.log.error(`recording a ${item.event.kind} event failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  }

  /** Records what still waits, then stops. */
  dispose(): void {
    this.turns.dispose();
    this.disposed = true;
    this.observers.length = 0;
  }
}
