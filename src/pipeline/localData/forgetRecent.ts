/**
 * "Your data" commands, plain-Node core (the VS Code layer adds the confirmations); this
 * file holds `forgetRecent`, deleteLocalData.ts the other two:
 *
 * - `forgetRecent`: the panic button. Removes every event with `ts >= sinceTs` from the
 *   spool (segments and failed batches) and from the local trace files, keeping
 *   everything before the cut byte for byte.
 * - `deleteLocalData`: deletes the spool and Worktrace's own trace files, leaving the
 *   folders in place so capture keeps working.
 * - `describeLocalData`: what `deleteLocalData` would delete, for the confirmation.
 *
 * How the spool stays consistent while other processes (every VS Code window runs a
 * spool writer and a sender on the same folder) keep working:
 *
 * - Every file is rewritten atomically: the new content goes to a temp file in the same
 *   folder (a name the spool ignores), is fsync'd, and is renamed into place.
 * - A segment is changed only while this run holds it, and it takes it the way the spool
 *   does, by one rename that only one process can win: `.ready` (and `.sending.<x>` of a
 *   claimer that is gone, and `.open` of a writer that is gone) → `.sending.<run owner>`.
 *   The run writes a heartbeat (`owner-<run owner>.alive`) so that other processes'
 *   `recover()` leaves its claims alone. A rename that loses (another process claimed or
 *   delivered the segment meanwhile) is looked at again on the next round.
 * - Never touched: the `.open` segment of a live writer (it appends through an open file
 *   descriptor; a file renamed over it would swallow its next appends) and the
 *   `.sending.<x>` segment of a live sender (it holds the records in memory and deletes
 *   the file by name once delivered). The run waits up to `busyWaitMs` for such claims to
 *   be delivered or released (delivered records then reach the trace files, which are
 *   handled after the spool) and reports what stayed busy. For a complete cut, first
 *   pause capture and flush the spool (`Spool.flush()` seals the open segment).
 * - A rewritten segment gets a new name: the same creation time (so the order of delivery
 *   is kept), this run as writer, and the new `.r<records>.b<bytes>`. Batch ids (and the
 *   HTTP Idempotency-Key) derive from the name, so a receiver never sees the same batch id
 *   with a different content. Already delivered records (`.ack`) are carried over. The
 *   order of the steps is chosen so that a crash at any point loses no kept record and
 *   leaves nothing worse than records re-sent (receivers deduplicate by event id).
 * - Damaged segments: the intact records are kept (minus the forgotten ones); the damaged
 *   tail, which the spool would never deliver anyway (and which, when a write was torn,
 *   holds the newest events), is dropped and reported.
 * - Trace files are streamed (a `.gz` file is decompressed and written again as a single
 *   gzip member). Before the rename the file is checked again: if the file destination
 *   appended a batch meanwhile, it is read again (what is left is the short gap between
 *   that check and the rename; stop delivery first to close it).
 *
 * Plain Node.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ackName, parseSegmentName, readyName, segmentBase, sendingName, type SegmentName } from '../segments';
import { newOwnerId } from '../spool';
import { writeFilePrivate } from '../../common/privateFs';
import { CLAIMED_FAILED, DAY_MS, ForgetNote, ForgetOptions, ForgetResult, TEMP_FILE, TRACE_FILE, code, list, message, syncDirectory, unlinkIfThere, writeDurable } from './folders';
import { HEARTBEAT_MS, heartbeatName, ownerGone } from '../heartbeat';
import { filterRecords, filterTraceFile, sameFile } from './recentFilter';

// ---- the forget run ------------------------------------------------------------------------

interface SegmentOutcome {
  /** Left alone for now: a live process holds it (`waitable`: it may be free soon). */
  busy?: { detail: string; waitable: boolean };
  /** The name the rewritten segment got. */
  newBase?: string;
}

class ForgetRun {
  readonly owner = newOwnerId();
  readonly result: ForgetResult = { spoolRecords: 0, traceEvents: 0, files: 0, notes: [] };
  private readonly segments: string;
  private readonly failed: string;
  private readonly now: number;
  private readonly staleAfterMs: number;
  private readonly verdicts = new Map<string, boolean>();
  private counter = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private beating = false;
  /** Whether segments may be claimed (the heartbeat is written). */
  private claiming = false;

  constructor(private readonly options: ForgetOptions) {
    this.segments = join(options.spoolDirectory, 'segments');
    this.failed = join(options.spoolDirectory, 'failed');
    this.now = options.now ?? Date.now();
    this.staleAfterMs = options.staleAfterMs ?? 60_000;
  }

  private note(file: string, kind: ForgetNote['kind'], detail: string, records?: number): void {
    this.result.notes.push({ file, kind, detail, ...(records !== undefined ? { records } : {}) });
  }

  private temp(directory: string, hidden = false): string {
    return join(directory, `${hidden ? '.worktrace-' : ''}forget-${this.owner}-${this.counter++}.tmp`);
  }

  private get heartbeatFile(): string {
    return join(this.segments, heartbeatName(this.owner));
  }

  /** Announces this run to other processes' `recover()`, so that they leave its claims alone. */
  async start(): Promise<void> {
    try {
      await writeFilePrivate(this.heartbeatFile, String(Date.now()));
      this.beating = true;
      this.claiming = true;
    } catch (e) {
      if (code(e) !== 'ENOENT') {
        // Claims without a heartbeat would be taken back by other processes mid-rewrite.
        this.note(this.segments, 'error', `the spool was left unchanged: cannot write a heartbeat (${message(e)})`);
      }
      return; // (no spool: nothing to claim)
    }
    this.heartbeat = setInterval(() => void writeFilePrivate(this.heartbeatFile, String(Date.now())).catch(() => undefined), HEARTBEAT_MS);
    this.heartbeat.unref?.();
  }

  async stop(): Promise<void> {
    if (this.heartbeat) {
      clearInterval(this.heartbeat);
    }
    if (this.beating) {
      await unlinkIfThere(this.heartbeatFile).catch(() => undefined);
    }
  }

  /** The spool's own rule: gone when its pid is dead or its heartbeat is missing or stale. */
  private async gone(owner: string): Promise<boolean> {
    if (owner === this.owner) {
      return false;
    }
    let verdict = this.verdicts.get(owner);
    if (verdict === undefined) {
      verdict = await ownerGone(this.segments, owner, this.now, this.staleAfterMs);
      this.verdicts.set(owner, verdict);
    }
    return verdict;
  }

  /** Removes temp files of runs that died and gives back the failed batches they held. */
  async cleanLeftovers(): Promise<void> {
    for (const directory of [this.segments, this.failed, this.options.traceDirectory]) {
      for (const file of await list(directory)) {
        const temp = TEMP_FILE.exec(file);
        const claimed = directory === this.failed ? CLAIMED_FAILED.exec(file) : null;
        try {
          if (temp && (await this.gone(temp[1]))) {
            await unlinkIfThere(join(directory, file));
          } else if (claimed && (await this.gone(claimed[2]))) {
            await fs.rename(join(directory, file), join(directory, claimed[1]));
          }
        } catch (e) {
          this.note(join(directory, file), 'error', `could not clean up a leftover of an earlier run: ${message(e)}`);
        }
      }
    }
  }

  // ---- failed batches --------------------------------------------------------------------

  async forgetInFailed(): Promise<void> {
    for (const file of await list(this.failed)) {
      if (!file.endsWith('.records')) {
        continue;
      }
      const path = join(this.failed, file);
      if (await this.beingMovedToFailed(path)) {
        this.note(path, 'busy', 'a failed batch being written right now was left unchanged');
        continue;
      }
      const claimed = `${path}.forget-${this.owner}`;
      try {
        await fs.rename(path, claimed);
      } catch (e) {
        if (code(e) === 'ENOENT') {
          continue; // retried meanwhile: it is in segments/ now, handled next
        }
        this.note(path, 'error', message(e));
        continue;
      }
      try {
        await this.rewriteFailed(path, claimed);
      } catch (e) {
        this.note(path, 'error', `left unchanged: ${message(e)}`);
        await fs.rename(claimed, path).catch(() => undefined);
      }
    }
  }

  /** The sender writes the records, then the `.json`: records without it, and recent, are still being written. */
  private async beingMovedToFailed(path: string): Promise<boolean> {
    try {
      await fs.access(`${path.slice(0, -'.records'.length)}.json`);
      return false;
    } catch {
      const stat = await fs.stat(path).catch(() => undefined);
      return stat !== undefined && this.now - stat.mtimeMs < this.staleAfterMs;
    }
  }

  private async rewriteFailed(path: string, claimed: string): Promise<void> {
    const records = filterRecords(await fs.readFile(claimed), this.options.sinceTs);
    if (records.removed === 0 && !records.damage) {
      await fs.rename(claimed, path);
      return;
    }
    if (records.damage) {
      this.note(path, 'damaged', `${records.damage}; ${records.skipped} record(s) after it dropped`, records.skipped);
    }
    const info = `${path.slice(0, -'.records'.length)}.json`;
    if (records.keptCount === 0) {
      await fs.unlink(claimed);
      await unlinkIfThere(info);
    } else {
      const temp = this.temp(this.failed);
      await writeDurable(temp, Buffer.concat(records.kept));
      // The count first: a crash later leaves a count that is too low, which is harmless
      // (the records are counted when read), never one that is too high.
      await this.updateFailedInfo(info, records.keptCount);
      await fs.rename(temp, claimed);
      await fs.rename(claimed, path);
    }
    await syncDirectory(this.failed);
    this.result.spoolRecords += records.removed;
    this.result.files++;
  }

  private async updateFailedInfo(info: string, events: number): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(info, 'utf8')) as unknown;
    } catch {
      return; // without it, a retry counts the records itself
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return;
    }
    const temp = this.temp(this.failed);
    await writeDurable(temp, JSON.stringify({ ...parsed, events }, null, 2));
    await fs.rename(temp, info);
  }

  // ---- segments --------------------------------------------------------------------------

  async forgetInSegments(): Promise<void> {
    if (!this.claiming) {
      return;
    }
    const done = new Set<string>();
    const deadline = Date.now() + (this.options.busyWaitMs ?? 5_000);
    for (;;) {
      const busy: { file: string; detail: string; waitable: boolean }[] = [];
      for (const file of await list(this.segments)) {
        const name = parseSegmentName(file);
        if (!name || done.has(name.base)) {
          continue;
        }
        const outcome = await this.forgetInSegment(file, name);
        if (outcome.busy) {
          busy.push({ file, ...outcome.busy });
        } else {
          done.add(name.base);
          if (outcome.newBase) {
            done.add(outcome.newBase); // the rewritten segment, not to be read again
          }
        }
      }
      if (!busy.some((b) => b.waitable) || Date.now() >= deadline) {
        for (const b of busy) {
          this.note(join(this.segments, b.file), 'busy', b.detail);
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Handles one segment: done (with the new base of a rewritten one), or why it is busy. */
  private async forgetInSegment(file: string, name: SegmentName): Promise<SegmentOutcome> {
    const path = join(this.segments, file);
    let claimed: string;
    /** Where it goes back when nothing changes (open segments: computed from the content). */
    let giveBack: string | undefined;
    if (name.state === 'open') {
      if (!(await this.gone(name.writer))) {
        return { busy: { detail: 'the open segment of a live writer was left unchanged: pause capture and flush the spool first', waitable: false } };
      }
      // Records and bytes are set right when it is sealed below; 0 is harmless meanwhile.
      claimed = join(this.segments, sendingName(name.base, 0, 0, this.owner));
    } else {
      const records = name.records ?? 0;
      const bytes = name.bytes ?? 0;
      if (name.state === 'sending' && name.claimer !== this.owner && !(await this.gone(name.claimer ?? ''))) {
        return { busy: { detail: `being delivered by a live process (${name.claimer ?? '?'}); its events reach the destination`, waitable: true } };
      }
      claimed = join(this.segments, sendingName(name.base, records, bytes, this.owner));
      giveBack = join(this.segments, readyName(name.base, records, bytes));
    }
    try {
      await fs.rename(path, claimed);
    } catch (e) {
      if (code(e) === 'ENOENT') {
        return { busy: { detail: 'taken by another process while this ran', waitable: true } };
      }
      this.note(path, 'error', message(e));
      return {};
    }
    try {
      return await this.rewriteSegment(path, name, claimed, giveBack);
    } catch (e) {
      this.note(path, 'error', `left unchanged: ${message(e)}`);
      // Give it back: ready again (an open one as open: the spool's recovery seals it).
      await fs.rename(claimed, giveBack ?? path).catch(() => undefined);
      return {};
    }
  }

  private async rewriteSegment(path: string, name: SegmentName, claimed: string, giveBack: string | undefined): Promise<SegmentOutcome> {
    const records = filterRecords(await fs.readFile(claimed), this.options.sinceTs);
    const oldAck = join(this.segments, ackName(name.base));
    if (records.removed === 0 && !records.damage) {
      if (records.total === 0) {
        // An empty segment left by a writer that died: the spool would delete it too.
        await fs.unlink(claimed);
        await unlinkIfThere(oldAck);
      } else {
        await fs.rename(claimed, giveBack ?? join(this.segments, readyName(name.base, records.total, records.keptBytes)));
      }
      return {};
    }
    if (records.damage) {
      this.note(path, 'damaged', `${records.damage}; ${records.skipped} record(s) after it dropped`, records.skipped);
    }
    let acked = 0;
    try {
      acked = Number.parseInt(await fs.readFile(oldAck, 'utf8'), 10) || 0;
    } catch {
      /* nothing delivered yet */
    }
    const keptAcked = records.keptBefore(Math.min(acked, records.total));
    if (records.keptCount === 0 || keptAcked >= records.keptCount) {
      // Nothing left to deliver.
      await fs.unlink(claimed);
      await unlinkIfThere(oldAck);
      await syncDirectory(this.segments);
      this.result.spoolRecords += records.removed;
      this.result.files++;
      return {};
    }
    const base = segmentBase(name.createdAt, this.owner, this.counter++);
    const temp = this.temp(this.segments);
    await writeDurable(temp, Buffer.concat(records.kept));
    // Each step leaves a state the spool handles without losing a kept record:
    // 1. the old ack lowered to what was delivered of the kept records (a crash now re-sends
    //    delivered records, no more);
    if (acked > 0) {
      await this.writeAck(oldAck, keptAcked);
    }
    // 2. the new content under the claim (a crash now: recovered with the old name, whose
    //    counts are then too high, which the sender only logs);
    await fs.rename(temp, claimed);
    // 3. the ack under the new name (an ack without its segment is cleaned up by the spool);
    if (keptAcked > 0) {
      await this.writeAck(join(this.segments, ackName(base)), keptAcked);
    }
    // 4. ready under the new name, 5. the old ack removed.
    await fs.rename(claimed, join(this.segments, readyName(base, records.keptCount, records.keptBytes)));
    await unlinkIfThere(oldAck);
    await syncDirectory(this.segments);
    this.result.spoolRecords += records.removed;
    this.result.files++;
    return { newBase: base };
  }

  private async writeAck(file: string, delivered: number): Promise<void> {
    const temp = this.temp(this.segments);
    await writeDurable(temp, String(delivered));
    await fs.rename(temp, file);
  }

  // ---- trace files -----------------------------------------------------------------------

  async forgetInTraces(): Promise<void> {
    const directory = this.options.traceDirectory;
    for (const file of await list(directory)) {
      const m = TRACE_FILE.exec(file);
      if (!m) {
        continue;
      }
      // The file of a day holds only events of that (UTC) day, or events without a ts.
      const dayStart = Date.parse(`${m[1]}T00:00:00Z`);
      if (Number.isFinite(dayStart) && dayStart + DAY_MS <= this.options.sinceTs) {
        continue;
      }
      const path = join(directory, file);
      try {
        await this.forgetInTrace(path, m[2] !== undefined);
      } catch (e) {
        this.note(path, 'error', `left unchanged: ${message(e)}`);
      }
    }
  }

  private async forgetInTrace(path: string, gzip: boolean): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await fs.lstat(path).catch((e: unknown) => {
        if (code(e) === 'ENOENT') {
          return undefined;
        }
        throw e;
      });
      if (!before?.isFile()) {
        return; // gone meanwhile, or not a plain file (a link is not rewritten)
      }
      const temp = this.temp(this.options.traceDirectory, true);
      try {
        const filtered = await filterTraceFile(path, before.size, gzip, this.options.sinceTs, temp);
        if (filtered.removed === 0) {
          if (filtered.damage) {
            this.note(path, 'damaged', `${filtered.damage}; nothing to remove before it, left unchanged`);
          }
          return;
        }
        const handle = await fs.open(temp, 'r+');
        try {
          await handle.chmod(before.mode & 0o700); // never wider than the owner's (see common/privateFs.ts)
          await handle.sync();
        } finally {
          await handle.close();
        }
        // The file destination appends whole batches: read again if one came meanwhile.
        const after = await fs.lstat(path);
        if (!sameFile(before, after)) {
          continue;
        }
        if (filtered.keptBytes === 0) {
          await fs.unlink(path);
        } else {
          await fs.rename(temp, path);
        }
        await syncDirectory(this.options.traceDirectory);
        if (filtered.damage) {
          this.note(path, 'damaged', `${filtered.damage}; that part was dropped`);
        }
        this.result.traceEvents += filtered.removed;
        this.result.files++;
        return;
      } finally {
        await unlinkIfThere(temp).catch(() => undefined);
      }
    }
    this.note(path, 'busy', 'appended to all the time while it was read; left unchanged');
  }
}


/**
 * Removes every event with `ts >= sinceTs` from the spool (segments and failed batches)
 * and from the local trace files; see the module comment for how it stays safe while
 * other processes use the spool. Events whose `ts` cannot be read are kept. Never throws
 * for a single file: what could not be done is in `notes`.
 */
export async function forgetRecent(options: ForgetOptions): Promise<ForgetResult> {
  const run = new ForgetRun(options);
  await run.start();
  try {
    await run.cleanLeftovers();
    // Failed batches first: one retried meanwhile moves into segments/, handled next.
    await run.forgetInFailed();
    // The spool before the trace files: what a sender delivers meanwhile lands in them.
    await run.forgetInSegments();
    await run.forgetInTraces();
  } finally {
    await run.stop();
  }
  return run.result;
}

