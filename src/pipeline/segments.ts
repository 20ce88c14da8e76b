/**
 * Names of spool segment files. The name carries everything the spool needs to know
 * about a segment without opening it, and its suffix is its state; state changes are
 * atomic renames, which is how several processes share one spool folder safely:
 *
 *     seg-<ts>-<owner>-<n>.open                       being written by <owner> (only)
 *     seg-<ts>-<owner>-<n>.r<records>.b<bytes>.ready  sealed, waiting to be sent
 *     …ready → ….sending.<claimer>                   claimed by one process (rename wins once)
 *     seg-<ts>-<owner>-<n>.ack                        records of a claimed segment already delivered
 *
 * `<owner>` is `<pid>x<random>`: a process that died leaves segments another process can
 * recognise as orphaned and take over.
 */

export type SegmentState = 'open' | 'ready' | 'sending';

export interface SegmentName {
  /** `seg-<ts>-<owner>-<n>`: stable for the segment's whole life (the batch ids derive from it). */
  base: string;
  createdAt: number;
  writer: string;
  state: SegmentState;
  records?: number;
  bytes?: number;
  /** Who claimed it (state `sending`). */
  claimer?: string;
}

const PATTERN = /^(seg-(\d{13})-(\d+x[a-z0-9]+)-(\d{6}))(?:\.r(\d+)\.b(\d+))?\.(open|ready|sending\.(\d+x[a-z0-9]+))$/;

export function parseSegmentName(file: string): SegmentName | undefined {
  const m = PATTERN.exec(file);
  if (!m) {
    return undefined;
  }
  const state: SegmentState = m[7] === 'open' ? 'open' : m[7] === 'ready' ? 'ready' : 'sending';
  if ((state === 'open') !== (m[5] === undefined)) {
    return undefined;
  }
  return {
    base: m[1],
    createdAt: Number(m[2]),
    writer: m[3],
    state,
    ...(m[5] !== undefined ? { records: Number(m[5]), bytes: Number(m[6]) } : {}),
    ...(m[8] ? { claimer: m[8] } : {}),
  };
}

export function segmentBase(createdAt: number, owner: string, counter: number): string {
  return `seg-${String(createdAt).padStart(13, '0')}-${owner}-${String(counter % 1_000_000).padStart(6, '0')}`;
}

export function openName(base: string): string {
  return `${base}.open`;
}

export function readyName(base: string, records: number, bytes: number): string {
  return `${base}.r${records}.b${bytes}.ready`;
}

export function sendingName(base: string, records: number, bytes: number, claimer: string): string {
  return `${base}.r${records}.b${bytes}.sending.${claimer}`;
}

export function ackName(base: string): string {
  return `${base}.ack`;
}

/** The pid part of an owner id. */
export function ownerPid(owner: string): number {
  return Number(owner.slice(0, owner.indexOf('x')));
}
