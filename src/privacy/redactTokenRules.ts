/**
 * The provider-token rule table of the redaction engine (redact.ts runs it): one entry per secret
 * family (AWS, GitHub, GitLab, Slack, Stripe, OpenAI …) with its keywords, pattern, entropy floor
 * and allowlist.
 *
 * Ported from gitleaks' default rule set (https://github.com/gitleaks/gitleaks,
 * `config/gitleaks.toml` and `cmd/generate/config/rules/*.go`, MIT licence, Copyright (c) 2019
 * Zachary Rice) and, for Shopify and Slack, widened after secretlint's rules
 * (https://github.com/secretlint/secretlint, MIT, Copyright (c) 2020 azu). Rewritten for
 * JavaScript's regex engine: every pattern starts at a literal prefix behind a lookbehind boundary
 * and has bounded quantifiers over classes that the next token cannot match, so a scan is linear in
 * the input.
 */

// ---------------------------------------------------------------------------------------------
// Provider tokens (ported from gitleaks). Each rule: literal keywords that must occur in the text
// (a cheap prefilter), one global regex whose whole match is the secret, and an entropy floor.

export interface TokenRule {
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

export const TOKEN_RULES: readonly TokenRule[] = [
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
