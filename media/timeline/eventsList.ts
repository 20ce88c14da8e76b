/**
 * The accessible list of the timeline's items beside the drawing: a listbox with one row
 * per item in time order (time, lane, kind, summary), the selected one announced through
 * aria-activedescendant. Up to FULL_LIST rows are all in the DOM; beyond that only the rows
 * in view (with aria-setsize / aria-posinset) so 50,000 items stay cheap.
 */
import { kindName } from '../../src/timeline/codes';
import { formatClock } from '../../src/timeline/format';
import type { PageData } from './data';
import { h } from './dom';

export const LIST_ROW = 22;
/** Every row is rendered up to this many items. */
export const FULL_LIST = 1000;
const OVERSCAN = 15;

export interface ListHandlers {
  select(item: number): void;
  open(item: number): void;
}

export class EventsList {
  private readonly pool: HTMLElement[] = [];
  private selected = -1;
  private scheduled = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly spacer: HTMLElement,
    private readonly data: () => PageData,
    private readonly handlers: ListHandlers,
  ) {
    root.addEventListener('scroll', () => this.schedule());
    root.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement | null)?.closest<HTMLElement>('.event-row');
      const item = row ? Number(row.dataset.index) : NaN;
      if (Number.isInteger(item)) {
        this.handlers.select(item);
      }
    });
    root.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The session changed: drop the rows. */
  reset(): void {
    this.selected = -1;
    this.root.removeAttribute('aria-activedescendant');
    this.root.scrollTop = 0;
    this.update();
  }

  /** Items arrived or changed. */
  update(): void {
    this.spacer.style.height = `${this.data().count * LIST_ROW}px`;
    this.render();
  }

  setSelected(item: number, reveal: boolean): void {
    this.selected = item;
    if (reveal && item >= 0) {
      const pos = this.data().index.all.positionOf(item);
      if (pos >= 0) {
        const top = pos * LIST_ROW;
        if (top < this.root.scrollTop) {
          this.root.scrollTop = top;
        } else if (top + LIST_ROW > this.root.scrollTop + this.root.clientHeight) {
          this.root.scrollTop = top + LIST_ROW - this.root.clientHeight;
        }
      }
    }
    this.render();
  }

  private schedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => {
        this.scheduled = false;
        this.render();
      });
    }
  }

  private render(): void {
    const data = this.data();
    const count = data.count;
    let first = 0;
    let last = count - 1;
    if (count > FULL_LIST) {
      const top = this.root.scrollTop;
      const visible = Math.ceil((this.root.clientHeight || 400) / LIST_ROW);
      first = Math.max(0, Math.floor(top / LIST_ROW) - OVERSCAN);
      last = Math.min(count - 1, first + visible + 2 * OVERSCAN);
    }
    const needed = Math.max(0, last - first + 1);
    while (this.pool.length < needed) {
      const row = h('div', { class: 'event-row', role: 'option' }, h('span', { class: 'ev-time' }), h('span', { class: 'ev-lane' }), h('span', { class: 'ev-kind' }), h('span', { class: 'ev-summary' }));
      this.pool.push(row);
      this.root.append(row);
    }
    const order = data.index.all.order;
    let active: string | undefined;
    for (let k = 0; k < this.pool.length; k++) {
      const row = this.pool[k];
      if (k >= needed) {
        row.hidden = true;
        row.removeAttribute('id');
        continue;
      }
      const pos = first + k;
      const item = order[pos];
      const id = `ev-${item}`;
      if (row.dataset.index !== String(item) || row.hidden) {
        row.hidden = false;
        row.id = id;
        row.dataset.index = String(item);
      }
      this.fill(row, data, item, pos, count);
      const selected = item === this.selected;
      row.setAttribute('aria-selected', selected ? 'true' : 'false');
      if (selected) {
        active = id;
      }
      row.style.transform = `translateY(${pos * LIST_ROW}px)`;
    }
    if (active) {
      this.root.setAttribute('aria-activedescendant', active);
    } else {
      this.root.removeAttribute('aria-activedescendant');
    }
  }

  private fill(row: HTMLElement, data: PageData, item: number, pos: number, count: number): void {
    const time = formatClock(data.epochOf(item));
    const lane = data.laneLabel(item);
    const kind = kindName(data.items.kind[item] ?? 0);
    const summary = data.summaries[item] ?? '';
    const [t, l, k, s] = Array.from(row.children) as HTMLElement[];
    if (t && t.textContent !== time) t.textContent = time;
    if (l && l.textContent !== lane) {
      l.textContent = lane;
      l.title = lane;
    }
    if (k && k.textContent !== kind) k.textContent = kind;
    if (s && s.textContent !== summary) {
      s.textContent = summary;
      s.title = summary;
    }
    row.setAttribute('aria-label', `${time}, ${lane}, ${kind}: ${summary}`);
    row.setAttribute('aria-posinset', String(pos + 1));
    row.setAttribute('aria-setsize', String(count));
  }

  private onKey(e: KeyboardEvent): void {
    const data = this.data();
    const all = data.index.all;
    if (all.count === 0) {
      return;
    }
    const pos = this.selected >= 0 ? all.positionOf(this.selected) : -1;
    const page = Math.max(1, Math.floor(this.root.clientHeight / LIST_ROW) - 1);
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(all.count - 1, pos + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, pos < 0 ? 0 : pos - 1);
        break;
      case 'PageDown':
        next = Math.min(all.count - 1, Math.max(0, pos) + page);
        break;
      case 'PageUp':
        next = Math.max(0, pos - page);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = all.count - 1;
        break;
      case 'Enter':
      case ' ':
        if (this.selected >= 0) {
          e.preventDefault();
          this.handlers.open(this.selected);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    this.handlers.select(all.order[next]);
  }
}
