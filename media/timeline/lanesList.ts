/** The lane labels beside the drawing (a list, so the lanes are read out too), one row per lane. */
import { LaneGroup } from '../../src/timeline/lanes';
import type { PageData } from './data';
import { h } from './dom';

export class LanesList {
  private current = -1;

  constructor(private readonly root: HTMLElement) {}

  render(data: PageData): void {
    const rows = data.rows.map((lane) => {
      const info = data.lanes[lane];
      const file = info?.group === LaneGroup.Files;
      const li = h('li', { class: `lane ${file ? 'file' : 'group'}`, 'data-lane': String(lane), title: info?.path ?? info?.label }, file ? h('bdi', {}, info?.label ?? '') : (info?.label ?? ''));
      if (lane === this.current) {
        li.classList.add('current');
      }
      return li;
    });
    this.root.replaceChildren(...rows);
  }

  /** Highlights the lane of the selected item. */
  setCurrent(lane: number): void {
    if (lane === this.current) {
      return;
    }
    this.root.querySelector('.lane.current')?.classList.remove('current');
    this.current = lane;
    this.root.querySelector(`.lane[data-lane="${lane}"]`)?.classList.add('current');
  }
}
