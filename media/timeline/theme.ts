/**
 * The canvas's colours and font, read from the page's CSS (which reads VS Code's theme
 * variables). Read again when VS Code changes the theme: it swaps the body's class and the
 * variables, and the host also sends a `theme` message.
 */
import { COLOUR_NAMES } from '../../src/timeline/codes';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses what getComputedStyle returns for a colour: rgb(), rgba() or color(srgb …). */
export function parseColour(text: string): Rgba | undefined {
  const srgb = /^color\(srgb\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)(?:\s*\/\s*([\d.e+-]+%?))?\)$/.exec(text.trim());
  if (srgb) {
    const alpha = srgb[4];
    return {
      r: Math.round(Number(srgb[1]) * 255),
      g: Math.round(Number(srgb[2]) * 255),
      b: Math.round(Number(srgb[3]) * 255),
      a: alpha === undefined ? 1 : alpha.endsWith('%') ? Number(alpha.slice(0, -1)) / 100 : Number(alpha),
    };
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(text.trim());
  if (rgb) {
    const alpha = rgb[4];
    return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]), a: alpha === undefined ? 1 : alpha.endsWith('%') ? Number(alpha.slice(0, -1)) / 100 : Number(alpha) };
  }
  return undefined;
}

export function css(c: Rgba, alpha = c.a): string {
  return `rgba(${c.r}, ${c.g}, ${c.b}, ${Math.max(0, Math.min(1, alpha)).toFixed(3)})`;
}

/** Black or white, whichever reads better on `c`. */
function textOn(c: Rgba): string {
  const lum = (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
  return lum > 0.55 ? '#000000' : '#ffffff';
}

const FALLBACK: Rgba = { r: 128, g: 128, b: 128, a: 1 };

export class Palette {
  /** Fill of each colour role (index = Colour). */
  fills: string[] = [];
  /** Fill of bands (goal, pause) and the pause shading across lanes. */
  bandFills: string[] = [];
  /** Label colour on each role's fill. */
  labelOn: string[] = [];
  foreground = '#cccccc';
  muted = '#9d9d9d';
  background = '#1e1e1e';
  grid = 'rgba(128,128,128,0.25)';
  rowLine = 'rgba(128,128,128,0.2)';
  focus = '#007fd4';
  pauseShade = 'rgba(128,128,128,0.10)';
  selectionRow = 'rgba(0,127,212,0.12)';
  font = '12px sans-serif';
  fontSize = 12;
  /** Average character width of `font`, for cutting labels without measuring each. */
  charWidth = 7;
  highContrast = false;

  private readonly probe: HTMLElement;

  constructor() {
    this.probe = document.createElement('span');
    this.probe.className = 'sr-only';
    this.probe.setAttribute('aria-hidden', 'true');
    document.body.append(this.probe);
    this.refresh();
  }

  private read(variable: string): Rgba {
    this.probe.style.color = '';
    this.probe.style.color = `var(${variable})`;
    return parseColour(getComputedStyle(this.probe).color) ?? FALLBACK;
  }

  refresh(): void {
    const roles = COLOUR_NAMES.map((name) => this.read(`--wt-c-${name}`));
    this.fills = roles.map((c) => css(c, 0.9));
    this.bandFills = roles.map((c) => css(c, 0.28));
    this.labelOn = roles.map(textOn);
    const bg = this.read('--wt-bg');
    this.foreground = css(this.read('--wt-fg'));
    this.muted = css(this.read('--wt-muted'));
    this.background = css(bg);
    this.grid = css(this.read('--wt-grid'));
    this.rowLine = css(this.read('--wt-row-line'));
    this.focus = css(this.read('--wt-focus'));
    const pause = this.read('--wt-c-pause');
    this.pauseShade = css(pause, 0.12);
    const focus = this.read('--wt-focus');
    this.selectionRow = css(focus, 0.1);
    const cls = document.body.classList;
    this.highContrast = cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light');
    const style = getComputedStyle(document.body);
    this.fontSize = Math.max(9, Math.min(16, parseFloat(style.fontSize) || 12) - 1);
    this.font = `${this.fontSize}px ${style.fontFamily || 'sans-serif'}`;
    const ctx = document.createElement('canvas').getContext('2d');
    if (ctx) {
      ctx.font = this.font;
      this.charWidth = ctx.measureText('abcdefghijklmnopqrstuvwxyz0123456789 ').width / 37 || 7;
    }
  }

  /** Calls `onChange` after VS Code switches the theme (the body's class changes). */
  watch(onChange: () => void): void {
    new MutationObserver(() => {
      this.refresh();
      onChange();
    }).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  }
}
