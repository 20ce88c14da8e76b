import * as vscode from 'vscode';
import type { Logger } from '../common/logger';

/** The engineer's answer for one workspace and destination. */
export type ConsentDecision = 'allow' | 'local' | 'disable';

const KEY = 'worktrace.consent';

/**
 * Consent before events leave the machine. `.vscode/settings.json` belongs to the
 * repository, not to the engineer, so before any event of a workspace is sent to a network
 * destination the engineer is asked once per workspace and destination (a changed endpoint
 * asks again). Answers live in the extension's workspace state, never in settings.
 */
export class Consent {
  private readonly asking = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {}

  private all(): Record<string, ConsentDecision> {
    return this.state.get<Record<string, ConsentDecision>>(KEY) ?? {};
  }

  decision(destination: string): ConsentDecision | undefined {
    return this.all()[destination];
  }

  async set(destination: string, decision: ConsentDecision): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [destination]: decision });
    this.log.info(`consent for ${destination}: ${decision}`);
    this.changed.fire();
  }

  /** Shows the notice once per destination while it is unanswered. */
  ask(destination: string, target: string): void {
    if (this.asking.has(destination)) {
      return;
    }
    this.asking.add(destination);
    void vscode.window
      .showInformationMessage(
        `Worktrace would send this workspace's trace (edits, commands, test runs, commits; secrets redacted, excluded files left out) to ${target}. Allow it?`,
        { modal: false },
        'Allow',
        'Keep local only',
        'Disable here',
      )
      .then(async (answer) => {
        this.asking.delete(destination);
        if (answer === 'Allow') await this.set(destination, 'allow');
        else if (answer === 'Keep local only') await this.set(destination, 'local');
        else if (answer === 'Disable here') await this.set(destination, 'disable');
      });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
