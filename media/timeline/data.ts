/**
 * What the page holds of the session shown: the item columns as received (same indices as
 * the host's model), lanes, summaries, and the spatial index over them. Chunks are applied
 * as they come; each says which items are new and which changed.
 */
import { ItemColumns } from '../../src/timeline/columns';
import { displayOrder, type LaneInfo } from '../../src/timeline/lanes';
import type { ChunkMessage, SessionMessage, SessionSummary, StatusMessage } from '../../src/timeline/protocol';
import { SpatialIndex } from '../../src/timeline/spatialIndex';

export class PageData {
  generation = -1;
  summary: SessionSummary | undefined;
  live = false;
  /** Epoch ms that item starts count from. */
  origin = 0;
  /** Time span of the events read (epoch ms). */
  extent = { first: 0, last: 0 };
  items = new ItemColumns();
  index = new SpatialIndex(this.items);
  lanes: LaneInfo[] = [];
  summaries: string[] = [];
  /** Lane index of each display row. */
  rows: number[] = [];
  /** Display row of each lane. */
  rowOfLane: number[] = [];
  status: StatusMessage | undefined;

  get count(): number {
    return this.items.count;
  }

  reset(m: SessionMessage): void {
    this.generation = m.generation;
    this.summary = m.summary;
    this.live = m.live;
    this.origin = m.origin;
    this.extent = { first: m.summary.firstTs, last: Math.max(m.summary.firstTs, m.summary.lastTs) };
    this.items = new ItemColumns();
    this.index = new SpatialIndex(this.items);
    this.lanes = [];
    this.summaries = [];
    this.rows = [];
    this.rowOfLane = [];
    this.status = undefined;
  }

  /** Applies a chunk; returns false when it belongs to another load. */
  apply(m: ChunkMessage): { from: number; to: number; lanesChanged: boolean } | undefined {
    if (m.generation !== this.generation) {
      return undefined;
    }
    for (const lane of m.lanes) {
      this.lanes[lane.index] = lane;
    }
    const from = this.items.count;
    const n = m.start.length;
    if (n > 0) {
      this.items.write(m.base, m);
      for (let k = 0; k < n; k++) {
        this.summaries[m.base + k] = m.summary[k] ?? '';
      }
      this.index.add(m.base, m.base + n);
    }
    for (const u of m.updates) {
      if (u.index >= this.items.count) {
        continue;
      }
      this.items.duration[u.index] = u.duration;
      this.items.status[u.index] = u.status;
      this.items.flags[u.index] = u.flags;
      this.items.intensity[u.index] = u.intensity;
      this.summaries[u.index] = u.summary;
      this.index.changed(u.index);
    }
    this.extent = { first: Math.min(this.extent.first, m.extent.first), last: Math.max(this.extent.last, m.extent.last) };
    if (m.lanes.length) {
      this.rows = displayOrder(this.lanes.filter((l): l is LaneInfo => l !== undefined));
      this.rowOfLane = [];
      this.rows.forEach((lane, row) => (this.rowOfLane[lane] = row));
    }
    return { from, to: this.items.count, lanesChanged: m.lanes.length > 0 };
  }

  /** Epoch ms of an item's start. */
  epochOf(item: number): number {
    return this.origin + (this.items.start[item] ?? 0);
  }

  laneLabel(item: number): string {
    const lane = this.lanes[this.items.lane[item] ?? 0];
    return lane?.label ?? '';
  }

  /** Extent as ms after the origin. */
  span(): { first: number; last: number } {
    return { first: this.extent.first - this.origin, last: this.extent.last - this.origin };
  }
}
