/**
 * The page's side of the webview bridge: VS Code's `acquireVsCodeApi()` (callable once),
 * typed with the protocol's messages.
 */
import type { PageMessage, ViewState } from '../../src/timeline/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class Host {
  private readonly api: VsCodeApi = acquireVsCodeApi();

  post(message: PageMessage): void {
    this.api.postMessage(message);
  }

  getState(): ViewState | null {
    const state = this.api.getState();
    return typeof state === 'object' && state !== null ? (state) : null;
  }

  setState(state: ViewState): void {
    this.api.setState(state);
  }
}
