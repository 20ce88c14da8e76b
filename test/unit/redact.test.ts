import * as assert from 'node:assert/strict';
import { countLines, isSecretCovered, loadCorpus, measureFalsePositives, measureRecall, type Corpus } from '../../src/privacy/corpus';
import {
  MAX_PRIVATE_KEY_CHARS,
  PLACEHOLDER_PATTERN,
  RULE_IDS,
  Redactor,
  classifyName,
  countByRule,
  entropyThreshold,
  isPlaceholderValue,
  placeholder,
  shannonEntropy,
} from '../../src/privacy/redact';

const redactor = new Redactor();

/** Redacts `text` and checks the bookkeeping: placeholders at the reported output offsets, secrets gone. */
function redactChecked(text: string, r: Redactor = redactor): ReturnType<Redactor['redact']> {
  const out = r.redact(text);
  for (const x of out.redactions) {
    assert.equal(out.text.slice(x.start, x.end), placeholder(x.rule), 'placeholder at its output offsets');
    assert.ok(x.originalEnd > x.originalStart);
  }
  return out;
}

/** Asserts that `secret` is replaced in `text` by the placeholder of `rule`, and the rest is kept. */
function assertRedacted(text: string, secret: string, rule: string): void {
  const out = redactChecked(text);
  assert.ok(!out.text.includes(secret), `${rule}: secret still in ${JSON.stringify(out.text)}`);
  assert.equal(out.text, text.replace(secret, placeholder(rule)), `${rule}: only the secret is replaced`);
}

function assertKept(text: string): void {
  const out = redactChecked(text);
  assert.deepEqual(
    out.redactions.map((r) => `${r.rule}: ${text.slice(r.originalStart, r.originalEnd)}`),
    [],
    `nothing to redact in ${JSON.stringify(text)}`,
  );
  assert.equal(out.text, text);
}

// Fake secrets: random characters in each provider's format (as in gitleaks' and secretlint's tests).
const ALNUM36 = 'Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5N'.slice(0, 36);
const FAMILIES: Array<{ rule: string; text: string; secret: string }> = [
  { rule: 'aws-access-key', text: 'aws_access_key_id = AKIAQYLPMN5HFIQR7XKE', secret: 'AKIAQYLPMN5HFIQR7XKE' },
  { rule: 'aws-access-key', text: '"AccessKeyId": "ASIAZ2XK7N4QRSTUVW3Y",', secret: 'ASIAZ2XK7N4QRSTUVW3Y' },
  { rule: 'aws-secret-key', text: 'AWS_SECRET_ACCESS_KEY="q7Rz/3kLmP9vXw2YbN8cT4fH6jD1sA5gE0uK+iOp"', secret: 'q7Rz/3kLmP9vXw2YbN8cT4fH6jD1sA5gE0uK+iOp' },
  { rule: 'github-token', text: 'export GITHUB_TOKEN=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', secret: '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' },
  { rule: 'github-token', text: '$ git clone https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git', secret: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' },
  { rule: 'github-token', text: 'token: gho_Kq2n8ZrT5wLx9Vb3Hd7Fj1Mc4Ps6Ya0Ge2Ui', secret: 'gho_Kq2n8ZrT5wLx9Vb3Hd7Fj1Mc4Ps6Ya0Ge2Ui' },
  { rule: 'github-token', text: `gh auth status: ghu_${ALNUM36}`, secret: `ghu_${ALNUM36}` },
  { rule: 'github-token', text: `refresh_token=ghr_${ALNUM36}`, secret: `ghr_${ALNUM36}` },
  {
    rule: 'github-token',
    text: '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',
    secret: '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',
  },
  { rule: 'gitlab-token', text: 'GITLAB_TOKEN=glpat-Xy7Qw3Zk9Lm2Np5Rt8Vb', secret: 'glpat-Xy7Qw3Zk9Lm2Np5Rt8Vb' },
  { rule: 'slack-token', text: "const web = new WebClient('xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD');", secret: 'xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD' },
  { rule: 'slack-webhook', text: 'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/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', secret: 'services/T0A1B2C3D/B4E5F6G7H8/Zq9Xw8Ve7Ud6Tc5Sb4Ra3Qp2' },
  { rule: 'stripe-key', text: "const stripe = require('stripe')('sk_live_51Hx7QkLmN2pR4sT6vW8yZ0aB');", secret: 'sk_live_51Hx7QkLmN2pR4sT6vW8yZ0aB' },
  { rule: 'stripe-key', text: 'STRIPE_WEBHOOK_SECRET=whsec_Lk8Jh6Gf4Ds2Aq0Wp9Oi7Uy5Tr3Ee1Ww', secret: 'whsec_Lk8Jh6Gf4Ds2Aq0Wp9Oi7Uy5Tr3Ee1Ww' },
  { rule: 'google-api-key', text: '<script src="https://maps.googleapis.com/maps/api/js?key=AIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-">', secret: 'AIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-' },
  { rule: 'npm-token', text: '//registry.npmjs.org/:_authToken=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', secret: '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' },
  { rule: 'openai-key', text: 'client = OpenAI(api_key="sk-sUeBP9asw6GiYHXqtg70T3BlbkFJJuLwJFco90bOpU0Ntest")', secret: 'sk-sUeBP9asw6GiYHXqtg70T3BlbkFJJuLwJFco90bOpU0Ntest' },
  {
    rule: 'anthropic-key',
    text: `ANTHROPIC_API_KEY=sk-ant-api03-${'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe'.repeat(3).slice(0, 93)}AA`,
    secret: `sk-ant-api03-${'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe'.repeat(3).slice(0, 93)}AA`,
  },
  { rule: 'huggingface-token', text: '$ huggingface-cli login --token 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', secret: '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' },
  { rule: 'sendgrid-key', text: 'oops SG.APhb3zgjtx3hajdas1TjBB.H7Sgbba3afgKSDyB442aDK0kpGO3SD332313-L5528K', secret: 'SG.APhb3zgjtx3hajdas1TjBB.H7Sgbba3afgKSDyB442aDK0kpGO3SD332313-L5528K' },
  { rule: 'twilio-key', text: 'TWILIO_API_KEY=SK2f9c81e7d4b3a6f05c8e7d6b5a4f3e2d', secret: 'SK2f9c81e7d4b3a6f05c8e7d6b5a4f3e2d' },
  { rule: 'digitalocean-token', text: `$ doctl auth init --access-token dop_v1_${'3f9a8b7c6d5e4f1a2b3c4d5e6f7a8b9c'.repeat(2)}`, secret: `dop_v1_${'3f9a8b7c6d5e4f1a2b3c4d5e6f7a8b9c'.repeat(2)}` },
  { rule: 'shopify-token', text: 'shpat_r8TRc9ZXAvcVvcrmtr7qoVw69WeeY1ex', secret: 'shpat_r8TRc9ZXAvcVvcrmtr7qoVw69WeeY1ex' },
  { rule: 'vault-token', text: 'VAULT_TOKEN=hvs.hWay-wis3QpoSXob5gz_jyHmBQeyTg0l4IRsl4rnZw0tMbiT8h6X_CCHun3cdyThVbIYuNyEWNWcZ7lgwxBxm98NcV5WjUC', secret: 'hvs.hWay-wis3QpoSXob5gz_jyHmBQeyTg0l4IRsl4rnZw0tMbiT8h6X_CCHun3cdyThVbIYuNyEWNWcZ7lgwxBxm98NcV5WjUC' },
  { rule: 'postman-key', text: 'POSTMAN_API_KEY=PMAK-5f8e7d6c5b4a3f2e1d0c9b8a-7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b', secret: 'PMAK-5f8e7d6c5b4a3f2e1d0c9b8a-7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b' },
  {
    rule: 'jwt',
    text: 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    secret: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  },
  { rule: 'auth-header', text: 'curl -H "Authorization: Bearer cfcabd11c7ed9a41b1a3e063c32d5114" https://api.acme.io', secret: 'cfcabd11c7ed9a41b1a3e063c32d5114' },
  { rule: 'auth-header', text: "curl -H 'Authorization: Basic ZGVwbG95OlF3M3JUeTV1STdvUDk=' https://registry.acme.io", secret: 'ZGVwbG95OlF3M3JUeTV1STdvUDk=' },
  { rule: 'url-credentials', text: 'DATABASE_URL=postgres://app:Xq7!mZ2pLw9@db.internal.acme.io:5432/app', secret: 'Xq7!mZ2pLw9' },
  { rule: 'url-credentials', text: 'mongodb+srv://appuser:myR3alP@ssw0rd@cluster0.mongodb.net/mydb', secret: 'myR3alP@ssw0rd' },
  { rule: 'cli-credentials', text: 'curl -u admin:h0pk1ns~21s https://jenkins.acme.io/api/json', secret: 'h0pk1ns~21s' },
  { rule: 'cli-credentials', text: 'curl https://api.acme.io/v1/charges -u "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2:"', secret: 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2' },
  { rule: 'stripe-key', text: 'curl https://api.stripe.com/v1/charges -u "rk_test_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2:"', secret: 'rk_test_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2' },
  { rule: 'age-secret-key', text: 'AGE-SECRET-KEY-1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P', secret: 'AGE-SECRET-KEY-1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P' },
  { rule: 'generic-secret', text: 'password = "Tr0ub4dor&3xQ"', secret: 'Tr0ub4dor&3xQ' },
];

suite('redaction: placeholders', () => {
  test('a secret becomes «redacted:<rule>», whatever its length', () => {
    const short = redactor.redact('token = "Zf3D0LXCM3EIMb"');
    const long = redactor.redact('token = "Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznBq8Wm2Xc7Vb4Nk9"');
    assert.equal(short.text, 'token = "«redacted:generic-secret»"');
    assert.equal(long.text, short.text);
    assert.equal(placeholder('jwt'), '«redacted:jwt»');
  });

  test('reports where each placeholder is in the output and where the secret was in the input', () => {
    const text = 'a 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 b AKIAQYLPMN5HFIQR7XKE c';
    const out = redactChecked(text);
    assert.deepEqual(
      out.redactions.map((r) => [r.rule, text.slice(r.originalStart, r.originalEnd)]),
      [
        ['github-token', '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'],
        ['aws-access-key', 'AKIAQYLPMN5HFIQR7XKE'],
      ],
    );
    assert.equal(out.text, 'a «redacted:github-token» b «redacted:aws-access-key» c');
    assert.deepEqual(countByRule(out.redactions), { 'github-token': 1, 'aws-access-key': 1 });
  });

  test('redaction is idempotent and placeholders match no rule', () => {
    for (const { text } of FAMILIES) {
      const once = redactor.redact(text).text;
      assert.equal(redactor.redact(once).text, once, text);
      assert.deepEqual(redactor.redact(once).redactions, []);
    }
    for (const rule of RULE_IDS) {
      assert.match(rule, /^[a-z0-9-]+$/);
      for (const text of [placeholder(rule), `password = ${placeholder(rule)}`, `token: "${placeholder(rule)}"`, `https://u:${placeholder(rule)}@db.acme.io`]) {
        assertKept(text);
      }
    }
    assert.equal(new RegExp(PLACEHOLDER_PATTERN.source).test(placeholder('generic-secret')), true);
  });

  test('overlapping findings merge into one placeholder named after the most specific rule', () => {
    const out = redactChecked('api_key = "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"');
    assert.equal(out.text, 'api_key = "«redacted:github-token»"');
    assert.equal(out.redactions.length, 1);
  });

  test('scan() returns sorted, disjoint spans of the input', () => {
    const text = 'x=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; password="Tr0ub4dor&3xQ"; y=AKIAQYLPMN5HFIQR7XKE';
    const spans = redactor.scan(text);
    assert.equal(spans.length, 3);
    for (let i = 1; i < spans.length; i++) {
      assert.ok(spans[i].start >= spans[i - 1].end);
    }
    assert.deepEqual(
      spans.map((s) => text.slice(s.start, s.end)),
      ['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', 'Tr0ub4dor&3xQ', 'AKIAQYLPMN5HFIQR7XKE'],
    );
  });
});

suite('redaction: rule families', () => {
  for (const f of FAMILIES) {
    test(`${f.rule}: ${f.text.slice(0, 60)}`, () => {
      assertRedacted(f.text, f.secret, f.rule);
    });
  }

  test('covers at least 15 rule families', () => {
    assert.ok(new Set(FAMILIES.map((f) => f.rule)).size >= 15);
  });
});

suite('redaction: key/value assignments keep the name', () => {
  const S = 'Xk9mP2qLw7Zr4T';
  const cases: Array<[string, string]> = [
    [`password = "${S}"`, 'password = "«redacted:generic-secret»"'],
    [`DB_PASSWORD=${S}`, 'DB_PASSWORD=«redacted:generic-secret»'],
    [`export API_KEY='${S}'`, "export API_KEY='«redacted:generic-secret»'"],
    [`  client_secret: ${S}`, '  client_secret: «redacted:generic-secret»'],
    [`{"apiKey": "${S}", "name": "x"}`, '{"apiKey": "«redacted:generic-secret»", "name": "x"}'],
    [`$ mysql --password=${S} -u root`, '$ mysql --password=«redacted:generic-secret» -u root'],
    [`$ deploy --api-token ${S} --env prod`, '$ deploy --api-token «redacted:generic-secret» --env prod'],
    [`const apiSecret: string = "${S}";`, 'const apiSecret: string = "«redacted:generic-secret»";'],
    [`var authToken string = "${S}"`, 'var authToken string = "«redacted:generic-secret»"'],
    [`<accessToken>${S}</accessToken>`, '<accessToken>«redacted:generic-secret»</accessToken>'],
    [`token: |\n  ${S}\n`, 'token: |\n  «redacted:generic-secret»\n'],
    [`os.setenv("API_TOKEN", "${S}")`, 'os.setenv("API_TOKEN", "«redacted:generic-secret»")'],
    [`https://api.acme.io/v1/items?limit=5&access_token=${S}&page=2`, 'https://api.acme.io/v1/items?limit=5&access_token=«redacted:generic-secret»&page=2'],
    [`$ aws configure set aws_secret_access_key q7Rz/3kLmP9vXw2YbN8cT4fH6jD1sA5gE0uK+iOp`, '$ aws configure set aws_secret_access_key «redacted:aws-secret-key»'],
  ];
  for (const [input, expected] of cases) {
    test(input.split('\n')[0], () => {
      assert.equal(redactChecked(input).text, expected);
    });
  }

  test('names classify by their segments', () => {
    assert.equal(classifyName('GITHUB_TOKEN').kind, 'strong');
    assert.equal(classifyName('x-api-key').kind, 'strong');
    assert.equal(classifyName('SecretAccessKey').aws, true);
    assert.equal(classifyName('key').kind, 'weak');
    for (const name of ['publicKey', 'keyboard', 'tokenizer', 'API_KEY_ID', 'secretName', 'nextPageToken', 'max_tokens', 'token_type', 'primaryKey']) {
      assert.equal(classifyName(name).kind, 'none', name);
    }
  });
});

suite('redaction: entropy threshold', () => {
  test('entropy and threshold values', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.equal(entropyThreshold(8), 2.5);
    assert.equal(entropyThreshold(64), 3.5);
  });

  test('low-entropy values are kept, the same names with random values are redacted', () => {
    for (const low of ['aaaaaaaaaaaa', 'abababab1212', 'aabbccdd1122', '11111111', 'qwertyqwerty1']) {
      assert.ok(shannonEntropy(low) < entropyThreshold(low.length) || /^[0-9]+$/.test(low), low);
      assertKept(`password = "${low}"`);
      assertKept(`API_TOKEN=${low}`);
    }
    assertRedacted('password = "Qz8!vK3#pW"', 'Qz8!vK3#pW', 'generic-secret');
    assertRedacted('API_TOKEN=9fK2mQ7xR4', '9fK2mQ7xR4', 'generic-secret');
  });

  test('values shorter than 8 characters are kept', () => {
    assertKept('password = "Qz8!vK3"');
  });

  test('a bare "key" needs 16 characters with digits and letters', () => {
    assertKept('key: "Enter-1"');
    assertKept("const key = 'app.settings.v2';");
    assertRedacted('key: "8f14e45fceea167a5a36dedd4bea2543"', '8f14e45fceea167a5a36dedd4bea2543', 'generic-secret');
  });
});

suite('redaction: obvious non-secrets are kept', () => {
  const kept = [
    'password: ""',
    "const password = '';",
    'token = getToken()',
    'const token = await auth.getAccessToken({ scopes })',
    'secret = options.secret',
    'apiKey: process.env.API_KEY',
    "secret_key = os.environ['SECRET_KEY']",
    'API_KEY=<your-api-key>',
    'GITHUB_TOKEN=${GITHUB_TOKEN}',
    'token: ${{ secrets.GH_TOKEN }}',
    'token: "{{ .Values.token }}"',
    'PASSWORD=changeme',
    'password = "password"',
    "login({ user: 'alice', password: 'password123' })",
    'JWT_SECRET=your-jwt-secret',
    'STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx',
    'curl -H "Authorization: Bearer $TOKEN" https://api.acme.io',
    'curl -u "${USER}:${PASSWORD}" https://api.acme.io',
    'curl --user username:password https://api.acme.io',
    'postgres://${DB_USER}:${DB_PASSWORD}@localhost:5432/app',
    "const url = new URL('http://abc:xyz@example.com');",
    'commit 166641bd0c9ebfced56f45094f63666070e6a321',
    '"integrity": "sha512-aXm9yCqr8nhK+Cvm5wyrwwdWlvLmuYqbpWcnv0Msm73JnJd5nmd4p7oK1DTTw5TI5Kd4cLqFzyDXN/Y3GvaLFA=="',
    "const id = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';",
    'const MIN_PASSWORD_LENGTH = 12;',
    '-----BEGIN RSA PRIVATE KEY-----',
    "if (pem.startsWith('-----BEGIN PRIVATE KEY-----')) {",
    'aws_access_key: AKIAIOSFODNN7EXAMPLE',
  ];
  for (const text of kept) {
    test(text, () => {
      assertKept(text);
    });
  }

  test('placeholder values are recognised', () => {
    for (const v of ['changeme', '<token>', '${X}', '$X', '%X%', 'xxxxxxxx', '********', 'your_api_key', 'secret_password']) {
      assert.ok(isPlaceholderValue(v), v);
    }
    assert.equal(isPlaceholderValue('Tr0ub4dor&3xQ'), false);
  });
});

suite('redaction: private keys', () => {
  const body = ['MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit+', 'CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEmo3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiR', 'm0GRq6a+HPGQMd2kTQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYd=='].join('\n');

  for (const type of ['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'DSA PRIVATE KEY']) {
    test(`a multi-line ${type} block keeps its BEGIN and END lines`, () => {
      const text = `before\n-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\nafter\n`;
      assert.equal(redactChecked(text).text, `before\n-----BEGIN ${type}-----\n«redacted:private-key»\n-----END ${type}-----\nafter\n`);
    });
  }

  test('a PGP private key block with armour headers', () => {
    const text = `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: test\n\n${body}\n=Ab3D\n-----END PGP PRIVATE KEY BLOCK-----`;
    assert.equal(redactChecked(text).text, '-----BEGIN PGP PRIVATE KEY BLOCK-----\n«redacted:private-key»\n-----END PGP PRIVATE KEY BLOCK-----');
  });

  test('a key in a JSON string with \\n escapes (service-account file)', () => {
    const text = `{"private_key": "-----BEGIN PRIVATE KEY-----\\n${body.replaceAll('\n', '\\n')}\\n-----END PRIVATE KEY-----\\n", "client_email": "x@y.iam.gserviceaccount.com"}`;
    assert.equal(redactChecked(text).text, '{"private_key": "-----BEGIN PRIVATE KEY-----\\n«redacted:private-key»\\n-----END PRIVATE KEY-----\\n", "client_email": "x@y.iam.gserviceaccount.com"}');
  });

  test('an unterminated block is redacted to the end of the text', () => {
    const text = `$ cat ~/.ssh/id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\n${body}`;
    const out = redactChecked(text);
    assert.equal(out.text, '$ cat ~/.ssh/id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\n«redacted:private-key»');
  });

  test('an unterminated block stops at a sane limit', () => {
    const material = 'QUJDRA'.repeat(Math.ceil((3 * MAX_PRIVATE_KEY_CHARS) / 6));
    const out = redactChecked(`-----BEGIN PRIVATE KEY-----\n${material}`);
    assert.equal(out.redactions.length, 1);
    assert.equal(out.redactions[0].rule, 'private-key');
    assert.ok(out.redactions[0].originalEnd - out.redactions[0].originalStart <= MAX_PRIVATE_KEY_CHARS);
  });

  test('a BEGIN line without key material is kept', () => {
    assertKept('-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----');
    assertKept("const HEADER = '-----BEGIN PRIVATE KEY-----';\nconst FOOTER = '-----END PRIVATE KEY-----';");
  });
});

suite('redaction: user patterns', () => {
  test('a valid pattern redacts its matches as user-pattern', () => {
    const r = new Redactor({ extraPatterns: ['acme_[a-z0-9]{12}'] });
    assert.deepEqual(r.problems, []);
    assert.equal(redactChecked('id: acme_a1b2c3d4e5f6 done', r).text, 'id: «redacted:user-pattern» done');
  });

  test('a capture group (or a group named secret) limits the redaction; /…/flags literals work', () => {
    const r = new Redactor({ extraPatterns: ['ticket=(\\d{6})', '/employee:(?<secret>[a-z]{2}\\d{4})/i'] });
    assert.deepEqual(r.problems, []);
    assert.equal(redactChecked('ticket=123456 EMPLOYEE:AB1234', r).text, 'ticket=«redacted:user-pattern» EMPLOYEE:«redacted:user-pattern»');
  });

  test('invalid and unsafe patterns are reported, not thrown, and the rest still works', () => {
    const r = new Redactor({ extraPatterns: ['[unclosed', '(a+)+$', '(\\w*x)*', 'x*', 'acme_[0-9]{4}'] });
    assert.equal(r.problems.length, 4);
    assert.match(r.problems[0], /\[unclosed/);
    assert.match(r.problems[1], /nested quantifiers/);
    assert.match(r.problems[3], /empty string/);
    assert.equal(r.redact('acme_1234').text, '«redacted:user-pattern»');
  });

  test('a user pattern never rewrites a placeholder', () => {
    const r = new Redactor({ extraPatterns: ['redacted', '[a-z-]+'] });
    const text = 'token = «redacted:generic-secret»';
    assert.equal(r.redact(text).text.includes('«redacted:generic-secret»'), true);
    assert.equal(r.redact(r.redact('abc').text).text, r.redact('abc').text);
  });
});

suite('redaction: large inputs complete', function () {
  this.timeout(120_000); // completion, not speed: the bench measures the cost

  function seeded(n: number, alphabet: string): string {
    let x = 0x2545f491;
    let s = '';
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      s += alphabet[(x >>> 0) % alphabet.length];
    }
    return s;
  }

  test('1 MB single lines, including inputs aimed at each rule', () => {
    const MB = 1 << 20;
    const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    const lines = [
      seeded(MB, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      fill('a'),
      fill('key='),
      fill('aws_secret_access_key='),
      fill('password: "'),
      fill('eyJabcdefghijkl.'),
      fill('-----BEGIN RSA PRIVATE KEY-----'),
      fill('http://a:b'),
      fill('xoxb-1234567890-'),
      fill('AKIA'),
      fill('\\"'),
    ];
    for (const line of lines) {
      const out = redactor.redact(line);
      assert.ok(out.text.length > 0);
      assert.ok(!out.text.includes('\n'));
    }
  });

  test('a 10 MB ordinary file', () => {
    const corpus = loadCorpus();
    const all = corpus.negatives.map((f) => f.text).join('\n');
    const big = all.repeat(Math.ceil((10 << 20) / all.length)).slice(0, 10 << 20);
    const out = redactor.redact(big);
    assert.equal(out.redactions.length, 0);
    assert.equal(out.text, big);
  });
});

suite('redaction: corpus', function () {
  this.timeout(120_000);
  let corpus: Corpus;

  suiteSetup(() => {
    corpus = loadCorpus();
  });

  test('helpers: coverage of every occurrence, line counts', () => {
    assert.equal(isSecretCovered('a SECRET b SECRET', 'SECRET', [{ start: 2, end: 8 }]), false);
    assert.equal(isSecretCovered('a SECRET b SECRET', 'SECRET', [{ start: 2, end: 8 }, { start: 11, end: 17 }]), true);
    assert.equal(isSecretCovered('a SECRET', 'SECRET', [{ start: 2, end: 5 }, { start: 5, end: 8 }]), true);
    assert.equal(isSecretCovered('a SECRET', 'SECRET', [{ start: 2, end: 7 }]), false);
    assert.equal(countLines(''), 0);
    assert.equal(countLines('a\nb\n'), 2);
    assert.equal(countLines('a\nb'), 2);
  });

  test('the corpus is large enough to measure: 300+ positives in 15+ families, 20,000+ lines of negatives', () => {
    assert.ok(corpus.positives.length >= 300, `${corpus.positives.length} positives`);
    assert.ok(new Set(corpus.positives.map((p) => p.family)).size >= 15);
    assert.ok(corpus.negatives.reduce((n, f) => n + f.lines, 0) >= 20_000);
  });

  test('acceptance: recall ≥ 95% on the positives', () => {
    const r = measureRecall(redactor, corpus.positives);
    const misses = r.misses.map((m) => `${m.family}: ${m.text.slice(0, 100)}`).join('\n');
    assert.ok(r.recall >= 0.95, `recall ${(r.recall * 100).toFixed(1)}% (${r.detected}/${r.total}); missed:\n${misses}`);
  });

  test('acceptance: at most 1 false positive per 10,000 lines of negatives', () => {
    const fp = measureFalsePositives(redactor, corpus.negatives);
    const list = fp.falsePositives.map((f) => `${f.file}:${f.line} ${f.rule} ${JSON.stringify(f.match.slice(0, 60))}`).join('\n');
    assert.ok(fp.perTenThousandLines <= 1, `${fp.falsePositives.length} false positives in ${fp.lines} lines:\n${list}`);
  });

  test('redacting the corpus twice changes nothing the second time', () => {
    for (const text of [...corpus.positives.map((p) => p.text), ...corpus.negatives.map((f) => f.text)]) {
      const once = redactor.redact(text).text;
      assert.equal(redactor.redact(once).text, once);
    }
  });
});
