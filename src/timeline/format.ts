/** Formatting of counts, durations and times for the timeline (host and page). */

/** "12,345" (without Intl: this runs once per item while a session loads). */
export function formatCount(n: number): string {
  const r = Math.round(n);
  const digits = String(Math.abs(r));
  if (digits.length <= 3) {
    return String(r);
  }
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) {
    out = `${digits.slice(Math.max(0, i - 3), i)}${out ? `,${out}` : ''}`;
  }
  return r < 0 ? `-${out}` : out;
}

/** "350 ms", "2.3 s", "4 min 5 s", "3 h 12 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '–';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  }
  const totalSeconds = Math.round(s);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) {
    const rest = totalSeconds % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local wall-clock time: "14:03", "14:03:07" or "14:03:07.250". */
export function formatClock(epochMs: number, precision: 'minutes' | 'seconds' | 'millis' = 'seconds'): string {
  const d = new Date(epochMs);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (precision === 'minutes') {
    return hm;
  }
  const hms = `${hm}:${pad(d.getSeconds())}`;
  return precision === 'seconds' ? hms : `${hms}.${pad(d.getMilliseconds(), 3)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Local date and time: "Tue 2 Dec 2025 14:03". */
export function formatDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${DAYS[d.getDay()] ?? ''} ${d.getDate()} ${MONTHS[d.getMonth()] ?? ''} ${d.getFullYear()} ${formatClock(epochMs, 'minutes')}`;
}

/** `text` cut to at most `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  return max <= 1 ? '…'.slice(0, Math.max(0, max)) : `${text.slice(0, max - 1)}…`;
}

/** The first line of a text, trimmed. */
export function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).trim();
}

/** The last path segment ("src/app.ts" → "app.ts"). */
export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}
