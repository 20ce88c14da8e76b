/**
 * The credential redaction rules: `auth-header` (`Authorization: Bearer …`), `url-credentials`
 * (the password of `scheme://user:password@host`) and `cli-credentials` (`curl -u user:password`),
 * after gitleaks' `curl-auth-*` rules (https://github.com/gitleaks/gitleaks, MIT licence, Copyright
 * (c) 2019 Zachary Rice).
 */

import { P_AUTH, P_URL, type Candidate } from './redactCandidates';
import { entropyThreshold, shannonEntropy } from './redactEntropy';
import { isPlaceholderValue } from './redactPlaceholderValues';
import { isIdentChar } from './redactSecretNames';

// ---------------------------------------------------------------------------------------------
// Authorization headers: `Authorization: Bearer <token>`, `Basic <base64>`, `Token <token>`.

const AUTH_HEADER_RE =
  /(?<![A-Za-z0-9_-])(?:proxy-)?authorization["'\\]{0,3}[ \t]{0,8}[:=][ \t]{0,8}(?:\\?["'])?(?:(?:bearer|basic|token|bot|api-token|apikey|digest|sso-key|negotiate)[ \t]{1,8})?([A-Za-z0-9_~+/.=:@-]{8,4000})/gi;

export function scanAuthHeaders(text: string, out: Candidate[]): void {
  AUTH_HEADER_RE.lastIndex = 0;
  for (let m = AUTH_HEADER_RE.exec(text); m !== null; m = AUTH_HEADER_RE.exec(text)) {
    const v = m[1];
    if (/^(?:bearer|basic|token|bot|digest|negotiate)$/i.test(v) || isPlaceholderValue(v) || /^[A-Za-z_.-]+$/.test(v)) {
      continue;
    }
    if (shannonEntropy(v) < Math.min(3, entropyThreshold(v.length))) {
      continue;
    }
    const start = m.index + m[0].length - v.length;
    out.push({ start, end: start + v.length, rule: 'auth-header', priority: P_AUTH });
  }
}

// ---------------------------------------------------------------------------------------------
// Credentials in URLs: scheme://user:password@host — only the password is redacted.

const URL_PASSWORD_PLACEHOLDERS = /^(?:pass(?:word)?|passwd|pwd|secret|token|changeme|changeit|\*+|x+|\.+|-+|_+|%s|password[0-9]*)$/i;

/** Hosts reserved for documentation (RFC 2606, RFC 6761): short passwords there are examples. */
const DOCUMENTATION_HOST = /^(?:[A-Za-z0-9-]+\.)*(?:example\.(?:com|org|net)|[A-Za-z0-9-]+\.(?:example|invalid))(?![A-Za-z0-9.-])/i;

export function scanUrlCredentials(text: string, out: Candidate[]): void {
  let from = 0;
  for (let i = text.indexOf('://', from); i >= 0; i = text.indexOf('://', from)) {
    from = i + 3;
    // scheme: letters, digits, + . - and starting with a letter
    let s = i;
    while (s > 0 && i - s < 32 && /[A-Za-z0-9+.-]/.test(text[s - 1])) {
      s--;
    }
    if (s === i || !/[A-Za-z]/.test(text[s])) {
      continue;
    }
    // the authority runs to the first / ? # or space; the user info ends at its last @ (passwords
    // often hold an unencoded @), the user name at the first : before it
    const limit = Math.min(text.length, from + 512);
    let colon = -1;
    let at = -1;
    for (let p = from; p < limit; p++) {
      const c = text[p];
      if (c === '@') {
        at = p;
      } else if (c === ':' && colon < 0 && at < 0) {
        colon = p;
      } else if (/[\s/?#"'`<>\\[\]{}]/.test(c)) {
        break;
      }
    }
    if (colon < 0 || at < colon || at === colon + 1 || !/[A-Za-z0-9[]/.test(text[at + 1] ?? '')) {
      continue;
    }
    const pw = text.slice(colon + 1, at);
    if (URL_PASSWORD_PLACEHOLDERS.test(pw) || isPlaceholderValue(pw)) {
      continue;
    }
    if (pw.length < 8 && DOCUMENTATION_HOST.test(text.slice(at + 1, at + 1 + 256))) {
      continue; // http://abc:xyz@example.com in documentation
    }
    out.push({ start: colon + 1, end: at, rule: 'url-credentials', priority: P_URL });
    from = at + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// curl -u / --user user:password (after gitleaks' curl-auth-user): the password is redacted, or the
// user when the password is empty (`-u sk_test_…:`, an API key as the user name).

const CURL_USER_FLAG = /(?<![A-Za-z0-9_-])(?:-u|--user)(?:=|[ \t]{1,5})/g;

export function scanCurlUser(text: string, out: Candidate[]): void {
  if (!text.includes('curl')) {
    return;
  }
  CURL_USER_FLAG.lastIndex = 0;
  for (let m = CURL_USER_FLAG.exec(text); m !== null; m = CURL_USER_FLAG.exec(text)) {
    // the flag must belong to a curl command: `curl` earlier, at most 5 (continued) lines up
    const curl = text.lastIndexOf('curl', m.index);
    if (curl < 0 || m.index - curl > 2000 || (curl > 0 && isIdentChar(text.charCodeAt(curl - 1))) || isIdentChar(text.charCodeAt(curl + 4))) {
      continue;
    }
    if (text.slice(curl, m.index).split('\n').length > 6) {
      continue;
    }
    // one shell word: unquoted characters and quoted parts; keep the original offset of each character
    const offsets: number[] = [];
    let word = '';
    let p = CURL_USER_FLAG.lastIndex;
    let quote = '';
    for (; p < text.length && p - CURL_USER_FLAG.lastIndex < 400; p++) {
      const c = text[p];
      if (quote !== '') {
        if (c === quote) {
          quote = '';
        } else if (c === '\n') {
          break;
        } else {
          word += c;
          offsets.push(p);
        }
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (/\s/.test(c)) {
        break;
      } else {
        word += c;
        offsets.push(p);
      }
    }
    const colon = word.indexOf(':');
    if (colon < 0) {
      continue;
    }
    let from = colon + 1;
    let to = word.length;
    if (from === to) {
      from = 0; // empty password: the user name is the secret
      to = colon;
    }
    const secret = word.slice(from, to);
    if (secret.length < 3 || URL_PASSWORD_PLACEHOLDERS.test(secret) || isPlaceholderValue(secret) || /^[0-9]+$/.test(secret) || shannonEntropy(secret) < 2) {
      continue;
    }
    out.push({ start: offsets[from], end: offsets[to - 1] + 1, rule: 'cli-credentials', priority: P_URL });
  }
}
