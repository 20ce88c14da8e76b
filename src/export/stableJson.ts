/**
 * JSON with keys in a fixed order, so equal values give equal bytes however their objects
 * were built. The order comes from a list of object shapes (each the keys of one kind of
 * object, in the order they should appear): keys are ranked so that every shape keeps its
 * order (a topological order of all shapes, ties by first appearance); keys no shape names
 * come after the known ones, sorted by code unit. Plain Node.
 */

/** Rank of every key the shapes name. */
export type KeyOrder = ReadonlyMap<string, number>;

/** Ranks the keys of `shapes` so that each shape's keys keep their order (as far as the shapes do not contradict each other). */
export function keyOrder(shapes: readonly (readonly string[])[]): KeyOrder {
  const firstSeen: string[] = [];
  const after = new Map<string, Set<string>>();
  const incoming = new Map<string, number>();
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const key = shape[i];
      if (!incoming.has(key)) {
        firstSeen.push(key);
        incoming.set(key, 0);
        after.set(key, new Set());
      }
      if (i > 0) {
        const edges = after.get(shape[i - 1]) as Set<string>;
        if (!edges.has(key)) {
          edges.add(key);
          incoming.set(key, (incoming.get(key) ?? 0) + 1);
        }
      }
    }
  }
  const order = new Map<string, number>();
  while (order.size < firstSeen.length) {
    // the first key (in order of appearance) with nothing left before it; on a contradiction, the first key left
    const next = firstSeen.find((k) => !order.has(k) && incoming.get(k) === 0) ?? firstSeen.find((k) => !order.has(k));
    if (next === undefined) {
      break;
    }
    order.set(next, order.size);
    for (const k of after.get(next) ?? []) {
      incoming.set(k, (incoming.get(k) ?? 0) - 1);
    }
  }
  return order;
}

function compareKeys(order: KeyOrder, a: string, b: string): number {
  const ra = order.get(a);
  const rb = order.get(b);
  if (ra !== undefined && rb !== undefined) return ra - rb;
  if (ra !== undefined) return -1;
  if (rb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `JSON.stringify(value)` with the keys of every object in `order`. */
export function stableStringify(value: unknown, order: KeyOrder): string {
  return JSON.stringify(value, function (this: unknown, _key: string, v: unknown): unknown {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return v;
    }
    const source = v as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(source).sort((a, b) => compareKeys(order, a, b))) {
      sorted[k] = source[k];
    }
    return sorted;
  });
}
