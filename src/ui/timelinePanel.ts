/**
 * The timeline view in VS Code: `Worktrace: Open Timeline` opens one webview panel (a second
 * run reveals it), a serializer brings it back after a window reload, and the panel's page
 * talks to a TimelineController (plain Node) that reads sessions from the SessionLibrary and
 * follows the live session. The page asks to open a file at a line; that happens here.
 *
 * The webview gets scripts, and files from media/ only; it is not kept alive while hidden
 * (the page restores its view from vscode.getState and the controller resends the session).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { LiveSource, TimelineController } from '../timeline/controller';
import { isOpenablePath } from '../timeline/diffLine';
import { timelineHtml } from '../timeline/html';
import type { ThemeMessage } from '../timeline/protocol';

export const TIMELINE_VIEW_TYPE = 'worktrace.timeline';
export const OPEN_TIMELINE_COMMAND = 'worktrace.openTimeline';

export interface TimelineDeps {
  /** The folder of the local trace files, whose sessions the timeline shows (src/timeline/traceLibrary.ts). */
  traceDirectory: () => string;
  /** The session this window records, to follow it live. */
  live?: LiveSource;
  /** The Worktrace log (a LogOutputChannel satisfies it). */
  log: Logger;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

function themeKind(kind: vscode.ColorThemeKind): ThemeMessage['kind'] {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast-light';
    default:
      return 'dark';
  }
}

/** The file of a trace path in this window's workspace folders (multi-root paths start with the folder name). */
export function resolveTracePath(path: string, folders: readonly vscode.WorkspaceFolder[]): vscode.Uri | undefined {
  if (!isOpenablePath(path) || folders.length === 0) {
    return undefined;
  }
  const segments = path.split('/').filter((s) => s.length > 0 && s !== '.');
  if (folders.length === 1) {
    const folder = folders[0];
    return segments.length ? vscode.Uri.joinPath(folder.uri, ...segments) : undefined;
  }
  const [name, ...rest] = segments;
  const folder = folders.find((f) => f.name === name);
  return folder && rest.length ? vscode.Uri.joinPath(folder.uri, ...rest) : undefined;
}

async function openLocation(path: string, line: number): Promise<void> {
  const uri = resolveTracePath(path, vscode.workspace.workspaceFolders ?? []);
  if (!uri) {
    throw new Error('it is not a file of this window\u2019s workspace folders');
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const target = Math.min(Math.max(0, line - 1), Math.max(0, document.lineCount - 1));
  const position = new vscode.Position(target, 0);
  // Beside the timeline, so the panel stays visible.
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position), preview: true });
}

class TimelinePanel extends Disposable {
  private readonly controller: TimelineController;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    deps: TimelineDeps,
    host: typeof import('../timeline/host.js'),
    onDispose: () => void,
  ) {
    super();
    panel.webview.options = webviewOptions(extensionUri);
    panel.title = 'Worktrace Timeline';
    this.controller = this.register(
      new host.TimelineController({
        library: new host.TraceFolderLibrary(deps.traceDirectory),
        live: deps.live,
        log: deps.log,
        post: (m) => panel.webview.postMessage(m),
        openLocation,
      }),
    );
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    panel.webview.html = timelineHtml({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'dist', 'timeline.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css')).toString(),
    });
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => this.controller.handle(m)));
    this.register(panel.onDidChangeViewState((e) => this.controller.setVisible(e.webviewPanel.visible)));
    this.register(vscode.window.onDidChangeActiveColorTheme((t) => this.controller.theme(themeKind(t.kind))));
    this.register(
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }
}

/**
 * Registers `worktrace.openTimeline` and the panel serializer. The composition root calls it
 * once and pushes the result into `context.subscriptions`.
 */
export function registerTimeline(context: Pick<vscode.ExtensionContext, 'extensionUri'>, deps: TimelineDeps): vscode.Disposable {
  let current: TimelinePanel | undefined;
  let opening: Promise<void> | undefined;
  const adopt = async (panel: vscode.WebviewPanel): Promise<void> => {
    // The host side is loaded when the timeline first opens, not at start-up.
    const host = await import('../timeline/host.js');
    const previous = current;
    current = undefined;
    previous?.panel.dispose();
    const created: TimelinePanel = new TimelinePanel(panel, context.extensionUri, deps, host, () => {
      if (current === created) {
        current = undefined;
      }
    });
    current = created;
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(OPEN_TIMELINE_COMMAND, async () => {
      try {
        if (current) {
          current.panel.reveal();
          return;
        }
        if (opening) {
          return await opening; // a second run while the first is still loading opens nothing more
        }
        opening = adopt(vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, 'Worktrace Timeline', vscode.ViewColumn.Active, { ...webviewOptions(context.extensionUri), retainContextWhenHidden: false }));
        await opening;
      } catch (e) {
        deps.log.error(`cannot open the timeline: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      } finally {
        opening = undefined;
      }
    }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        try {
          // The page restores its own view (vscode.getState) and tells the controller which session it showed.
          await adopt(panel);
        } catch (e) {
          deps.log.error(`cannot restore the timeline: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      },
    }),
    {
      dispose: () => {
        current?.panel.dispose();
      },
    },
  );
}
