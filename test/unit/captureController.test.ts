import * as assert from 'node:assert/strict';
import { CaptureController, type CaptureState, type PauseRecord } from '../../src/capture/controller';
import { MemoryLogger } from '../../src/common/logger';

function make(conditions: { enabled?: boolean; trusted?: boolean; pause?: PauseRecord } = {}) {
  const log: string[] = [];
  let attached = 0;
  let persisted: PauseRecord | undefined | 'unset' = 'unset';
  const controller = new CaptureController(
    {
      attach: () => {
        attached++;
        log.push('attach');
        return { dispose: () => log.push('detach') };
      },
      afterAttach: (previous) => log.push(`after:${previous}`),
      beforeDetach: (next, until) => log.push(`before:${next}:${until ?? 'none'}`),
      persistPause: (p) => {
        persisted = p;
      },
    },
    new MemoryLogger(),
    { enabled: conditions.enabled ?? true, trusted: conditions.trusted ?? true },
  );
  controller.restorePause(conditions.pause); // as the extension does with the stored pause, before start()
  return { controller, log, attached: () => attached, persisted: () => persisted };
}

suite('capture controller', () => {
  test('recording attaches; pausing detaches (marker hook first) and is persisted; resuming re-attaches', () => {
    const t = make();
    assert.equal(t.controller.state, 'starting');
    t.controller.start();
    assert.equal(t.controller.state, 'recording');
    t.controller.togglePause();
    assert.equal(t.controller.state, 'paused');
    assert.deepEqual(t.persisted(), { until: null });
    t.controller.togglePause();
    assert.equal(t.controller.state, 'recording');
    assert.equal(t.persisted(), undefined);
    assert.deepEqual(t.log, ['attach', 'after:starting', 'before:paused:none', 'detach', 'attach', 'after:paused']);
  });

  test('a timed pause ends by itself', async () => {
    const t = make();
    t.controller.start();
    const resumed = new Promise<CaptureState>((resolve) => t.controller.onDidChangeState((s) => s === 'recording' && resolve(s)));
    t.controller.pauseFor(300); // long enough that a stall of the machine cannot end it before the checks below
    assert.equal(t.controller.state, 'paused');
    assert.ok(t.controller.pausedUntil && t.controller.pausedUntil > Date.now() - 1);
    assert.equal(await resumed, 'recording');
    t.controller.dispose();
  });

  test('a stored pause survives a reload; an expired one does not', () => {
    const paused = make({ pause: { until: null } });
    paused.controller.start();
    assert.equal(paused.controller.state, 'paused');
    assert.equal(paused.attached(), 0, 'nothing attached, not even once');
    const expired = make({ pause: { until: Date.now() - 1000 } });
    expired.controller.start();
    assert.equal(expired.controller.state, 'recording');
    paused.controller.dispose();
  });

  test('disabled and untrusted workspaces attach nothing until enabled and trusted', () => {
    const t = make({ enabled: false, trusted: false });
    t.controller.start();
    assert.equal(t.controller.state, 'untrusted');
    t.controller.setTrusted(true);
    assert.equal(t.controller.state, 'disabled');
    assert.equal(t.attached(), 0);
    t.controller.setEnabled(true);
    assert.equal(t.controller.state, 'recording');
    t.controller.setEnabled(false);
    assert.equal(t.controller.state, 'disabled');
    assert.deepEqual(t.log, ['attach', 'after:disabled', 'before:disabled:none', 'detach']);
  });
});
