import * as assert from 'node:assert/strict';
import { anyAssistant, isAssistantExtension } from '../../src/authorship/assistantExtensions';

suite('assistant extensions (when to observe inline completions)', () => {
  test('known assistants by id, whatever the case', () => {
    assert.equal(isAssistantExtension({ id: 'GitHub.copilot' }), true);
    assert.equal(isAssistantExtension({ id: 'Continue.continue', categories: ['Programming Languages'] }), true);
  });

  test('any extension in the AI or Chat category', () => {
    assert.equal(isAssistantExtension({ id: 'someone.helper', categories: ['Other', 'AI'] }), true);
    assert.equal(isAssistantExtension({ id: 'someone.talk', categories: ['Chat'] }), true);
  });

  test('other extensions, odd manifests and none at all do not count', () => {
    assert.equal(isAssistantExtension({ id: 'vscode.git', categories: ['Other'] }), false);
    assert.equal(isAssistantExtension({ id: 'someone.x', categories: 'AI' }), false);
    assert.equal(isAssistantExtension({ id: 'someone.y', categories: [42, null] }), false);
    assert.equal(anyAssistant([]), false);
    assert.equal(anyAssistant([{ id: 'vscode.git' }, { id: 'someone.helper', categories: ['AI'] }]), true);
  });
});
