import * as assert from 'node:assert/strict';
import { gitOperationOfCommand, gitOperationOfReflog, reflogMessageOf, type GitOperation } from '../../../src/disk/gitOperation';

suite('disk/gitOperation: command lines', () => {
  const cases: [string, GitOperation | undefined][] = [
    ['git checkout main', 'checkout'],
    ['git checkout -b feature', 'checkout'],
    ['git checkout -- src/a.ts', 'restore'],
    ['git checkout HEAD~1 -- src/a.ts', 'restore'],
    ['git switch -c x', 'switch'],
    ['git pull --rebase', 'pull'],
    ['git merge feature', 'merge'],
    ['git rebase -i HEAD~3', 'rebase'],
    ['git stash pop', 'stash'],
    ['git stash', 'stash'],
    ['git reset --hard HEAD~1', 'reset'],
    ['git commit -am "x"', 'commit'],
    ['git cherry-pick abc123', 'cherry-pick'],
    ['git revert HEAD', 'revert'],
    ['git restore --staged .', 'restore'],
    ['git -C sub checkout main', 'checkout'],
    ['git -c core.hooksPath=/dev/null commit -m x', 'commit'],
    ['git --git-dir=.git --work-tree=. reset --hard', 'reset'],
    ['git --git-dir .git --work-tree . pull', 'pull'],
    ['git --no-pager -P -p --bare merge x', 'merge'],
    ['git --namespace ns stash', 'stash'],
    ['git -c a=b -C x -C y rebase main', 'rebase'],
    ['git apply fix.patch', 'other'],
    ['git co main', 'other'],
    ['git status', 'other'],
    ['git', 'other'],
    ['git --version', 'other'],
    ['/usr/bin/git pull', 'pull'],
    ['"C:\\Program Files\\Git\\cmd\\git.exe" checkout dev', 'checkout'],
    ['GIT_TRACE=1 git pull', 'pull'],
    ['cd repo && git merge x', 'merge'],
    ['sudo -u me git reset --soft HEAD~', 'reset'],
    ['time git rebase main', 'rebase'],
    ['npm test', undefined],
    ['gitk', undefined],
    ['echo git checkout', undefined],
    ['', undefined],
  ];
  for (const [line, expected] of cases) {
    test(`${JSON.stringify(line)} → ${String(expected)}`, () => {
      assert.equal(gitOperationOfCommand(line), expected);
    });
  }
});

suite('disk/gitOperation: reflog messages', () => {
  const cases: [string, GitOperation | undefined][] = [
    ['checkout: moving from main to other', 'checkout'],
    ['pull: Fast-forward', 'pull'],
    ["pull: Merge made by the 'ort' strategy.", 'pull'],
    ['pull --rebase (finish): returning to refs/heads/main', 'pull'],
    ['pull --rebase (start): checkout 1234abcd', 'pull'],
    ['merge feature: Fast-forward', 'merge'],
    ["merge origin/main: Merge made by the 'ort' strategy.", 'merge'],
    ['rebase (finish): returning to refs/heads/topic', 'rebase'],
    ['rebase (start): checkout main', 'rebase'],
    ['rebase (pick): Fix the thing', 'rebase'],
    ['rebase -i (finish): returning to refs/heads/x', 'rebase'],
    ['reset: moving to HEAD~1', 'reset'],
    ['commit: Add x', 'commit'],
    ['commit (amend): Add x', 'commit'],
    ['commit (initial): init', 'commit'],
    ['commit (merge): Merge branch x', 'commit'],
    ['cherry-pick: Fix y', 'cherry-pick'],
    ['revert: Revert "x"', 'revert'],
    ['WIP on main: 2732ec7 init', 'stash'],
    ['On main: my stash message', 'stash'],
    ['branch: Created from HEAD', 'other'],
    ['clone: from https://example.invalid/r.git', 'other'],
    ['something else entirely', 'other'],
    ['', undefined],
    ['2732ec72c57c55ec7765fd219f786eaddb49051e 34f77de1f0d7958a7e776eafe8738df76175b883 n <a@b> 1796191692 +0000\tcheckout: moving from main to other\n', 'checkout'],
  ];
  for (const [message, expected] of cases) {
    test(`${JSON.stringify(message.slice(0, 60))} → ${String(expected)}`, () => {
      assert.equal(gitOperationOfReflog(message), expected);
    });
  }
  test('reflogMessageOf takes the message of a whole line and leaves a bare message alone', () => {
    assert.equal(reflogMessageOf('a'.repeat(40) + ' ' + 'b'.repeat(40) + ' N <e> 1 +0000\treset: moving to HEAD\n'), 'reset: moving to HEAD');
    assert.equal(reflogMessageOf('reset: moving to HEAD'), 'reset: moving to HEAD');
  });
});
