/**
 * Builds complete trace events (envelope stamped) for tests, like the Recorder does.
 */
import { createHash } from 'node:crypto';
import { nanoid } from 'nanoid';
import { SCHEMA, type ChangeAttribution, type ContentChange, type EditCause, type Eol, type EventOf, type LineRange, type NewEvent, type TraceEvent } from '../../src/trace/events';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Stamps events with ids, increasing seqs and a controllable ts. */
export class TraceBuilder {
  seq = 0;
  ts: number;

  constructor(
    readonly session: string = `s-${nanoid(8)}`,
    startTs = 1_700_000_000_000,
    readonly workspace: string = 'ws-test',
  ) {
    this.ts = startTs;
  }

  /** Stamps any new event; `ts` advances by `advanceMs` first. */
  stamp<E extends NewEvent>(event: E, advanceMs = 10): Extract<TraceEvent, { kind: E['kind'] }> {
    this.ts += advanceMs;
    return {
      schema: SCHEMA,
      id: nanoid(),
      seq: ++this.seq,
      ts: this.ts,
      session: this.session,
      workspace: this.workspace,
      ...event,
    } as unknown as Extract<TraceEvent, { kind: E['kind'] }>;
  }

  open(path: string, text: string, version = 1, options: { eol?: Eol; languageId?: string; replayable?: boolean } = {}): EventOf<'doc.open'> {
    const replayable = options.replayable ?? true;
    return this.stamp({
      kind: 'doc.open',
      path,
      languageId: options.languageId ?? 'plaintext',
      eol: options.eol ?? (text.includes('\r\n') ? '\r\n' : '\n'),
      version,
      replayable,
      ...(replayable ? { text } : { omitted: 'too-large' as const }),
      length: text.length,
      sha256: sha256(text),
    });
  }

  edit(path: string, version: number, changes: ContentChange[], cause: EditCause = 'typing', advanceMs = 10): EventOf<'doc.edit'> {
    return this.stamp({ kind: 'doc.edit', path, version, changes, cause }, advanceMs);
  }

  save(path: string, version: number): EventOf<'doc.save'> {
    return this.stamp({ kind: 'doc.save', path, version });
  }

  close(path: string): EventOf<'doc.close'> {
    return this.stamp({ kind: 'doc.close', path });
  }

  rename(from: string, to: string): EventOf<'file.rename'> {
    return this.stamp({ kind: 'file.rename', from, to });
  }

  remove(path: string): EventOf<'file.delete'> {
    return this.stamp({ kind: 'file.delete', path });
  }

  focus(path: string | null): EventOf<'editor.focus'> {
    return this.stamp({ kind: 'editor.focus', path });
  }

  /** A change on disk with the new content as a snapshot (`sha256` of it unless given). */
  diskSnapshot(path: string, text: string, options: { change?: 'created' | 'changed'; sha256?: string | null; by?: ChangeAttribution } = {}): EventOf<'file.change'> {
    return this.stamp({
      kind: 'file.change',
      path,
      change: options.change ?? 'changed',
      text,
      added: text.split('\n').length,
      removed: 0,
      sha256: options.sha256 === undefined ? sha256(text) : options.sha256,
      size: Buffer.byteLength(text),
      by: options.by ?? TOOL,
    });
  }

  /** A change on disk as changes to the last known content; `after` (the resulting text) gives sha256 and size. */
  diskEdit(path: string, changes: ContentChange[], after?: string, by: ChangeAttribution = TOOL): EventOf<'file.change'> {
    return this.stamp({
      kind: 'file.change',
      path,
      change: 'changed',
      changes,
      added: 0,
      removed: 0,
      sha256: after === undefined ? null : sha256(after),
      size: after === undefined ? null : Buffer.byteLength(after),
      by,
    });
  }

  /** A file deleted on disk. */
  diskDelete(path: string, by: ChangeAttribution = TOOL): EventOf<'file.change'> {
    return this.stamp({ kind: 'file.change', path, change: 'deleted', added: 0, removed: 0, sha256: null, size: null, by });
  }

  /** Many files changed at once; `paths` are listed (hashes unknown), `count` defaults to their number. */
  bulk(paths: string[], options: { count?: number; truncated?: boolean; by?: ChangeAttribution; hashes?: (string | null)[] } = {}): EventOf<'file.bulk'> {
    const count = options.count ?? paths.length;
    return this.stamp({
      kind: 'file.bulk',
      count,
      created: 0,
      changed: count,
      deleted: 0,
      paths,
      hashes: options.hashes ?? paths.map(() => null),
      truncated: options.truncated ?? false,
      by: options.by ?? { by: 'git', operation: 'checkout', confidence: 'high' },
    });
  }

  /** What was on screen. */
  view(path: string, ranges: LineRange[], active = true): EventOf<'editor.view'> {
    return this.stamp({ kind: 'editor.view', path, ranges, active });
  }
}

/** A terminal command as the maker of disk changes. */
export const TOOL: ChangeAttribution = { by: 'terminal', command: 'npm run fmt', program: 'npm', confidence: 'high' };

/** Serialises events as NDJSON. */
export function toNdjson(events: readonly TraceEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
