/** The banner above the timeline: what could not be read (a damaged trace) or done. */
import type { ProblemMessage } from '../../src/timeline/protocol';
import { byId, h } from './dom';

export class Banner {
  private readonly root = byId<HTMLElement>('banner');
  private readonly message = byId<HTMLElement>('banner-message');
  private readonly detail = byId<HTMLElement>('banner-detail');

  constructor() {
    byId<HTMLButtonElement>('banner-close').addEventListener('click', () => this.clear());
  }

  show(p: ProblemMessage): void {
    this.root.classList.toggle('error', p.severity === 'error');
    this.message.textContent = p.message;
    this.detail.replaceChildren(...p.detail.map((d) => h('li', {}, d)));
    this.root.hidden = false;
  }

  clear(): void {
    this.root.hidden = true;
    this.message.textContent = '';
    this.detail.replaceChildren();
  }
}
