/**
 * The privacy stage every event passes before it is written anywhere (see PrivacyStage in
 * trace/recorder.ts): exclusions, document content, and the free texts of runs, debug
 * sessions, commits and diagnostics. Each redaction is counted in a `privacy.redacted`
 * event (rule and where, never the value). Plain Node.
 */
import { performance } from 'node:perf_hooks';
import type { ChangeAttribution, NewEvent, NewEventOf } from '../trace/events';
import type { PrivacyStage, Processed } from '../trace/recorder';
import { DocumentPrivacy, finishSteps, type ReleaseResult, type Scan } from './documents';
import type { Exclusions } from './exclusions';

export interface TextRedactor {
  redact(text: string): { text: string; redactions: readonly { rule: string }[] };
  scan: Scan;
}

/** Longest a pause's release of held keystrokes runs before it yields to the event loop (ms). */
const SLICE_MS = 3;

/**
 * Released events handed on at a time while a pause's release is sliced, between two looks at
 * the clock. Each event handed on runs the observers (the edit step it closes, with its diff;
 * authorship; the spool's queue), which can take a millisecond or more for a document's step:
 * 25 at a time let one hand-over of a replace in 200 files take 12–50 ms in the extension
 * host, so one at a time (a look at the clock costs well under a microsecond).
 */
const HAND_ON = 1;

/**
 * An event that ends a burst (a save, a close, a run) while more documents than this hold
 * keystrokes does not release them all in its turn: the release is sliced, and the event, with
 * everything that comes after it, waits behind it, in order. A replace in 200 files ends with
 * saves while 200 documents hold their edits; releasing them all at once took 10 ms and more.
 */
const DEFER_AT_DOCUMENTS = 8;

/** Names of launch-configuration keys whose values are secrets whatever they look like. */
const SECRET_KEY = /(?:secret|token|passw(?:or)?d|pwd|api[-_]?key|credential|auth)/i;

/**
 * Kinds whose arrival does not end a burst of held keystrokes: they stream while typing, or
 * (`edit.step`) they summarise edits already released, so nothing held belongs before them.
 * An `edit.step` comes from the stepper when the next document's edits are released; ending
 * the burst there would release every other held document in that same turn.
 */
const KEEP_HOLDING = new Set<string>(['doc.edit', 'diagnostics.change', 'privacy.redacted', 'capture.dropped', 'editor.view', 'editor.selection', 'edit.step']);

/**
 * The privacy stage. In order: exclusions (excluded files leave only `doc.excluded`
 * markers), document content (snapshots redacted; keystrokes held back until a pause in
 * typing or the next event of another kind, so a secret typed one character at a time is
 * caught whole — see DocumentPrivacy), then free texts of runs, debug sessions, commits and
 * diagnostics. The Redactor is asked for each event (settings may change it).
 */
export class RedactingPrivacyStage implements PrivacyStage {
  /** Redactions found while rewriting the current event (filled by `text`). */
  private found: { field: string; rule: string }[] = [];
  private redactedTotal = 0;
  private readonly documents: DocumentPrivacy;
  private accept: ((items: readonly Processed[]) => void) | undefined;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private lastHold = 0;
  /** A pause released many documents' keystrokes: the rest of them, released a slice per turn. */
  private slicing: ReturnType<typeof setImmediate> | undefined;
  private sliceQueue: string[] = [];
  /** A sliced release going through one document's held edits (see releaseSlice). */
  private releasing: Generator<void, ReleaseResult, void> | undefined;
  /** Released by a sliced release, not yet handed on (see releaseSlice). */
  private released: Processed[] = [];
  /** Events waiting behind a sliced release, in order, with when they happened (see DEFER_AT_DOCUMENTS). */
  private after: { event: NewEvent; ts: number }[] = [];
  /** What the stage hands on is being recorded now: events that come meanwhile are derived from it and go at once. */
  private handingOn = false;

  constructor(
    private readonly redactor: () => TextRedactor,
    /** Absolute paths to replace in free texts (workspace folders → `${workspaceFolder}`, home → `~`), longest first. */
    private readonly paths: readonly { from: string; to: string }[] = [],
    private readonly exclusions: () => Exclusions | undefined = () => undefined,
    /** How long typing must pause before held keystrokes are released (ms). */
    private readonly holdMs = 1_500,
  ) {
    this.documents = new DocumentPrivacy((text) => this.redactor().scan(text));
  }

  connect(accept: (items: readonly Processed[]) => void): void {
    this.accept = accept;
  }

  /** Releases every held keystroke, and records every event waiting behind a release, now (flush, pause, shutdown). */
  releaseAll(): void {
    const out = [...this.takeReleased(), ...this.release()];
    this.sliceQueue = [];
    for (const next of this.after.splice(0)) {
      out.push(...this.processNow(next.event, next.ts, false, true));
    }
    out.push(...this.release()); // what those events held
    this.handOn(out);
  }

  /** Hands events on to be recorded; what is emitted meanwhile is derived from them. */
  private handOn(items: readonly Processed[]): void {
    if (items.length === 0) {
      return;
    }
    const was = this.handingOn;
    this.handingOn = true;
    try {
      this.accept?.(items);
    } finally {
      this.handingOn = was;
    }
  }

  dispose(): void {
    clearTimeout(this.holdTimer);
    clearImmediate(this.slicing);
    this.sliceQueue = [];
    this.releasing = undefined;
    this.released = [];
    this.after = [];
    this.holdTimer = undefined;
  }

  /**
   * What a sliced release has released and not yet handed on, the document it is going
   * through finished first; whatever comes next must come after it (and may touch that document).
   */
  private takeReleased(): Processed[] {
    if (this.releasing) {
      const steps = this.releasing;
      this.releasing = undefined;
      this.released.push(...this.processed(finishSteps(steps)));
    }
    const out = this.released;
    this.released = [];
    return out;
  }

  private release(path?: string): Processed[] {
    return this.processed(this.documents.release(path));
  }

  private processed(released: ReleaseResult): Processed[] {
    const out: Processed[] = released.events.map((r) => ({ event: r.event, ts: r.ts }));
    out.push(...this.report(released.redactions.map((r) => ({ field: 'text', rule: r.rule })), 'doc.edit'));
    return out;
  }

  private report(found: readonly { field: string; rule: string }[], kind: string): Processed[] {
    const counts = new Map<string, number>();
    for (const f of found) {
      const key = `${f.field}\u0000${f.rule}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const out: Processed[] = [];
    for (const [key, count] of counts) {
      const [field, rule] = key.split('\u0000');
      this.redactedTotal += count;
      out.push({ event: { kind: 'privacy.redacted', in: kind, field, rule, count } });
    }
    return out;
  }

  private armHoldTimer(): void {
    this.lastHold = Date.now();
    if (this.holdTimer) {
      return; // one timer; when it fires early it re-arms for the rest (no timer work per keystroke)
    }
    const fire = (): void => {
      const wait = this.lastHold + this.holdMs - Date.now();
      if (wait > 0) {
        this.holdTimer = setTimeout(fire, wait);
        return;
      }
      this.holdTimer = undefined;
      this.sliceQueue = this.documents.heldPaths(); // what the pause ends; keystrokes typed meanwhile wait for their own pause
      if (!this.slicing) {
        this.releaseSlice();
      }
    };
    this.holdTimer = setTimeout(fire, this.holdMs);
  }

  /**
   * Releases held documents, the earliest held first, a part of a document's held edits at a
   * time (DocumentPrivacy.releaseInSteps), and hands what they release on HAND_ON events at
   * a time, for at most SLICE_MS, then yields and goes on in the next turn:
   * neither a pause after a tool edited hundreds of documents at once nor one after thousands
   * of keystrokes typed without a pause may block the extension host. Any other event takes
   * everything released or still held at once, before itself (process), so the order of the
   * trace is kept.
   */
  private releaseSlice(): void {
    this.slicing = undefined;
    const started = performance.now();
    let first = true;
    while (first || performance.now() - started < SLICE_MS) {
      first = false;
      if (this.released.length > 0) {
        const batch = this.released.length <= HAND_ON ? this.takeReleased() : this.released.splice(0, HAND_ON);
        this.handOn(batch);
      } else if (this.releasing) {
        const next = this.releasing.next();
        if (next.done) {
          this.releasing = undefined;
          this.released = this.processed(next.value);
        }
      } else if (this.sliceQueue.length > 0) {
        const path = this.sliceQueue.shift() as string;
        if (this.documents.held(path) > 0) {
          this.releasing = this.documents.releaseInSteps(path);
        }
      } else if (this.after.length > 0) {
        // The release they waited for is done: the next waiting event, as it would have gone.
        const next = this.after.shift() as { event: NewEvent; ts: number };
        this.handOn(this.processNow(next.event, next.ts, false, true));
      } else {
        break;
      }
    }
    if (this.released.length > 0 || this.releasing || this.sliceQueue.length > 0 || this.after.length > 0) {
      this.slicing = setImmediate(() => this.releaseSlice());
    }
  }

  /** Redactions since start (for the status bar). */
  get redacted(): number {
    return this.redactedTotal;
  }

  process(event: NewEvent, ts?: number): readonly Processed[] {
    if (this.after.length > 0 && !this.handingOn) {
      this.after.push({ event, ts: ts ?? Date.now() }); // behind the events waiting for a sliced release
      return [];
    }
    return this.processNow(event, ts, !this.handingOn, false);
  }

  /**
   * Processes one event. `mayWait`: whether it may start a sliced release and wait behind it
   * (not an event derived from what is being handed on, nor one that already waited).
   * `waited`: it waited behind a sliced release, so what comes out carries its time `ts`.
   */
  private processNow(event: NewEvent, ts: number | undefined, mayWait: boolean, waited: boolean): Processed[] {
    this.found = [];
    const kept = this.exclude(event);
    if (!kept) {
      return [];
    }
    // Keystrokes: held until the burst ends.
    if (kept.kind === 'doc.edit') {
      if (this.documents.hold(kept, ts ?? Date.now())) {
        return [...this.takeReleased(), ...this.release(kept.path)];
      }
      this.armHoldTimer();
      return [];
    }
    const endsBurst = !KEEP_HOLDING.has(kept.kind);
    if (endsBurst && mayWait && this.documents.heldDocuments() > DEFER_AT_DOCUMENTS) {
      // Too many documents to release in this turn: release them a slice at a time, and wait.
      this.after.push({ event, ts: ts ?? Date.now() });
      this.sliceQueue = this.documents.heldPaths();
      this.slicing ??= setImmediate(() => this.releaseSlice());
      return [];
    }
    // Anything else ends the burst first, so order is kept (a save after its edits, a run after the edits it tests).
    const out: Processed[] = endsBurst ? [...this.takeReleased(), ...(this.documents.held() === 0 ? [] : this.release())] : [];
    const at = waited && ts !== undefined ? { ts } : {};
    let result: NewEvent = kept;
    switch (kept.kind) {
      case 'doc.open': {
        const opened = this.documents.open(kept);
        result = opened.event;
        out.push(...this.report(opened.redactions.map((r) => ({ field: 'text', rule: r.rule })), 'doc.open').map((r) => ({ ...r, ...at })));
        break;
      }
      case 'doc.close':
        this.documents.close(kept.path);
        break;
      case 'file.rename':
        this.documents.rename(kept.from, kept.to);
        break;
      case 'file.delete':
        this.documents.close(kept.path);
        break;
      default:
        result = this.rewrite(kept);
    }
    out.push({ event: result, ...at }, ...this.report(this.found, kept.kind).map((r) => ({ ...r, ...at })));
    this.found = [];
    return out;
  }

  private text(value: string, field: string): string {
    if (value.length === 0) {
      return value;
    }
    for (const { from, to } of this.paths) {
      if (value.includes(from)) {
        value = value.split(from).join(to);
      }
    }
    const result = this.redactor().redact(value);
    for (const r of result.redactions) {
      this.found.push({ field, rule: r.rule });
    }
    return result.redactions.length ? result.text : value;
  }

  /**
   * A file's content (`file.change` text, diff, changes): secrets redacted, but no path
   * replacement, so that a snapshot stays the file's text apart from the placeholders.
   */
  private content(value: string, field: string): string {
    if (value.length === 0) {
      return value;
    }
    const result = this.redactor().redact(value);
    for (const r of result.redactions) {
      this.found.push({ field, rule: r.rule });
    }
    return result.redactions.length ? result.text : value;
  }

  /** The command line or task name of a change's attribution is a free text. */
  private attribution(by: ChangeAttribution): ChangeAttribution {
    return by.command === undefined ? by : { ...by, command: this.text(by.command, 'by.command') };
  }

  private optional(value: string | undefined, field: string): string | undefined {
    return value === undefined ? undefined : this.text(value, field);
  }

  private deep(value: unknown, field: string): unknown {
    if (typeof value === 'string') {
      return this.text(value, field);
    }
    if (Array.isArray(value)) {
      return value.map((v) => this.deep(v, field));
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (typeof v === 'string' && v.length > 0 && SECRET_KEY.test(k)) {
          // A value under a secret-looking key is a secret whatever it looks like.
          out[k] = '«redacted:secret-setting»';
          this.found.push({ field: `${field}.${k}`, rule: 'secret-setting' });
        } else {
          out[k] = this.deep(v, `${field}.${k}`);
        }
      }
      return out;
    }
    return value;
  }

  /** Drops or rewrites what concerns excluded files: only `doc.excluded` markers with hashed paths remain. */
  private exclude(event: NewEvent): NewEvent | undefined {
    const exclusions = this.exclusions();
    if (!exclusions) {
      return event;
    }
    const excluded = (path: string): boolean => exclusions.isExcluded(path);
    const mask = (path: string): string => (excluded(path) ? exclusions.hashed(path) : path);
    switch (event.kind) {
      case 'doc.open':
        return excluded(event.path) ? { kind: 'doc.excluded', path: exclusions.hashed(event.path) } : event;
      case 'doc.edit':
      case 'doc.save':
      case 'doc.close':
      case 'edit.step':
      case 'diagnostics.change':
        return excluded(event.path) ? undefined : event;
      case 'editor.focus':
        return event.path !== null && excluded(event.path) ? { kind: 'editor.focus', path: exclusions.hashed(event.path) } : event;
      case 'editor.view':
        return excluded(event.path) ? { ...event, path: exclusions.hashed(event.path) } : event;
      case 'editor.selection':
        return excluded(event.path) ? undefined : event;
      case 'editor.navigate':
        return {
          ...event,
          from: event.from && excluded(event.from.path) ? { path: exclusions.hashed(event.from.path), line: event.from.line } : event.from,
          to: excluded(event.to.path) ? { path: exclusions.hashed(event.to.path), line: event.to.line } : event.to,
        };
      case 'file.create':
      case 'file.delete':
        return { ...event, path: mask(event.path) };
      case 'file.rename':
        return { ...event, from: mask(event.from), to: mask(event.to) };
      case 'git.commit':
        return {
          ...event,
          files: event.files.map((f) => ({ ...f, path: mask(f.path) })),
          ...(event.authorship ? { authorship: { ...event.authorship, files: event.authorship.files.map((f) => ({ ...f, path: mask(f.path) })) } } : {}),
        };
      case 'file.change':
        return excluded(event.path) ? { kind: 'doc.excluded', path: exclusions.hashed(event.path) } : event; // nothing of its content
      case 'file.bulk':
        return { ...event, paths: event.paths.map(mask), hashes: event.hashes.map((h, i) => (excluded(event.paths[i]) ? null : h)) };
      case 'terminal.command':
      case 'task.run':
        return event.files ? { ...event, files: event.files.map((f) => ({ ...f, path: mask(f.path) })) } : event;
      case 'debug.breakpoints': {
        const keep = (b: NewEventOf<'debug.breakpoints'>['added'][number]): boolean => !('path' in b) || !excluded(b.path);
        const added = event.added.filter(keep);
        const removed = event.removed.filter(keep);
        return added.length || removed.length ? { ...event, added, removed } : undefined;
      }
      case 'debug.stop': {
        const location = event.exception?.frame?.location;
        if (event.exception?.frame && location && excluded(location.path)) {
          return { ...event, exception: { ...event.exception, frame: { name: event.exception.frame.name } } };
        }
        return event;
      }
      default:
        return event;
    }
  }

  private rewrite(event: NewEvent): NewEvent {
    switch (event.kind) {
      case 'terminal.command': {
        const output = this.optional(event.output, 'output');
        return { ...event, commandLine: this.text(event.commandLine, 'commandLine'), ...(output !== undefined ? { output } : {}) };
      }
      case 'task.run':
        return { ...event, name: this.text(event.name, 'name') };
      case 'test.run':
        return { ...event, command: this.text(event.command, 'command'), failing: event.failing.map((f) => this.text(f, 'failing')) };
      case 'debug.session': {
        const out: NewEventOf<'debug.session'> = { ...event };
        if (event.configuration) out.configuration = this.deep(event.configuration, 'configuration') as Record<string, unknown>;
        if (event.output !== undefined) out.output = this.text(event.output, 'output');
        if (event.exception !== undefined) out.exception = this.text(event.exception, 'exception');
        return out;
      }
      case 'debug.stop': {
        const out: NewEventOf<'debug.stop'> = { ...event };
        if (event.description !== undefined) out.description = this.text(event.description, 'description');
        if (event.exception) out.exception = { ...event.exception, message: this.text(event.exception.message, 'exception.message') };
        return out;
      }
      case 'git.commit':
        return { ...event, message: this.text(event.message, 'message') };
      case 'diagnostics.change':
        return { ...event, new: event.new.map((d) => ({ ...d, message: this.text(d.message, 'message') })) };
      case 'goal.start': {
        const url = this.optional(event.url, 'url');
        const issue = this.optional(event.issue, 'issue');
        return { ...event, goal: this.text(event.goal, 'goal'), ...(url !== undefined ? { url } : {}), ...(issue !== undefined ? { issue } : {}) };
      }
      case 'goal.end': {
        const note = this.optional(event.note, 'note');
        return { ...event, ...(note !== undefined ? { note } : {}) };
      }
      case 'file.change': {
        // The tracker gives `text` instead of `changes` when the old or new text holds a secret
        // (so replay goes on from the redacted snapshot); changes are scanned all the same.
        const out: NewEventOf<'file.change'> = { ...event, by: this.attribution(event.by) };
        if (event.text !== undefined) out.text = this.content(event.text, 'text');
        if (event.diff !== undefined) out.diff = this.content(event.diff, 'diff');
        if (event.changes) out.changes = event.changes.map((c) => ({ ...c, text: this.content(c.text, 'changes') }));
        return out;
      }
      case 'file.bulk':
        return { ...event, by: this.attribution(event.by) };
      default:
        return event;
    }
  }
}
