import ipaddr from 'ipaddr.js';
import type { AddressPolicy } from './address-policy.js';

export type UrlRefusal = { readonly code: 'invalid_url' | 'blocked_port' | 'blocked_address'; readonly message: string };
export type UrlVerdict =
  | { readonly ok: true; readonly url: URL; readonly port: number; readonly literal: string | null }
  | ({ readonly ok: false } & UrlRefusal);

export const MAX_URL_LENGTH = 2048;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

const invalid = (message: string): UrlVerdict => ({ ok: false, code: 'invalid_url', message });

// C0 controls and DEL. WHATWG silently drops tab, CR and LF anywhere (`http://127.0.0.\n1/` is
// 127.0.0.1) and trims the others at the ends, so the string a user sent and the URL we fetch
// would differ; such input is refused instead of repaired.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Judges a URL before any request: the checks that need no DNS. Checks run in this order and the
 * first failure wins: invalid_url (type, length, control characters, parse, scheme, credentials,
 * host), then blocked_port, then blocked_address (an IP literal or a `localhost` name).
 *
 * Parsing is WHATWG `new URL()` only (the parser undici uses), so what is judged is what is
 * fetched. A host name that passes still has to pass the connect-time check on every address it
 * resolves to.
 */
export function checkUrl(
  input: unknown,
  options: { readonly allowedPorts: readonly number[] | '*'; readonly policy: AddressPolicy },
): UrlVerdict {
  if (typeof input !== 'string') return invalid('The URL must be a string.');
  if (input.trim() === '') return invalid('The URL is empty.');
  if (input.length > MAX_URL_LENGTH) return invalid(`The URL is longer than ${MAX_URL_LENGTH} characters.`);
  if (CONTROL_CHARACTERS.test(input)) return invalid('The URL must not contain control characters.');

  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return invalid('The URL is not a valid absolute URL.');
  }
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined) return invalid('The URL must use http or https.');
  if (url.username !== '' || url.password !== '' || hasEmptyUserinfo(input)) {
    return invalid('The URL must not contain a username or password.');
  }
  // WHATWG already refuses an empty host for http(s); kept so the guarantee does not rest on it.
  if (url.hostname === '') return invalid('The URL has no host.');

  // WHATWG drops an explicit default port (`:80` on http) and refuses anything above 65535.
  const port = url.port === '' ? defaultPort : Number(url.port);
  // Port 0 is never a real destination, so even '*' does not allow it.
  if (port === 0 || (options.allowedPorts !== '*' && !options.allowedPorts.includes(port))) {
    return { ok: false, code: 'blocked_port', message: `Port ${port} is not allowed.` };
  }

  const host = url.hostname;
  if (isLocalhostName(host)) {
    return { ok: false, code: 'blocked_address', message: `The host ${host} is not public (localhost).` };
  }
  const literal = ipLiteral(host);
  if (literal !== null) {
    const verdict = options.policy.check(literal);
    if (!verdict.allowed) {
      return { ok: false, code: 'blocked_address', message: `The address ${literal} is not public (${verdict.reason}).` };
    }
  }
  return { ok: true, url, port, literal };
}

/**
 * Whether the authority holds an `@` that WHATWG dropped: `http://@host/` and `http://:@host/`
 * parse with empty username and password and serialise without them. The input has passed
 * WHATWG as http(s) and holds no control characters, so the scheme ends at the first `:`, the
 * authority follows any run of `/` or `\` (WHATWG treats `\` as `/` for special schemes,
 * `http:@host` has none) and ends at the first `/`, `\`, `?` or `#`.
 */
function hasEmptyUserinfo(input: string): boolean {
  const afterScheme = input.slice(input.indexOf(':') + 1);
  const authority = afterScheme.replace(/^[/\\]*/, '').split(/[/\\?#]/, 1)[0] ?? '';
  return authority.includes('@');
}

/** RFC 6761 §6.3: `localhost` and every name under it are loopback and never go to DNS. */
function isLocalhostName(host: string): boolean {
  const name = host.replace(/\.+$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * The bare IP when the hostname is a literal. WHATWG serialises every IPv4 spelling (decimal,
 * octal, hex, short, full-width, percent-encoded) as dotted decimal, and any host whose last
 * label is a number either is that or fails to parse; IPv6 comes bracketed.
 */
function ipLiteral(host: string): string | null {
  if (host.startsWith('[') && host.endsWith(']')) return host.slice(1, -1);
  return ipaddr.IPv4.isValidFourPartDecimal(host) ? host : null;
}
