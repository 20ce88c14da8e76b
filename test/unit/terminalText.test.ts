import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_PENDING_LINE, OutputCapture, TerminalTextStripper, stripTerminalSequences } from '../../src/semantic/terminalText';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const fixture = (name: string): string => readFileSync(path.join(ROOT, 'test', 'fixtures', 'test-output', name), 'utf8');

/** Feeds `raw` to a stripper in the given chunks and returns the whole result. */
function stripInChunks(chunks: string[]): string {
  const s = new TerminalTextStripper();
  return chunks.map((c) => s.push(c)).join('') + s.end();
}

suite('stripTerminalSequences', () => {
  test('removes colours and other SGR sequences', () => {
    assert.equal(stripTerminalSequences('\x1b[1m\x1b[31mFAIL\x1b[39m\x1b[22m ok \x1b[38;2;255;0;0mred\x1b[0m'), 'FAIL ok red');
  });

  test('removes OSC sequences terminated by BEL or ST, including VS Code shell integration', () => {
    const raw = '\x1b]633;A\x07$ \x1b]633;B\x07npm test\r\n\x1b]633;E;npm test;nonce\x07\x1b]633;C\x07> ok\r\n\x1b]633;D;0\x1b\\\x1b]0;title\x1b\\done';
    assert.equal(stripTerminalSequences(raw), '$ npm test\n> ok\ndone');
  });

  test('keeps the text of a hyperlink and drops its OSC 8 wrapper', () => {
    assert.equal(stripTerminalSequences('see \x1b]8;;https://example.com\x1b\\the docs\x1b]8;;\x1b\\.'), 'see the docs.');
  });

  test('removes cursor moves, erase sequences, private modes and other escapes', () => {
    const raw = '\x1b[?25l\x1b[?2026hA\x1b[2;5HB\x1b[1A\x1b[J\x1b(BC\x1b=\x1b>D\x1b7\x1b8E\x1bPq#0;1\x1b\\F\x1b_apc\x1b\\G\x1b[?25h';
    assert.equal(stripTerminalSequences(raw), 'ABCDEFG');
  });

  test('handles 8-bit C1 CSI and OSC introducers', () => {
    assert.equal(stripTerminalSequences('\u009b31mred\u009b0m \u009d0;title\u0007x'), 'red x');
  });

  test('turns \\r\\n into \\n and keeps the last version of a line rewritten with \\r', () => {
    assert.equal(stripTerminalSequences('a\r\nb\r\n'), 'a\nb\n');
    assert.equal(stripTerminalSequences('Downloading  10%\rDownloading  55%\rDownloading 100%\ndone'), 'Downloading 100%\ndone');
    assert.equal(stripTerminalSequences('long old text\rnew\n'), 'new\n');
  });

  test('keeps a line that ends with \\r (nothing overwrote it)', () => {
    assert.equal(stripTerminalSequences('100%\r'), '100%');
    assert.equal(stripTerminalSequences('100%\r\r\n'), '100%\n');
  });

  test('erase-line sequences after \\r or at column 1 clear the line', () => {
    assert.equal(stripTerminalSequences('Building [==>  ] 3/10\r\x1b[K   Finished\n'), '   Finished\n');
    assert.equal(stripTerminalSequences('RUNS a.test.js\x1b[2KPASS a.test.js\n'), 'PASS a.test.js\n');
    assert.equal(stripTerminalSequences('progress 40%\x1b[999D\x1b[Kprogress done\n'), 'progress done\n');
    assert.equal(stripTerminalSequences('spinner |\x1b[1Gresult\n'), 'result\n');
    // An SGR between \r and the new text does not cancel the rewrite.
    assert.equal(stripTerminalSequences('old\r\x1b[32mnew\x1b[0m\n'), 'new\n');
  });

  test('applies backspaces to the current line', () => {
    assert.equal(stripTerminalSequences('spin |\b/\b-\b\\\bdone\n'), 'spin done\n');
    assert.equal(stripTerminalSequences('x😀\b\n'), 'x\n');
  });

  test('drops other control characters but keeps tabs', () => {
    assert.equal(stripTerminalSequences('ok\u0007\t1\u0000\u000e\u000f\u007f\n'), 'ok\t1\n');
  });

  test('an unterminated OSC ends at the line break and does not swallow the rest', () => {
    assert.equal(stripTerminalSequences('a\x1b]0;no terminator\nb\nc'), 'a\nb\nc');
  });

  test('an interrupted sequence does not swallow the character that interrupted it', () => {
    assert.equal(stripTerminalSequences('a\x1b[12\nb'), 'a\nb');
    assert.equal(stripTerminalSequences('a\x1b\nb'), 'a\nb');
  });

  test('handles sequences and \\r\\n split at any chunk boundary', () => {
    const raw = 'a\x1b[1;31mred\x1b[0m\r\n\x1b]633;C\x07b 10%\rb 100%\r\n\x1b(Bc\x1b]8;;u\x1b\\d\x1b]8;;\x1b\\\r\n';
    const whole = stripTerminalSequences(raw);
    assert.equal(whole, 'ared\nb 100%\ncd\n');
    for (let i = 0; i <= raw.length; i++) {
      for (let j = i; j <= raw.length; j++) {
        assert.equal(stripInChunks([raw.slice(0, i), raw.slice(i, j), raw.slice(j)]), whole, `split at ${i}, ${j}`);
      }
    }
    assert.equal(stripInChunks([...raw]), whole, 'one character at a time');
  });

  test('strips a real TTY capture (node --test spec reporter) to plain text', () => {
    const raw = fixture('node-tty-fail.txt');
    assert.ok(raw.includes('\x1b[') && raw.includes('\r\n'), 'the fixture has escapes');
    const text = stripTerminalSequences(raw);
    assert.ok(!text.includes('\x1b') && !text.includes('\r'));
    assert.match(text, /^ℹ tests 5$/m);
    assert.match(text, /^✖ subtracts \(\d+\.\d+ms\)$/m);
  });

  test('is linear on 5 MB of adversarial input', () => {
    const unit = 'ab\x1b[1;2;3;4\x1b]633;E;x\x1b[31mc\rd\b\x1b(';
    const raw = unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length)) + '\x1b[0m\n';
    assert.ok(raw.length >= 5 * 1024 * 1024);
    const started = process.hrtime.bigint();
    const text = stripTerminalSequences(raw);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 3000, `took ${ms} ms`);
    assert.ok(!text.includes('\x1b'));
    assert.ok(text.endsWith('\n'));
  });

  test('is linear on 5 MB without a line break (emitted in bounded pieces)', () => {
    const raw = 'x'.repeat(5 * 1024 * 1024);
    const started = process.hrtime.bigint();
    const s = new TerminalTextStripper();
    let emitted = 0;
    for (let i = 0; i < raw.length; i += 4096) {
      emitted += s.push(raw.slice(i, i + 4096)).length;
      assert.ok(s.pendingLength <= MAX_PENDING_LINE);
    }
    emitted += s.end().length;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(emitted, raw.length);
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});

suite('OutputCapture', () => {
  test('keeps short output whole, stripped', () => {
    const c = new OutputCapture();
    c.append('\x1b[32m✔ adds\x1b[0m\r\n');
    c.append('  2 passing');
    assert.equal(c.text(), '✔ adds\n  2 passing');
    assert.equal(c.truncated, false);
    assert.equal(c.totalLength, '✔ adds\n  2 passing'.length);
  });

  test('keeps the head and the tail of long output, with a marker of what was left out', () => {
    const c = new OutputCapture({ headChars: 10, tailChars: 8 });
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('');
    for (let i = 0; i < text.length; i += 7) c.append(text.slice(i, i + 7));
    assert.equal(c.truncated, true);
    assert.equal(c.totalLength, text.length);
    const omitted = text.length - 18;
    assert.equal(c.text(), `${text.slice(0, 10)}\n… [${omitted} characters omitted] …\n${text.slice(-8)}`);
  });

  test('defaults to 8 KB of head and 8 KB of tail', () => {
    const c = new OutputCapture();
    c.append('h'.repeat(8192) + 'm'.repeat(5000) + 't'.repeat(8192));
    assert.equal(c.truncated, true);
    assert.equal(c.text(), `${'h'.repeat(8192)}\n… [5000 characters omitted] …\n${'t'.repeat(8192)}`);
  });

  test('is exactly at the limit without truncating', () => {
    const c = new OutputCapture({ headChars: 4, tailChars: 4 });
    c.append('12345678');
    assert.equal(c.truncated, false);
    assert.equal(c.text(), '12345678');
    c.append('9');
    assert.equal(c.truncated, true);
    assert.equal(c.text(), '1234\n… [1 characters omitted] …\n6789');
  });

  test('strips escape sequences split across chunks', () => {
    const c = new OutputCapture();
    for (const chunk of ['ok \x1b', '[3', '2mgreen\x1b]633;', 'D;0\x1b', '\\ 50%\r', '\n', 'x\r', 'y']) c.append(chunk);
    assert.equal(c.text(), 'ok green 50%\ny');
  });

  test('includes the incomplete last line, which a later \\r may still rewrite', () => {
    const c = new OutputCapture();
    c.append('Running 10%');
    assert.equal(c.text(), 'Running 10%');
    c.append('\rRunning 90%');
    assert.equal(c.text(), 'Running 90%');
    c.end();
    c.append('ignored after end');
    assert.equal(c.text(), 'Running 90%');
  });

  test('an incomplete line fills the head before the tail', () => {
    const c = new OutputCapture({ headChars: 5, tailChars: 5 });
    c.append('abcdefghijklmnop');
    assert.equal(c.truncated, true);
    assert.equal(c.text(), 'abcde\n… [6 characters omitted] …\nlmnop');
  });

  test('does not split surrogate pairs at the cuts', () => {
    const c = new OutputCapture({ headChars: 3, tailChars: 3 });
    c.append('ab😀cdefgh😀\n');
    const text = c.text();
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text), JSON.stringify(text));
    assert.ok(text.startsWith('ab\n'));
    assert.ok(text.endsWith('😀\n'));
  });

  test('stays bounded on a 5 MB stream', () => {
    const c = new OutputCapture({ headChars: 1024, tailChars: 1024 });
    const line = '\x1b[32m✔\x1b[0m a passing test with a fairly long name (1ms)\r\n';
    let stripped = 0;
    while (stripped < 5 * 1024 * 1024) {
      c.append(line.repeat(20));
      stripped += stripTerminalSequences(line).length * 20;
    }
    c.append('  42 passing (3s)\n');
    assert.equal(c.totalLength, stripped + '  42 passing (3s)\n'.length);
    const text = c.text();
    assert.ok(text.length < 1024 + 1024 + 64, `text is ${text.length} long`);
    assert.ok(text.endsWith('  42 passing (3s)\n'));
    assert.ok(text.startsWith('✔ a passing test'));
  });
});
