import type { z } from 'zod';
import { FetchError } from '../../net/fetch-error.js';
import { toFetchError } from '../../net/http-client.js';
import type { ResolveContext, ResolveFailure } from '../types.js';
import { fail, unexpected } from './results.js';

/** API answers and pages a resolver reads are small; a larger one is not what we asked for. */
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

export interface SiteRequest {
  readonly url: string | URL;
  /** Sent to this URL's origin only (see `GetOptions.headers`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly accept?: string;
  readonly maxBytes?: number;
  /**
   * Read at most `maxBytes` and stop there instead of failing with `too_large`: for pages whose
   * data sits near the top, not for JSON (a cut document does not parse).
   */
  readonly truncate?: boolean;
  /** POST this value as JSON instead of a GET. */
  readonly json?: unknown;
}

/** A value, or the reason there is none. */
export type Got<T> = { readonly ok: true; readonly value: T } | ResolveFailure;

/** A site's answer, read whole: any status (the resolver decides what a status means). */
export interface SiteAnswer {
  readonly ok: true;
  readonly status: number;
  /** After redirects. */
  readonly url: URL;
  readonly text: string;
  header(name: string): string | undefined;
  /** Every value of a header that may repeat (`set-cookie`). */
  headerAll(name: string): string[];
}

/**
 * One request of a resolver through the one outbound client, the body read whole (bounded).
 * Network and policy failures (a blocked address, a timeout) come back as their skip codes;
 * anything else thrown is a bug and is rethrown.
 */
export async function fetchSite(context: ResolveContext, request: SiteRequest): Promise<SiteAnswer | ResolveFailure> {
  const limit = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const options = {
    maxBytes: request.truncate ? Number.MAX_SAFE_INTEGER : limit,
    signal: context.signal,
    accept: request.accept ?? 'application/json, text/html;q=0.9, */*;q=0.5',
    ...(request.headers ? { headers: request.headers } : {}),
  };
  try {
    const response =
      request.json === undefined ? await context.client.get(request.url, options) : await context.client.post(request.url, { ...options, json: request.json });
    const text = request.truncate ? await response.textPrefix(limit) : await response.text();
    return { ok: true, status: response.status, url: response.url, text, header: (name) => response.header(name), headerAll: (name) => response.headerAll(name) };
  } catch (error) {
    const failure = error instanceof FetchError ? error : toFetchError(error, context.signal);
    if (!failure) throw error;
    return fail(failure.code, failure.message);
  }
}

/** A 2xx answer. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

/**
 * What an error status means for a post or photo the user pointed at. Resolvers that know their
 * site better (a key that was rejected, an error code in the body) decide before calling this.
 */
export function statusFailure(status: number, label: string): ResolveFailure {
  if (status === 404 || status === 410) return fail('not_found', `${label} says this does not exist (or no longer does).`);
  if (status === 401 || status === 403) return fail('login_required', `${label} says this is private or needs a login.`);
  if (status === 429) return fail('http_error', `${label} is limiting how often Intake may ask; try again later.`);
  return fail('http_error', `${label} answered ${status}.`);
}

/** The body as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A JSON body checked against the shape the resolver relies on. A body that is not JSON or not
 * of that shape is `resolver_failed`, logged with what was wrong.
 */
export function readShape<T>(context: ResolveContext, answer: SiteAnswer, schema: z.ZodType<T>, what: string): Got<T> {
  // The URL is logged without its query: some APIs take their key there (Pixabay, GIPHY).
  const url = `${answer.url.origin}${answer.url.pathname}`;
  const json = parseJson(answer.text);
  if (json === undefined) {
    return unexpected(context, `${what} is not JSON`, { status: answer.status, url, body: answer.text.slice(0, 500) });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return unexpected(context, `${what} has an unexpected shape`, { status: answer.status, url, issues: parsed.error.issues.slice(0, 10) });
  }
  return { ok: true, value: parsed.data };
}

/**
 * The usual case in one call: fetch, map an error status (after `onStatus` had its say), and
 * check the JSON's shape.
 */
export async function fetchJson<T>(
  context: ResolveContext,
  request: SiteRequest & {
    readonly label: string;
    readonly what: string;
    /** Decides what a non-2xx answer means before the defaults do; undefined leaves it to them. */
    readonly onStatus?: (answer: SiteAnswer) => ResolveFailure | undefined;
  },
  schema: z.ZodType<T>,
): Promise<Got<T>> {
  const answer = await fetchSite(context, request);
  if (!answer.ok) return answer;
  if (!isSuccess(answer.status)) return request.onStatus?.(answer) ?? statusFailure(answer.status, request.label);
  return readShape(context, answer, schema, request.what);
}
