/**
 * One workbench window of the real-VS-Code bench: a code-server page driven by Playwright,
 * its own extension host (found through /proc), the probe inside it (probe.ts) and the page's
 * own main-thread time (Chrome DevTools Protocol). Every action goes through the page as a
 * person's would: keys, the wheel, the palette.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { ProbeReport } from './probe';
import { quickOpen, runCommand } from '../../test/ui/workbench';
import { cpuMs, extensionHostPids, mainThreadCpuMs, rssBytes } from './processes';

export interface WindowPlace {
  browser: Browser;
  serverUrl: string;
  port: number;
  extensionFolder: string;
  probeDirectory: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(50);
  }
}

export class BenchWindow {
  private constructor(
    readonly label: string,
    readonly workspace: string,
    readonly page: Page,
    private readonly context: BrowserContext,
    private readonly cdp: CDPSession,
    readonly pid: number,
    /** Epoch milliseconds when the page was asked to open. */
    readonly openedAt: number,
    private readonly probeDirectory: string,
  ) {}

  /** Opens a window on `workspace` and waits until its extension host and the probe in it are up. */
  static async open(place: WindowPlace, label: string, workspace: string): Promise<BenchWindow> {
    const before = extensionHostPids();
    const context = await place.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${place.port}${p}`;
    const payload = [['extensionDevelopmentPath', remote(place.extensionFolder)], ['skipWelcome', 'true']];
    const openedAt = Date.now();
    await page.goto(`${place.serverUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const pid = await until('the window’s extension host', () => {
      const fresh = [...extensionHostPids()].filter((p) => !before.has(p));
      return fresh.length === 1 && existsSync(join(place.probeDirectory, `${fresh[0]}.json`)) ? fresh[0] : undefined;
    });
    await page.locator('.statusbar-item[id$="worktrace.status"]').waitFor({ timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    return new BenchWindow(label, workspace, page, context, cdp, pid, openedAt, place.probeDirectory);
  }

  private lastAnswer(): ProbeReport | undefined {
    try {
      return JSON.parse(readFileSync(join(this.probeDirectory, `${this.pid}.json`), 'utf8')) as ProbeReport;
    } catch {
      return undefined;
    }
  }

  /** Asks the probe for its figures since the last question (and resets them); with `gc`, after a garbage collection. */
  async probe({ gc = false } = {}): Promise<ProbeReport> {
    const previous = this.lastAnswer()?.answer ?? 0;
    if (gc) writeFileSync(join(this.probeDirectory, `${this.pid}.gc`), '');
    process.kill(this.pid, 'SIGUSR2');
    return until('the probe’s answer', () => {
      const report = this.lastAnswer();
      return report && report.answer > previous ? report : undefined;
    });
  }

  /** Asks the probe until its answer has `field` (activation and session.start come after the window opened). */
  async probeUntil(field: 'activateStartedAt' | 'recorderActivateMs' | 'warmUpLongestMs' | 'sessionStartAt', timeoutMs = 60_000): Promise<ProbeReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await this.probe();
      if (report[field] !== undefined) return report;
      if (Date.now() > deadline) throw new Error(`bench: the probe never saw ${field}`);
      await sleep(100);
    }
  }

  mainThreadCpuMs(): number {
    return mainThreadCpuMs(this.pid);
  }

  cpuMs(): number {
    return cpuMs(this.pid);
  }

  rssBytes(): number {
    return rssBytes(this.pid);
  }

  /** Main-thread task time of the page so far (ms), from Chrome's Performance domain. */
  async pageTaskMs(): Promise<number> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000;
  }

  /** Runs a command from the palette (as the workbench tests do). */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('Escape'); // whatever an earlier step left open
    await runCommand(this.page, title);
  }

  /** Opens a file through Quick Open (as the workbench tests do). */
  async openFile(relativePath: string): Promise<void> {
    await quickOpen(this.page, relativePath.split('/').at(-1) ?? relativePath);
  }

  /** Moves the cursor with Go to Line (`line:column`). */
  async goTo(line: number, column = 1): Promise<void> {
    const page = this.page;
    await page.keyboard.press('Control+G');
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
  }

  /** The load-plus-activate time VS Code shows in Developer: Show Running Extensions (ms). */
  async reportedActivationMs(): Promise<number> {
    await this.command('Developer: Show Running Extensions');
    const row = this.page.locator('.runtime-extensions-editor .monaco-list-row').filter({ hasText: 'worktrace' }).first();
    const text = await row.locator('.activation-time').innerText({ timeout: 30_000 });
    const m = /(\d+)\s*ms/.exec(text);
    if (!m) throw new Error(`bench: cannot read the activation time from “${text}”`);
    return Number(m[1]);
  }

  /** Closes the window and waits for its extension host to end (ends it after 10 s). */
  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (extensionHostPids().has(this.pid)) {
      if (Date.now() > deadline) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        break;
      }
      await sleep(100);
    }
  }
}
