/**
 * The timeline page: receives the host's messages, keeps the view (scroll, zoom, selection)
 * and wires the drawing, the events list, the details panel and the session picker so that
 * selecting an item anywhere selects it everywhere. The view is kept with vscode.setState
 * and restored when the webview reloads.
 */
import { kindName } from '../../src/timeline/codes';
import { formatClock, formatCount } from '../../src/timeline/format';
import { hitTest } from '../../src/timeline/hitTest';
import { ROW_HEIGHT } from '../../src/timeline/lod';
import type { HostMessage, ItemDetails, SessionMessage, StatusMessage, ViewState } from '../../src/timeline/protocol';
import { clampView, endOf, ensureVisible, fit, panBy, zoomAt, type Viewport } from '../../src/timeline/viewport';
import { Banner } from './banner';
import { PageData } from './data';
import { DetailsPanel } from './detailsPanel';
import { byId } from './dom';
import { EventsList } from './eventsList';
import { Host } from './host';
import { LanesList } from './lanesList';
import { renderLegend } from './legend';
import { SessionPicker } from './picker';
import { Renderer } from './renderer';
import { Palette } from './theme';

const NOT_DRAWN_HINTS: Record<string, string> = {
  'doc.edit': 'keystrokes, drawn as edit steps',
  'doc.open': 'document snapshots',
  'editor.selection': 'cursor moves',
  'editor.focus': 'editor switches',
};

interface Drag {
  pointerId: number;
  x: number;
  y: number;
  startX: number;
  startY: number;
  moved: boolean;
}

export class App {
  private readonly host = new Host();
  private readonly palette = new Palette();
  private data = new PageData();
  private view: Viewport = { start: 0, msPerPx: 1000, width: 1 };
  private selected = -1;
  private hovered = -1;
  private follow = true;
  private needsFit = true;
  /** The state restored at start-up, applied once to the session it names. */
  private restored: ViewState | null;
  private pendingSelect = -1;
  private pendingScrollTop: number | undefined;
  private focusDetailsOf = -1;
  /** Where focus goes back to when Escape leaves the details. */
  private focusReturn: HTMLElement | undefined;
  private lastDetails: ItemDetails | undefined;
  private renderScheduled = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private drag: Drag | undefined;

  private readonly canvas = byId<HTMLCanvasElement>('timeline-canvas');
  private readonly scroller = byId<HTMLElement>('timeline-scroll');
  private readonly plot = byId<HTMLElement>('timeline-plot');
  private readonly tooltip = byId<HTMLElement>('tooltip');
  private readonly status = byId<HTMLElement>('status');
  private readonly announcer = byId<HTMLElement>('announce');
  private readonly followBox = byId<HTMLInputElement>('follow-live');
  private readonly renderer = new Renderer(this.canvas, byId<HTMLCanvasElement>('timeline-axis'), this.palette);
  private readonly banner = new Banner();
  private readonly lanes = new LanesList(byId('lanes'));
  private readonly picker = new SessionPicker(byId<HTMLSelectElement>('session-picker'), (id) => this.host.post({ type: 'pickSession', id }));
  private readonly details = new DetailsPanel(byId('details-title'), byId('details-body'), {
    follow: (item) => this.select(item, { details: true }),
    open: (path, line) => this.host.post({ type: 'openLocation', path, line }),
  });
  private readonly list = new EventsList(byId('events'), byId('events-spacer'), () => this.data, {
    select: (item) => this.select(item, { details: true }),
    open: (item) => this.select(item, { details: true, focusDetails: true }),
  });

  constructor() {
    this.restored = this.host.getState();
  }

  start(): void {
    document.documentElement.style.setProperty('--wt-row', `${ROW_HEIGHT}px`);
    renderLegend(byId('legend'));
    this.palette.watch(() => this.requestRender());
    window.addEventListener('message', (e: MessageEvent<HostMessage>) => this.onMessage(e.data));
    this.wireCanvas();
    this.scroller.addEventListener('scroll', () => {
      this.requestRender();
      this.saveSoon();
    });
    new ResizeObserver(() => this.resize()).observe(this.scroller);
    byId('zoom-in').addEventListener('click', () => this.zoomBy(1.6));
    byId('zoom-out').addEventListener('click', () => this.zoomBy(1 / 1.6));
    byId('zoom-fit').addEventListener('click', () => this.fitAll());
    this.followBox.addEventListener('change', () => {
      this.follow = this.followBox.checked;
      if (this.follow) {
        this.keepLiveEnd();
      }
      this.requestRender();
      this.saveSoon();
    });
    byId('details').addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.focusReturn) {
        e.preventDefault();
        this.focusReturn.focus();
      }
    });
    window.addEventListener('pagehide', () => this.save());
    document.addEventListener('visibilitychange', () => this.save());
    this.details.clear();
    this.resize();
    this.host.post({ type: 'ready', state: this.restored });
  }

  /** An error inside the page, for the Worktrace log. */
  reportError(message: string): void {
    try {
      this.host.post({ type: 'pageError', message });
    } catch {
      // the bridge itself is gone: nothing more to do
    }
  }

  // ---- messages ------------------------------------------------------------------------

  private onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'init':
        return;
      case 'sessions':
        this.picker.set(m.sessions, m.selected ?? this.data.summary?.id);
        return;
      case 'session':
        this.onSession(m);
        return;
      case 'chunk': {
        const applied = this.data.apply(m);
        if (!applied) {
          return;
        }
        if (applied.lanesChanged) {
          this.lanes.render(this.data);
          this.lanes.setCurrent(this.selected >= 0 ? (this.data.items.lane[this.selected] ?? -1) : -1);
          this.updatePlotHeight();
        }
        this.list.update();
        this.afterData();
        return;
      }
      case 'status':
        this.onStatus(m);
        return;
      case 'details':
        if (m.generation === this.data.generation && m.index === this.selected) {
          if (m.details) {
            this.lastDetails = m.details;
            this.details.show(m.details);
          } else {
            this.details.clear('No details for this item.');
          }
          if (this.focusDetailsOf === m.index) {
            this.focusDetailsOf = -1;
            this.details.focus();
          }
        }
        return;
      case 'problem':
        if (m.generation === null || m.generation === this.data.generation) {
          this.banner.show(m);
        }
        return;
      case 'theme':
        this.palette.refresh();
        this.requestRender();
        return;
    }
  }

  private onSession(m: SessionMessage): void {
    const sameSession = this.data.summary?.id === m.summary.id;
    const keep = sameSession ? this.currentState() : undefined;
    this.data.reset(m);
    this.banner.clear();
    this.selected = -1;
    this.hovered = -1;
    this.lastDetails = undefined;
    this.details.clear(m.summary.events ? 'Select an item in the drawing or the list to see its details.' : 'Nothing recorded in this session yet.');
    this.lanes.render(this.data);
    this.list.reset();
    this.picker.show(m.summary.id);
    const state = this.restored?.sessionId === m.summary.id ? this.restored : keep;
    this.restored = null;
    if (state?.start !== undefined && state.msPerPx !== undefined) {
      this.view = { start: state.start, msPerPx: state.msPerPx, width: this.view.width };
      this.pendingScrollTop = state.scrollTop;
      this.pendingSelect = state.selected ?? -1;
      this.follow = m.live && (state.follow ?? true);
      this.needsFit = false;
    } else {
      this.follow = m.live;
      this.needsFit = true;
      this.pendingScrollTop = 0;
      this.pendingSelect = -1;
      if (m.summary.lastTs > m.summary.firstTs) {
        this.fitAll(false);
      }
    }
    this.followBox.checked = this.follow;
    this.followBox.disabled = !m.live;
    this.updatePlotHeight();
    this.requestRender();
  }

  private onStatus(m: StatusMessage): void {
    if (m.generation !== this.data.generation && this.data.generation >= 0) {
      return;
    }
    this.data.status = m;
    const live = this.data.live ? ' · recording' : '';
    this.status.textContent =
      this.data.generation < 0 ? 'No sessions in the trace yet.' : m.loading ? `Reading the trace… ${formatCount(m.events)} events` : `${formatCount(m.events)} events · ${formatCount(m.items)} drawn${live}`;
    byId('events-count').textContent = `(${formatCount(m.items)})`;
    const notDrawn = m.notDrawn.map((n) => `${n.kind} ${formatCount(n.count)}${NOT_DRAWN_HINTS[n.kind] ? ` (${NOT_DRAWN_HINTS[n.kind]})` : ''}`);
    byId('not-drawn').textContent = notDrawn.length ? `Counted, not drawn as items: ${notDrawn.join(' · ')}` : '';
    if (!m.loading && this.needsFit) {
      this.fitAll(false);
      this.needsFit = false;
    }
    if (!m.loading && this.pendingSelect >= 0 && this.pendingSelect < this.data.count) {
      const item = this.pendingSelect;
      this.pendingSelect = -1;
      this.select(item, { details: true, reveal: false });
    }
    this.requestRender();
  }

  private afterData(): void {
    if (this.pendingScrollTop !== undefined && this.data.rows.length * ROW_HEIGHT >= this.pendingScrollTop) {
      this.scroller.scrollTop = this.pendingScrollTop;
      this.pendingScrollTop = undefined;
    }
    if (this.needsFit) {
      this.fitAll(false);
    } else if (this.follow && this.data.live) {
      this.keepLiveEnd();
    }
    if (this.selected >= 0 && this.lastDetails?.index === this.selected) {
      // The selected item may have changed (a debug session ended): refresh its details.
      const duration = this.data.items.duration[this.selected] ?? 0;
      if ((this.lastDetails.durationMs ?? 0) !== duration && this.data.live) {
        this.requestDetails(this.selected);
      }
    }
    this.requestRender();
  }

  // ---- view ----------------------------------------------------------------------------

  private resize(): void {
    const width = Math.max(1, this.plot.clientWidth);
    const height = Math.max(1, this.scroller.clientHeight);
    this.canvas.style.height = `${height}px`;
    this.renderer.resize(width, height);
    this.view = { ...this.view, width };
    this.updatePlotHeight();
    if (this.needsFit) {
      this.fitAll(false);
    }
    this.requestRender();
  }

  private updatePlotHeight(): void {
    this.plot.style.height = `${Math.max(this.data.rows.length * ROW_HEIGHT, this.scroller.clientHeight)}px`;
  }

  private fitAll(user = true): void {
    const span = this.data.span();
    this.view = fit(span.first, span.last, this.view.width);
    if (user) {
      this.needsFit = false;
      this.follow = this.data.live;
      this.followBox.checked = this.follow;
    }
    this.requestRender();
    this.saveSoon();
  }

  private spanMs(): number {
    const s = this.data.span();
    return Math.max(1000, s.last - s.first);
  }

  private zoomBy(factor: number, x?: number): void {
    let at = x ?? this.view.width / 2;
    if (x === undefined && this.selected >= 0) {
      const sx = ((this.data.items.start[this.selected] ?? 0) - this.view.start) / this.view.msPerPx;
      if (sx >= 0 && sx <= this.view.width) {
        at = sx;
      }
    }
    this.view = zoomAt(this.view, at, factor, this.spanMs());
    this.userMoved();
  }

  private panPx(dx: number): void {
    this.view = panBy(this.view, dx);
    this.userMoved();
  }

  /** After the engineer panned or zoomed: stop fitting; follow the live end only while it is in view. */
  private userMoved(): void {
    const span = this.data.span();
    this.view = clampView(this.view, span.first, span.last);
    this.needsFit = false;
    if (this.data.live) {
      this.follow = endOf(this.view) >= span.last;
      this.followBox.checked = this.follow;
    }
    this.requestRender();
    this.saveSoon();
  }

  private keepLiveEnd(): void {
    const last = this.data.span().last;
    const visible = this.view.width * this.view.msPerPx;
    if (last > this.view.start + visible * 0.97 || last < this.view.start) {
      this.view = { ...this.view, start: last - visible * 0.9 };
    }
  }

  private requestRender(): void {
    if (this.renderScheduled) {
      return;
    }
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      const loading = this.data.status?.loading ?? this.data.generation >= 0;
      this.renderer.draw({
        data: this.data,
        view: this.view,
        scrollTop: this.scroller.scrollTop,
        rowHeight: ROW_HEIGHT,
        selected: this.selected,
        hovered: this.hovered,
        emptyText: this.data.generation < 0 ? (this.data.status ? 'No sessions in the trace yet.' : 'Opening…') : loading ? 'Reading the trace…' : 'Nothing recorded in this session yet.',
      });
    });
  }

  // ---- selection -------------------------------------------------------------------------

  private select(item: number, o: { details?: boolean; reveal?: boolean; focusDetails?: boolean } = {}): void {
    if (item < 0 || item >= this.data.count) {
      return;
    }
    this.selected = item;
    this.lanes.setCurrent(this.data.items.lane[item] ?? -1);
    if (o.reveal !== false) {
      this.reveal(item);
    }
    this.list.setSelected(item, true);
    if (o.focusDetails) {
      const active = document.activeElement;
      this.focusReturn = active instanceof HTMLElement && active !== document.body ? active : this.canvas;
      this.focusDetailsOf = item;
      if (this.details.item === item && this.lastDetails?.index === item) {
        this.focusDetailsOf = -1;
        this.details.focus();
      }
    }
    if (o.details !== false) {
      this.requestDetails(item);
    }
    this.requestRender();
    this.saveSoon();
  }

  private requestDetails(item: number): void {
    if (this.lastDetails?.index === item && this.details.item === item && !this.data.live) {
      return;
    }
    if (this.details.item !== item) {
      this.details.loading(item, this.data.summaries[item] ?? '');
    }
    this.host.post({ type: 'requestDetails', generation: this.data.generation, index: item });
  }

  private describe(item: number): string {
    return `${formatClock(this.data.epochOf(item))} · ${this.data.laneLabel(item)} · ${kindName(this.data.items.kind[item] ?? 0)} · ${this.data.summaries[item] ?? ''}`;
  }

  /** Brings an item into view: its time across, its lane down. */
  private reveal(item: number): void {
    const start = this.data.items.start[item] ?? 0;
    const end = this.data.items.end(item);
    this.view = ensureVisible(this.view, start, Math.max(start, end));
    const row = this.data.rowOfLane[this.data.items.lane[item] ?? 0] ?? 0;
    const top = row * ROW_HEIGHT;
    if (top < this.scroller.scrollTop) {
      this.scroller.scrollTop = top;
    } else if (top + ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) {
      this.scroller.scrollTop = top + ROW_HEIGHT - this.scroller.clientHeight;
    }
    if (this.data.live) {
      this.follow = endOf(this.view) >= this.data.span().last;
      this.followBox.checked = this.follow;
    }
  }

  /** The item of `lane` whose start is nearest to t. */
  private nearestInLane(lane: number, t: number): number {
    const order = this.data.index.laneOrder(lane);
    if (!order || order.count === 0) {
      return -1;
    }
    const k = order.firstStartingAfter(t);
    const after = order.order[Math.min(k, order.count - 1)];
    const before = order.order[Math.max(0, k - 1)];
    const s = this.data.items.start;
    return Math.abs((s[before] ?? 0) - t) <= Math.abs((s[after] ?? 0) - t) ? before : after;
  }

  private moveInLane(delta: number | 'first' | 'last'): void {
    const anchor = this.selected >= 0 ? this.selected : this.firstVisibleItem();
    if (anchor < 0) {
      return;
    }
    if (this.selected < 0) {
      this.select(anchor, { details: true });
      return;
    }
    const order = this.data.index.laneOrder(this.data.items.lane[anchor] ?? 0);
    if (!order) {
      return;
    }
    const pos = order.positionOf(anchor);
    const next = delta === 'first' ? 0 : delta === 'last' ? order.count - 1 : Math.max(0, Math.min(order.count - 1, pos + delta));
    this.select(order.order[next], { details: true });
    this.announce(this.describe(this.selected));
  }

  private moveLane(delta: number): void {
    const rows = this.data.rows;
    if (rows.length === 0) {
      return;
    }
    const t = this.selected >= 0 ? (this.data.items.start[this.selected] ?? 0) : this.view.start + (this.view.width * this.view.msPerPx) / 2;
    const row = this.selected >= 0 ? (this.data.rowOfLane[this.data.items.lane[this.selected] ?? 0] ?? 0) : Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - delta;
    const target = Math.max(0, Math.min(rows.length - 1, row + delta));
    const item = this.nearestInLane(rows[target], t);
    if (item >= 0) {
      this.select(item, { details: true });
      this.announce(this.describe(item));
    }
  }

  private firstVisibleItem(): number {
    const centre = this.view.start + (this.view.width * this.view.msPerPx) / 2;
    const firstRow = Math.floor(this.scroller.scrollTop / ROW_HEIGHT);
    for (let row = Math.max(0, firstRow); row < this.data.rows.length; row++) {
      const item = this.nearestInLane(this.data.rows[row], centre);
      if (item >= 0) {
        return item;
      }
    }
    return -1;
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }

  // ---- input ---------------------------------------------------------------------------

  private wireCanvas(): void {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) {
        return;
      }
      c.focus({ preventScroll: true });
      try {
        c.setPointerCapture(e.pointerId);
      } catch {
        // a pointer the browser does not track (synthetic input): dragging still works inside the canvas
      }
      this.drag = { pointerId: e.pointerId, x: e.clientX, y: e.clientY, startX: e.clientX, startY: e.clientY, moved: false };
    });
    c.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (d && d.pointerId === e.pointerId) {
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        d.x = e.clientX;
        d.y = e.clientY;
        if (!d.moved && Math.hypot(e.clientX - d.startX, e.clientY - d.startY) > 3) {
          d.moved = true;
          c.classList.add('dragging');
          this.hideTooltip();
        }
        if (d.moved) {
          if (dy !== 0) {
            this.scroller.scrollTop -= dy;
          }
          this.panPx(dx);
        }
        return;
      }
      this.hover(e);
    });
    const end = (e: PointerEvent): void => {
      const d = this.drag;
      if (!d || d.pointerId !== e.pointerId) {
        return;
      }
      this.drag = undefined;
      c.classList.remove('dragging');
      if (!d.moved && e.type === 'pointerup') {
        const hit = this.hitAt(e);
        if (hit) {
          this.select(hit.item, { details: true, reveal: false });
        }
      }
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => {
      if (!this.drag) {
        this.hovered = -1;
        this.hideTooltip();
        this.requestRender();
      }
    });
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.view.width : 1;
        const dx = e.deltaX * unit;
        const dy = e.deltaY * unit;
        if (e.shiftKey || Math.abs(dx) > Math.abs(dy)) {
          this.panPx(-(dx !== 0 ? dx : dy));
        } else {
          const rect = c.getBoundingClientRect();
          this.zoomBy(Math.exp(-dy * (e.ctrlKey ? 0.01 : 0.002)), e.clientX - rect.left);
        }
        this.hideTooltip();
      },
      { passive: false },
    );
    c.addEventListener('keydown', (e) => this.onCanvasKey(e));
  }

  private hitAt(e: MouseEvent): ReturnType<typeof hitTest> {
    const rect = this.canvas.getBoundingClientRect();
    return hitTest(
      { items: this.data.items, index: this.data.index, rows: this.data.rows, view: this.view, rowHeight: ROW_HEIGHT, scrollTop: this.scroller.scrollTop },
      e.clientX - rect.left,
      e.clientY - rect.top,
    );
  }

  private hover(e: PointerEvent): void {
    const hit = this.hitAt(e);
    const item = hit?.item ?? -1;
    if (item !== this.hovered) {
      this.hovered = item;
      this.requestRender();
    }
    if (!hit) {
      this.hideTooltip();
      return;
    }
    const more = hit.count > 1 ? ` (+${hit.count - 1} more here: zoom in)` : '';
    this.tooltip.textContent = `${this.describe(hit.item)}${more}`;
    this.tooltip.hidden = false;
    const x = Math.min(e.clientX + 14, window.innerWidth - this.tooltip.offsetWidth - 4);
    const y = e.clientY + 18 + this.tooltip.offsetHeight > window.innerHeight ? e.clientY - this.tooltip.offsetHeight - 8 : e.clientY + 18;
    this.tooltip.style.left = `${Math.max(4, x)}px`;
    this.tooltip.style.top = `${Math.max(4, y)}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  private onCanvasKey(e: KeyboardEvent): void {
    const step = this.view.width * 0.1;
    switch (e.key) {
      case 'ArrowLeft':
        if (e.shiftKey) {
          this.panPx(step);
        } else {
          this.moveInLane(-1);
        }
        break;
      case 'ArrowRight':
        if (e.shiftKey) {
          this.panPx(-step);
        } else {
          this.moveInLane(1);
        }
        break;
      case 'ArrowUp':
        this.moveLane(-1);
        break;
      case 'ArrowDown':
        this.moveLane(1);
        break;
      case 'Home':
        this.moveInLane('first');
        break;
      case 'End':
        this.moveInLane('last');
        break;
      case 'PageUp':
        this.scroller.scrollTop -= this.scroller.clientHeight * 0.8;
        break;
      case 'PageDown':
        this.scroller.scrollTop += this.scroller.clientHeight * 0.8;
        break;
      case '+':
      case '=':
        this.zoomBy(1.6);
        break;
      case '-':
      case '_':
        this.zoomBy(1 / 1.6);
        break;
      case '0':
        this.fitAll();
        break;
      case 'Enter':
      case ' ':
        if (this.selected >= 0) {
          this.select(this.selected, { details: true, focusDetails: true, reveal: false });
        } else {
          this.moveInLane(0);
        }
        break;
      case 'Escape':
        this.hideTooltip();
        return;
      default:
        return;
    }
    e.preventDefault();
  }

  // ---- state -----------------------------------------------------------------------------

  private currentState(): ViewState {
    return {
      sessionId: this.data.summary?.id,
      start: this.view.start,
      msPerPx: this.view.msPerPx,
      scrollTop: this.scroller.scrollTop,
      selected: this.selected >= 0 ? this.selected : null,
      follow: this.follow,
    };
  }

  private saveSoon(): void {
    if (this.saveTimer === undefined) {
      this.saveTimer = setTimeout(() => this.save(), 300);
    }
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.data.summary) {
      return;
    }
    const state = this.currentState();
    this.host.setState(state);
    this.host.post({ type: 'state', state });
  }
}
