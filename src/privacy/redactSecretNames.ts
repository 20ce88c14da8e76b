/**
 * Whether an identifier names a secret (`password`, `api_key`, `AccountKey`, `dbPassword`), and how
 * strongly, for the key/value redaction rule (redactAssignments.ts): the word lists and the name
 * classifier.
 */

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

export function splitSegments(ident: string): string[] {
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

export function isIdentChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}
