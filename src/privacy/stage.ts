/**
 * The privacy stage every event passes before it is written anywhere (see PrivacyStage in
 * trace/recorder.ts). This part redacts secrets in the free texts of runs, debug sessions,
 * commits and diagnostics: command lines and output, launch configurations, exception
 * messages, commit messages, diagnostic messages. Each redaction is counted in a
 * `privacy.redacted` event (rule and where, never the value). Plain Node.
 */
import type { NewEvent, NewEventOf } from '../trace/events';
import type { PrivacyStage } from '../trace/recorder';
import type { Exclusions } from './exclusions';

export interface TextRedactor {
  redact(text: string): { text: string; redactions: readonly { rule: string }[] };
}

/** Redacts free texts of events; the Redactor is asked for each event (settings may change it). */
export class RedactingPrivacyStage implements PrivacyStage {
  private counts: Map<string, number> | undefined;
  private redactedTotal = 0;

  constructor(
    private readonly redactor: () => TextRedactor,
    private readonly report: (event: NewEventOf<'privacy.redacted'>) => void,
    /** Absolute paths to replace in free texts (workspace folders → `${workspaceFolder}`, home → `~`), longest first. */
    private readonly paths: readonly { from: string; to: string }[] = [],
    private readonly exclusions: () => Exclusions | undefined = () => undefined,
  ) {}

  /** Redactions since start (for the status bar). */
  get redacted(): number {
    return this.redactedTotal;
  }

  process(event: NewEvent): NewEvent | undefined {
    this.counts = undefined;
    const kept = this.exclude(event);
    if (!kept) {
      return undefined;
    }
    const out = this.rewrite(kept);
    const counts = this.counts as Map<string, number> | undefined; // filled by rewrite()
    if (counts) {
      this.counts = undefined;
      for (const [key, count] of counts) {
        const [field, rule] = key.split('\u0000');
        this.redactedTotal += count;
        this.report({ kind: 'privacy.redacted', in: event.kind, field, rule, count });
      }
    }
    return out;
  }

  private text(value: string, field: string): string {
    if (value.length === 0) {
      return value;
    }
    for (const { from, to } of this.paths) {
      if (value.includes(from)) {
        value = value.split(from).join(to);
      }
    }
    const result = this.redactor().redact(value);
    if (result.redactions.length === 0) {
      return value;
    }
    this.counts ??= new Map();
    for (const r of result.redactions) {
      const key = `${field}\u0000${r.rule}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    return result.text;
  }

  private optional(value: string | undefined, field: string): string | undefined {
    return value === undefined ? undefined : this.text(value, field);
  }

  private deep(value: unknown, field: string): unknown {
    if (typeof value === 'string') {
      return this.text(value, field);
    }
    if (Array.isArray(value)) {
      return value.map((v) => this.deep(v, field));
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        // A value under a secret-looking key is a secret whatever it looks like.
        out[k] = typeof v === 'string' && /(?:secret|token|passw(?:or)?d|pwd|api[-_]?key|credential|auth)/i.test(k) && v.length > 0 ? '«redacted:secret-setting»' : this.deep(v, `${field}.${k}`);
        if (out[k] === '«redacted:secret-setting»') {
          this.counts ??= new Map();
          const key = `${field}.${k}\u0000secret-setting`;
          this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        }
      }
      return out;
    }
    return value;
  }

  /** Drops or rewrites what concerns excluded files: only `doc.excluded` markers with hashed paths remain. */
  private exclude(event: NewEvent): NewEvent | undefined {
    const exclusions = this.exclusions();
    if (!exclusions) {
      return event;
    }
    const excluded = (path: string): boolean => exclusions.isExcluded(path);
    const mask = (path: string): string => (excluded(path) ? exclusions.hashed(path) : path);
    switch (event.kind) {
      case 'doc.open':
        return excluded(event.path) ? { kind: 'doc.excluded', path: exclusions.hashed(event.path) } : event;
      case 'doc.edit':
      case 'doc.save':
      case 'doc.close':
      case 'edit.step':
      case 'diagnostics.change':
        return excluded(event.path) ? undefined : event;
      case 'editor.focus':
        return event.path !== null && excluded(event.path) ? { kind: 'editor.focus', path: exclusions.hashed(event.path) } : event;
      case 'file.create':
      case 'file.delete':
        return { ...event, path: mask(event.path) };
      case 'file.rename':
        return { ...event, from: mask(event.from), to: mask(event.to) };
      case 'git.commit':
        return { ...event, files: event.files.map((f) => ({ ...f, path: mask(f.path) })) };
      case 'debug.breakpoints': {
        const keep = (b: NewEventOf<'debug.breakpoints'>['added'][number]): boolean => !('path' in b) || !excluded(b.path);
        const added = event.added.filter(keep);
        const removed = event.removed.filter(keep);
        return added.length || removed.length ? { ...event, added, removed } : undefined;
      }
      case 'debug.stop': {
        const location = event.exception?.frame?.location;
        if (event.exception?.frame && location && excluded(location.path)) {
          return { ...event, exception: { ...event.exception, frame: { name: event.exception.frame.name } } };
        }
        return event;
      }
      default:
        return event;
    }
  }

  private rewrite(event: NewEvent): NewEvent {
    switch (event.kind) {
      case 'terminal.command': {
        const output = this.optional(event.output, 'output');
        return { ...event, commandLine: this.text(event.commandLine, 'commandLine'), ...(output !== undefined ? { output } : {}) };
      }
      case 'task.run':
        return { ...event, name: this.text(event.name, 'name') };
      case 'test.run':
        return { ...event, command: this.text(event.command, 'command'), failing: event.failing.map((f) => this.text(f, 'failing')) };
      case 'debug.session': {
        const out: NewEventOf<'debug.session'> = { ...event };
        if (event.configuration) out.configuration = this.deep(event.configuration, 'configuration') as Record<string, unknown>;
        if (event.output !== undefined) out.output = this.text(event.output, 'output');
        if (event.exception !== undefined) out.exception = this.text(event.exception, 'exception');
        return out;
      }
      case 'debug.stop': {
        const out: NewEventOf<'debug.stop'> = { ...event };
        if (event.description !== undefined) out.description = this.text(event.description, 'description');
        if (event.exception) out.exception = { ...event.exception, message: this.text(event.exception.message, 'exception.message') };
        return out;
      }
      case 'git.commit':
        return { ...event, message: this.text(event.message, 'message') };
      case 'diagnostics.change':
        return { ...event, new: event.new.map((d) => ({ ...d, message: this.text(d.message, 'message') })) };
      default:
        return event;
    }
  }
}
