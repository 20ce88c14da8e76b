/**
 * The part of `npm run bench` measured in a real VS Code: code-server 4.100.3 (the harness
 * of the integration tests), headless Chromium, two windows side by side on identical
 * workspaces, one recording and one with the extension installed but `worktrace.enabled`
 * false. Each scenario runs in both, alternating which goes first (A B, B A, …), and the
 * medians of the rounds are compared.
 *
 * Scenarios: start-up (fresh windows: activation as VS Code reports it, first session.start),
 * typing into a 5,000-line file, reading (wheel scrolling and go to definition), search and
 * replace over 200 files, a checkout that changes 1,000 files, a test run and a commit from
 * the terminal, then idle (60 s of nothing) and memory after all of it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { median } from '../stats';
import { buildBenchExtension, ROOT } from './extensionBuild';
import { idleAgain } from './processes';
import { BIG_FILE, callSite, FUNCTIONS, makeBenchWorkspaces, REPLACE_FILES, runGit, TOKENS } from './workspace';
import { BenchWindow, type WindowPlace } from './window';

export interface RealOptions {
  quick: boolean;
  /** Folder for in-process CPU profiles of start-up (one per window), when asked for. */
  profile?: string;
  log: (line: string) => void;
}

/** One figure measured in both windows, per round. */
export interface Paired {
  recording: number[];
  off: number[];
}

export interface RealResults {
  rounds: number;
  typedCharacters: number;
  readingSeconds: number;
  idleSeconds: number;
  startup: {
    activationMs: Paired;
    /** The recorder, loaded after the first quiet moment: loading dist/worktrace.js, then its activate(). */
    recorderLoadMs: Paired;
    recorderActivateMs: Paired;
    /** What became of the code cache in each window, in order ('absent' the very first time). */
    codeCache: string[];
    sessionStartMs: number[];
  };
  typing: { cpuMs: Paired; wallMs: Paired; loopMaxMs: Paired; timerLongestMs: number[]; timerLongestCpuMs: number[] };
  reading: { cpuMs: Paired; loopMaxMs: Paired };
  replace: { wallMs: Paired; cpuMs: Paired; loopMaxMs: Paired };
  checkout: { wallMs: Paired; cpuMs: Paired; loopMaxMs: Paired };
  idle: { hostCpuMs: Paired; pageTaskMs: Paired; timerFires: Paired };
  memory: { rssBytes: Paired; heapUsedBytes: Paired };
  /** Worktrace's longest timer callback in the replace and checkout scenarios (recording window). */
  bulkTimerLongestMs: number[];
  /** The same in CPU time of the extension host (what the callback itself spent, without time other processes held the core). */
  bulkTimerLongestCpuMs: number[];
}

interface CodeServerModule {
  startCodeServer(o: { port: number; userDataDir: string; extensionsDir: string; extraEnv?: Record<string, string>; onOutput?: (t: string) => void }): Promise<{ url: string; stop(): Promise<void> }>;
}

interface IntegrationModule {
  CHROMIUM_ARGS: string[];
}

const paired = (): Paired => ({ recording: [], off: [] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function userSettings(traces: string): Record<string, unknown> {
  return {
    'worktrace.file.directory': traces,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'terminal.integrated.defaultProfile.linux': 'bash',
    // Both windows must do the same work for the same keys, and what they have in common
    // should not drown what differs: no completion lists popping up while typing (Enter makes
    // a new line, it does not accept whichever suggestion came first). This makes the
    // extension host's baseline smaller, so Worktrace's share looks larger, not smaller.
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
    'editor.parameterHints.enabled': false,
    'editor.acceptSuggestionOnEnter': 'off',
    'editor.minimap.enabled': false, // drawn by the page on every keystroke, in both windows alike
    'files.autoSave': 'off',
    'git.autorefresh': true,
  };
}

/** Text typed in the typing scenario: lines of code, `n` characters in all. */
function codeToType(n: number): string {
  let text = '';
  for (let k = 0; text.length < n; k++) {
    text += `let total${k} = f${k % FUNCTIONS}(${k}) * 2;\n`;
  }
  return text.slice(0, n);
}

/** The token the 200 files hold now and the one to replace it with. */
function replaceTokens(workspace: string): [string, string] {
  const text = readFileSync(join(workspace, 'src', 'many', 'file000.ts'), 'utf8');
  return text.includes(TOKENS[0]) ? [TOKENS[0], TOKENS[1]] : [TOKENS[1], TOKENS[0]];
}

/**
 * Waits until the spool both windows share (they have one user-data folder, so one global
 * storage) holds no segment: what the session recorded is sealed, sent and acknowledged. The
 * idle window starts after that, so it measures a recorder with nothing left to do, not the
 * last 15 s of the session being written and delivered.
 */
async function spoolDelivered(userData: string, log: (line: string) => void, timeoutMs = 90_000): Promise<void> {
  const segments = join(userData, 'User', 'globalStorage', 'worktrace.worktrace', 'spool', 'segments');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let left: string[];
    try {
      left = readdirSync(segments).filter((f) => f.startsWith('seg-'));
    } catch (e) {
      throw new Error(`bench: cannot read the spool folder ${segments}: ${String(e)}`, { cause: e });
    }
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      log(`the spool still holds ${left.length} segment(s) after ${timeoutMs / 1000} s; measuring idle anyway`);
      return;
    }
    await sleep(250);
  }
}

function everyFileHas(workspace: string, token: string): boolean {
  for (let i = 0; i < REPLACE_FILES; i++) {
    if (!readFileSync(join(workspace, 'src', 'many', `file${String(i).padStart(3, '0')}.ts`), 'utf8').includes(token)) return false;
  }
  return true;
}

export async function runRealVsCodeBenchmarks(options: RealOptions): Promise<RealResults> {
  const { log, quick } = options;
  // The full run's real-VS-Code part takes about ten minutes on two cores; --quick's about two.
  const rounds = quick ? 1 : 2;
  // Start-up is read off these fresh windows and the two the scenarios run in (fresh too).
  const startupWindows = quick ? 0 : 2;
  const typedCharacters = quick ? 200 : 2_000;
  const readingSeconds = quick ? 5 : 30;
  const idleSeconds = quick ? 10 : 60;
  const results: RealResults = {
    rounds,
    typedCharacters,
    readingSeconds,
    idleSeconds,
    startup: { activationMs: paired(), recorderLoadMs: paired(), recorderActivateMs: paired(), codeCache: [], sessionStartMs: [] },
    typing: { cpuMs: paired(), wallMs: paired(), loopMaxMs: paired(), timerLongestMs: [], timerLongestCpuMs: [] },
    reading: { cpuMs: paired(), loopMaxMs: paired() },
    replace: { wallMs: paired(), cpuMs: paired(), loopMaxMs: paired() },
    checkout: { wallMs: paired(), cpuMs: paired(), loopMaxMs: paired() },
    idle: { hostCpuMs: paired(), pageTaskMs: paired(), timerFires: paired() },
    memory: { rssBytes: paired(), heapUsedBytes: paired() },
    bulkTimerLongestMs: [],
    bulkTimerLongestCpuMs: [],
  };

  const tmp = mkdtempSync(join(tmpdir(), 'worktrace-bench-'));
  const codeServer = (await import(pathToFileURL(join(ROOT, 'scripts', 'code-server.mjs')).href)) as CodeServerModule;
  const integration = (await import(pathToFileURL(join(ROOT, 'scripts', 'integration.mjs')).href)) as IntegrationModule;
  const { chromium } = await import('playwright-core');
  let server: { url: string; stop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  const open: BenchWindow[] = [];
  try {
    log('building the bench extension (the release bundle with the probe) and the workspaces');
    const extensionFolder = await buildBenchExtension(join(tmp, 'extension'), { readableNames: options.profile !== undefined });
    const workspaces = makeBenchWorkspaces(join(tmp, 'workspaces'));
    const userData = join(tmp, 'user-data');
    const probeDirectory = join(tmp, 'probe');
    mkdirSync(join(userData, 'User'), { recursive: true });
    mkdirSync(join(userData, 'Machine'), { recursive: true });
    mkdirSync(probeDirectory, { recursive: true });
    const traces = join(tmp, 'traces');
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(traces), null, 2));
    writeFileSync(join(userData, 'Machine', 'settings.json'), JSON.stringify({ 'worktrace.file.directory': traces }, null, 2));
    if (options.profile) mkdirSync(options.profile, { recursive: true });
    const port = await freePort();
    server = await codeServer.startCodeServer({
      port,
      userDataDir: userData,
      extensionsDir: join(tmp, 'extensions'),
      extraEnv: { WORKTRACE_BENCH_PROBE: probeDirectory, ...(options.profile ? { WORKTRACE_BENCH_CPU_PROFILE: options.profile } : {}) },
    });
    browser = await chromium.launch({ executablePath: process.env.WORKTRACE_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: integration.CHROMIUM_ARGS });
    const place: WindowPlace = { browser, serverUrl: server.url, port, extensionFolder, probeDirectory };
    const workspaceOf = (variant: 'recording' | 'off'): string => workspaces[variant];
    /** A B in even rounds, B A in odd ones. */
    type Variant = 'recording' | 'off';
    const order = (round: number): Variant[] => (round % 2 === 0 ? ['recording', 'off'] : ['off', 'recording']);

    /** Activation as VS Code reports it, the recorder's deferred load and activate(), and (recording) the first session.start. */
    const measureStartup = async (w: BenchWindow, variant: Variant): Promise<void> => {
      const activation = await w.probeUntil('recorderActivateMs');
      if (variant === 'recording') results.startup.sessionStartMs.push(((await w.probeUntil('sessionStartAt')).sessionStartAt ?? NaN) - w.openedAt);
      results.startup.activationMs[variant].push(await w.reportedActivationMs());
      results.startup.recorderLoadMs[variant].push(activation.recorderLoadMs ?? NaN);
      results.startup.recorderActivateMs[variant].push(activation.recorderActivateMs ?? NaN);
      results.startup.codeCache.push(`${variant}: ${activation.codeCache ?? '?'}`);
    };

    // Start-up: fresh windows, alternating; VS Code's own figure and the probe's.
    log(`start-up: ${startupWindows} fresh windows each`);
    for (let i = 0; i < startupWindows; i++) {
      for (const variant of order(i)) {
        const w = await BenchWindow.open(place, variant, workspaceOf(variant));
        open.push(w);
        await measureStartup(w, variant);
        await w.close();
        open.splice(open.indexOf(w), 1);
      }
    }

    // The two windows the rest runs in.
    const windows = { recording: await BenchWindow.open(place, 'recording', workspaces.recording), off: await BenchWindow.open(place, 'off', workspaces.off) };
    open.push(windows.recording, windows.off);
    // They are fresh windows too: their start-up counts with the others'.
    for (const variant of ['recording', 'off'] as const) await measureStartup(windows[variant], variant);
    const both = [windows.recording.pid, windows.off.pid];
    for (const w of Object.values(windows)) {
      await w.openFile(BIG_FILE);
    }
    await idleAgain(both);

    /** A bulk change from idle to idle again: wall time, CPU, longest block, longest Worktrace timer. */
    const measureBulk = async (name: 'replace' | 'checkout', w: BenchWindow, variant: Variant, change: () => Promise<void>): Promise<void> => {
      await idleAgain(both);
      await w.probe();
      const cpu0 = w.cpuMs();
      const t0 = Date.now();
      await change();
      const idle = await idleAgain(both);
      results[name].wallMs[variant].push(idle - t0);
      results[name].cpuMs[variant].push(w.cpuMs() - cpu0);
      const report = await w.probe();
      results[name].loopMaxMs[variant].push(report.loopDelay.maxMs);
      if (variant === 'recording') {
        results.bulkTimerLongestMs.push(report.timers.longestMs);
        results.bulkTimerLongestCpuMs.push(report.timers.longestCpuMs);
        if (options.profile) log(`${name}: longest Worktrace timer ${report.timers.longestMs.toFixed(1)} ms, set ${report.timers.longestOrigin ?? '?'}`);
      }
    };

    for (let round = 0; round < rounds; round++) {
      log(`round ${round + 1} of ${rounds}`);
      for (const variant of order(round)) {
        const w = windows[variant];
        await w.page.bringToFront();
        await w.openFile(BIG_FILE);
        // Typing.
        await w.goTo(2, 1);
        await idleAgain(both);
        await w.probe();
        const cpu0 = w.cpuMs();
        const t0 = Date.now();
        await w.page.keyboard.type(codeToType(typedCharacters));
        const typed = Date.now() - t0;
        await idleAgain(both);
        results.typing.cpuMs[variant].push(w.cpuMs() - cpu0);
        results.typing.wallMs[variant].push(typed);
        const typingProbe = await w.probe();
        results.typing.loopMaxMs[variant].push(typingProbe.loopDelay.maxMs);
        if (variant === 'recording') {
          results.typing.timerLongestMs.push(typingProbe.timers.longestMs);
          results.typing.timerLongestCpuMs.push(typingProbe.timers.longestCpuMs);
        }
        if (options.profile && variant === 'recording') log(`typing: longest Worktrace timer ${typingProbe.timers.longestMs.toFixed(1)} ms, set ${typingProbe.timers.longestOrigin ?? '?'}`);

        // Reading: the wheel through the file, go to definition now and then.
        const editor = w.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
        const box = await editor.boundingBox();
        await idleAgain(both);
        await w.probe();
        const readCpu0 = w.cpuMs();
        const readUntil = Date.now() + readingSeconds * 1000;
        for (let step = 0; Date.now() < readUntil; step++) {
          if (box) await w.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          for (let k = 0; k < 5; k++) {
            await w.page.mouse.wheel(0, 400);
            await sleep(60);
          }
          const site = callSite((step * 97 + 13) % FUNCTIONS);
          await w.goTo(site.line, site.column);
          await w.page.keyboard.press('F12');
          await sleep(300);
        }
        await idleAgain(both);
        results.reading.cpuMs[variant].push(w.cpuMs() - readCpu0);
        results.reading.loopMaxMs[variant].push((await w.probe()).loopDelay.maxMs);

        // Search and replace over 200 files.
        const [from, to] = replaceTokens(w.workspace);
        await w.command('Search: Replace in Files');
        const find = w.page.locator('.search-view .search-widget .input-box textarea').first();
        await find.fill(from);
        const replace = w.page.locator('.search-view .search-widget .replace-input textarea').first();
        await replace.fill(to);
        await w.page.locator('.search-view').getByText(`${REPLACE_FILES} results in ${REPLACE_FILES} files`).first().waitFor({ timeout: 60_000 });
        await measureBulk('replace', w, variant, async () => {
          await replace.focus();
          await w.page.keyboard.press('Control+Alt+Enter');
          await w.page.locator('.monaco-dialog-box .monaco-button').filter({ hasText: /^Replace$/ }).click();
          await waitFor(() => (everyFileHas(w.workspace, to) ? Date.now() : undefined), 120_000);
        });

        // A test run and a commit from the terminal (part of the session; not timed; not in --quick).
        if (!quick) await sessionWork(w, round);
        await w.openFile(BIG_FILE);

        // A checkout that changes 1,000 files, from outside (as an agent or another terminal would).
        await measureBulk('checkout', w, variant, () => {
          runGit(w.workspace, 'checkout', '-q', currentBranch(w.workspace) === 'main' ? 'bulk' : 'main');
          return Promise.resolve();
        });
      }
    }

    // Idle: both windows, nothing happening.
    log(`idle: ${idleSeconds} s of nothing, once the session's trace is delivered`);
    await spoolDelivered(userData, log);
    await idleAgain(both);
    await sleep(5_000);
    await pagesQuiet(Object.values(windows));
    const idle0 = { recording: { cpu: windows.recording.cpuMs(), task: await windows.recording.pageTaskMs() }, off: { cpu: windows.off.cpuMs(), task: await windows.off.pageTaskMs() } };
    await windows.recording.probe();
    await windows.off.probe();
    await sleep(idleSeconds * 1000);
    for (const variant of ['recording', 'off'] as const) {
      const w = windows[variant];
      results.idle.hostCpuMs[variant].push(w.cpuMs() - idle0[variant].cpu);
      results.idle.pageTaskMs[variant].push((await w.pageTaskMs()) - idle0[variant].task);
      const report = await w.probe();
      results.idle.timerFires[variant].push(report.timers.fires);
      if (options.profile && report.timers.fires > 0) log(`idle, ${variant}: Worktrace timers fired, set at ${JSON.stringify(report.timers.origins ?? {})}`);
      results.memory.rssBytes[variant].push(w.rssBytes());
      results.memory.heapUsedBytes[variant].push(report.heapUsedBytes);
    }
    return results;
  } catch (e) {
    for (const w of open) {
      const file = join(tmpdir(), `worktrace-bench-failure-${w.label}.png`);
      await w.page.screenshot({ path: file }).catch(() => undefined);
      log(`screenshot of the ${w.label} window when the bench failed: ${file}`);
    }
    throw e;
  } finally {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function waitFor(probe: () => number | undefined, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await sleep(50);
  }
}

/** Waits (at most 30 s) until the pages' main threads are quiet too: under 5 % busy over a second. */
async function pagesQuiet(windows: BenchWindow[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const before = await Promise.all(windows.map((w) => w.pageTaskMs()));
    await sleep(1_000);
    const after = await Promise.all(windows.map((w) => w.pageTaskMs()));
    if (after.every((v, i) => v - before[i] < 50)) return;
  }
}

/** A test run and a commit from the terminal, as the engineer would between edits. */
async function sessionWork(w: BenchWindow, round: number): Promise<void> {
  await w.command('Terminal: Create New Terminal');
  await w.page.locator('.terminal-wrapper.active .xterm').first().waitFor();
  await sleep(1500); // the shell starts and reports its integration; nothing to await from the page
  // VS Code's git extension may hold .git/index.lock for a moment after many files changed: try again.
  await w.page.keyboard.type(`npm test && for i in 1 2 3 4 5 6 7 8 9 10; do git commit -qam "round ${round + 1}" && break; sleep 0.5; done\n`);
  await waitFor(() => (gitClean(w.workspace) ? Date.now() : undefined), 60_000);
  await w.command('Terminal: Kill the Active Terminal Instance');
}

function git(workspace: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: workspace, encoding: 'utf8' });
}

function gitClean(workspace: string): boolean {
  return git(workspace, 'status', '--porcelain', '--untracked-files=no').trim() === '';
}

function currentBranch(workspace: string): string {
  return git(workspace, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
}

/** Medians and their ratio. */
export function ratio(p: Paired): { recording: number; off: number; ratio: number } {
  const recording = median(p.recording);
  const off = median(p.off);
  return { recording, off, ratio: recording / off };
}
