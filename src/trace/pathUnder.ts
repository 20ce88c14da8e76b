/** Whether a trace path is `folder` itself or lies below it (trace paths use `/`). */
export function isAtOrUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}
