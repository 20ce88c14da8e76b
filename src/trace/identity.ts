import { createHash, createHmac, hash, randomBytes } from 'node:crypto';

/** `crypto.hash` (Node 20.12+; older runtimes lack it): a one-shot digest, about twice as fast as createHash for short texts. */
const oneShot = typeof hash === 'function' ? hash : undefined;

/** A random per-installation salt; hashes made with it cannot be reversed by guessing paths. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** Keyed hash, 16 hex characters: stable on this machine, meaningless elsewhere. */
export function saltedHash(salt: string, value: string): string {
  return createHmac('sha256', salt).update(value).digest('hex').slice(0, 16);
}

/**
 * Stable id of a workspace that does not reveal its absolute path: a keyed hash of the
 * workspace file, or of the folder URIs in order.
 */
export function workspaceId(salt: string, folderUris: readonly string[], workspaceFile?: string): string {
  const key = workspaceFile ?? (folderUris.length ? folderUris.join('\n') : '(no folder)');
  return `ws-${saltedHash(salt, key)}`;
}

/** SHA-256 (hex) of a text's UTF-8 bytes. */
export function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text, 'utf8').digest('hex');
}
