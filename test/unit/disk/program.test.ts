import * as assert from 'node:assert/strict';
import { programOf, splitCommandLine } from '../../../src/disk/program';

suite('disk/program: programOf', () => {
  const cases: [string, string | undefined][] = [
    ['node gen.js', 'node'],
    ['  git   status ', 'git'],
    ['./node_modules/.bin/jest --watch', 'jest'],
    ['/usr/local/bin/python3.11 -m pytest', 'python3.11'],
    ['FOO=1 BAR="a b" make test', 'make'],
    ['PATH=$PATH:./bin claude -p "fix it"', 'claude'],
    ['sudo apt-get install x', 'apt-get'],
    ['sudo -u build -E npm ci', 'npm'],
    ['sudo --user=build -- ./script.sh', 'script.sh'],
    ['sudo --user build make', 'make'],
    ['env -i HOME=/tmp node x.js', 'node'],
    ['env -u SECRET -C /tmp aider --yes', 'aider'],
    ["env -S 'codex --full-auto' prompt", 'codex'],
    ['env --split-string="deno run" x.ts', 'deno'],
    ['time npm test', 'npm'],
    ['time -p make', 'make'],
    ['nohup ./server &', 'server'],
    ['exec -a name python app.py', 'python'],
    ['command git log', 'git'],
    ['command -v node', 'command'],
    ['builtin echo hi', 'echo'],
    ['nice -n 10 cargo build', 'cargo'],
    ['nice -10 cargo build', 'cargo'],
    ['nice --adjustment=5 go test ./...', 'go'],
    ['sudo env FOO=1 nice time nohup rg foo', 'rg'],
    ['npx jest', 'npx'],
    ['pnpm test', 'pnpm'],
    ['uv run pytest', 'uv'],
    ['yarn dlx create-vite', 'yarn'],
    ['python -m pytest', 'python'],
    ['cd app && claude', 'claude'],
    ['cd "my app"; export X=1; npm run build', 'npm'],
    ['source .venv/bin/activate && pytest -q', 'pytest'],
    ['cat prompt.md | claude -p', 'cat'],
    ['npm test 2>&1 | tee log.txt', 'npm'],
    ['(cd sub && make)', 'make'],
    ['! grep -q x file', 'grep'],
    ['2>/dev/null ./build.sh', 'build.sh'],
    ['> out.txt echo hi', 'echo'],
    ["'./my tool' --flag", 'my tool'],
    ['"C:\\Program Files\\Git\\bin\\git.exe" status', 'git'],
    ['C:\\tools\\rg.EXE foo', 'rg'],
    ['.\\scripts\\build.cmd', 'build'],
    ['& "C:\\Python312\\python.exe" app.py', 'python'],
    ['my\\ tool --x', 'my tool'],
    ['git commit -m "a; b && c"', 'git'],
    ['# just a comment', undefined],
    ['', undefined],
    ['   ', undefined],
    ['FOO=1', undefined],
    ['cd /tmp', undefined],
    ['time', 'time'],
    ['env', 'env'],
    ['sudo', 'sudo'],
    ['echo a \\\n  b', 'echo'],
  ];
  for (const [line, expected] of cases) {
    test(`${JSON.stringify(line)} → ${String(expected)}`, () => {
      assert.equal(programOf(line), expected);
    });
  }
});

suite('disk/program: splitCommandLine', () => {
  test('splits simple commands at operators and keeps quoted operators in words', () => {
    assert.deepEqual(splitCommandLine(`a 'b;c' "d && e" | f & g; h || i\nj`), [['a', 'b;c', 'd && e'], ['f'], ['g'], ['h'], ['i'], ['j']]);
  });
  test('redirections with & are not operators', () => {
    assert.deepEqual(splitCommandLine('npm test 2>&1 &>x'), [['npm', 'test', '2>&1', '&>x']]);
  });
  test('escapes inside double quotes', () => {
    assert.deepEqual(splitCommandLine('echo "a \\"b\\" \\$c \\d"'), [['echo', 'a "b" $c \\d']]);
  });
  test('an unterminated quote runs to the end', () => {
    assert.deepEqual(splitCommandLine(`echo 'abc`), [['echo', 'abc']]);
  });
  test('empty quotes are a word', () => {
    assert.deepEqual(splitCommandLine(`x '' ""`), [['x', '', '']]);
  });
});
