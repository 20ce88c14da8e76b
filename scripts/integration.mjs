// Runs the integration suite inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3)
// on 127.0.0.1, fresh user-data and extensions folders, driven headless by playwright-core
// with Debian's chromium. The recipe is in ../shared/REAL_VSCODE.md.
//
// 1. The in-host suite (out/test/integration/index.js) runs inside the extension host.
// 2. Then the workbench suite (out/test/ui/*.test.js) runs here, in Node, against the same
//    live page through Playwright (status bar, clicks, screenshots).
// Resolves { passed, failed }; throws when code-server does not start or the run hangs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { format } from 'node:util';
import { ROOT, startCodeServer, VSCODE_VERSION } from './code-server.mjs';

const CHROMIUM = process.env.WORKTRACE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A small git repository to open as the workspace. */
export function makeWorkspace(dir) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sample', version: '1.0.0', private: true, scripts: { test: 'node --test' } }, null, 2) + '\n');
  writeFileSync(join(dir, 'src', 'math.js'), 'function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n');
  writeFileSync(join(dir, 'test', 'math.test.js'), "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('../src/math');\n\ntest('adds', () => {\n  assert.equal(add(2, 3), 5);\n});\n");
  writeFileSync(join(dir, 'README.md'), '# sample\n\nA tiny project to try Worktrace on.\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n*.log\n');
  writeFileSync(join(dir, 'debug.log'), 'a log file git ignores\n');
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'Sample', GIT_AUTHOR_EMAIL: 'sample@example.invalid', GIT_COMMITTER_NAME: 'Sample', GIT_COMMITTER_EMAIL: 'sample@example.invalid' } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Sample Author');
  git('config', 'user.email', 'sample@example.invalid');
  git('add', '.');
  git('commit', '-q', '-m', 'Initial commit');
  return dir;
}


/** Fresh user-data, extensions and workspace folders for one code-server run, with test settings. */
function prepare(tmp, { settings = {}, workspaceSetup } = {}) {
  const userData = join(tmp, 'user-data');
  const extensions = join(tmp, 'extensions');
  const workspace = makeWorkspace(join(tmp, 'workspace'));
  workspaceSetup?.(workspace);
  const traces = join(tmp, 'traces');
  const resultsFile = join(tmp, 'results.json');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(join(userData, 'Machine'), { recursive: true });
  // Settings of scope "machine" (the trace folder) are read from the remote machine's settings in code-server.
  writeFileSync(join(userData, 'Machine', 'settings.json'), JSON.stringify({ 'worktrace.file.directory': traces }, null, 2));
  mkdirSync(extensions, { recursive: true });
  // A stand-in for AI assistants and language tooling, installed like any extension (only one
  // extensionDevelopmentPath reaches code-server's extension host): see test/ui/assistance.test.ts.
  cpSync(join(ROOT, 'test', 'fixtures', 'assistant-extension'), join(extensions, 'worktrace-tests.worktrace-test-assistant-0.0.1'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'worktrace.file.directory': traces,
        'debug.saveBeforeStart': 'none',
        'files.autoSave': 'off',
        'git.autorefresh': true,
        'workbench.startupEditor': 'none',
        // The Explorer reveals the active editor's file whenever it is shown, which can expand a
        // folder again right after "Collapse Folders" and push top-level rows out of the rendered
        // part of the list (test/ui/workbench.ts openFromExplorer clicks such rows).
        'explorer.autoReveal': false,
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'terminal.integrated.defaultProfile.linux': 'bash',
        // Deliver within a second instead of the default 15 s, so tests that read delivered traces wait less.
        'worktrace.flush.intervalSeconds': 1,
        ...settings,
      },
      null,
      2,
    ),
  );
  return { userData, extensions, workspace, traces, resultsFile };
}

/** Opens a window with the in-host suite of `testsDir` and resolves with its results when run() settles. */
async function runHostSuite({ context, serverUrl, port, workspace, testsDir, resultsFile, log, hang }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const page = await context.newPage();
  let exitCode;
  const exited = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = code;
      resolve(code);
    });
  });
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    for (const line of text.split('\n')) log(`  ${line}`);
  });
  const payload = [['extensionDevelopmentPath', remote(ROOT)], ['extensionTestsPath', remote(join(ROOT, 'out', 'test', testsDir))], ['skipWelcome', 'true']];
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await Promise.race([exited, hang]);
  await page.close();
  if (existsSync(resultsFile)) {
    return { ...JSON.parse(readFileSync(resultsFile, 'utf8')), exitCode };
  }
  if (exitCode !== 0) {
    log(`  the in-host test run ended with exit code ${exitCode} before reporting results`);
    return { passed: 0, failed: 1, exitCode }; // the suite could not even start (see the log above)
  }
  return { passed: 0, failed: 0, exitCode };
}

/**
 * Suites that need a window of their own: a workspace whose .vscode/settings.json disables
 * capture from the start, and an untrusted workspace (workspace trust on).
 */
const EXTRA_PHASES = [
  { name: 'disabled workspace', testsDir: 'integration-disabled', trust: false, workspaceSetup: (ws) => {
    mkdirSync(join(ws, '.vscode'), { recursive: true });
    writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'worktrace.enabled': false }, null, 2));
  } },
  { name: 'workspace whose settings try to widen capture', testsDir: 'integration-repo-settings', trust: false, workspaceSetup: (ws) => {
    mkdirSync(join(ws, '.vscode'), { recursive: true });
    writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'worktrace.exclude': [], 'worktrace.respectGitignore': false, 'worktrace.capture.authorName': true }, null, 2));
  } },
  { name: 'untrusted workspace', testsDir: 'integration-untrusted', trust: true, settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open', 'security.workspace.trust.banner': 'never' } },
];

async function runExtraPhase(phase, { browser, log, hang, grep }) {
  const tmp = mkdtempSync(join(tmpdir(), 'worktrace-it-'));
  const { userData, extensions, workspace, resultsFile } = prepare(tmp, phase);
  const port = await freePort();
  const server = await startCodeServer({ port, userDataDir: userData, extensionsDir: extensions, trust: phase.trust, extraEnv: { WORKTRACE_TEST_RESULTS: resultsFile, WORKTRACE_TEST_GREP: grep } });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    log(`In-host suite for the ${phase.name} (VS Code ${VSCODE_VERSION} on ${server.url}):`);
    return await runHostSuite({ context, serverUrl: server.url, port, workspace, testsDir: phase.testsDir, resultsFile, log, hang });
  } finally {
    await context.close().catch(() => {});
    await server.stop();
    if (!process.env.WORKTRACE_KEEP) rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * @param {{ timeoutMs?: number, keep?: boolean, screenshot?: string, grep?: string, log?: (line: string) => void }} options
 */
export async function runIntegration(options = {}) {
  const { chromium } = await import('playwright-core');
  const log = options.log ?? ((line) => process.stdout.write(line + '\n'));
  const timeoutMs = options.timeoutMs ?? Number(process.env.WORKTRACE_INTEGRATION_TIMEOUT_MS ?? 40 * 60_000);
  const tmp = mkdtempSync(join(tmpdir(), 'worktrace-it-'));
  const { userData, extensions, workspace, traces, resultsFile } = prepare(tmp);
  const port = await freePort();
  let server;
  let browser;
  let hangTimer;
  try {
    server = await startCodeServer({
      port,
      userDataDir: userData,
      extensionsDir: extensions,
      extraEnv: { WORKTRACE_TEST_RESULTS: resultsFile, WORKTRACE_TEST_GREP: options.grep ?? process.env.WORKTRACE_TEST_GREP ?? '' },
      onOutput: (text) => {
        if (process.env.WORKTRACE_DEBUG) process.stderr.write(`[code-server] ${text}`);
      },
    });
    log(`code-server (VS Code ${VSCODE_VERSION}) listening on ${server.url}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const open = (payload) => `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify([...payload, ['skipWelcome', 'true']]))}`;
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const hang = new Promise((_, reject) => {
      hangTimer = setTimeout(() => reject(new Error(`the integration run did not finish within ${Math.round(timeoutMs / 1000)} s (hang)`)), timeoutMs);
    });
    hang.catch(() => {});

    // WORKTRACE_PHASES=host,ui,extra picks phases for quicker local loops (default: all).
    const phases = new Set((process.env.WORKTRACE_PHASES ?? 'host,ui,extra').split(',').map((p) => p.trim()));
    // Phase 1: the in-host suite. VS Code shuts the extension host down when run() settles.
    const results = phases.has('host') ? await runHostSuite({ context, serverUrl: server.url, port, workspace, testsDir: 'integration', resultsFile, log, hang }) : { passed: 0, failed: 0, exitCode: 0 };
    const exitCode = results.exitCode;

    // Phase 2: the workbench suite, driven from here, in a fresh window with the extension running.
    const ui = phases.has('ui') ? await runUiPhase() : { passed: 0, failed: 0 };
    async function runUiPhase() {
    const uiPage = await context.newPage();
    await uiPage.goto(open([['extensionDevelopmentPath', remote(ROOT)]]));
    const r = await runWorkbenchSuite({ page: uiPage, workspace, traces, userSettings: join(userData, 'User', 'settings.json'), screenshot: options.screenshot, log, hang });
    await uiPage.close();
    return r;
    }

    // Phase 3: suites that need a window of their own.
    let passed = results.passed + ui.passed;
    let failed = results.failed + ui.failed;
    const failures = [...(results.failures ?? []).map((t) => `in-host: ${t}`), ...(ui.failures ?? []).map((t) => `workbench: ${t}`)];
    let extraExit = 0;
    for (const phase of phases.has('extra') ? EXTRA_PHASES : []) {
      const r = await runExtraPhase(phase, { browser, log, hang, grep: options.grep ?? process.env.WORKTRACE_TEST_GREP ?? '' });
      passed += r.passed;
      failed += r.failed;
      failures.push(...(r.failures ?? []).map((t) => `${phase.name}: ${t}`));
      if (r.exitCode !== 0) extraExit = r.exitCode;
    }
    return { passed, failed, failures, exitCode: exitCode || extraExit };
  } finally {
    clearTimeout(hangTimer);
    await browser?.close().catch(() => {});
    await server?.stop();
    if (options.keep || process.env.WORKTRACE_KEEP) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs out/test/ui/*.test.js with mocha here in Node, against the live workbench page. */
async function runWorkbenchSuite({ page, workspace, traces, userSettings, screenshot, log, hang }) {
  const dir = join(ROOT, 'out', 'test', 'ui');
  if (!existsSync(dir)) return { passed: 0, failed: 0 };
  const { default: Mocha } = await import('mocha');
  const { setWorkbench } = await import(join(ROOT, 'out', 'test', 'ui', 'workbench.js'));
  setWorkbench({ page, workspace, traces, userSettings, screenshot });
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (process.env.WORKTRACE_TEST_GREP) mocha.grep(process.env.WORKTRACE_TEST_GREP);
  mocha.rootHooks({
    async afterEach() {
      if (this.currentTest?.state === 'failed') {
        const file = join(tmpdir(), `worktrace-ui-failure-${Date.now()}.png`);
        await page.screenshot({ path: file }).catch(() => {});
        log(`  screenshot of the failure: ${file}`);
      }
    },
  });
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(dir, f));
  log('Workbench tests (Playwright against the live page):');
  const failures = [];
  const stats = await Promise.race([
    new Promise((resolve) => {
      const runner = mocha.run(() => resolve(runner.stats));
      runner.on('fail', (test, err) => failures.push(`${test.fullTitle()}: ${String(err?.message ?? err).split('\n')[0]}`));
    }),
    hang,
  ]);
  return { passed: stats.passes, failed: stats.failures, failures };
}
