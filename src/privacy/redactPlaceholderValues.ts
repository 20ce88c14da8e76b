/**
 * Values that are obviously not secrets (placeholders such as `changeme` or `<your-token>`,
 * templates, environment references), shared by the redaction rules so they leave them in place.
 * Not to be confused with the engine's output placeholder `«redacted:<rule-id>»` (redact.ts).
 */

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
