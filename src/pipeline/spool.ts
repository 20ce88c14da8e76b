/**
 * The durable spool: where accepted events wait, on disk, until a destination has
 * acknowledged them. Plain Node.
 *
 * - `enqueue` only appends to a bounded in-memory queue (no serialisation, no I/O).
 * - A writer turns the queue into records (see records.ts) in slices that yield to the
 *   event loop, appends them to this process's open segment and fsyncs, at most once per
 *   `writeIntervalMs`. A segment is sealed (renamed to `.ready`) when it holds
 *   `sealRecords` records, after `sealAfterMs`, when it grows past `maxSegmentBytes`, or on
 *   `flush()`.
 * - Senders `claim` ready segments by renaming them (exactly one process wins), `load`
 *   them (reading up to any damage), `ack` delivered records, and the segment is deleted
 *   once every record is acknowledged.
 * - Orphans of processes that died (open or claimed segments) are taken over. A process
 *   keeps a heartbeat file fresh (heartbeat.ts) while it holds something others could take
 *   over (an open segment, a claim), and only then: an idle window runs no timer.
 * - The folder is capped at `maxBytes`: past it the oldest unsent segments are dropped
 *   and their records counted.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../common/logger';
import type { TraceEvent } from '../trace/events';
import { decodeSegment, encodeRecord } from './records';
import { HEARTBEAT, Heartbeat } from './heartbeat';
import { ackName, openName, parseSegmentName, readyName, segmentBase, sendingName, type SegmentName } from './segments';
import { mkdirPrivate, openPrivate, writeFilePrivate } from '../common/privateFs';

export type DropReason = 'queue-full' | 'spool-full' | 'corrupt';

export interface SpoolOptions {
  directory: string;
  /** Cap of the spool folder (bytes). */
  maxBytes: number;
  /** Minimum time between two fsync'd writes (ms). */
  writeIntervalMs: number;
  /** Seal a segment once it holds this many records. */
  sealRecords: number;
  /** Seal a segment this long after it was opened (ms). */
  sealAfterMs: number;
  /** Seal a segment once it is this large (bytes). */
  maxSegmentBytes?: number;
  /** Bound of the in-memory queue (events); past it the oldest queued events are dropped. */
  maxQueue?: number;
  /** Most events serialised per slice before yielding to the event loop. */
  sliceEvents?: number;
  /** Longest a slice serialises before yielding (ms): a batch of large events (snapshots of 200 files) yields as often as one of many small ones. */
  sliceMs?: number;
  /** A process whose heartbeat is older than this is considered gone (ms). */
  staleAfterMs?: number;
}

export interface SpoolHooks {
  /** Events were lost: the count is exact. */
  onDropped?(count: number, reason: DropReason, detail?: string): void;
  /** A segment was sealed and can be sent. */
  onSealed?(): void;
  /** These events are now on disk and fsync'd. */
  onDurable?(events: readonly TraceEvent[]): void;
  /** Writing failed (message), or works again (undefined). */
  onWriteError?(message: string | undefined): void;
}

export interface ClaimedSegment {
  base: string;
  file: string;
  records: number;
  bytes: number;
}

export interface LoadedSegment {
  lines: string[];
  /** Records already delivered (from a previous claimer that died, or this one). */
  acked: number;
  /** Records lost to damage. */
  skipped: number;
  damage?: string;
}

export interface SpoolStats {
  /** Events not yet acknowledged: queued in memory plus in segments. */
  pending: number;
  bytes: number;
  segments: number;
}

interface OpenSegment {
  base: string;
  handle: fs.FileHandle;
  openedAt: number;
  records: number;
  bytes: number;
}

function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export function newOwnerId(): string {
  return `${process.pid}x${randomBytes(4).toString('hex')}`;
}

export class Spool {
  readonly owner: string;
  private readonly segments: string;
  private queue: TraceEvent[] = [];
  private head = 0;
  private current: OpenSegment | undefined;
  private counter = 0;
  private writeTimer: NodeJS.Timeout | undefined;
  private sealTimer: NodeJS.Timeout | undefined;
  /** Beats while this process holds something others could take over (an open segment, a claim). */
  private readonly heartbeat: Heartbeat;
  /** Segments this process claimed and has not finished or given back. */
  private claims = 0;
  private writing: Promise<void> | undefined;
  private lastWriteAt = 0;
  private closed = false;
  private writeError: string | undefined;
  private ready = false;
  private readonly options: Required<SpoolOptions>;
  private lastRecovery = 0;
  private stats: SpoolStats = { pending: 0, bytes: 0, segments: 0 };

  constructor(
    options: SpoolOptions,
    private readonly log: Logger,
    private readonly hooks: SpoolHooks = {},
    owner: string = newOwnerId(),
  ) {
    this.owner = owner;
    this.options = {
      maxSegmentBytes: 8 * 1024 * 1024,
      maxQueue: 250_000,
      sliceEvents: 2_000,
      sliceMs: 4,
      staleAfterMs: 60_000,
      ...options,
    };
    this.segments = join(options.directory, 'segments');
    this.heartbeat = new Heartbeat(this.segments, owner, this.options.staleAfterMs, () => this.current !== undefined || this.claims > 0 || this.writing !== undefined);
  }

  get directory(): string {
    return this.options.directory;
  }

  get segmentsDirectory(): string {
    return this.segments;
  }

  /** Events waiting in memory (not yet on disk). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** The last figures measured by `measure()` plus what is queued now. */
  get lastStats(): SpoolStats {
    return { ...this.stats, pending: this.stats.pending + this.queued };
  }

  /** Creates the folders; call once before use. */
  async open(): Promise<void> {
    await mkdirPrivate(this.segments);
    this.ready = true;
    if (this.queued > 0) {
      this.scheduleWrite();
    }
  }

  /** Accepts an event. O(1); never blocks, never throws. */
  enqueue(event: TraceEvent): void {
    this.queue.push(event);
    if (this.queue.length - this.head > this.options.maxQueue) {
      this.head++;
      this.hooks.onDropped?.(1, 'queue-full', `more than ${this.options.maxQueue} events waited to be written`);
      if (this.head > 65_536 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
    }
    if (!this.writeTimer && !this.writing && this.ready) {
      this.scheduleWrite();
    }
  }

  private scheduleWrite(): void {
    if (this.writeTimer || this.closed) {
      return;
    }
    const wait = Math.max(0, this.lastWriteAt + this.options.writeIntervalMs - Date.now());
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      void this.write(false);
    }, wait);
    this.writeTimer.unref?.();
  }

  /** Writes what is queued; with `seal`, also seals the open segment. Serialised: one at a time. */
  private write(seal: boolean): Promise<void> {
    const run = async (): Promise<void> => {
      while (this.writing) {
        await this.writing;
      }
      const work = this.writeNow(seal);
      this.writing = work;
      try {
        await work;
      } finally {
        this.writing = undefined;
        if (this.queued > 0 && !this.closed) {
          this.scheduleWrite();
        } else {
          this.heartbeat.letGo();
        }
      }
    };
    return run();
  }

  private async writeNow(seal: boolean): Promise<void> {
    this.lastWriteAt = Date.now();
    const batch = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    if (batch.length > 0) {
      try {
        const segment = this.current ?? (await this.openSegment());
        // Serialise and append slice by slice (bounded memory, and the event loop runs in
        // between), then one fsync for the whole batch.
        let bytes = 0;
        for (let start = 0; start < batch.length; ) {
          if (start > 0) {
            await new Promise<void>((r) => setImmediate(r));
          }
          const last = Math.min(batch.length, start + this.options.sliceEvents);
          const deadline = performance.now() + this.options.sliceMs;
          let text = '';
          let end = start;
          do {
            text += encodeRecord(JSON.stringify(batch[end]));
            end++;
          } while (end < last && performance.now() < deadline);
          start = end;
          const data = Buffer.from(text, 'utf8');
          await segment.handle.write(data);
          bytes += data.length;
        }
        await segment.handle.datasync();
        segment.records += batch.length;
        segment.bytes += bytes;
        if (this.writeError) {
          this.writeError = undefined;
          this.hooks.onWriteError?.(undefined);
          this.log.info('the spool is writable again');
        }
        this.hooks.onDurable?.(batch);
      } catch (e) {
        this.failWrite(batch, e);
        return;
      }
    }
    const current = this.current;
    if (current && (seal || current.records >= this.options.sealRecords || current.bytes >= this.options.maxSegmentBytes || Date.now() - current.openedAt >= this.options.sealAfterMs)) {
      await this.seal();
    }
  }

  private failWrite(batch: TraceEvent[], e: unknown): void {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOSPC'
        ? `the disk holding the spool (${this.options.directory}) is full: free some space; events are kept in memory meanwhile`
        : `cannot write the spool in ${this.options.directory}: ${e instanceof Error ? e.message : String(e)}`;
    if (this.writeError !== message) {
      this.log.error(message);
      this.hooks.onWriteError?.(message);
    }
    this.writeError = message;
    // Put the events back in front of anything queued since; the bound still applies.
    this.queue = batch.concat(this.queue.slice(this.head));
    this.head = 0;
    const excess = this.queue.length - this.options.maxQueue;
    if (excess > 0) {
      this.head = excess;
      this.hooks.onDropped?.(excess, 'queue-full', 'the spool could not be written');
    }
    // A torn append may have left a damaged tail: seal what is there (readers stop at the
    // damage; records before it that are written again are deduplicated by id).
    void this.seal();
  }

  private async openSegment(): Promise<OpenSegment> {
    await this.heartbeat.hold();
    const base = segmentBase(Date.now(), this.owner, this.counter++);
    let handle: Awaited<ReturnType<typeof openPrivate>>;
    try {
      handle = await openPrivate(join(this.segments, openName(base)), 'a');
    } catch (e) {
      this.heartbeat.letGo(); // nothing opened, nothing held
      throw e;
    }
    const segment: OpenSegment = { base, handle, openedAt: Date.now(), records: 0, bytes: 0 };
    this.current = segment;
    this.sealTimer = setTimeout(() => {
      this.sealTimer = undefined;
      if (this.current === segment) {
        void this.write(true);
      }
    }, this.options.sealAfterMs);
    this.sealTimer.unref?.();
    return segment;
  }

  private async seal(): Promise<void> {
    const segment = this.current;
    if (!segment) {
      return;
    }
    this.current = undefined;
    if (this.sealTimer) {
      clearTimeout(this.sealTimer);
      this.sealTimer = undefined;
    }
    try {
      await segment.handle.close();
    } catch {
      /* already closed */
    }
    const from = join(this.segments, openName(segment.base));
    try {
      if (segment.records === 0) {
        await fs.unlink(from);
        return;
      }
      await fs.rename(from, join(this.segments, readyName(segment.base, segment.records, segment.bytes)));
    } catch (e) {
      this.log.warn(`could not seal spool segment ${segment.base}: ${String(e)}; it is recovered later`);
      return;
    }
    this.hooks.onSealed?.();
    this.heartbeat.letGo();
  }

  /** Writes and seals everything accepted so far; resolves once it is on disk. */
  async flush(): Promise<void> {
    if (this.writeTimer) {
      clearTimeout(this.writeTimer);
      this.writeTimer = undefined;
    }
    if (!this.ready) {
      return;
    }
    await this.write(true);
  }

  /** Flushes and stops the timers. Later `enqueue`s are kept in memory only. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    await this.flush();
    this.closed = true;
    await this.heartbeat.stop();
  }

  // ---- reading side -------------------------------------------------------------------

  private async list(): Promise<SegmentName[]> {
    let files: string[];
    try {
      files = await fs.readdir(this.segments);
    } catch (e) {
      if (isMissing(e)) {
        return [];
      }
      throw e;
    }
    const names: SegmentName[] = [];
    for (const file of files) {
      const name = parseSegmentName(file);
      if (name) {
        names.push(name);
      }
    }
    return names.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  }

  /** Claims the oldest ready segment for this process, or undefined when there is none. */
  async claim(): Promise<ClaimedSegment | undefined> {
    if (Date.now() - this.lastRecovery > 5_000) {
      await this.recover();
    }
    for (const name of await this.list()) {
      if (name.state !== 'ready' || name.records === undefined || name.bytes === undefined) {
        continue;
      }
      const file = sendingName(name.base, name.records, name.bytes, this.owner);
      await this.heartbeat.hold();
      try {
        await fs.rename(join(this.segments, readyName(name.base, name.records, name.bytes)), join(this.segments, file));
        this.claims++;
        return { base: name.base, file, records: name.records, bytes: name.bytes };
      } catch (e) {
        if (!isMissing(e)) {
          throw e;
        }
        // Another process claimed it first.
      }
    }
    this.heartbeat.letGo(); // a claim lost to another window holds nothing: no heartbeat left beating into an idle window
    return undefined;
  }

  async load(segment: ClaimedSegment): Promise<LoadedSegment> {
    const data = await fs.readFile(join(this.segments, segment.file));
    const decoded = decodeSegment(data);
    let acked = 0;
    try {
      acked = Number.parseInt(await fs.readFile(join(this.segments, ackName(segment.base)), 'utf8'), 10) || 0;
    } catch {
      /* nothing acknowledged yet */
    }
    return { lines: decoded.lines, acked: Math.min(acked, decoded.lines.length), skipped: decoded.skipped, ...(decoded.damage ? { damage: decoded.damage } : {}) };
  }

  /** Records that the first `delivered` records of the segment reached the destination. */
  async ack(segment: ClaimedSegment, delivered: number, total: number): Promise<void> {
    if (delivered >= total) {
      await fs.unlink(join(this.segments, segment.file)).catch((e: unknown) => {
        if (!isMissing(e)) throw e;
      });
      this.claims = Math.max(0, this.claims - 1);
      this.heartbeat.letGo();
      await fs.unlink(join(this.segments, ackName(segment.base))).catch(() => undefined);
    } else {
      // Not fsync'd: losing it only means re-sending records the receiver deduplicates.
      await writeFilePrivate(join(this.segments, ackName(segment.base)), String(delivered));
    }
  }

  /** Gives a claimed segment back (shutdown before it was delivered). */
  async release(segment: ClaimedSegment): Promise<void> {
    await fs.rename(join(this.segments, segment.file), join(this.segments, readyName(segment.base, segment.records, segment.bytes))).catch(() => undefined);
    this.claims = Math.max(0, this.claims - 1);
    this.heartbeat.letGo();
  }

  /**
   * Calls `listener` when a segment becomes ready in the folder, whoever sealed it (other
   * windows share the spool), so a sender can wait without polling. Returns a stop function,
   * or undefined when the platform cannot watch the folder (then poll).
   */
  watchReady(listener: () => void): (() => void) | undefined {
    let watcher: FSWatcher;
    try {
      watcher = watch(this.segments, { persistent: false }, (_event, file) => {
        if (file === null || String(file).endsWith('.ready')) listener();
      });
    } catch {
      return undefined;
    }
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  }

  /** Adds a segment of already-encoded records (e.g. a failed batch retried) as ready. */
  async adopt(file: string, records: number): Promise<void> {
    const stat = await fs.stat(file);
    const base = segmentBase(Date.now(), this.owner, this.counter++);
    await fs.rename(file, join(this.segments, readyName(base, records, stat.size)));
    this.hooks.onSealed?.();
  }

  // ---- orphans, cap, statistics ----------------------------------------------------------

  /** Takes over segments of processes that died: seals their open ones, releases their claims. */
  async recover(): Promise<void> {
    this.lastRecovery = Date.now();
    const verdict = new Map<string, boolean>();
    const isGone = async (owner: string): Promise<boolean> => {
      let v = verdict.get(owner);
      if (v === undefined) {
        v = await this.heartbeat.gone(owner);
        verdict.set(owner, v);
      }
      return v;
    };
    const names = await this.list();
    for (const name of names) {
      try {
        if (name.state === 'open' && name.writer !== this.owner && (await isGone(name.writer))) {
          const from = join(this.segments, openName(name.base));
          const data = await fs.readFile(from);
          const decoded = decodeSegment(data);
          if (decoded.damage) {
            this.log.warn(`spool segment ${name.base} left by a process that died: ${decoded.damage}; ${decoded.skipped} record(s) skipped`);
            this.hooks.onDropped?.(decoded.skipped, 'corrupt', decoded.damage);
            await fs.truncate(from, decoded.goodBytes);
          }
          if (decoded.lines.length === 0) {
            await fs.unlink(from);
          } else {
            await fs.rename(from, join(this.segments, readyName(name.base, decoded.lines.length, decoded.goodBytes)));
            this.hooks.onSealed?.();
          }
        } else if (name.state === 'sending' && name.claimer && name.claimer !== this.owner && name.records !== undefined && name.bytes !== undefined && (await isGone(name.claimer))) {
          await fs.rename(join(this.segments, sendingName(name.base, name.records, name.bytes, name.claimer)), join(this.segments, readyName(name.base, name.records, name.bytes)));
          this.hooks.onSealed?.();
        }
      } catch (e) {
        if (!isMissing(e)) {
          this.log.warn(`could not recover spool segment ${name.base}: ${String(e)}`);
        }
      }
    }
    // Heartbeats and acks left behind.
    try {
      const live = new Set(names.map((n) => n.base));
      for (const file of await fs.readdir(this.segments)) {
        const heartbeat = HEARTBEAT.exec(file);
        if (file.endsWith('.ack') && !live.has(file.slice(0, -4))) {
          await fs.unlink(join(this.segments, file)).catch(() => undefined);
        } else if (heartbeat) {
          const owner = heartbeat[1];
          if (owner !== this.owner && (await isGone(owner))) {
            await fs.unlink(join(this.segments, file)).catch(() => undefined);
          }
        }
      }
    } catch {
      /* best effort */
    }
  }

  /**
   * Measures the spool and, past the cap, drops the oldest unsent segments (their
   * records are counted exactly, minus what was already delivered). Returns the stats.
   */
  async enforceCap(): Promise<SpoolStats> {
    const names = await this.list();
    let bytes = 0;
    let pending = 0;
    for (const name of names) {
      if (name.state === 'open') {
        if (name.writer === this.owner && this.current?.base === name.base) {
          bytes += this.current.bytes;
          pending += this.current.records;
        } else {
          bytes += (await fs.stat(join(this.segments, openName(name.base))).catch(() => undefined))?.size ?? 0;
        }
      } else {
        bytes += name.bytes ?? 0;
        pending += name.records ?? 0;
      }
    }
    let dropped = 0;
    for (const name of names) {
      if (bytes <= this.options.maxBytes) {
        break;
      }
      if (name.state !== 'ready' || name.records === undefined || name.bytes === undefined) {
        continue;
      }
      // Claim it first so that exactly one process drops (and counts) it.
      const claimed = join(this.segments, sendingName(name.base, name.records, name.bytes, this.owner));
      try {
        await fs.rename(join(this.segments, readyName(name.base, name.records, name.bytes)), claimed);
      } catch {
        continue;
      }
      let acked = 0;
      try {
        acked = Number.parseInt(await fs.readFile(join(this.segments, ackName(name.base)), 'utf8'), 10) || 0;
      } catch {
        /* none */
      }
      await fs.unlink(claimed);
      await fs.unlink(join(this.segments, ackName(name.base))).catch(() => undefined);
      bytes -= name.bytes;
      pending -= name.records;
      dropped += Math.max(0, name.records - acked);
    }
    if (dropped > 0) {
      this.log.warn(`the spool reached its cap of ${Math.round(this.options.maxBytes / 1048576)} MB: dropped the ${dropped} oldest unsent event(s)`);
      this.hooks.onDropped?.(dropped, 'spool-full', `the spool reached worktrace.spool.maxMegabytes`);
    }
    this.stats = { pending, bytes, segments: names.length };
    return this.lastStats;
  }
}
