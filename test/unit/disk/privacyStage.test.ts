import * as assert from 'node:assert/strict';
import { Exclusions } from '../../../src/privacy/exclusions';
import { Redactor } from '../../../src/privacy/redact';
import { RedactingPrivacyStage } from '../../../src/privacy/stage';
import type { NewEvent, NewEventOf } from '../../../src/trace/events';

const TOKEN = 'ghp_R8xk2LmQ9vB3nT7wZ1yC5dF0gH4jK6pS2aXe';

function stage(): RedactingPrivacyStage {
  const redactor = new Redactor();
  const exclusions = new Exclusions({ globs: ['**/.env*'], hash: (p) => `h${p.length}` });
  return new RedactingPrivacyStage(() => redactor, [{ from: '/home/me/ws', to: '${workspaceFolder}' }], () => exclusions);
}

const run = (s: RedactingPrivacyStage, e: NewEvent): NewEvent[] => s.process(e).map((p) => p.event);

suite('disk: the privacy stage on file.change, file.bulk and changed-file lists', () => {
  test('file.change: secrets in text, diff and changes are redacted and counted; paths in the content are kept; the command is a free text', () => {
    const s = stage();
    const text = `const t = "${TOKEN}"; // /home/me/ws/a.ts\n`;
    const event: NewEventOf<'file.change'> = {
      kind: 'file.change',
      path: 'a.ts',
      change: 'changed',
      diff: `--- a.ts\n+++ a.ts\n@@ -1 +1 @@\n-x\n+${text}`,
      changes: [{ offset: 0, length: 2, text }],
      added: 1,
      removed: 1,
      text,
      sha256: 'f'.repeat(64),
      size: 10,
      by: { by: 'terminal', command: `GH_TOKEN=${TOKEN} /home/me/ws/gen.sh`, terminal: 'bash', program: 'gen.sh', confidence: 'high' },
    };
    const out = run(s, event);
    const change = out[0] as NewEventOf<'file.change'>;
    assert.equal(change.text, 'const t = "«redacted:github-token»"; // /home/me/ws/a.ts\n');
    assert.equal(change.changes?.[0].text, change.text);
    assert.ok(!change.diff?.includes(TOKEN));
    assert.equal(change.by.command, 'GH_TOKEN=«redacted:github-token» ${workspaceFolder}/gen.sh');
    const counted = out.slice(1).map((e) => (e.kind === 'privacy.redacted' ? `${e.in}.${e.field}:${e.count}` : e.kind)).sort();
    assert.deepEqual(counted, ['file.change.by.command:1', 'file.change.changes:1', 'file.change.diff:1', 'file.change.text:1']);
  });

  test('an excluded file: its file.change leaves only a doc.excluded marker; in file.bulk and in command file lists it is masked', () => {
    const s = stage();
    assert.deepEqual(run(s, { kind: 'file.change', path: '.env', change: 'changed', added: 0, removed: 0, text: 'A=1', sha256: 'a'.repeat(64), size: 3, by: { by: 'unknown', confidence: 'low' } }), [{ kind: 'doc.excluded', path: 'excluded:h4' }]);
    const [bulk] = run(s, { kind: 'file.bulk', count: 2, created: 2, changed: 0, deleted: 0, paths: ['.env.local', 'b.ts'], hashes: ['a'.repeat(64), 'b'.repeat(64)], truncated: false, by: { by: 'git', operation: 'checkout', confidence: 'high' } });
    assert.deepEqual(bulk, { kind: 'file.bulk', count: 2, created: 2, changed: 0, deleted: 0, paths: ['excluded:h10', 'b.ts'], hashes: [null, 'b'.repeat(64)], truncated: false, by: { by: 'git', operation: 'checkout', confidence: 'high' } });
    const [command] = run(s, {
      kind: 'terminal.command',
      commandLine: 'node x',
      confidence: 'high',
      cwd: '.',
      exitCode: 0,
      startTs: 1,
      durationMs: 1,
      terminal: 'bash',
      after: [],
      files: [
        { path: '.env', change: 'changed', added: 1, removed: 0 },
        { path: 'src/a.ts', change: 'created', added: 3, removed: 0 },
      ],
      filesCount: 2,
    }) as NewEventOf<'terminal.command'>[];
    assert.deepEqual(command.files?.map((f) => f.path), ['excluded:h4', 'src/a.ts']);
  });
});
