/**
 * Entry of the bench build of the extension (bench/vscode/extensionBuild.ts): the released
 * extension with the probe around it. The probe module comes first so it is evaluated
 * before Worktrace's own modules.
 */
import './profileStart';
import { now, probe, startProbe, stopStartupProfile } from './probe';
import * as worktrace from '../../src/extension';

startProbe();

type Context = Parameters<typeof worktrace.activate>[0];

export function activate(context: Context): worktrace.WorktraceApi {
  probe.activateStartedAt = now();
  const api = worktrace.activate(context);
  probe.activateMs = now() - probe.activateStartedAt;
  stopStartupProfile();
  const first = api.onDidRecord((e) => {
    if (e.kind === 'session.start') {
      probe.sessionStartAt ??= now();
      first.dispose();
    }
  });
  return api;
}

export const deactivate = worktrace.deactivate;
