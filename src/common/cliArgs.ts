/**
 * The command-line parsing shared by Worktrace's small CLIs (replay, receiver): `--flag value`
 * or `--flag=value` for known value flags, `-h`/`--help`, positionals (after `--` too when
 * allowed). Never throws; messages are meant for people.
 */
export type FlagParse<F extends string> =
  | { kind: 'ok'; values: Map<F, string>; positional: string[] }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export function parseFlags<F extends string>(argv: readonly string[], flags: readonly F[], allowPositional: boolean): FlagParse<F> {
  const isFlag = (name: string): name is F => (flags as readonly string[]).includes(name);
  const values = new Map<F, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      return { kind: 'help' };
    }
    if (allowPositional && arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!allowPositional) {
        return { kind: 'error', message: `unexpected argument ${arg}` };
      }
      positional.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!isFlag(name)) {
      return { kind: 'error', message: `unknown option ${name}` };
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') {
      return { kind: 'error', message: `${name} needs a value` };
    }
    if (values.has(name)) {
      return { kind: 'error', message: `${name} given twice` };
    }
    values.set(name, value);
  }
  return { kind: 'ok', values, positional };
}
