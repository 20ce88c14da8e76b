/**
 * Spool record framing. One record per line: 8 hex digits of the CRC-32 of the JSON,
 * a space, the event as JSON (which never contains a raw newline), `\n`.
 *
 *     1a2b3c4d {"schema":"worktrace/1","id":"…",…}\n
 *
 * Text framing keeps segments readable with ordinary tools; the checksum catches torn
 * writes and bit rot. Reading stops at the first damaged record: everything before it
 * is used, everything from it on is skipped and counted.
 */
import { crc32 } from 'node:zlib';

export function encodeRecord(json: string): string {
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface DecodedSegment {
  /** The events' JSON texts, in order, up to the first damaged record. */
  lines: string[];
  /** Records (or fragments) after the damage that were skipped. */
  skipped: number;
  /** Bytes of intact records. */
  goodBytes: number;
  /** What the damage was, when there was any. */
  damage?: string;
}

const NEWLINE = 0x0a;

/** Decodes a segment's bytes; never throws. */
export function decodeSegment(data: Buffer): DecodedSegment {
  const lines: string[] = [];
  let pos = 0;
  let damage: string | undefined;
  while (pos < data.length) {
    const end = data.indexOf(NEWLINE, pos);
    if (end < 0) {
      damage = `truncated record at byte ${pos}`;
      break;
    }
    const line = data.toString('utf8', pos, end);
    const json = line.slice(9);
    if (line.length < 11 || line[8] !== ' ' || !/^[0-9a-f]{8}$/.test(line.slice(0, 8)) || parseInt(line.slice(0, 8), 16) !== crc32(json)) {
      damage = `corrupt record at byte ${pos}`;
      break;
    }
    lines.push(json);
    pos = end + 1;
  }
  let skipped = 0;
  if (damage) {
    // Count what is lost: the damaged record and every line after it.
    skipped = 1;
    for (let i = data.indexOf(NEWLINE, pos); i >= 0 && i < data.length - 1; i = data.indexOf(NEWLINE, i + 1)) {
      skipped++;
    }
  }
  return { lines, skipped, goodBytes: pos, ...(damage ? { damage } : {}) };
}
