import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';

export type NavigationVia = 'definition' | 'references' | 'implementation' | 'symbol';

/** How long a navigation request counts as the cause of the jump that follows (ms). */
const RECENT_MS = 5_000;

/**
 * Observing providers that offer nothing and only note that VS Code asked: go to definition
 * (and type definition), find references, go to implementation, workspace symbols. The one
 * signal an extension gets of which command made the active location jump.
 */
export class NavigationSignals extends Disposable {
  private last: { via: NavigationVia; at: number } | undefined;

  constructor() {
    super();
    const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
    const note = (via: NavigationVia) => (): undefined => {
      this.last = { via, at: Date.now() };
      return undefined;
    };
    this.register(vscode.languages.registerDefinitionProvider(selector, { provideDefinition: note('definition') }));
    this.register(vscode.languages.registerTypeDefinitionProvider(selector, { provideTypeDefinition: note('definition') }));
    this.register(vscode.languages.registerReferenceProvider(selector, { provideReferences: note('references') }));
    this.register(vscode.languages.registerImplementationProvider(selector, { provideImplementation: note('implementation') }));
    this.register(vscode.languages.registerWorkspaceSymbolProvider({ provideWorkspaceSymbols: note('symbol') }));
  }

  /** What was asked for just before, if anything; a request is used once. */
  take(now = Date.now()): NavigationVia | undefined {
    const last = this.last;
    this.last = undefined;
    return last && now - last.at <= RECENT_MS ? last.via : undefined;
  }
}
