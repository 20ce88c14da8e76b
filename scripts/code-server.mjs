// Provisions code-server 4.100.3 (VS Code 1.100.3) into a git-ignored cache folder
// and starts it on 127.0.0.1. Recipe: ../shared/REAL_VSCODE.md.
// Used by the integration-test harness and by `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, symlinkSync, writeFileSync, rmSync, lstatSync, readFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'node:net';

export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const PKG = join(CACHE, 'node_modules', 'code-server');
export const CODE_SERVER_BIN = join(PKG, 'out', 'node', 'entry.js');
const MARKER = join(CACHE, '.provisioned');

/** Keeps code-server's own config and data out of the user's home folder. */
export function isolatedEnv() {
  return { XDG_CONFIG_HOME: join(CACHE, '..', 'xdg-config'), XDG_DATA_HOME: join(CACHE, '..', 'xdg-data') };
}

function log(msg) {
  process.stderr.write(`[code-server] ${msg}\n`);
}

function run(cmd, args, cwd, { env = {}, allowFail = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...isolatedEnv(), npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${(r.stdout ?? '').slice(-2000)}\n${(r.stderr ?? '').slice(-4000)}`);
  }
  return r;
}

function link(target, path) {
  try {
    lstatSync(path);
    return;
  } catch {
    symlinkSync(target, path);
  }
}

/** Installs code-server into the cache once; later calls return at once. */
export function ensureCodeServer() {
  if (existsSync(MARKER) && readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION) {
    return CODE_SERVER_BIN;
  }
  for (const tool of ['/usr/bin/rg', '/usr/bin/chromium']) {
    if (!existsSync(tool)) {
      throw new Error(`${tool} is missing: install the Debian packages chromium, ripgrep and libkrb5-dev (bash .ci/run does it).`);
    }
  }
  const started = Date.now();
  log(`provisioning code-server ${CODE_SERVER_VERSION} into ${CACHE} (first run only, about two minutes)`);
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'package.json'), JSON.stringify({ name: 'worktrace-code-server-cache', private: true }));
  run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`], CACHE);
  const vscodeDir = join(PKG, 'lib', 'vscode');
  log('installing the VS Code server dependencies');
  run('npm', ['install', '--ignore-scripts', '--omit=dev'], vscodeDir);
  const rgDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync('/usr/bin/rg', join(rgDir, 'rg'));
  log('building native modules');
  run('npm', ['rebuild', 'node-pty', '@parcel/watcher', '@vscode/spdlog', 'native-watchdog'], vscodeDir, { allowFail: true });
  if (!existsSync(join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'))) {
    throw new Error('node-pty did not build: check that python3, make and g++ are installed');
  }
  link('node_modules', join(vscodeDir, 'node_modules.asar'));
  link('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  log('installing the built-in extensions');
  const extDir = join(vscodeDir, 'extensions');
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], extDir);
  run('node', ['./postinstall.mjs'], extDir);
  run('npm', ['rebuild', 'argon2'], CACHE);
  const version = run('node', [CODE_SERVER_BIN, '--version'], CACHE).stdout;
  if (!version.includes(VSCODE_VERSION)) {
    throw new Error(`unexpected code-server version: ${version}`);
  }
  writeFileSync(MARKER, CODE_SERVER_VERSION);
  log(`ready in ${Math.round((Date.now() - started) / 1000)} s: ${version.split('\n').find((l) => l.includes(VSCODE_VERSION))}`);
  return CODE_SERVER_BIN;
}

/** Runs the code-server CLI (e.g. --install-extension) and returns its output. */
export function codeServerCli(args) {
  return run('node', [ensureCodeServer(), ...args], ROOT).stdout;
}

function portOpen(port) {
  return new Promise((res) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

/**
 * Starts code-server on 127.0.0.1:port and resolves once it answers HTTP.
 * Rejects if the process exits first or it does not come up within `timeoutMs`.
 */
export async function startCodeServer({ port, userDataDir, extensionsDir, trust = false, extraArgs = [], extraEnv = {}, timeoutMs = 60_000, onOutput }) {
  const bin = ensureCodeServer();
  if (await portOpen(port)) {
    throw new Error(`port ${port} on 127.0.0.1 is already in use: choose another with --port / WORKTRACE_PORT`);
  }
  const args = [bin, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...(trust ? [] : ['--disable-workspace-trust']), ...extraArgs];
  const child = spawn('node', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...isolatedEnv(), ...extraEnv } });
  child.stdout.on('data', (d) => onOutput?.(String(d)));
  child.stderr.on('data', (d) => onOutput?.(String(d)));
  let exited = null;
  child.once('exit', (code, signal) => { exited = { code, signal }; });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited before it started (code ${exited.code}, signal ${exited.signal})`);
    if (await healthy(port)) break;
    if (Date.now() > deadline) {
      stopProcess(child);
      throw new Error(`code-server did not answer on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, url: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

async function healthy(port) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    return r.ok;
  } catch {
    return false;
  }
}

/** Kills a detached process group and waits for it to exit. */
export function stopProcess(child) {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    child.once('exit', () => { clearTimeout(timer); res(); });
    try { process.kill(-child.pid, 'SIGTERM'); } catch { clearTimeout(timer); res(); }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureCodeServer();
    log(`code-server ${CODE_SERVER_VERSION} is ready at ${CODE_SERVER_BIN}`);
  } catch (e) {
    log(String(e?.message ?? e));
    process.exit(1);
  }
}
