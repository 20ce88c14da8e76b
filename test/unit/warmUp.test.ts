import * as assert from 'node:assert/strict';
import type { RedactResult } from '../../src/privacy/redact';
import { warmUp } from '../../src/startup/warmUp';
import { WARM_UP_STEPS } from '../../src/startup/warmUpSteps';

suite('startup/warmUp', () => {
  test('the steps run on a sample the scanner finds secrets in, and a diff of it', () => {
    const redacted = WARM_UP_STEPS[0]() as RedactResult;
    assert.ok(redacted.redactions.length >= 2, `the sample exercises the scanner (${redacted.redactions.map((r) => r.rule).join(', ')})`);
    for (const step of WARM_UP_STEPS) step(); // none throws
  });

  test('one step per turn, in order; a step that throws is skipped; stop() ends it', async () => {
    const ran: string[] = [];
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const longest = await warmUp(
      [
        () => ran.push(`a@${turns}`),
        () => {
          throw new Error('no');
        },
        () => ran.push(`c@${turns}`),
      ],
      () => false,
      () => 0,
    );
    counting = false;
    assert.equal(ran.length, 2);
    assert.ok(Number(ran[1].split('@')[1]) > Number(ran[0].split('@')[1]), `a later turn: ${ran.join(' ')}`);
    assert.equal(longest, 0);
    let steps = 0;
    await warmUp([() => steps++, () => steps++], () => steps >= 1, () => 0);
    assert.equal(steps, 1);
  });
});
