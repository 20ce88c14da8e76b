/**
 * The spatial index of the page: per lane, the items sorted by start with their running
 * maximum end (StartOrder), plus one order over all items (the events list). Drawing and
 * hit-testing both ask it which items of a lane can overlap a time range; neither scans
 * every item. Kept apart from drawing, after GitLens's timeline.
 */
import type { ItemColumns } from './columns';
import { StartOrder } from './startOrder';

export class SpatialIndex {
  private lanes: StartOrder[] = [];
  /** Every item by start time: the order of the accessible events list. */
  readonly all: StartOrder;
  /** Positions [lo, hi) of the last `range` query. */
  lo = 0;
  hi = 0;

  constructor(private readonly items: ItemColumns) {
    this.all = new StartOrder(items);
  }

  /** Adds items [from, to). */
  add(from: number, to: number): void {
    const byLane = new Map<number, number[]>();
    const all: number[] = [];
    for (let i = from; i < to; i++) {
      const lane = this.items.lane[i];
      let list = byLane.get(lane);
      if (!list) {
        list = [];
        byLane.set(lane, list);
      }
      list.push(i);
      all.push(i);
    }
    for (const [lane, list] of byLane) {
      this.laneOrder(lane, true)?.insert(list);
    }
    this.all.insert(all);
  }

  /** An item's duration changed. */
  changed(index: number): void {
    this.laneOrder(this.items.lane[index], false)?.changed(index);
    this.all.changed(index);
  }

  laneOrder(lane: number, create = false): StartOrder | undefined {
    let order = this.lanes[lane];
    if (!order && create) {
      order = new StartOrder(this.items);
      this.lanes[lane] = order;
    }
    return order;
  }

  /**
   * Sets [lo, hi) to the positions in `lane`'s order of the items that can overlap [t0, t1]
   * (a superset: callers check each item's end against t0). Returns the lane's order.
   */
  range(lane: number, t0: number, t1: number): StartOrder | undefined {
    const order = this.lanes[lane];
    if (!order) {
      this.lo = this.hi = 0;
      return undefined;
    }
    this.lo = order.firstEndingFrom(t0);
    this.hi = order.firstStartingAfter(t1);
    return order;
  }
}
