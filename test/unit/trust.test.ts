import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_KEYS, parseSettings } from '../../src/config/settings';
import { SETTING_POLICY, trustedValue } from '../../src/config/trust';
import { findRepoRoot } from '../support/schema';

const DEFAULT_EXCLUDE = ['**/.env*', '**/*.pem'];

suite('who may set what (config/trust.ts)', () => {
  test('every setting in package.json has a policy and is read by settings.ts', () => {
    const manifest = JSON.parse(readFileSync(join(findRepoRoot(), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
    const keys = Object.keys(manifest.contributes.configuration.properties).map((k) => k.replace(/^worktrace\./, ''));
    assert.deepEqual([...keys].sort(), Object.keys(SETTING_POLICY).sort());
    assert.deepEqual([...keys].sort(), [...SETTING_KEYS].sort());
    for (const key of keys) {
      if (SETTING_POLICY[key] === 'engineer') {
        assert.equal(manifest.contributes.configuration.properties[`worktrace.${key}`].scope, 'machine', `${key} is machine-scoped so VS Code itself keeps workspaces from setting it`);
      }
    }
  });

  test('the repository of the issue: an empty exclude list, gitignore off and author names on are all ignored', () => {
    const exclude = trustedValue('exclude', { defaultValue: DEFAULT_EXCLUDE, workspaceValue: [] });
    assert.deepEqual(exclude.value, DEFAULT_EXCLUDE);
    assert.match(exclude.ignored ?? '', /cannot remove "\*\*\/\.env\*", "\*\*\/\*\.pem"/);
    const gitignore = trustedValue('respectGitignore', { defaultValue: true, workspaceValue: false });
    assert.equal(gitignore.value, true);
    assert.match(gitignore.ignored ?? '', /worktrace\.respectGitignore: the workspace may turn it on, not off/);
    const author = trustedValue('capture.authorName', { defaultValue: false, workspaceValue: true });
    assert.equal(author.value, false);
    assert.match(author.ignored ?? '', /worktrace\.capture\.authorName: the workspace may turn it off, not on/);
    const settings = parseSettings({ exclude: exclude.value, respectGitignore: gitignore.value, 'capture.authorName': author.value }).settings;
    assert.deepEqual(settings.exclude, DEFAULT_EXCLUDE);
    assert.equal(settings.respectGitignore, true);
    assert.equal(settings.capture.authorName, false);
  });

  test('the same values in the engineer’s own settings take effect', () => {
    assert.deepEqual(trustedValue('exclude', { defaultValue: DEFAULT_EXCLUDE, userValue: [] }), { value: [] });
    assert.deepEqual(trustedValue('respectGitignore', { defaultValue: true, userValue: false }), { value: false });
    assert.deepEqual(trustedValue('capture.authorName', { defaultValue: false, userValue: true }), { value: true });
    assert.deepEqual(trustedValue('endpoint.allowInsecureToken', { defaultValue: false, userValue: true }), { value: true });
  });

  test('a workspace may narrow: turn capture or a source off, add exclusions and patterns, lower limits', () => {
    assert.deepEqual(trustedValue('enabled', { defaultValue: true, workspaceValue: false }), { value: false });
    assert.deepEqual(trustedValue('capture.terminal', { defaultValue: true, userValue: true, workspaceValue: false }), { value: false });
    assert.deepEqual(trustedValue('exclude', { defaultValue: DEFAULT_EXCLUDE, workspaceValue: [...DEFAULT_EXCLUDE, 'generated/**'] }), { value: [...DEFAULT_EXCLUDE, 'generated/**'] });
    assert.deepEqual(trustedValue('redact.patterns', { defaultValue: [], userValue: ['mine_[0-9]+'], workspaceValue: ['team_[a-z]+'] }), { value: ['mine_[0-9]+', 'team_[a-z]+'] });
    assert.deepEqual(trustedValue('capture.maxDocumentKilobytes', { defaultValue: 2048, workspaceValue: 512 }), { value: 512 });
    assert.deepEqual(trustedValue('capture.terminalOutputKilobytes', { defaultValue: 8, workspaceValue: 0 }), { value: 0 });
  });

  test('a workspace cannot widen: turn on what the engineer turned off, raise limits, set the engineer’s own keys', () => {
    const on = trustedValue('capture.terminalOutput', { defaultValue: true, userValue: false, workspaceValue: true });
    assert.equal(on.value, false);
    assert.ok(on.ignored);
    const enabled = trustedValue('enabled', { defaultValue: true, userValue: false, workspaceValue: true });
    assert.equal(enabled.value, false);
    const raised = trustedValue('capture.maxDocumentKilobytes', { defaultValue: 2048, workspaceValue: 1024 * 1024 });
    assert.equal(raised.value, 2048);
    assert.match(raised.ignored ?? '', /lower it, not raise it above 2048/);
    for (const key of ['endpoint.allowInsecureToken', 'file.directory', 'spool.maxMegabytes']) {
      const r = trustedValue(key, { defaultValue: key === 'file.directory' ? '' : false, workspaceValue: key === 'file.directory' ? '/tmp/elsewhere' : true });
      assert.ok(r.ignored, `${key} is ignored from a workspace`);
      assert.notEqual(r.value, key === 'file.directory' ? '/tmp/elsewhere' : true);
    }
  });

  test('a workspace may choose the destination (the engineer then consents to it)', () => {
    assert.deepEqual(trustedValue('destination', { defaultValue: 'file', workspaceValue: 'http' }), { value: 'http' });
    assert.deepEqual(trustedValue('endpoint.url', { defaultValue: '', workspaceValue: 'https://collector.example.com' }), { value: 'https://collector.example.com' });
  });

  test('a folder value counts as the workspace’s; values equal to the engineer’s are not reported', () => {
    assert.deepEqual(trustedValue('capture.authorName', { defaultValue: false, workspaceValue: false, workspaceFolderValue: true }).value, false);
    assert.deepEqual(trustedValue('respectGitignore', { defaultValue: true, workspaceValue: true }), { value: true });
    assert.deepEqual(trustedValue('capture.authorName', { defaultValue: false, userValue: true, workspaceValue: true }), { value: true });
  });
});

suite('the token is never a setting', () => {
  test('an Authorization header in worktrace.endpoint.headers is refused with a pointer to secret storage', () => {
    const parsed = parseSettings({ 'endpoint.headers': { Authorization: 'Bearer from-the-repo', 'X-Team': 'a' } });
    assert.deepEqual(parsed.settings.endpointHeaders, { 'X-Team': 'a' });
    assert.match(parsed.problems.join('\n'), /Authorization is set by Worktrace itself \(set the token with "Worktrace: Set Endpoint Token"/);
  });
});
