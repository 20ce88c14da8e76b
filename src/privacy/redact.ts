/**
 * Secret detection and redaction, plain Node, synchronous.
 *
 * Every secret found is replaced by a fixed placeholder naming the rule, `«redacted:<rule-id>»`,
 * whose length depends on the rule only, never on the secret. Placeholders match no rule, so
 * redacting redacted text changes nothing.
 *
 * The provider-token rules are ported from gitleaks' default rule set
 * (https://github.com/gitleaks/gitleaks, `config/gitleaks.toml` and
 * `cmd/generate/config/rules/*.go`, MIT licence, Copyright (c) 2019 Zachary Rice) and, for Shopify
 * and Slack, widened after secretlint's rules (https://github.com/secretlint/secretlint, MIT,
 * Copyright (c) 2020 azu). They are rewritten for JavaScript's regex engine: every pattern starts at
 * a literal prefix behind a lookbehind boundary and has bounded quantifiers over classes that the
 * next token cannot match, so a scan is linear in the input (no nested quantifiers, no unbounded
 * runs). The key/value ("generic") rule, the private-key, URL-credential and `curl -u` scanners and
 * the entropy gate are written here, after gitleaks' `generic-api-key`, `private-key` and
 * `curl-auth-*` rules and their allowlists. The measured corpus: test/fixtures/redaction/README.md.
 *
 * Entropy gate of the key/value rule: the value must be at least 8 characters long and have a
 * Shannon entropy of at least min(3.5, log2(length) − 0.5) bits per character. A fixed 3.5 would
 * silently require 12+ characters (a string of n characters has at most log2(n) bits/char), so
 * short passwords get a threshold that still demands nearly all-distinct characters. Hex values
 * (at most 4 bits/char) need 16+ digits and 2.5 bits/char. Letters-only values are words or
 * identifiers unless their case changes like random text. Names that only say `key` (not
 * `api_key`, `secret_key`…) need 16+ characters, a digit and a letter, and 3.5 bits/char.
 *
 * Offsets are JavaScript string indices (UTF-16 code units), like `String.prototype.slice`.
 */

export interface Redaction {
  /** Rule id, as in the placeholder. */
  rule: string;
  /** Offsets of the placeholder in the output text. */
  start: number;
  end: number;
  /** Offsets of the redacted secret in the input text. */
  originalStart: number;
  originalEnd: number;
}

export interface RedactResult {
  text: string;
  redactions: Redaction[];
}

export interface RedactorOptions {
  /**
   * User regexes (`worktrace.redact.patterns`): either a bare source (`mycorp_[a-z0-9]{32}`) or a
   * regex literal with flags (`/mycorp_[a-z0-9]{32}/i`). If the pattern has a capture group, only
   * the named group `secret`, else group 1, is redacted; otherwise the whole match. Invalid or
   * unsafe patterns are reported in `problems` and skipped.
   */
  extraPatterns?: readonly string[];
}

/** The placeholder that replaces a secret found by `rule`. */
export function placeholder(rule: string): string {
  return `«redacted:${rule}»`;
}

/** Matches any placeholder (what the engine writes; it never matches a rule). */
export const PLACEHOLDER_PATTERN = /«redacted:[a-z0-9-]{1,40}»/g;

/** Longest stretch a private-key block may cover (the rest is not scanned as key material). */
export const MAX_PRIVATE_KEY_CHARS = 64 * 1024;
/** Longest value the key/value and URL rules consider. */
const MAX_VALUE = 1000;

/** Shannon entropy of `s` in bits per character (UTF-16 code units). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) {
    return 0;
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Entropy a key/value secret of this length must reach (bits per character). */
export function entropyThreshold(length: number): number {
  return Math.min(3.5, Math.log2(length) - 0.5);
}

/** Counts redactions per rule (for metrics). */
export function countByRule(redactions: readonly Redaction[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of redactions) {
    out[r.rule] = (out[r.rule] ?? 0) + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Provider tokens (ported from gitleaks). Each rule: literal keywords that must occur in the text
// (a cheap prefilter), one global regex whose whole match is the secret, and an entropy floor.

interface TokenRule {
  id: string;
  keywords: readonly string[];
  re: RegExp;
  minEntropy: number;
  /** Return true to drop a match (allowlist). */
  reject?: (match: string) => boolean;
}

/** Start boundary: not preceded by a token character. */
const B = '(?<![A-Za-z0-9_-])';
/** End boundary: not followed by a token character. */
const E = '(?![A-Za-z0-9_-])';

function tok(id: string, keywords: readonly string[], body: string, minEntropy = 3, reject?: (m: string) => boolean): TokenRule {
  return { id, keywords, re: new RegExp(`${B}(?:${body})${E}`, 'g'), minEntropy, reject };
}

const hasDigit = (s: string): boolean => /[0-9]/.test(s);

const TOKEN_RULES: readonly TokenRule[] = [
  tok('aws-access-key', ['A3T', 'AKIA', 'ASIA', 'ABIA', 'ACCA'], '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}', 3, (m) => m.endsWith('EXAMPLE')),
  tok('github-token', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], 'gh[pousr]_[A-Za-z0-9]{36}'),
  tok('github-token', ['github_pat_'], 'github_pat_[A-Za-z0-9_]{82}'),
  tok(
    'gitlab-token',
    ['glpat-', 'gldt-', 'glrt-', 'glft-', 'glsoat-', 'glffct-', 'glimt-', 'glagent-', 'gloas-', 'glptt-', 'glcbt-', 'GR1348941'],
    'gl(?:pat|dt|rt|ft|soat|ffct|imt|agent|oas)-[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{9})?|glptt-[0-9a-f]{40}|glcbt-[0-9a-zA-Z]{1,5}_[A-Za-z0-9_-]{20}|GR1348941[A-Za-z0-9_-]{20}',
  ),
  {
    id: 'gitlab-token',
    keywords: ['_gitlab_session='],
    re: /(?<=_gitlab_session=)[0-9a-z]{32}(?![A-Za-z0-9])/g,
    minEntropy: 3,
  },
  // Slack: one pattern per token type, as gitleaks has them (bot, legacy bot, user, legacy, workspace,
  // configuration access and refresh, app-level), and secretlint's generic shape
  tok(
    'slack-token',
    ['xox', 'xapp-'],
    'xoxb-[0-9]{10,13}-[0-9]{10,13}[A-Za-z0-9-]{0,64}|xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26}|xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9-]{28,34}|xox[os]-[0-9]{1,16}-[0-9]{1,16}-[0-9]{1,16}-[A-Fa-f0-9]{1,64}|xox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{163,166}|xoxe-[0-9]-[A-Za-z0-9]{146}|xapp-[0-9]-[A-Za-z0-9]{1,20}-[0-9]{1,20}-[A-Za-z0-9]{8,100}' +
      // secretlint-rule-slack's wider shape, bounded and with a long digit group (gitleaks' false
      // positives such as xoxb-12345-abcd234 stay out)
      '|xox[abposr]-(?:[0-9]-)?[0-9]{8,16}(?:-[A-Za-z0-9]{8,40}){1,4}',
    2.5,
    (m) => /x{6}/i.test(m),
  ),
  {
    id: 'slack-webhook',
    keywords: ['hooks.slack.com'],
    re: /(?<=hooks\.slack\.com\/)(?:services|workflows|triggers)\/[A-Za-z0-9+/]{20,120}/g,
    minEntropy: 3,
  },
  tok('stripe-key', ['sk_', 'rk_'], '(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,247}', 2.5),
  tok('stripe-key', ['whsec_'], 'whsec_[A-Za-z0-9]{24,64}', 3),
  tok('google-api-key', ['AIza'], 'AIza[A-Za-z0-9_-]{35}', 3.5),
  tok('google-oauth-secret', ['GOCSPX-'], 'GOCSPX-[A-Za-z0-9_-]{28}', 3),
  tok('npm-token', ['npm_'], 'npm_[A-Za-z0-9]{36}', 2.5),
  tok('openai-key', ['sk-'], 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}', 3),
  tok('anthropic-key', ['sk-ant-'], 'sk-ant-[a-z]{3,8}[0-9]{2}-[A-Za-z0-9_-]{80,120}', 3),
  tok('groq-key', ['gsk_'], 'gsk_[A-Za-z0-9]{52}', 3),
  tok('perplexity-key', ['pplx-'], 'pplx-[A-Za-z0-9]{48}', 3.5),
  tok('huggingface-token', ['hf_', 'api_org_'], '(?:hf|api_org)_[A-Za-z]{34}', 3.5),
  tok('sendgrid-key', ['SG.'], 'SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}', 3),
  tok('sendinblue-key', ['xkeysib-'], 'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}', 3),
  tok('twilio-key', ['SK'], 'SK[0-9a-fA-F]{32}', 3),
  tok('mailgun-key', ['key-'], 'key-[0-9a-f]{32}', 3),
  tok('mailchimp-key', ['-us'], '[0-9a-f]{32}-us[0-9]{1,2}', 3),
  tok('digitalocean-token', ['do_v1_', 'dop_v1_', 'doo_v1_', 'dor_v1_'], 'do[opr]_v1_[a-f0-9]{64}', 3),
  tok('pypi-token', ['pypi-AgEIcHlwaS5vcmc'], 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}', 3),
  // gitleaks has 32 hex digits; secretlint-rule-shopify accepts 32-64 alphanumerics
  tok('shopify-token', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], 'shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32,64}', 2.5),
  tok('databricks-token', ['dapi'], 'dapi[a-f0-9]{32}(?:-[0-9])?', 3),
  tok('doppler-token', ['dp.'], 'dp\\.(?:pt|st|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,44}', 3),
  tok('age-secret-key', ['AGE-SECRET-KEY-1'], 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', 3),
  tok('vault-token', ['hvs.', 'hvb.'], 'hvs\\.[A-Za-z0-9_-]{90,120}|hvb\\.[A-Za-z0-9_-]{138,300}', 3.5),
  {
    id: 'vault-token',
    keywords: ['s.'],
    re: /(?<![A-Za-z0-9_.$-])s\.[A-Za-z0-9]{24}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.5,
    reject: (m) => !hasDigit(m.slice(2)) || !/[a-z]/.test(m) || !/[A-Z]/.test(m),
  },
  tok('terraform-token', ['.atlasv1.'], '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}', 3.5),
  tok('postman-key', ['PMAK-'], 'PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}', 3),
  tok('1password-token', ['ops_eyJ'], 'ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}', 4),
  tok('1password-token', ['A3-'], 'A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}', 3.5),
  tok('linear-key', ['lin_api_'], 'lin_api_[A-Za-z0-9]{40}', 3),
  tok('grafana-token', ['glc_', 'glsa_', 'eyJrIjoi'], 'glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{70,400}={0,3}', 3),
  tok('heroku-key', ['HRKU-AA'], 'HRKU-AA[0-9a-zA-Z_-]{58}', 3.5),
  tok('sentry-token', ['sntryu_', 'sntrys_'], 'sntryu_[a-f0-9]{64}|sntrys_eyJpYXQiO[A-Za-z0-9+/=_]{50,800}', 3.5),
  tok('planetscale-token', ['pscale_'], 'pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_=.-]{32,64}', 3),
  tok('rubygems-token', ['rubygems_'], 'rubygems_[a-f0-9]{48}', 3),
  tok('newrelic-key', ['NRAK-', 'NRII-'], 'NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_-]{32}', 3),
  tok('dynatrace-token', ['dt0c01.'], 'dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}', 3.5),
  tok('square-token', ['sq0atp-', 'sq0csp-'], 'sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}', 3),
  {
    id: 'telegram-token',
    keywords: [':AA'],
    re: /(?<![A-Za-z0-9_:-])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.5,
  },
  {
    id: 'azure-secret',
    keywords: ['Q~'],
    re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    minEntropy: 3,
  },
  tok('artifactory-token', ['AKCp'], 'AKCp[A-Za-z0-9]{69}', 4),
  tok('alibaba-key', ['LTAI'], 'LTAI[A-Za-z0-9]{20}', 3),
  tok('clojars-token', ['CLOJARS_'], 'CLOJARS_[A-Za-z0-9]{60}', 2.5),
  tok('easypost-key', ['EZAK', 'EZTK'], 'EZ[AT]K[A-Za-z0-9]{54}', 3),
  tok('flyio-token', ['fo1_', 'fm1', 'fm2_'], 'fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,2000}={0,3}', 4),
  tok('frameio-token', ['fio-u-'], 'fio-u-[A-Za-z0-9_=-]{64}', 3),
  tok('shippo-token', ['shippo_'], 'shippo_(?:live|test)_[a-fA-F0-9]{40}', 3),
  tok('prefect-token', ['pnu_'], 'pnu_[A-Za-z0-9]{36}', 3),
  tok('pulumi-token', ['pul-'], 'pul-[a-f0-9]{40}', 3),
  tok('readme-token', ['rdme_'], 'rdme_[a-z0-9]{70}', 3),
  tok('scalingo-token', ['tk-us-'], 'tk-us-[A-Za-z0-9_-]{48}', 3),
  tok('infracost-token', ['ico-'], 'ico-[A-Za-z0-9]{32}', 3.5),
  tok('notion-token', ['ntn_'], 'ntn_[0-9]{11}[A-Za-z0-9]{35}', 3.5),
  tok('openshift-token', ['sha256~'], 'sha256~[A-Za-z0-9_-]{43}', 3.5),
  tok('duffel-token', ['duffel_'], 'duffel_(?:test|live)_[A-Za-z0-9_=-]{43}', 3),
  tok('adobe-secret', ['p8e-'], 'p8e-[A-Za-z0-9]{32}', 3),
  tok('atlassian-token', ['ATATT3'], 'ATATT3[A-Za-z0-9_=-]{186}', 3.5),
  tok('cloudflare-key', ['v1.0-'], 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}', 3),
  tok('facebook-token', ['EAAM', 'EAAC'], 'EAA[MC][A-Za-z0-9]{100,1000}', 4),
  tok('octopus-key', ['API-'], 'API-[A-Z0-9]{26}', 3.5, (m) => !hasDigit(m)),
  tok('settlemint-token', ['sm_aat_', 'sm_pat_', 'sm_sat_'], 'sm_[aps]at_[A-Za-z0-9]{16}', 3),
  tok('maxmind-key', ['_mmk'], '[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk', 4),
  // JWT: header and payload are base64url JSON objects (`ey` = `{"`); the signature may be empty.
  tok('jwt', ['ey'], 'ey[A-Za-z0-9_-]{10,1000}\\.ey[A-Za-z0-9_-]{10,8000}\\.(?:[A-Za-z0-9_-]{10,2000}={0,2})?', 3),
];

// ---------------------------------------------------------------------------------------------
// Candidates and their priority when they overlap (lower wins the name of the merged span).

interface Candidate {
  start: number;
  end: number;
  rule: string;
  priority: number;
}

const P_TOKEN = 0;
const P_PRIVATE_KEY = 1;
const P_URL = 2;
const P_AUTH = 3;
const P_GENERIC = 4;
const P_USER = 5;

// ---------------------------------------------------------------------------------------------
// Private keys: `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK),
// body redacted up to the END line, or, when there is none (unterminated, or a string cut off),
// over the run of key material that follows (base64, whitespace, `\n` escapes, armour headers),
// to the end of the text or MAX_PRIVATE_KEY_CHARS. The BEGIN and END lines are kept.

const PK_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
/** An armour header line (`Proc-Type: 4,ENCRYPTED`, `Version: GnuPG v2`), maybe indented or in a string. */
const PK_HEADER_LINE = /[ \t]*[A-Za-z-]{2,20}: ?[^\n\\]{0,200}(?:\r?\n|\\n)/y;

function isKeyMaterialChar(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    (c >= 48 && c <= 57) || // 0-9
    c === 43 || // +
    c === 47 || // /
    c === 61 || // =
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 92 || // \ (escaped newlines in JSON strings)
    c === 34 || // " (string concatenation in code)
    c === 39 // '
  );
}

function scanPrivateKeys(text: string, out: Candidate[]): void {
  if (!text.includes('PRIVATE KEY')) {
    return;
  }
  PK_BEGIN.lastIndex = 0;
  for (let m = PK_BEGIN.exec(text); m !== null; m = PK_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const limit = Math.min(text.length, bodyStart + MAX_PRIVATE_KEY_CHARS);
    let p = bodyStart;
    let material = 0;
    let atLineStart = false;
    while (p < limit) {
      if (atLineStart) {
        PK_HEADER_LINE.lastIndex = p;
        if (PK_HEADER_LINE.test(text) && PK_HEADER_LINE.lastIndex <= limit) {
          p = PK_HEADER_LINE.lastIndex;
          continue;
        }
      }
      const c = text.charCodeAt(p);
      if (!isKeyMaterialChar(c)) {
        break;
      }
      if (c === 92) {
        // only `\n`, `\r`, `\t` escapes are part of a key written as a string literal
        const next = text.charCodeAt(p + 1);
        if (next !== 110 && next !== 114 && next !== 116) {
          break;
        }
        p += 2;
        atLineStart = next === 110;
        continue;
      }
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) {
        material++;
      }
      atLineStart = c === 10;
      p++;
    }
    if (material < 32) {
      continue; // `-----BEGIN PRIVATE KEY-----` in code or docs, a placeholder like `...`
    }
    // trim separators (whitespace, quotes, `\n` escapes) so the placeholder sits between the lines
    let s = bodyStart;
    let e = p;
    for (;;) {
      if (s < e && /[\s"']/.test(text[s])) {
        s++;
      } else if (s + 1 < e && text[s] === '\\' && /[nrt]/.test(text[s + 1])) {
        s += 2;
      } else {
        break;
      }
    }
    for (;;) {
      if (e > s && /[\s"'\\]/.test(text[e - 1])) {
        e--;
      } else if (e - 1 > s && text[e - 2] === '\\' && /[nrt]/.test(text[e - 1])) {
        e -= 2;
      } else {
        break;
      }
    }
    if (e > s) {
      out.push({ start: s, end: e, rule: 'private-key', priority: P_PRIVATE_KEY });
    }
    PK_BEGIN.lastIndex = Math.max(PK_BEGIN.lastIndex, p);
  }
}

// ---------------------------------------------------------------------------------------------
// Placeholders and non-secrets shared by the value rules.

const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'changeit',
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'secrets',
  'token',
  'apikey',
  'key',
  'example',
  'sample',
  'dummy',
  'placeholder',
  'redacted',
  'none',
  'null',
  'nil',
  'undefined',
  'notset',
  'unset',
  'empty',
  'todo',
  'fixme',
  'foo',
  'bar',
  'baz',
  'foobar',
  'test',
  'testing',
  'qwerty',
  'letmein',
  'admin',
  'root',
  'user',
  'username',
  'default',
  'mypassword',
  'mysecret',
  'mytoken',
  'yourpassword',
  'yoursecret',
  'yourtoken',
  'secretkey',
  'privatekey',
  'accesstoken',
  'authtoken',
  'true',
  'false',
  // "password" / "secret" in other languages, as used in examples
  'passwort',
  'kennwort',
  'geheim',
  'parole',
  'motdepasse',
  'contrasena',
  'senha',
  'segreto',
  'secreto',
  'wachtwoord',
  'salasana',
  'haslo',
]);

/** True for values that are obviously not secrets: placeholders, templates, references. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || v.startsWith('«redacted:')) {
    return true;
  }
  if (/\$\{|\{\{|\$\(|<%|%\(|#\{|\{%/.test(v)) {
    return true; // ${VAR}, {{ template }}, $(command), <% erb %>, %(python)s, #{ruby}
  }
  if (/^\$[A-Za-z_{(]/.test(v) || /^%[A-Za-z_]+%$/.test(v) || /^@[A-Za-z_]+@$/.test(v)) {
    return true; // $VAR, %VAR%, @VAR@
  }
  if (/^<[^<>]*>$|^\[[^[\]]*\]$|^\{[^{}]*\}$/.test(v)) {
    return true; // <your-token>, [PASSWORD], {password}
  }
  if (/^(?:process\.env|os\.environ|os\.getenv|import\.meta\.env|System\.getenv|ENV\[|env\.|getenv|secrets\.|vars\.)/i.test(v)) {
    return true;
  }
  if (/x{4,}|\*{3,}|\.{3,}|_{4,}|#{4,}|-{4,}|0{8,}|(?:change|replace)[_-]?(?:me|it|this)|example|placeholder|dummy|redacted|insert[_-]?(?:your|here)|your[_-]/i.test(v)) {
    return true;
  }
  if (/^(?:your|my|some|enter|insert|fake|test|sample|dummy)[_-][a-z_-]*$/i.test(v)) {
    return true; // your-token, my_secret, test-key
  }
  // a placeholder word, maybe with trailing digits or punctuation: password123, secret!, token-1
  const core = v.toLowerCase().replace(/[^a-z0-9]+/g, '').replace(/[0-9]+$/, '');
  if (PLACEHOLDER_WORDS.has(core)) {
    return true;
  }
  // only placeholder words joined by punctuation: secret_password, geheim$parole, my-token
  const words = v.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 0);
  return !/[0-9]/.test(v) && words.length > 1 && words.every((w) => PLACEHOLDER_WORDS.has(w) || w === 'my' || w === 'your');
}

// ---------------------------------------------------------------------------------------------
// Key/value assignments: `<name> <operator> <value>` where the name says secret.

const KEYWORD_RE = /pass|pwd|secret|token|key|auth|cred/gi;

/** Segments that name a secret on their own. */
const STRONG_SEGMENTS = new Set([
  'password',
  'passwd',
  'passwords',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'auth',
]);
/** Words that, before `key`, make it a secret key (`api_key`, `AccountKey`, `x-api-key`). */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'client',
  'app',
  'application',
  'master',
  'session',
  'signing',
  'sign',
  'encryption',
  'encrypt',
  'decryption',
  'crypto',
  'license',
  'licence',
  'service',
  'account',
  'subscription',
  'shared',
  'server',
  'admin',
  'root',
  'auth',
  'bot',
  'webhook',
  'hmac',
  'jwt',
  'consumer',
  'partner',
  'merchant',
  'integration',
  'deploy',
  'ssh',
  'gpg',
  'pgp',
  'aes',
  'cipher',
  'mac',
  'sas',
  'sendgrid',
  'stripe',
  'openai',
  'google',
  'maps',
  'firebase',
  'aws',
  'azure',
  'gcp',
  'algolia',
  'mailgun',
  'twilio',
  'slack',
  'github',
  'gitlab',
  'heroku',
  'datadog',
  'sentry',
]);
/** Compound single segments: `apikey`, `dbpassword`, `authtoken`, `SECRETKEY`. */
const COMPOUND_SUFFIXES = ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'authkey', 'signingkey'];
/** Segments that may follow the secret word and still name the secret itself (`API_KEY_PROD`). */
const VALUE_SUFFIXES = new Set([
  'value',
  'val',
  'str',
  'string',
  'b64',
  'base64',
  'hex',
  'raw',
  'plain',
  'plaintext',
  'clear',
  'cleartext',
  'enc',
  'encoded',
  'encrypted',
  'data',
  'bytes',
  'prod',
  'production',
  'dev',
  'development',
  'staging',
  'stage',
  'test',
  'testing',
  'live',
  'sandbox',
  'local',
  'old',
  'new',
  'backup',
  'default',
  'override',
  'primary',
  'secondary',
  'v1',
  'v2',
  'v3',
]);
/** Words before the secret word that make the name something else (`publicKey`, `nextPageToken`). */
const DENY_PREFIXES = new Set([
  'public',
  'pub',
  'foreign',
  'sort',
  'partition',
  'cache',
  'idempotency',
  'next',
  'page',
  'prev',
  'continuation',
  'cancellation',
  'cancel',
  'csrf',
  'xsrf',
  'i18n',
  'translation',
  'locale',
  'message',
  'hot',
  'shortcut',
  'short',
  'row',
  'column',
  'group',
  'lookup',
  'map',
  'dict',
  'object',
  'item',
  'list',
  'event',
  'state',
  'unique',
  'composite',
  'index',
  'route',
  'query',
  'sync',
  'resume',
  'lock',
  'max',
  'min',
  'num',
  'count',
  'total',
  'prompt',
  'completion',
  'input',
  'output',
  'reasoning',
  'cached',
  'react',
  'render',
  'primary',
  'sub',
  'no',
  'by',
  'to',
  'of',
  'has',
  'is',
  'get',
  'set',
  'with',
  'bypass',
]);

function splitSegments(ident: string): string[] {
  return ident
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.\-$]+/)
    .filter((s) => s.length > 0)
    .map((s) => s.toLowerCase());
}

type NameKind = 'none' | 'strong' | 'weak';

interface NameInfo {
  kind: NameKind;
  aws: boolean;
}

const NONE: NameInfo = { kind: 'none', aws: false };

/** Whether an identifier names a secret, and how strongly. Exported for tests. */
export function classifyName(ident: string): NameInfo {
  const segs = splitSegments(ident);
  let k = -1;
  let kind: NameKind = 'none';
  for (let i = segs.length - 1; i >= 0; i--) {
    const s = segs[i];
    if (STRONG_SEGMENTS.has(s) || COMPOUND_SUFFIXES.some((c) => s.length > c.length && s.endsWith(c))) {
      k = i;
      kind = 'strong';
      break;
    }
    if (s === 'key' || s === 'keys') {
      k = i;
      kind = i > 0 && KEY_QUALIFIERS.has(segs[i - 1]) ? 'strong' : 'weak';
      break;
    }
    if (!VALUE_SUFFIXES.has(s) && !/^[0-9]+$/.test(s)) {
      return NONE; // the name ends in something else: token_type, secret_name, key_id, password_hash…
    }
  }
  if (k < 0) {
    return NONE;
  }
  const before = k > 0 ? segs[k - 1] : '';
  if (DENY_PREFIXES.has(before)) {
    return NONE;
  }
  const aws = segs.includes('aws') || (segs.includes('secret') && segs.includes('access'));
  return { kind, aws };
}

function isIdentChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

/**
 * After a name: an optional closing quote (maybe escaped), an optional type annotation
 * (`: string =`, Go's ` string =`), an operator, spaces. Group 1: the operator.
 */
const ASSIGN_RE =
  /(?:\\{0,3}["'`])?(?:[ \t]*:[ \t]*[A-Za-z_][\w.]{0,40}(?:<[^>\n]{0,40}>)?(?:\[\])?\??(?=[ \t]*=[^=>])|[ \t]+[A-Za-z_][\w.]{0,40}(?:\[\])?(?=[ \t]*=[^=>]))?[ \t]{0,8}(:::=|::=|:=|\?\?=|\?=|\+=|\.=|=>|!==|===|!=|==|=|:|,|\(|[ \t])[ \t]{0,8}/y;
const YAML_BLOCK_RE = /[|>][-+]?[ \t]*\r?\n[ \t]+/y;
const UNQUOTED_STOP = /[\s"'`,;)}\]<>|(]/;
/** In a URL query (`?token=…&x=1`) a value also ends at `&`. */
const QUERY_VALUE_STOP = /[\s"'`,;)}\]<>|(&#]/;

interface Value {
  start: number;
  end: number;
  quoted: boolean;
}

function readValue(text: string, p: number, allowUnquoted: boolean, inQuery: boolean): Value | null {
  let q = text[p];
  let escaped = false;
  if (q === '\\') {
    let b = p;
    while (text[b] === '\\' && b - p < 3) {
      b++;
    }
    if (text[b] === '"' || text[b] === "'") {
      escaped = true;
      q = text[b];
      p = b;
    }
  }
  if (q === '"' || q === "'" || q === '`') {
    const start = p + 1;
    const limit = Math.min(text.length, start + MAX_VALUE);
    for (let i = start; i < limit; i++) {
      const c = text[i];
      if (c === '\n') {
        return null;
      }
      if (c === q) {
        if (escaped) {
          if (text[i - 1] === '\\') {
            let j = i - 1;
            while (j > start && text[j - 1] === '\\') {
              j--;
            }
            return { start, end: j, quoted: true };
          }
          continue;
        }
        if (text[i - 1] === '\\' && text[i - 2] !== '\\') {
          continue; // an escaped quote inside the string
        }
        return { start, end: i, quoted: true };
      }
    }
    return null;
  }
  if (!allowUnquoted) {
    return null;
  }
  const limit = Math.min(text.length, p + MAX_VALUE);
  let i = p;
  const stop = inQuery ? QUERY_VALUE_STOP : UNQUOTED_STOP;
  while (i < limit && !stop.test(text[i])) {
    i++;
  }
  if (i === p || text[i] === '(') {
    return null; // nothing, or a function call: token = getToken()
  }
  return { start: p, end: i, quoted: false };
}

/** Whether `value` (assigned to a secret-looking name) is a secret. Exported for tests. */
export function isSecretValue(value: string, kind: 'strong' | 'weak', quoted: boolean): boolean {
  const n = value.length;
  if (n < (kind === 'weak' ? 16 : 8) || n > MAX_VALUE) {
    return false;
  }
  if (/\s/.test(value) || isPlaceholderValue(value)) {
    return false;
  }
  if (/^[A-Za-z]+$/.test(value)) {
    // letters only: a word or an identifier (changeme, getToken, RsaPrivateKey), unless its case
    // changes like random text: split at case changes, random text falls into 1-2 letter pieces
    const pieces = splitSegments(value);
    const short = pieces.filter((w) => w.length <= 2).length;
    return kind === 'strong' && pieces.length >= 3 && short * 2 >= pieces.length && shannonEntropy(value) >= entropyThreshold(n);
  }
  if (/^[A-Za-z_.\-/]+$/.test(value)) {
    return false; // identifiers, member expressions, paths: options.token, src/key, my_secret
  }
  if (/^[0-9.,:+\-/ ]+$/.test(value) || /^v?[0-9]+(?:\.[0-9]+){1,3}(?:[-+][\w.]+)?$/.test(value)) {
    return false; // numbers, dates, times, versions
  }
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value) || /^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value)) {
    return false; // paths and URLs (credentials in URLs have their own rule)
  }
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(value)) {
    return false; // e-mail address
  }
  if (!quoted && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) {
    return false; // member expression in code
  }
  if (!quoted && /^[&*]?[A-Za-z_$][\w$]*(?:\[|\.[A-Za-z_$])|^[&*][A-Za-z_]/.test(value)) {
    return false; // tokens[i], self.cache[key], n.token-1, &ref, YAML &anchor / *alias: not a literal
  }
  if (kind === 'weak') {
    if (/^[A-Za-z]+[0-9]{0,3}(?:[._\-/:][A-Za-z]+[0-9]{0,3}|[._\-/:]v?[0-9]{1,4})+$/.test(value)) {
      return false; // a dotted or dashed name: app.settings.v2, en-US/messages
    }
    return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3.5;
  }
  if (/^[0-9a-f]{16,}$/i.test(value)) {
    // hex has 4 bits/char at most and 16 random hex digits have ~3.3, so a lower gate (2.5) holds
    return /[a-f]/i.test(value) && shannonEntropy(value) >= 2.5;
  }
  return shannonEntropy(value) >= entropyThreshold(n);
}

function scanAssignments(text: string, out: Candidate[]): void {
  KEYWORD_RE.lastIndex = 0;
  for (let m = KEYWORD_RE.exec(text); m !== null; m = KEYWORD_RE.exec(text)) {
    let s = m.index;
    while (s > 0 && m.index - s < 64 && isIdentChar(text.charCodeAt(s - 1))) {
      s--;
    }
    let e = m.index + m[0].length;
    while (e < text.length && e - m.index < 64 && isIdentChar(text.charCodeAt(e))) {
      e++;
    }
    KEYWORD_RE.lastIndex = e;
    const ident = text.slice(s, e);
    const info = classifyName(ident);
    if (info.kind === 'none') {
      continue;
    }
    const keyQuoted = s > 0 && /["'`]/.test(text[s - 1]);
    let value: Value | null = null;
    if (s > 0 && text[s - 1] === '<' && text[e] === '>') {
      // <password>value</password>
      let p = e + 1;
      while (p < text.length && p - e < 16 && /[ \t\r\n]/.test(text[p])) {
        p++;
      }
      const close = text.indexOf('<', p);
      if (close > p && close - p <= MAX_VALUE) {
        let end = close;
        while (end > p && /\s/.test(text[end - 1])) {
          end--;
        }
        value = { start: p, end, quoted: true };
      }
    } else {
      ASSIGN_RE.lastIndex = e;
      const a = ASSIGN_RE.exec(text);
      if (a === null) {
        continue;
      }
      const op = a[1];
      let p = ASSIGN_RE.lastIndex;
      if (op === ' ' || op === '\t') {
        // a value after a space only for a CLI flag (--password s3cr3t) or `… set <name> <value>`
        // (aws configure set, npm config set, gh secret set …)
        if (text[p] === '-' || !(ident.startsWith('-') || /\bset[ \t]{1,4}$/.test(text.slice(Math.max(0, s - 8), s)))) {
          continue;
        }
      } else if (op === ',' && !keyQuoted) {
        continue;
      } else if (op === '(' && text[e] !== '(') {
        continue; // only a direct call with a literal: password("…")
      }
      if (op === ':') {
        YAML_BLOCK_RE.lastIndex = p;
        if (YAML_BLOCK_RE.test(text)) {
          p = YAML_BLOCK_RE.lastIndex;
        }
      }
      value = readValue(text, p, op !== '(' && op !== ',', s > 0 && (text[s - 1] === '?' || text[s - 1] === '&'));
    }
    if (value === null) {
      continue;
    }
    const v = text.slice(value.start, value.end);
    let accepted = true;
    if (info.aws && /^[A-Za-z0-9/+=]{40}$/.test(v) && shannonEntropy(v) >= 3.5 && !v.endsWith('EXAMPLEKEY')) {
      out.push({ start: value.start, end: value.end, rule: 'aws-secret-key', priority: P_GENERIC });
    } else if (isSecretValue(v, info.kind, value.quoted)) {
      out.push({ start: value.start, end: value.end, rule: 'generic-secret', priority: P_GENERIC });
    } else {
      accepted = false;
    }
    // Resume after the value when it is redacted, or unquoted (one token: no spaces, quotes or
    // separators, so a name inside it assigns nothing). This keeps the scan linear on inputs like
    // `key=key=key=…`. A rejected quoted string is scanned further: it may be prose or code that
    // holds an assignment.
    if (accepted || !value.quoted) {
      KEYWORD_RE.lastIndex = Math.max(KEYWORD_RE.lastIndex, value.end);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Authorization headers: `Authorization: Bearer <token>`, `Basic <base64>`, `Token <token>`.

const AUTH_HEADER_RE =
  /(?<![A-Za-z0-9_-])(?:proxy-)?authorization["'\\]{0,3}[ \t]{0,8}[:=][ \t]{0,8}(?:\\?["'])?(?:(?:bearer|basic|token|bot|api-token|apikey|digest|sso-key|negotiate)[ \t]{1,8})?([A-Za-z0-9_~+/.=:@-]{8,4000})/gi;

function scanAuthHeaders(text: string, out: Candidate[]): void {
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

function scanUrlCredentials(text: string, out: Candidate[]): void {
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

function scanCurlUser(text: string, out: Candidate[]): void {
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

// ---------------------------------------------------------------------------------------------
// User patterns.

interface UserPattern {
  source: string;
  re: RegExp;
}

/** Heuristic: a quantified group that itself contains a quantifier, e.g. `(a+)+`, `(\w*x)*`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

function compileUserPattern(raw: string): UserPattern | string {
  let source = raw;
  let flags = '';
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(raw);
  if (literal !== null) {
    source = literal[1];
    flags = literal[2].replace(/[gyd]/g, '');
  }
  if (source.length === 0) {
    return 'empty pattern';
  }
  if (NESTED_QUANTIFIER.test(source)) {
    return 'nested quantifiers can backtrack catastrophically; rewrite without a repeated group that repeats inside';
  }
  try {
    const re = new RegExp(source, `${flags}gd`);
    if (re.test('')) {
      return 'pattern matches the empty string';
    }
    return { source: raw, re };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function scanUserPatterns(patterns: readonly UserPattern[], text: string, out: Candidate[]): void {
  for (const { re } of patterns) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      let span: [number, number] | undefined = m.indices?.[0];
      const named = m.indices?.groups?.secret;
      if (named !== undefined) {
        span = named;
      } else if (m.length > 1 && m.indices?.[1] !== undefined) {
        span = m.indices[1];
      }
      if (span !== undefined && span[1] > span[0]) {
        out.push({ start: span[0], end: span[1], rule: 'user-pattern', priority: P_USER });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

function scanTokens(text: string, out: Candidate[]): void {
  for (const rule of TOKEN_RULES) {
    if (!rule.keywords.some((k) => text.includes(k))) {
      continue;
    }
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      const s = m[0];
      if (shannonEntropy(s) < rule.minEntropy || isPlaceholderValue(s) || (rule.reject?.(s) ?? false)) {
        continue;
      }
      out.push({ start: m.index, end: m.index + s.length, rule: rule.id, priority: P_TOKEN });
    }
  }
}

/** Every rule id the engine may emit. */
export const RULE_IDS: readonly string[] = [
  ...new Set([...TOKEN_RULES.map((r) => r.id), 'private-key', 'aws-secret-key', 'auth-header', 'url-credentials', 'cli-credentials', 'generic-secret', 'user-pattern']),
];

function placeholderSpans(text: string): Array<[number, number]> {
  if (!text.includes('«redacted:')) {
    return [];
  }
  const spans: Array<[number, number]> = [];
  const re = new RegExp(PLACEHOLDER_PATTERN.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    spans.push([m.index, m.index + m[0].length]);
  }
  return spans;
}

/** Merges overlapping candidates (the union keeps the name of the most specific rule). */
function resolve(candidates: Candidate[], protectedSpans: Array<[number, number]>): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Candidate[] = [];
  let k = 0;
  for (const c of candidates) {
    while (k < protectedSpans.length && protectedSpans[k][1] <= c.start) {
      k++;
    }
    if (k < protectedSpans.length && protectedSpans[k][0] < c.end) {
      continue; // overlaps a placeholder already in the text
    }
    const last = merged[merged.length - 1];
    if (last !== undefined && c.start < last.end) {
      if (c.end > last.end) {
        last.end = c.end;
      }
      if (c.priority < last.priority) {
        last.priority = c.priority;
        last.rule = c.rule;
      }
    } else {
      merged.push({ ...c });
    }
  }
  return merged;
}

export class Redactor {
  /** Problems found in the options, e.g. invalid user patterns (reported, never thrown). */
  readonly problems: string[] = [];
  private readonly userPatterns: UserPattern[] = [];

  constructor(options: RedactorOptions = {}) {
    for (const raw of options.extraPatterns ?? []) {
      const compiled = compileUserPattern(raw);
      if (typeof compiled === 'string') {
        this.problems.push(`worktrace.redact.patterns: ignoring ${JSON.stringify(raw)}: ${compiled}`);
      } else {
        this.userPatterns.push(compiled);
      }
    }
  }

  /** Finds the secrets of `text`: spans of the input, sorted and disjoint (overlaps merged). */
  scan(text: string): Array<{ rule: string; start: number; end: number }> {
    const candidates: Candidate[] = [];
    scanTokens(text, candidates);
    scanPrivateKeys(text, candidates);
    scanUrlCredentials(text, candidates);
    scanCurlUser(text, candidates);
    scanAuthHeaders(text, candidates);
    scanAssignments(text, candidates);
    scanUserPatterns(this.userPatterns, text, candidates);
    if (candidates.length === 0) {
      return [];
    }
    return resolve(candidates, placeholderSpans(text)).map(({ rule, start, end }) => ({ rule, start, end }));
  }

  /** Replaces every secret of `text` by its placeholder. Synchronous; linear in the text. */
  redact(text: string): RedactResult {
    const found = this.scan(text);
    if (found.length === 0) {
      return { text, redactions: [] };
    }
    const parts: string[] = [];
    const redactions: Redaction[] = [];
    let pos = 0;
    let outLen = 0;
    for (const f of found) {
      const before = text.slice(pos, f.start);
      parts.push(before);
      outLen += before.length;
      const ph = placeholder(f.rule);
      parts.push(ph);
      redactions.push({ rule: f.rule, start: outLen, end: outLen + ph.length, originalStart: f.start, originalEnd: f.end });
      outLen += ph.length;
      pos = f.end;
    }
    parts.push(text.slice(pos));
    return { text: parts.join(''), redactions };
  }
}
