import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RESOLVERS } from '../../src/resolvers/registry.js';
import type { ResolveResult, ResolverKeys } from '../../src/resolvers/types.js';
import { useFixtureClient } from '../helpers/fixture-client.js';

/**
 * Every resolver against sites that answer nonsense: whatever a site (or someone in its place)
 * answers, a resolver gives a skip code or candidates, and never throws (a thrown error is a
 * 500 for the whole request); and the unexpected answers it logs never carry an API key.
 * Every host answers the same body here, for every path.
 */

const CODES = new Set([
  'invalid_url', 'blocked_address', 'blocked_port', 'dns_failed', 'connect_failed', 'timeout', 'http_error',
  'too_many_redirects', 'too_large', 'unsupported_type', 'no_media', 'login_required', 'not_found', 'resolver_failed', 'not_configured',
]);

/** A distinct value per key, so the log can be searched for every one of them. */
const KEYS: ResolverKeys = {
  unsplashAccessKey: 'secret-unsplash-1',
  pexelsApiKey: 'secret-pexels-2',
  pixabayApiKey: 'secret-pixabay-3',
  giphyApiKey: 'secret-giphy-4',
  imgurClientId: 'secret-imgur-5',
  tumblrApiKey: 'secret-tumblr-6',
  flickrApiKey: 'secret-flickr-7',
};

const deep = (n: number): unknown => (n === 0 ? null : { data: deep(n - 1), items: [deep(n - 1)] });

const BODIES: ReadonlyArray<{ name: string; status: number; type: string; body: string }> = [
  { name: 'JSON null', status: 200, type: 'application/json', body: 'null' },
  { name: 'an empty array', status: 200, type: 'application/json', body: '[]' },
  { name: 'an empty object', status: 200, type: 'application/json', body: '{}' },
  { name: 'a JSON string', status: 200, type: 'application/json', body: '"hello"' },
  { name: 'wrong types everywhere', status: 200, type: 'application/json', body: JSON.stringify({ data: 5, thread: 'x', photo: [], hits: {}, media: 'x', items: [1], url: {}, id: null, status: 3, response: [] }) },
  { name: 'deep nulls', status: 200, type: 'application/json', body: JSON.stringify(deep(6)) },
  { name: 'truncated JSON', status: 200, type: 'application/json', body: '{"thread": {"post": ' },
  { name: 'an empty body', status: 200, type: 'text/html', body: '' },
  { name: 'HTML junk with broken scripts', status: 200, type: 'text/html', body: '<html><script id="__NEXT_DATA__">{oops</script><script type="application/json" data-sjs>[</script><script id="store-cache">null</script><script id="__UNIVERSAL_DATA_FOR_REHYDRATION__">{"__DEFAULT_SCOPE__":7}</script><a href="javascript:alert(1)">x</a>' },
  { name: 'a 500 page', status: 500, type: 'text/html', body: '<h1>oops</h1>' },
  { name: 'a JSON 404', status: 404, type: 'application/json', body: '{"error":"nope","message":null}' },
  { name: 'a redirect to a private address', status: 302, type: 'text/plain', body: 'http://127.0.0.1/' },
];

const fixtures = useFixtureClient({ anyHost: true });

function expectValue(result: ResolveResult): void {
  if (result.ok) {
    for (const candidate of result.candidates) expect(typeof candidate.url).toBe('string');
  } else {
    expect(CODES.has(result.code), result.code).toBe(true);
    expect(result.message).not.toMatch(/\n\s+at |TypeError|\[object /);
  }
}

describe.each(RESOLVERS.map((r) => [r.id, r] as const))('%s against nonsense', (_id, resolver) => {
  it('gives a value for every answer, with and without keys, and never logs a key', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    for (const answer of BODIES) {
      fixtures.web.reset();
      fixtures.web.fallback((_req, res) => {
        if (answer.status === 302) return void res.writeHead(302, { location: answer.body }).end();
        res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
      });
      for (const sample of resolver.samples) {
        for (const keys of [{}, KEYS]) {
          const claim = resolver.claim(new URL(sample))!;
          const result = await claim.resolve({ client: fixtures.client, signal: fixtures.client.deadline(), log, keys }).catch((error: unknown) => {
            throw new Error(`${resolver.id} threw on ${answer.name} for ${sample}: ${String(error)}`);
          });
          expectValue(result);
        }
      }
    }
    // The keys were sent (the sites saw them) but appear in no log line, whatever went wrong.
    const logged = lines.join('');
    for (const key of Object.values(KEYS) as string[]) expect(logged).not.toContain(key);
  });
});
