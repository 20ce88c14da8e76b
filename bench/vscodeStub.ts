/**
 * The smallest stand-in for the `vscode` module that lets the real collectors load in
 * plain Node for benchmarks (VS Code itself cannot run inside `npm run bench`). It only
 * records listeners so the benchmark can call a collector's handler directly.
 */
import Module from 'node:module';

type Listener = (e: unknown) => void;

export const listeners = new Map<string, Listener>();
export const stubWindow: { activeTextEditor: unknown } = { activeTextEditor: undefined };

function event(name: string) {
  return (listener: Listener) => {
    listeners.set(name, listener);
    return { dispose: () => listeners.delete(name) };
  };
}

const stub = {
  EndOfLine: { LF: 1, CRLF: 2 },
  workspace: {
    onDidOpenTextDocument: event('open'),
    onDidChangeTextDocument: event('change'),
    onDidSaveTextDocument: event('save'),
    onDidCloseTextDocument: event('close'),
    onDidChangeWorkspaceFolders: event('folders'),
    textDocuments: [] as unknown[],
    getWorkspaceFolder: () => ({ uri: { path: '/ws' }, name: 'ws' }),
    workspaceFolders: [{ uri: { path: '/ws' }, name: 'ws' }],
  },
  window: {
    onDidChangeActiveTextEditor: event('focus'),
    onDidChangeTextEditorVisibleRanges: event('visibleRanges'),
    onDidChangeVisibleTextEditors: event('visibleEditors'),
    onDidChangeTextEditorSelection: event('selection'),
    visibleTextEditors: [] as unknown[],
    get activeTextEditor() {
      return stubWindow.activeTextEditor;
    },
  },
  TextEditorSelectionChangeKind: { Keyboard: 1, Mouse: 2, Command: 3 },
  languages: { registerDocumentPasteEditProvider: () => ({ dispose: () => undefined }) },
};

/** Makes `require('vscode')` return the stub; done on import, before any collector loads. */
function installVscodeStub(): void {
  const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  (require.cache as Record<string, unknown>)['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
}

installVscodeStub();
