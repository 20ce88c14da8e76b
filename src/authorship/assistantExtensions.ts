/**
 * Which installed extensions may offer AI inline completions. Worktrace watches for inline
 * completion requests (trace/cause.ts tells an accepted completion from typing by them), but
 * an inline completion provider, even one that offers nothing, makes VS Code ask the
 * extension host on every keystroke: measured in real VS Code, +30 % extension-host CPU while
 * typing. So the observer is registered only while one of these is installed.
 */

/** Assistants known by id (lower case), for those that do not declare the AI category. */
const KNOWN_ASSISTANTS = new Set([
  'github.copilot',
  'github.copilot-chat',
  'continue.continue',
  'codeium.codeium',
  'codeium.windsurfpyright',
  'tabnine.tabnine-vscode',
  'amazonwebservices.amazon-q-vscode',
  'amazonwebservices.aws-toolkit-vscode',
  'supermaven.supermaven',
  'sourcegraph.cody-ai',
  'saoudrizwan.claude-dev',
  'rooveterinaryinc.roo-cline',
  'anthropic.claude-code',
  'google.geminicodeassist',
  'visualstudioexptteam.vscodeintellicode',
  'blackboxapp.blackbox',
  'bito.bito',
  'codegpt.codegpt',
  'danielsanmedium.dscodegpt',
]);

export interface ExtensionSummary {
  id: string;
  /** The manifest's `categories`, as the extension declares them. */
  categories?: unknown;
}

/** Whether the extension is an assistant: a known one, or one in the marketplace's AI or Chat category. */
export function isAssistantExtension(extension: ExtensionSummary): boolean {
  if (KNOWN_ASSISTANTS.has(extension.id.toLowerCase())) {
    return true;
  }
  const categories = Array.isArray(extension.categories) ? extension.categories : [];
  return categories.some((c) => typeof c === 'string' && /^(ai|chat)$/i.test(c.trim()));
}

export function anyAssistant(extensions: readonly ExtensionSummary[]): boolean {
  return extensions.some(isAssistantExtension);
}
