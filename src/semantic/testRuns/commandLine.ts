/**
 * Splitting a shell command line into simple commands (lists of words), the first step of
 * recognising a test command (recognise.ts). Plain Node; never imports `vscode`.
 */

/**
 * Splits a shell command line into simple commands (lists of words), at unquoted `;`,
 * `&`, `&&`, `|`, `||`, `|&`, newlines, `(`, `)`, `{`, `}` and backticks (not the `&` of
 * `2>&1`). Removes quotes and backslash escapes, except that a backslash before a letter,
 * digit, `.`, `_` or `-` is kept (Windows paths; in sh it would just drop the backslash);
 * a `#` starting a word starts a comment. Linear time.
 */
export function splitCommands(commandLine: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const s = commandLine;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'") {
      inWord = true;
      const close = s.indexOf("'", i + 1);
      const end = close < 0 ? s.length : close;
      word += s.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`\n'.includes(s[j + 1])) j++;
        word += s[j];
      }
      i = j;
    } else if (ch === '\\' && /[\w.-]/.test(s[i + 1] ?? '')) {
      inWord = true; // a Windows path (`.\gradlew`, `C:\tools\jest.cmd`); in sh `\x` is just `x`
      word += ch;
    } else if (ch === '\\') {
      inWord = true;
      if (i + 1 < s.length) {
        i++;
        if (s[i] !== '\n') word += s[i];
      }
    } else if (ch === ' ' || ch === '\t') {
      endWord();
    } else if (ch === '&' && (s[i - 1] === '>' || s[i - 1] === '<' || s[i + 1] === '>')) {
      inWord = true; // a redirection: `2>&1`, `&>log`
      word += ch;
    } else if (ch === '\n' || ch === '\r' || ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')' || ch === '`') {
      endCommand();
    } else if ((ch === '{' || ch === '}') && !inWord && (i + 1 >= s.length || ' \t\n;'.includes(s[i + 1]))) {
      endCommand(); // a group's braces, not `{a,b}` brace expansion
    } else if (ch === '#' && !inWord) {
      const eol = s.indexOf('\n', i);
      i = eol < 0 ? s.length : eol - 1;
    } else {
      inWord = true;
      word += ch;
    }
  }
  endCommand();
  return commands;
}
