/**
 * What an engineer may type as the issue of a task: a URL (`https://github.com/o/r/issues/42`)
 * or a key (`PROJ-123`, `#42`, `o/r#42`). Plain Node.
 */
export type IssueRef = { url: string } | { issue: string };

const KEY = /^(?:[A-Za-z][A-Za-z0-9_]*-\d+|#\d+|[\w.-]+\/[\w.-]+#\d+|[A-Za-z][\w.-]*#\d+)$/;

/** Parses what was typed; undefined for an empty input; an error message for anything else. */
export function parseIssueRef(input: string): IssueRef | undefined | { error: string } {
  const text = input.trim();
  if (text === '') {
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return { error: 'an issue URL starts with https:// or http://' };
      }
      return { url: url.toString() };
    } catch {
      return { error: `${text} is not a valid URL` };
    }
  }
  if (KEY.test(text)) {
    return { issue: text };
  }
  return { error: 'type an issue URL (https://…) or a key such as PROJ-123 or #42, or leave it empty' };
}
