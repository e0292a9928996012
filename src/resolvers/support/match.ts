/**
 * Pure helpers for resolvers' URL matching: parse → alias (short links, alternate domains) →
 * clean, with no I/O. A URL reaching a matcher has already been parsed by the WHATWG parser, so
 * its host is lower-case and punycoded, and its path is percent-encoded.
 */

/** The host without a trailing dot and without a leading `www.` or `m.`. */
export function siteHost(url: URL): string {
  return url.hostname.replace(/\.$/, '').replace(/^(?:www|m|mobile)\./, '');
}

/** True for `domain` itself and, with `subdomains`, any host under it. */
export function onDomain(url: URL, domains: readonly string[], subdomains = false): boolean {
  const host = siteHost(url);
  return domains.some((domain) => host === domain || (subdomains && host.endsWith(`.${domain}`)));
}

/** Only web URLs: `ftp:`, `data:` and the like are never a post. */
export function isWeb(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}

/** The path's non-empty segments, percent-decoded (a malformed escape is kept as it is). */
export function segments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
}

/** `value` when it is made only of `pattern`'s characters and has an allowed length, else null. */
export function token(value: string | undefined | null, pattern: RegExp): string | null {
  return value !== undefined && value !== null && pattern.test(value) ? value : null;
}
