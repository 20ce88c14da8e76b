/**
 * The program a shell command line runs (`terminal.command.program`, `ChangeAttribution.program`).
 * Plain Node.
 *
 * The rule, in order:
 * 1. The command line is split into words as a POSIX shell would (single and double quotes,
 *    backslash escapes) and into simple commands at `&&`, `||`, `;`, `|`, `&`, `(`, `)` and
 *    newlines. A backslash escapes only a blank, a quote or a shell-special character, so
 *    Windows paths (`C:\tools\x.exe`) survive.
 * 2. The first simple command is taken, except that commands which run no program of their
 *    own (`cd`, `pushd`, `popd`, `export`, `set`, `unset`, `source`, `.`, `alias`, `umask`,
 *    `ulimit`) hand over to the next one: `cd app && claude` runs `claude`. A pipeline counts
 *    by its first command (`cat prompt.md | claude -p` runs `cat`).
 * 3. Leading `VAR=value` assignments, redirections (`2>/dev/null`) and `!` are skipped, then the
 *    wrappers `sudo`, `env`, `time`, `nohup`, `exec`, `command`, `builtin` and `nice` with their
 *    options (and the assignments `env` takes); `env -S '…'` is split again.
 * 4. The program is the basename of the next word (`./node_modules/.bin/jest` → `jest`,
 *    `C:\Git\bin\git.exe` → `git`: `.exe`, `.cmd`, `.bat`, `.com` are dropped).
 *
 * Package runners, launchers and interpreters are *not* unwrapped: `npx jest` runs `npx`,
 * `pnpm test` `pnpm`, `uv run pytest` `uv`, `python -m pytest` `python`, `node gen.js` `node`.
 * What they start is often not a program name (a script, a package, a module), and the
 * command line is recorded next to the program anyway.
 */

/** One simple command: its words, unquoted. */
export type SimpleCommand = string[];

const OPERATOR_CHARS = new Set(['&', '|', ';', '(', ')', '\n', '\r']);
/** Characters a backslash escapes outside quotes (anything else keeps its backslash: Windows paths). */
const ESCAPABLE = new Set([' ', '\t', '\n', '"', "'", '\\', '$', '`', '&', '|', ';', '(', ')', '<', '>', '*', '?', '[', ']', '#', '~', '{', '}', '!']);

/**
 * Splits a command line into simple commands and their words (step 1 above). Unterminated
 * quotes end at the end of the line. Comments (`#` at the start of a word) end the line.
 */
export function splitCommandLine(commandLine: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) {
      words.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) {
      commands.push(words);
    }
    words = [];
  };
  const s = commandLine;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      const stop = end === -1 ? s.length : end;
      word += s.slice(i + 1, stop);
      inWord = true;
      i = stop;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`\n'.includes(s[j + 1])) {
          j++;
        }
        word += s[j];
      }
      i = j;
    } else if (c === '\\' && i + 1 < s.length && ESCAPABLE.has(s[i + 1])) {
      if (s[i + 1] !== '\n') {
        word += s[i + 1]; // a backslash-newline is a line continuation
        inWord = true;
      }
      i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '#' && !inWord) {
      const nl = s.indexOf('\n', i);
      if (nl === -1) break;
      i = nl - 1;
    } else if (OPERATOR_CHARS.has(c)) {
      // `2>&1`, `&>`, `>&` are redirections, not operators
      const redirect = c === '&' && ((inWord && /^\d*>$/.test(word)) || s[i + 1] === '>');
      if (redirect) {
        word += c;
        inWord = true;
      } else {
        endCommand();
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

/** Builtins that run no program of their own: the next simple command is looked at instead. */
const NO_PROGRAM = new Set(['cd', 'pushd', 'popd', 'export', 'set', 'unset', 'source', '.', 'alias', 'umask', 'ulimit']);

interface WrapperSpec {
  /** Short options that take a value (`-u root`). */
  short: string;
  /** Long options that take a value when not written `--opt=value`. */
  long: readonly string[];
  /** Options that take a value although they look numeric-free (e.g. nice's `-n`). */
  assignments?: boolean;
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: { short: 'ughpCDrtUTR', long: ['--user', '--group', '--host', '--prompt', '--close-from', '--chdir', '--role', '--type', '--other-user', '--command-timeout', '--chroot'] },
  env: { short: 'uCS', long: ['--unset', '--chdir', '--split-string'], assignments: true },
  time: { short: 'fo', long: ['--format', '--output'] },
  nohup: { short: '', long: [] },
  exec: { short: 'a', long: [] },
  command: { short: '', long: [] },
  builtin: { short: '', long: [] },
  nice: { short: 'n', long: ['--adjustment'] },
};

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
const REDIRECTION = /^(?:\d*|&)(?:>>?|<<?<?|>&|<&|>\|)(.*)$/;

/** The basename of a program word, without a Windows executable extension. */
export function programName(word: string): string | undefined {
  const base = word.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/\.(?:exe|cmd|bat|com)$/i, '');
  return name.length > 0 ? name : undefined;
}

/** Drops assignments, redirections and `!` at the start of a command. */
function skipPrefix(words: readonly string[], from: number, assignments = true): number {
  let i = from;
  while (i < words.length) {
    const w = words[i];
    if (w === '!' || w === '{' || (assignments && ASSIGNMENT.test(w))) {
      i++;
      continue;
    }
    const redirect = REDIRECTION.exec(w);
    if (redirect) {
      i += redirect[1] === '' ? 2 : 1; // `> file` takes the next word
      continue;
    }
    break;
  }
  return i;
}

/** Skips the options of a wrapper; returns the index of the wrapped command's first word. */
function skipWrapperOptions(name: string, spec: WrapperSpec, words: string[], from: number): number {
  let i = from;
  while (i < words.length) {
    const w = words[i];
    if (w === '--') {
      return i + 1;
    }
    if (spec.assignments && ASSIGNMENT.test(w)) {
      i++;
      continue;
    }
    if (name === 'nice' && /^-\d+$/.test(w)) {
      i++; // `nice -10 make`
      continue;
    }
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const option = eq === -1 ? w : w.slice(0, eq);
      if (name === 'env' && option === '--split-string') {
        const value = eq === -1 ? (words[i + 1] ?? '') : w.slice(eq + 1);
        const rest = words.slice(eq === -1 ? i + 2 : i + 1);
        words.splice(i, words.length - i, ...(splitCommandLine(value)[0] ?? []), ...rest);
        continue;
      }
      i += eq === -1 && spec.long.includes(option) ? 2 : 1;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      // a cluster of short options: the first that takes a value takes the rest of the word or the next word
      let taken = 1;
      for (let k = 1; k < w.length; k++) {
        if (spec.short.includes(w[k])) {
          const inline = w.slice(k + 1);
          if (name === 'env' && w[k] === 'S') {
            const value = inline !== '' ? inline : (words[i + 1] ?? '');
            const rest = words.slice(inline !== '' ? i + 1 : i + 2);
            words.splice(i, words.length - i, ...(splitCommandLine(value)[0] ?? []), ...rest);
            taken = 0;
          } else {
            taken = inline !== '' ? 1 : 2;
          }
          break;
        }
      }
      i += taken;
      continue;
    }
    return i;
  }
  return i;
}

/**
 * The words of the command a command line runs, from its program on: assignments,
 * wrappers and builtins without a program skipped as in the module comment. Empty when
 * there is none (an empty line, only assignments, only `cd`).
 */
export function commandWords(commandLine: string): string[] {
  for (const command of splitCommandLine(commandLine)) {
    const words = [...command];
    let i = skipPrefix(words, 0);
    for (;;) {
      const word = words[i];
      if (word === undefined) break;
      const spec = Object.prototype.hasOwnProperty.call(WRAPPERS, word) ? WRAPPERS[word] : undefined;
      if (!spec) break;
      if (word === 'command' && (words[i + 1] === '-v' || words[i + 1] === '-V')) {
        break; // `command -v x` looks x up; it runs nothing else
      }
      const next = skipWrapperOptions(word, spec, words, i + 1);
      if (next >= words.length) {
        break; // a bare wrapper (`time`, `env`) is itself the program
      }
      i = skipPrefix(words, next);
    }
    const rest = words.slice(i);
    if (rest.length === 0) {
      continue;
    }
    if (NO_PROGRAM.has(rest[0])) {
      continue;
    }
    return rest;
  }
  return [];
}

/** The program a command line runs (see the module comment), or undefined when it runs none. */
export function programOf(commandLine: string): string | undefined {
  const words = commandWords(commandLine);
  return words.length > 0 ? programName(words[0]) : undefined;
}
