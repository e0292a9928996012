import type { Logger } from 'pino';
import type { OutboundClient } from '../net/http-client.js';
import { toFetchError } from '../net/http-client.js';
import { isSuccess } from './support/api.js';
import { type MediaCandidate, type Resolver, type ResolverKeys, candidateRequests } from './types.js';

/**
 * Runs resolvers' sample URLs against the real sites: how an operator (or we) learn that a site
 * changed its pages or API. It resolves each sample and then asks for the first item, reading
 * only its headers. Not a test: it needs the internet, and the sites' answers change.
 */

export interface SampleCheck {
  readonly resolver: string;
  readonly url: string;
  readonly ok: boolean;
  /** Media the sample resolved to (0 when it failed). */
  readonly items: number;
  /** The skip code when it failed; `media_unreachable` when the first item did not answer as media. */
  readonly code: string | null;
  readonly message: string;
  readonly ms: number;
}

const MEDIA_PROBE_BYTES = 64 * 1024 * 1024;

export async function checkSamples(
  resolvers: readonly Resolver[],
  dependencies: { client: OutboundClient; keys: ResolverKeys; log: Logger },
  onResult: (check: SampleCheck) => void = () => undefined,
): Promise<SampleCheck[]> {
  const results: SampleCheck[] = [];
  for (const resolver of resolvers) {
    for (const sample of resolver.samples) {
      const check = await checkSample(resolver, sample, dependencies);
      results.push(check);
      onResult(check);
    }
  }
  return results;
}

async function checkSample(
  resolver: Resolver,
  url: string,
  { client, keys, log }: { client: OutboundClient; keys: ResolverKeys; log: Logger },
): Promise<SampleCheck> {
  const started = Date.now();
  const done = (ok: boolean, items: number, code: string | null, message: string): SampleCheck => ({
    resolver: resolver.id,
    url,
    ok,
    items,
    code,
    message,
    ms: Date.now() - started,
  });
  const claim = resolver.claim(new URL(url));
  if (!claim) return done(false, 0, 'not_claimed', 'The resolver no longer takes its own sample URL.');
  const signal = client.deadline();
  let result;
  try {
    result = await claim.resolve({ client, signal, log: log.child({ resolver: resolver.id, url }), keys });
  } catch (error) {
    return done(false, 0, 'bug', `The resolver threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!result.ok) return done(false, 0, result.code, result.message);
  const first = result.candidates[0];
  if (!first) return done(false, 0, 'no_media', 'The sample resolved to no media.');
  const probe = await probeMedia(first, client, signal);
  const count = result.candidates.length;
  return probe === null
    ? done(true, count, null, `${count} item${count === 1 ? '' : 's'}; the first answers as media`)
    : done(false, count, 'media_unreachable', probe);
}

/** Null when the item's URL (or a fallback) answers 2xx with something other than a page. */
async function probeMedia(candidate: MediaCandidate, client: OutboundClient, signal: AbortSignal): Promise<string | null> {
  if (candidate.follow) return null; // A link for another resolver or a page: resolving it is the next step's check.
  let last = 'no answer';
  for (const { url, headers } of candidateRequests(candidate)) {
    try {
      const response = await client.get(url, { maxBytes: MEDIA_PROBE_BYTES, signal, ...(headers ? { headers } : {}) });
      response.discard();
      const type = response.header('content-type') ?? '';
      if (isSuccess(response.status) && !/html/i.test(type)) return null;
      last = `the first item answered ${response.status} ${type}`.trim();
    } catch (error) {
      const failure = toFetchError(error, signal);
      if (!failure) throw error;
      last = `the first item failed: ${failure.code}`;
    }
  }
  return last;
}
