/**
 * A harness for the timeline page outside VS Code: a small HTTP server on 127.0.0.1 that
 * serves the page exactly as the panel builds it (same HTML, same strict CSP with a nonce,
 * the built media/dist/timeline.js and media/timeline.css) plus a stand-in for
 * `acquireVsCodeApi` and a set of VS Code theme variables (light, dark, high contrast).
 *
 * Two ways to feed the page:
 * - `bridge(page, controller)`: the real TimelineController answers the page (tests,
 *   screenshots): page → host through an exposed function, host → page through
 *   window.postMessage, typed arrays intact, as VS Code does;
 * - `preload` + `start` in the page (the benchmark): messages the host would send are
 *   loaded first and posted in one go, so the page's own cost is what gets measured.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { timelineHtml } from '../src/timeline/html';
import type { HostMessage } from '../src/timeline/protocol';

export type HarnessTheme = 'dark' | 'light' | 'high-contrast';

const COMMON = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '12px',
};

/** A subset of VS Code's Default Dark Modern / Light Modern / High Contrast colours. */
export const THEMES: Record<HarnessTheme, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...COMMON,
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-disabledForeground': '#cccccc80',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-terminal-ansiMagenta': '#bc3fbc',
      '--vscode-terminal-ansiCyan': '#11a8cd',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-textLink-activeForeground': '#4daafc',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-gitDecoration-modifiedResourceForeground': '#e2c08d',
      '--vscode-gitDecoration-addedResourceForeground': '#81b88b',
      '--vscode-gitDecoration-deletedResourceForeground': '#c74e39',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-editorGroup-border': '#ffffff17',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-editorIndentGuide-background': '#404040',
      '--vscode-diffEditor-insertedLineBackground': '#9bb95533',
      '--vscode-diffEditor-removedLineBackground': '#ff000033',
      '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-editorHoverWidget-background': '#202020',
      '--vscode-editorHoverWidget-border': '#454545',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-inputValidation-errorBorder': '#be1100',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...COMMON,
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-disabledForeground': '#61616180',
      '--vscode-editor-background': '#ffffff',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-testing-iconPassed': '#388a34',
      '--vscode-testing-iconFailed': '#f14c4c',
      '--vscode-terminal-ansiMagenta': '#bc05bc',
      '--vscode-terminal-ansiCyan': '#0598bc',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-textLink-activeForeground': '#005fb8',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-gitDecoration-modifiedResourceForeground': '#895503',
      '--vscode-gitDecoration-addedResourceForeground': '#587c0c',
      '--vscode-gitDecoration-deletedResourceForeground': '#ad0707',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-editorGroup-border': '#e5e5e5',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-editorIndentGuide-background': '#d3d3d3',
      '--vscode-diffEditor-insertedLineBackground': '#9ccc2c40',
      '--vscode-diffEditor-removedLineBackground': '#ff000033',
      '--vscode-textCodeBlock-background': '#f8f8f8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-editorHoverWidget-background': '#f8f8f8',
      '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-inputValidation-errorBorder': '#be1100',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...COMMON,
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffffb3',
      '--vscode-disabledForeground': '#a5a5a5',
      '--vscode-editor-background': '#000000',
      '--vscode-focusBorder': '#f38518',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-charts-red': '#f48771',
      '--vscode-charts-blue': '#6fc3df',
      '--vscode-charts-yellow': '#ffff00',
      '--vscode-charts-orange': '#f38518',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-diffEditor-insertedLineBackground': '#33ff2e33',
      '--vscode-diffEditor-removedLineBackground': '#ff000066',
    },
  },
};

function themeCss(theme: HarnessTheme): string {
  return `:root {\n${Object.entries(THEMES[theme].vars)
    .map(([k, v]) => `  ${k}: ${v};`)
    .join('\n')}\n}\n`;
}

/** The stand-in for VS Code's webview bridge (loaded with the page's nonce, before the page's script). */
const STUB = `(() => {
  const KEY = 'worktrace-harness-state';
  let state = null;
  try { state = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch { state = null; }
  const TYPED = { Float64Array, Float32Array, Int32Array, Uint32Array, Uint16Array, Uint8Array };
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (typeof v.__typed === 'string') return TYPED[v.__typed].from(v.data);
      const o = {};
      for (const k of Object.keys(v)) o[k] = decode(v[k]);
      return o;
    }
    return v;
  };
  const h = (window.__harness = { toHost: [], queued: [], firstPostAt: undefined, lastPostAt: undefined, draws: [] });
  h.deliver = (messages) => { for (const m of messages) window.postMessage(decode(m), '*'); };
  h.preload = (messages) => { h.queued = messages.map(decode); };
  h.start = () => {
    h.firstPostAt = performance.now();
    for (const m of h.queued) window.postMessage(m, '*');
    h.lastPostAt = performance.now();
    h.queued = [];
  };
  h.watchDraws = () => {
    const canvas = document.getElementById('timeline-canvas');
    new MutationObserver(() => h.draws.push({ t: performance.now(), items: Number(canvas.dataset.items), ms: Number(canvas.dataset.drawMs) }))
      .observe(canvas, { attributes: true, attributeFilter: ['data-frames'] });
  };
  window.acquireVsCodeApi = () => ({
    postMessage(m) { h.toHost.push(m); if (typeof window.__toHost === 'function') void window.__toHost(JSON.stringify(m)); },
    getState() { return state; },
    setState(s) { state = s; sessionStorage.setItem(KEY, JSON.stringify(s)); },
  });
})();
`;

/** Replaces typed arrays by `{ __typed, data }` so a message survives JSON (the stub turns them back). */
export function encodeMessage(message: HostMessage): unknown {
  const walk = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return { __typed: v.constructor.name, data: Array.from(v as unknown as ArrayLike<number>) };
    }
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(message);
}

export interface Harness {
  origin: string;
  url(theme?: HarnessTheme): string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.html': 'text/html' };

/** Serves the page from `root` (the repository, after `node scripts/build.mjs`). */
export async function startHarness(root: string): Promise<Harness> {
  const media = join(root, 'media');
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
      try {
        if (url.pathname === '/timeline.html') {
          const theme = (url.searchParams.get('theme') ?? 'dark') as HarnessTheme;
          const nonce = randomBytes(18).toString('base64');
          let html = timelineHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/dist/timeline.js`, styleUri: `${origin}/media/timeline.css` });
          html = html
            .replace('<body>', `<body class="${THEMES[theme] ? THEMES[theme].bodyClass : 'vscode-dark'}">`)
            .replace('</head>', `<link rel="stylesheet" href="${origin}/harness/theme-${theme}.css">\n</head>`)
            .replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/harness/stub.js"></script>\n<script nonce="${nonce}"`);
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
          return;
        }
        if (url.pathname === '/favicon.ico') {
          res.writeHead(204).end();
          return;
        }
        if (url.pathname === '/harness/stub.js') {
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(STUB);
          return;
        }
        const theme = /^\/harness\/theme-([a-z-]+)\.css$/.exec(url.pathname)?.[1] as HarnessTheme | undefined;
        if (theme && THEMES[theme]) {
          res.writeHead(200, { 'content-type': 'text/css' }).end(themeCss(theme));
          return;
        }
        if (url.pathname.startsWith('/media/')) {
          const file = normalize(join(root, decodeURIComponent(url.pathname)));
          if (!file.startsWith(media + sep)) {
            res.writeHead(403).end();
            return;
          }
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
          return;
        }
        res.writeHead(404).end();
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (theme = 'dark') => `${origin}/timeline.html?theme=${theme}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Launch options for Debian's Chromium, headless. */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** What a controller needs to talk to the page. */
export interface PageSide {
  handle(message: unknown): void;
}

/**
 * Connects a page (not yet navigated) to a host: the page's messages go to `host.handle`;
 * returns the `post` function to give the host, which delivers in order.
 */
export async function bridge(page: Page, host: () => PageSide): Promise<(m: HostMessage) => Promise<boolean>> {
  await page.exposeFunction('__toHost', (json: string) => {
    host().handle(JSON.parse(json));
  });
  let queue: Promise<unknown> = Promise.resolve();
  return (m: HostMessage) => {
    const encoded = encodeMessage(m);
    const sent = queue.then(() => page.evaluate((msg) => (globalThis as unknown as { __harness: { deliver(m: unknown[]): void } }).__harness.deliver([msg]), encoded));
    queue = sent.catch(() => undefined);
    return sent.then(() => true);
  };
}
