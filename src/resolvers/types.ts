import type { Logger } from 'pino';
import type { FetchFailureCode } from '../net/fetch-error.js';
import type { OutboundClient } from '../net/http-client.js';
import type { Attribution } from '../media/types.js';

export type { Attribution } from '../media/types.js';

/** One piece of media a resolver found behind a URL, to be downloaded like a direct link. */
export interface MediaCandidate {
  readonly url: string;
  /**
   * Where the same media may also be had, tried in order when `url` answers with an error
   * status: a size that not every video has (YouTube's `maxresdefault`), an original that may be
   * a PNG or a JPEG (Pinterest). Each is judged like `url`.
   */
  readonly fallbacks?: readonly string[];
  readonly alt?: string | null;
  /** A name to store it under (`unsplash-<id>.jpg`); the extension is corrected from the bytes. */
  readonly name?: string | null;
  readonly attribution?: Attribution | null;
  /**
   * Headers the media's own host needs (TikTok's CDN wants the cookies its page set). Sent to
   * the origin of `url` only, never after a redirect to another one.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * A link to follow as if the user had given it: another resolver may take it (a Reddit post
   * that links to an Imgur album), and a web page becomes the media on it. Followed once: what
   * it gives is never followed again.
   */
  readonly follow?: boolean;
}

/**
 * The URLs to try for a candidate, in order, each with the headers it may carry: the
 * candidate's headers go to its own origin only, so a fallback on another host goes without.
 */
export function candidateRequests(candidate: MediaCandidate): { url: string; headers?: Readonly<Record<string, string>> }[] {
  const origin = URL.parse(candidate.url)?.origin;
  return [candidate.url, ...(candidate.fallbacks ?? [])].map((url) =>
    candidate.headers && URL.parse(url)?.origin === origin ? { url, headers: candidate.headers } : { url },
  );
}

/** Why a resolver produced nothing: the contract's skip codes. */
export type ResolveFailureCode =
  | FetchFailureCode
  | 'unsupported_type'
  | 'no_media'
  | 'login_required'
  | 'not_found'
  | 'resolver_failed'
  | 'not_configured';

export interface ResolveFailure {
  readonly ok: false;
  readonly code: ResolveFailureCode;
  /** For the user: says what the source said, never a stack or a key. */
  readonly message: string;
}

export type ResolveResult = { readonly ok: true; readonly candidates: readonly MediaCandidate[] } | ResolveFailure;

/** API keys and tokens an operator may give; every one optional (`INTAKE_*` in the README). */
export interface ResolverKeys {
  readonly unsplashAccessKey?: string | undefined;
  readonly pexelsApiKey?: string | undefined;
  readonly pixabayApiKey?: string | undefined;
  readonly giphyApiKey?: string | undefined;
  readonly imgurClientId?: string | undefined;
  readonly tumblrApiKey?: string | undefined;
  readonly flickrApiKey?: string | undefined;
}

export interface ResolveContext {
  /** The one outbound client: resolver API calls obey the same policy and limits as downloads. */
  readonly client: OutboundClient;
  /** The item's overall deadline. */
  readonly signal: AbortSignal;
  /** Already bound to the resolver and the URL; an unexpected answer is logged here. */
  readonly log: Logger;
  readonly keys: ResolverKeys;
}

/** A URL a resolver has taken, with what it parsed from it, ready to be resolved. */
export interface Claim {
  readonly resolver: Resolver;
  resolve(context: ResolveContext): Promise<ResolveResult>;
}

/**
 * Turns one kind of URL (a social post, a stock-photo page, a share link) into media
 * candidates, in the source's order. Expected failures are results; a thrown error is a bug.
 */
export interface Resolver {
  /** Lower-case, stable: used in names (`unsplash-<id>.jpg`), logs, metrics and `INTAKE_RESOLVERS_DISABLED`. */
  readonly id: string;
  /** The source's own name, as attribution and messages show it. */
  readonly label: string;
  /**
   * Real URLs of the shapes this resolver takes (short links and alternate domains included).
   * Each must be claimed by this resolver and no other; the live check fetches them.
   */
  readonly samples: readonly string[];
  /** The key this source can use, and whether it works without one (for `intake resolvers list`). */
  readonly key?: ResolverKeyUse;
  /** Takes the URL (returns what `resolve` needs) or leaves it to others (null). Pure. */
  claim(url: URL): Claim | null;
}

export interface ResolverKeyUse {
  readonly setting: keyof ResolverKeys;
  /** The environment variable, as the README names it. */
  readonly variable: string;
  /** True when the source has no keyless route (its URLs are `not_configured` without the key). */
  readonly required: boolean;
}

/** A resolver written as a pure matcher plus an async step over what the matcher parsed. */
export interface ResolverSpec<P> {
  readonly id: string;
  readonly label: string;
  readonly samples: readonly string[];
  readonly key?: ResolverKeyUse;
  /** Host and path shape → parameters (`{id}`), or null. Pure: no I/O. */
  match(url: URL): P | null;
  resolve(params: P, context: ResolveContext): Promise<ResolveResult>;
}

export function defineResolver<P>(spec: ResolverSpec<P>): Resolver & { readonly match: (url: URL) => P | null } {
  const resolver = {
    id: spec.id,
    label: spec.label,
    samples: spec.samples,
    ...(spec.key ? { key: spec.key } : {}),
    match: (url: URL) => spec.match(url),
    claim(url: URL): Claim | null {
      const params = spec.match(url);
      if (params === null) return null;
      return { resolver, resolve: (context) => spec.resolve(params, context) };
    },
  };
  return resolver;
}
