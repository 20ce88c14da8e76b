import * as vscode from 'vscode';
import { MAX_GOAL_CHARS, MAX_NOTE_CHARS, type GoalTracker } from '../goals/goalTracker';
import { parseIssueRef, type IssueRef } from '../goals/issueRef';
import type { GoalOutcome } from '../trace/events';

/** Arguments tests and keybindings may pass instead of answering the prompts. */
interface StartArgs {
  goal: string;
  link?: string;
}
interface EndArgs {
  outcome: GoalOutcome;
  note?: string;
}

const OUTCOMES: { label: string; outcome: GoalOutcome; detail: string }[] = [
  { label: '$(pass) Done', outcome: 'done', detail: 'The goal is reached' },
  { label: '$(circle-slash) Abandoned', outcome: 'abandoned', detail: 'Stopped without reaching it' },
  { label: '$(arrow-right) Handed off', outcome: 'handed-off', detail: 'Someone else (or a later session) goes on with it' },
];

/** `Worktrace: Start Task…` and `Worktrace: End Task…`. */
export function registerTaskCommands(goals: GoalTracker): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('worktrace.startTask', async (args?: StartArgs) => {
      let goal = args?.goal;
      let link: IssueRef | undefined;
      if (goal === undefined) {
        goal = await vscode.window.showInputBox({
          title: 'Worktrace: Start Task (1/2)',
          prompt: 'What do you set out to do? One line; it is recorded in the trace (secrets are redacted).',
          placeHolder: 'e.g. Fix the flaky login test',
          validateInput: (v) => (v.trim() === '' ? 'Say what the task is' : v.length > MAX_GOAL_CHARS ? `At most ${MAX_GOAL_CHARS} characters` : undefined),
        });
        if (goal === undefined) return;
        const typed = await vscode.window.showInputBox({
          title: 'Worktrace: Start Task (2/2)',
          prompt: 'Optional: an issue URL or key (PROJ-123, #42). Leave empty for none.',
          validateInput: (v) => {
            const parsed = parseIssueRef(v);
            return parsed && 'error' in parsed ? parsed.error : undefined;
          },
        });
        if (typed === undefined) return;
        const parsed = parseIssueRef(typed);
        link = parsed && !('error' in parsed) ? parsed : undefined;
      } else if (args?.link) {
        const parsed = parseIssueRef(args.link);
        link = parsed && !('error' in parsed) ? parsed : undefined;
      }
      if (goal.trim() === '') return;
      goals.start(goal, link);
      await goals.whenPersisted();
    }),
    vscode.commands.registerCommand('worktrace.endTask', async (args?: EndArgs) => {
      const current = goals.goal;
      if (!current) {
        void vscode.window.showInformationMessage('Worktrace: no task is open. Start one with "Worktrace: Start Task…".');
        return;
      }
      let outcome = args?.outcome;
      let note = args?.note;
      if (outcome === undefined) {
        const picked = await vscode.window.showQuickPick(OUTCOMES, { title: `Worktrace: End Task "${current.goal}"`, placeHolder: 'How did it end?' });
        if (!picked) return;
        outcome = picked.outcome;
        note = await vscode.window.showInputBox({
          title: 'Worktrace: End Task',
          prompt: 'Optional note (recorded in the trace; secrets are redacted). Leave empty for none.',
          validateInput: (v) => (v.length > MAX_NOTE_CHARS ? `At most ${MAX_NOTE_CHARS} characters` : undefined),
        });
        if (note === undefined) return;
      }
      goals.end(outcome, note);
      await goals.whenPersisted();
    }),
  ];
}
