import type { Logger } from 'pino';
import type { FetchFailureCode } from '../net/fetch-error.js';
import type { OutboundClient } from '../net/http-client.js';
import type { Attribution } from '../media/types.js';

export type { Attribution } from '../media/types.js';

/** One piece of media a resolver found behind a URL, to be downloaded like a direct link. */
export interface MediaCandidate {
  readonly url: string;
  readonly alt?: string | null;
  /** A name to store it under (`unsplash-<id>.jpg`); the extension is corrected from the bytes. */
  readonly name?: string | null;
  readonly attribution?: Attribution | null;
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

export type ResolveResult =
  | { readonly ok: true; readonly candidates: readonly MediaCandidate[] }
  | { readonly ok: false; readonly code: ResolveFailureCode; readonly message: string };

export interface ResolveContext {
  /** The one outbound client: resolver API calls obey the same policy and limits as downloads. */
  readonly client: OutboundClient;
  /** The item's overall deadline. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/**
 * Turns one kind of URL (a social post, a stock-photo page, a share link) into media
 * candidates, in the source's order. Expected failures are results; a thrown error is a bug.
 */
export interface Resolver {
  readonly id: string;
  /** True for the URLs this resolver takes (hosts and path shapes, short links included). */
  matches(url: URL): boolean;
  resolve(url: URL, context: ResolveContext): Promise<ResolveResult>;
}
