/**
 * A process's heartbeat in the spool's folder (`owner-<owner>.alive`), which tells the other
 * windows sharing the spool that what this process holds (an open segment, a claim) is not an
 * orphan to take over. It beats only while something is held: an idle window runs no timer.
 * Plain Node.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFilePrivate } from '../common/privateFs';
import { ownerPid } from './segments';

/** How often a holding process beats (ms). */
export const HEARTBEAT_MS = 10_000;

/** A heartbeat file's name: `owner-<owner>.alive`. */
export function heartbeatName(owner: string): string {
  return `owner-${owner}.alive`;
}

/** The owner a heartbeat file name belongs to, or undefined for any other file. */
export const HEARTBEAT = /^owner-(\d+x[a-z0-9]+)\.alive$/;

/**
 * Whether the process of `owner` is gone: its pid is dead, or its heartbeat in `folder` is
 * missing or older than `staleAfterMs` at `now`.
 */
export async function ownerGone(folder: string, owner: string, now: number, staleAfterMs: number): Promise<boolean> {
  const pid = ownerPid(owner);
  if (!(pid > 0)) {
    return true;
  }
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') {
      return true;
    }
  }
  try {
    const stat = await fs.stat(join(folder, heartbeatName(owner)));
    return now - stat.mtimeMs > staleAfterMs;
  } catch {
    return true;
  }
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  /** The beat that made the heartbeat fresh when this process last took hold of something. */
  private freshBeat: Promise<void> | undefined;
  private stopped = false;

  /**
   * @param holds whether this process still holds anything (asked before each beat and by `letGo`)
   * @param staleAfterMs a heartbeat older than this belongs to a process that is gone
   */
  constructor(
    private readonly folder: string,
    readonly owner: string,
    private readonly staleAfterMs: number,
    private readonly holds: () => boolean,
  ) {}

  /** Whether the heartbeat is beating (something is held). */
  get beating(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Before this process takes hold of something: make its heartbeat fresh (awaited, so no
   * other process can find it with a stale heartbeat) and keep it fresh until it holds nothing
   * any more.
   */
  async hold(): Promise<void> {
    if (this.stopped) {
      return;
    }
    if (!this.timer) {
      this.freshBeat = this.beat();
      this.timer = setInterval(() => {
        if (!this.letGo()) {
          void this.beat();
        }
      }, HEARTBEAT_MS);
      this.timer.unref?.();
    }
    await this.freshBeat;
  }

  /** Stops the heartbeat as soon as nothing is held any more (not one beat later); true when it stopped. */
  letGo(): boolean {
    if (this.timer && !this.holds()) {
      clearInterval(this.timer);
      this.timer = undefined;
      return true;
    }
    return false;
  }

  /** Stops for good and removes the heartbeat file (the process closes its spool). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    await fs.unlink(this.file(this.owner)).catch(() => undefined);
  }

  /** Whether the process that owns `owner` is gone (never this one; see ownerGone). */
  gone(owner: string): Promise<boolean> {
    return owner === this.owner ? Promise.resolve(false) : ownerGone(this.folder, owner, Date.now(), this.staleAfterMs);
  }

  private file(owner: string): string {
    return join(this.folder, heartbeatName(owner));
  }

  private async beat(): Promise<void> {
    try {
      await writeFilePrivate(this.file(this.owner), String(Date.now()));
    } catch {
      /* reported by the spool's writer if the folder is unusable */
    }
  }
}
