/**
 * Where the endpoint token may travel. The bearer token is sent only over `https`, or over
 * plain `http` to this machine (a loopback address: `127.0.0.0/8`, `::1`, `localhost`),
 * where no network carries it. Anything else needs the engineer's explicit opt-in
 * (`worktrace.endpoint.allowInsecureToken`, a machine setting a workspace cannot set).
 * Plain Node.
 */

/** Whether `hostname` (as `URL.hostname` gives it) names this machine without a network in between. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === 'localhost') {
    return true;
  }
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') {
    return true;
  }
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  const octets = v4.split('.');
  return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255) && Number(octets[0]) === 127;
}

/**
 * Why the token must not be sent to `url`, with what to do about it; undefined when it may.
 * A URL that does not parse is left to the settings check (destinationProblem).
 */
export function insecureTokenProblem(url: string, allowInsecure: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || isLoopbackHost(parsed.hostname) || allowInsecure) {
    return undefined;
  }
  return (
    `the endpoint token would travel in clear to ${parsed.host} (http, not https), so nothing is sent: ` +
    'use an https URL, or, if this network is private, set worktrace.endpoint.allowInsecureToken to true in your user (machine) settings'
  );
}

/** Replaces every occurrence of the token in a text from the server (a receiver may echo what it got). */
export function withoutToken(text: string, token: string | undefined): string {
  return token && token.length >= 4 && text.includes(token) ? text.split(token).join('«token»') : text;
}
