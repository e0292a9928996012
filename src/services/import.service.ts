import contentDisposition from 'content-disposition';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import type { MediaRow } from '../db/schema.js';
import type { Metrics } from '../metrics.js';
import { UnsupportedContentError } from '../media/types.js';
import { FetchError } from '../net/fetch-error.js';
import { type OutboundClient, type OutboundResponse, toFetchError } from '../net/http-client.js';
import { oembedCandidates, readPageMedia } from '../resolvers/page/page-media.js';
import { claimUrl } from '../resolvers/registry.js';
import { type Claim, type MediaCandidate, type ResolveFailureCode, type ResolveResult, type Resolver, type ResolverKeys, candidateRequests } from '../resolvers/types.js';
import { FileTooLargeError, IncompleteBodyError, type IngestService } from './ingest.service.js';

/** One URL (or one item of a URL) that produced nothing, and why. */
export interface Skipped {
  readonly url: string;
  readonly code: ResolveFailureCode;
  readonly message: string;
  /** The media URL of the item that failed, when the given URL named several. */
  readonly item_url?: string;
}

export interface ImportRequest {
  readonly workspaceId: number;
  readonly folderId: number | null;
  readonly urls: readonly string[];
}

export interface ImportResult {
  /** In the order of the URLs, and of the items within one URL. */
  readonly media: MediaRow[];
  readonly skipped: Skipped[];
}

/** How much of a web page is read for its media tags (they sit in the head). */
const PAGE_MAX_BYTES = 2 * 1024 * 1024;
const OEMBED_MAX_BYTES = 256 * 1024;

/** An album or a hostile server's post may name thousands of files; one URL brings at most this many. */
export const MAX_ITEMS_PER_URL = 100;

/** What the importer accepts from a download: media types first, anything as a fallback. */
const ACCEPT = 'image/*, video/*, application/pdf;q=0.9, */*;q=0.8';

export interface ImportDependencies {
  readonly client: OutboundClient;
  readonly ingest: IngestService;
  readonly limits: { readonly perRequest: number; readonly process: number; readonly maxFileBytes: number };
  readonly log: Logger;
  /** The resolvers turned on, in registry order. */
  readonly resolvers: readonly Resolver[];
  readonly keys: ResolverKeys;
  readonly metrics?: Metrics;
}

/** One candidate of a URL on its way: may it be read as a page, and was it followed already? */
interface Item {
  readonly candidate: MediaCandidate;
  readonly pageAllowed: boolean;
  readonly followed: boolean;
}

class Skip extends Error {
  constructor(
    readonly code: ResolveFailureCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * URLs in, media rows out. Each URL goes to the resolver that takes it (or is a direct link),
 * each candidate is downloaded through the one outbound client and stored through the same
 * write path as an upload. Items run in parallel within a per-request and a process-wide cap.
 */
export class ImportService {
  private readonly processLimit: LimitFunction;

  constructor(private readonly deps: ImportDependencies) {
    this.processLimit = pLimit(deps.limits.process);
  }

  async import(request: ImportRequest): Promise<ImportResult> {
    const requestLimit = pLimit(this.deps.limits.perRequest);
    const outcomes = await Promise.allSettled(
      request.urls.map((url) => requestLimit(() => this.importOne(url, request))),
    );
    const media: MediaRow[] = [];
    const skipped: Skipped[] = [];
    for (const outcome of outcomes) {
      // A bug in one item is a bug of the request: the others have finished, so nothing is
      // left running, and the caller reports it as a 500.
      if (outcome.status === 'rejected') throw outcome.reason;
      media.push(...outcome.value.media);
      skipped.push(...outcome.value.skipped);
    }
    return { media, skipped };
  }

  private async importOne(url: string, request: ImportRequest): Promise<ImportResult> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { media: [], skipped: [{ url, code: 'invalid_url', message: 'This is not an absolute http(s) URL.' }] };
    }
    const claim = claimUrl(parsed, this.deps.resolvers);
    let items: Item[] = [{ candidate: { url }, pageAllowed: true, followed: true }];
    if (claim) {
      const resolved = await this.resolveClaim(claim, url);
      if (!resolved.ok) return { media: [], skipped: [{ url, code: resolved.code, message: resolved.message }] };
      items = resolved.candidates.map((candidate) => ({ candidate, pageAllowed: false, followed: false }));
    }
    const media: MediaRow[] = [];
    const skipped: Skipped[] = [];
    // The items of one URL in the source's order, one after the other: a carousel is one
    // source, and its order is the order of the answer. A direct link that turns out to be a
    // web page becomes the media on that page (only for URLs no resolver took, and one level
    // deep: a page's items are never read as pages again). A resolver's `follow` link is
    // handed to the other resolvers once, else read like a direct link.
    const queue = [...items];
    let downloads = 0;
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { candidate } = next;
      if (downloads === MAX_ITEMS_PER_URL) {
        const left = queue.length + 1;
        skipped.push({ url, code: 'too_large', message: `Intake imports at most ${MAX_ITEMS_PER_URL} items of one URL; ${left} more were left out.` });
        break;
      }
      const skip = (code: ResolveFailureCode, message: string) =>
        skipped.push({ url, code, message, ...(candidate.url !== url ? { item_url: candidate.url } : {}) });
      if (candidate.follow && !next.followed) {
        const followed = this.follow(candidate, claim?.resolver);
        if (followed.kind === 'direct') {
          queue.unshift({ candidate: followed.candidate, pageAllowed: true, followed: true });
          continue;
        }
        const resolved = await this.resolveClaim(followed.claim, candidate.url);
        if (!resolved.ok) skip(resolved.code, resolved.message);
        else queue.unshift(...resolved.candidates.map((found) => ({ candidate: found, pageAllowed: false, followed: true })));
        continue;
      }
      downloads += 1;
      try {
        const outcome = await this.processLimit(() => this.download(url, candidate, request, this.deps.client.deadline(), next.pageAllowed));
        if (outcome.kind === 'media') media.push(outcome.row);
        else queue.unshift(...outcome.candidates.map((found) => ({ candidate: found, pageAllowed: false, followed: true })));
      } catch (error) {
        if (!(error instanceof Skip)) throw error;
        skip(error.code, error.message);
      }
    }
    return { media, skipped };
  }

  /**
   * Runs a resolver. Its calls are fetches too: they take a process-wide slot, and their deadline
   * starts when the slot does, so time spent queued never counts against an item.
   */
  private async resolveClaim(claim: Claim, url: string): Promise<ResolveResult> {
    const log = this.deps.log.child({ resolver: claim.resolver.id, url });
    const result = await this.processLimit(() =>
      claim.resolve({ client: this.deps.client, signal: this.deps.client.deadline(), log, keys: this.deps.keys }),
    );
    const outcome: ResolveResult =
      result.ok && result.candidates.length === 0
        ? { ok: false, code: 'no_media', message: `${claim.resolver.label} shows no media at this URL.` }
        : result;
    this.deps.metrics?.resolverResults.inc({ resolver: claim.resolver.id, result: outcome.ok ? 'ok' : outcome.code });
    return outcome;
  }

  /** Where a resolver's `follow` link goes: to another resolver, else it is read as a direct link. */
  private follow(candidate: MediaCandidate, from: Resolver | undefined): { kind: 'claim'; claim: Claim } | { kind: 'direct'; candidate: MediaCandidate } {
    let parsed: URL | null = null;
    try {
      parsed = new URL(candidate.url);
    } catch {
      // An unparsable link is refused by the client with its own message.
    }
    const claim = parsed && claimUrl(parsed, this.deps.resolvers, from);
    return claim ? { kind: 'claim', claim } : { kind: 'direct', candidate };
  }

  private async download(
    sourceUrl: string,
    candidate: MediaCandidate,
    request: ImportRequest,
    signal: AbortSignal,
    pageAllowed: boolean,
  ): Promise<{ kind: 'media'; row: MediaRow } | { kind: 'page'; candidates: MediaCandidate[] }> {
    const response = await this.fetchCandidate(candidate, signal);
    const isPage = /^(text\/html|application\/xhtml\+xml)\b/i.test(response.header('content-type') ?? '');
    if (isPage && pageAllowed) return { kind: 'page', candidates: await this.pageMedia(response, signal) };
    let staged;
    try {
      staged = await this.deps.ingest.stage(response.body);
    } catch (error) {
      response.discard();
      if (error instanceof UnsupportedContentError && isPage) {
        throw new Skip('no_media', 'This is a web page, not a media file, and no media was found on it.');
      }
      throw asSkip(error, signal);
    }
    const row = await this.deps.ingest.commit(staged, {
      workspaceId: request.workspaceId,
      folderId: request.folderId,
      nameHint: candidate.name ?? nameFrom(response.header('content-disposition'), new URL(candidate.url), response.url),
      sourceUrl,
      alt: candidate.alt ?? null,
      attribution: candidate.attribution ?? null,
    });
    return { kind: 'media', row };
  }

  /** The first of the candidate's URLs that answers 2xx; an error status moves on to the next. */
  private async fetchCandidate(candidate: MediaCandidate, signal: AbortSignal): Promise<OutboundResponse> {
    const requests = candidateRequests(candidate);
    for (const [index, { url, headers }] of requests.entries()) {
      let response;
      try {
        response = await this.deps.client.get(url, { maxBytes: this.deps.limits.maxFileBytes, signal, accept: ACCEPT, ...(headers ? { headers } : {}) });
      } catch (error) {
        throw asSkip(error, signal);
      }
      if (response.status >= 200 && response.status <= 299) return response;
      response.discard();
      if (index === requests.length - 1) throw new Skip('http_error', `The source answered ${response.status}.`);
    }
    throw new Error('a candidate has at least one URL');
  }

  /** The media a web page shows (OpenGraph, Twitter cards, JSON-LD, else its oEmbed answer). */
  private async pageMedia(response: OutboundResponse, signal: AbortSignal): Promise<MediaCandidate[]> {
    let html: string;
    try {
      html = await response.textPrefix(PAGE_MAX_BYTES);
    } catch (error) {
      throw asSkip(error, signal);
    } finally {
      response.discard();
    }
    const page = readPageMedia(html, response.url);
    if (page.best.length > 0) return page.best;
    const endpoint = page.oembed[0];
    if (endpoint) {
      try {
        const answer = await this.deps.client.get(endpoint, { maxBytes: OEMBED_MAX_BYTES, signal, accept: 'application/json' });
        if (answer.status >= 200 && answer.status < 300) {
          const found = oembedCandidates(JSON.parse(await answer.text()) as unknown, response.url);
          if (found.length > 0) return found;
        } else answer.discard();
      } catch (error) {
        // The page had no media of its own and its oEmbed endpoint failed: it stays no_media,
        // but a failure other than the network's is a bug.
        if (!(error instanceof SyntaxError) && !(asSkip(error, signal) instanceof Skip)) throw error;
      }
    }
    throw new Skip('no_media', 'This is a web page, and no media was found on it.');
  }
}

/** The expected failures of a download as skip codes; anything else is rethrown as a bug. */
function asSkip(error: unknown, signal: AbortSignal): unknown {
  if (error instanceof Skip) return error;
  if (error instanceof FileTooLargeError) return new Skip('too_large', error.message);
  if (error instanceof UnsupportedContentError) return new Skip('unsupported_type', error.message);
  if (error instanceof IncompleteBodyError) return new Skip('connect_failed', 'The connection closed before the whole file arrived.');
  const failure = error instanceof FetchError ? error : toFetchError(error, signal);
  return failure ? new Skip(failure.code, failure.message) : error;
}

/**
 * The name: `Content-Disposition` (`filename*` first); else the last path segment that looks
 * like a file name (`hero.png`), of the URL given and then of the one that answered after
 * redirects (`/download?id=5` → `…/hero.png`); else any last path segment.
 */
function nameFrom(disposition: string | undefined, given: URL, final: URL): string | null {
  if (disposition) {
    try {
      const filename = contentDisposition.parse(disposition).parameters.filename;
      if (filename) return filename;
    } catch {
      // A malformed header names nothing; fall back to the URL.
    }
  }
  const segments = [given, final]
    .map((url) => url.pathname.split('/').filter(Boolean).pop())
    .filter((segment): segment is string => segment !== undefined)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return segments.find((segment) => /\.[A-Za-z0-9]{1,5}$/.test(segment)) ?? segments[0] ?? null;
}
