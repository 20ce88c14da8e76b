/**
 * Serialises the model for postMessage: items [from, to) in `chunk` messages of at most
 * CHUNK_SIZE items, each with its own typed-array buffers. The first chunk carries the
 * lanes the page does not know yet and the updates of items it already has, so the page
 * can draw every chunk as it arrives.
 */
import type { TimelineModel } from './model';
import { CHUNK_SIZE, type ChunkMessage, type ItemUpdate } from './protocol';

export interface ChunkRange {
  generation: number;
  /** First item the page does not have. */
  from: number;
  /** Lanes the page has. */
  lanesFrom: number;
  /** Items the page has that changed (each < from). */
  updated: readonly number[];
  size?: number;
  /** Send one (possibly empty) chunk even when nothing changed but the extent (a live session's keystrokes). */
  force?: boolean;
}

export function chunkMessages(model: TimelineModel, range: ChunkRange): ChunkMessage[] {
  const size = Math.max(1, range.size ?? CHUNK_SIZE);
  const to = model.count;
  const updates: ItemUpdate[] = range.updated
    .filter((i) => i < range.from)
    .map((index) => ({
      index,
      duration: model.items.duration[index] ?? 0,
      status: model.items.status[index] ?? 0,
      flags: model.items.flags[index] ?? 0,
      intensity: model.items.intensity[index] ?? 0,
      summary: model.summaries[index] ?? '',
    }));
  const lanes = model.lanes.lanes.slice(range.lanesFrom);
  const extent = { first: Number.isFinite(model.firstTs) ? model.firstTs : (model.origin ?? 0), last: Number.isFinite(model.lastTs) ? model.lastTs : (model.origin ?? 0) };
  const messages: ChunkMessage[] = [];
  for (let base = range.from; base < to || (messages.length === 0 && (updates.length > 0 || lanes.length > 0 || range.force === true)); base += size) {
    const end = Math.min(to, base + size);
    messages.push({
      type: 'chunk',
      generation: range.generation,
      base,
      ...model.items.slice(base, end),
      summary: model.summaries.slice(base, end),
      lanes: messages.length === 0 ? lanes : [],
      updates: messages.length === 0 ? updates : [],
      extent,
    });
    if (end >= to) {
      break;
    }
  }
  return messages;
}
