/**
 * The command-line parsing shared by Worktrace's small CLIs (replay, receiver, export):
 * `--flag value` or `--flag=value` for known value flags, switches without a value,
 * `-h`/`--help`, positionals (after `--` too when allowed). Never throws; messages are meant
 * for people.
 */
export type FlagParse<F extends string, S extends string = never> =
  | { kind: 'ok'; values: Map<F, string>; lists: Map<F, string[]>; switches: Set<S>; positional: string[] }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export interface FlagOptions<F extends string, S extends string> {
  /** Value flags that may be given more than once: every value, in order, in `lists` (not in `values`). */
  repeatable?: readonly F[];
  /** Flags without a value (`--stats`): in `switches` when given. */
  switches?: readonly S[];
}

export function parseFlags<F extends string, S extends string = never>(argv: readonly string[], flags: readonly F[], allowPositional: boolean, options: FlagOptions<F, S> = {}): FlagParse<F, S> {
  const isFlag = (name: string): name is F => (flags as readonly string[]).includes(name);
  const isSwitch = (name: string): name is S => ((options.switches ?? []) as readonly string[]).includes(name);
  const repeatable = new Set<string>(options.repeatable ?? []);
  const values = new Map<F, string>();
  const lists = new Map<F, string[]>();
  const switches = new Set<S>();
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
    if (isSwitch(name)) {
      if (eq >= 0) {
        return { kind: 'error', message: `${name} takes no value` };
      }
      switches.add(name);
      continue;
    }
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
    if (repeatable.has(name)) {
      lists.set(name, [...(lists.get(name) ?? []), value]);
      continue;
    }
    if (values.has(name)) {
      return { kind: 'error', message: `${name} given twice` };
    }
    values.set(name, value);
  }
  return { kind: 'ok', values, lists, switches, positional };
}
