/**
 * Entry of the bench build of the extension (bench/vscode/extensionBuild.ts): the released
 * entry (src/startup/entry.ts) with the probe around it. The probe module comes first so it is
 * evaluated before anything of Worktrace's; the recorder itself (dist/worktrace.js) is the
 * released one, loaded as the released entry loads it.
 */
import './profileStart';
import { join } from 'node:path';
import { now, probe, startProbe, stopStartupProfile } from './probe';
import { deactivate as stop, start } from '../../src/startup/entry';
import type { WorktraceApi } from '../../src/extension';

startProbe();

export async function activate(context: Parameters<typeof start>[0]): Promise<WorktraceApi> {
  probe.activateStartedAt = now();
  const api = start(
    context,
    join(__dirname, 'worktrace.js'),
    (r) => {
      probe.recorderLoadMs = r.loadMs;
      probe.recorderActivateMs = r.activateMs;
      probe.codeCache = r.cache;
    },
    (r) => {
      probe.warmUpLongestMs = r.longestStepMs;
    },
  );
  probe.activateMs = now() - probe.activateStartedAt;
  const recorder = await api;
  stopStartupProfile();
  const first = recorder.onDidRecord((e) => {
    if (e.kind === 'session.start') {
      probe.sessionStartAt ??= now();
      first.dispose();
    }
  });
  return recorder;
}

export const deactivate = stop;
