import fs from 'node:fs';
import { createRequire } from 'node:module';
import { type Readable, Transform, pipeline } from 'node:stream';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { Agent, type Dispatcher, errors, request } from 'undici';
import { formatBytes } from '../errors.js';
import { AddressPolicy } from './address-policy.js';
import { FetchError } from './fetch-error.js';
import { guardedConnector } from './guarded-connector.js';
import { type HostResolver, createResolver } from './host-resolver.js';
import { checkUrl } from './url-policy.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
export const USER_AGENT = `Intake/${version} (self-hosted media importer)`;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const MAX_ENCODINGS = 2;

export interface OutboundConfig {
  /** CIDRs exempt from the non-public-address block. */
  readonly allowedNetworks: readonly string[];
  readonly allowedPorts: readonly number[] | '*';
  /** `host:port` name servers for every outbound lookup; empty: the system resolver. */
  readonly dnsServers: readonly string[];
  readonly timeoutSeconds: number;
  readonly idleTimeoutSeconds: number;
  readonly maxRedirects: number;
  /** Extra trusted CA certificates (PEM) for HTTPS, on top of the system's. */
  readonly caFile: string | undefined;
}

export interface GetOptions {
  /** Most decoded bytes the body may have; more is `too_large`. */
  readonly maxBytes: number;
  /** The item's overall deadline (see `OutboundClient.deadline`); one is made when absent. */
  readonly signal?: AbortSignal;
  readonly accept?: string;
  /**
   * Extra request headers (an API key for a resolver, a site's own cookie). Never anything from
   * an inbound request. They go to the origin of the URL asked for only: a redirect to another
   * origin is followed without them, as browsers do with credentials.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PostOptions extends GetOptions {
  /** A JSON request body (an API that is asked, not browsed: Misskey's `notes/show`). */
  readonly json: unknown;
}

export interface OutboundResponse {
  /** The URL that answered, after redirects. */
  readonly url: URL;
  readonly status: number;
  /** The decoded body, counted; past `maxBytes` it fails with `FetchError('too_large')`. */
  readonly body: Readable;
  /** The first value of a header. */
  header(name: string): string | undefined;
  /** Every value of a header that may repeat (`set-cookie`). */
  headerAll(name: string): string[];
  /** The whole body as text (bounded by `maxBytes`). */
  text(): Promise<string>;
  /** At most the first `limit` bytes of the body as text; the rest is never read. */
  textPrefix(limit: number): Promise<string>;
  /** Drops the body without reading it. */
  discard(): void;
}

/**
 * The one outbound HTTP client. Every request Intake makes to the outside goes through it:
 * URL policy (scheme, length, credentials, port, literal addresses), a connector that judges
 * every address a socket connects to, redirects followed by hand and judged hop by hop, time
 * limits (first byte, between bytes, an overall deadline), a cap on decoded bytes, a fixed
 * User-Agent and no cookies or credentials of anyone's.
 */
export class OutboundClient {
  private readonly policy: AddressPolicy;
  private readonly dispatcher: Dispatcher;

  constructor(
    private readonly config: OutboundConfig,
    resolver: HostResolver = createResolver(config.dnsServers),
  ) {
    this.policy = new AddressPolicy(config.allowedNetworks);
    const idleMs = config.idleTimeoutSeconds * 1000;
    const ca = config.caFile ? [fs.readFileSync(config.caFile, 'utf8')] : undefined;
    this.dispatcher = new Agent({
      // An extra CA adds to the default roots rather than replacing them.
      connect: guardedConnector(this.policy, resolver, { ...(ca ? { ca: [...tls.rootCertificates, ...ca] } : {}), timeoutMs: idleMs }),
      headersTimeout: idleMs,
      bodyTimeout: idleMs,
      keepAliveTimeout: 4000,
    });
  }

  /** A fresh overall deadline for one item: its lookups, redirects and whole body. */
  deadline(): AbortSignal {
    return AbortSignal.timeout(this.config.timeoutSeconds * 1000);
  }

  /** GET a URL, following redirects. Rejects with `FetchError` for every expected failure. */
  get(input: string | URL, options: GetOptions): Promise<OutboundResponse> {
    return this.request(input, options, null);
  }

  /**
   * POST a JSON body, following redirects like `get`. A 301, 302 or 303 turns the request into
   * a GET without the body (as browsers do); 307 and 308 repeat the POST.
   */
  post(input: string | URL, options: PostOptions): Promise<OutboundResponse> {
    return this.request(input, options, JSON.stringify(options.json));
  }

  private async request(input: string | URL, options: GetOptions, firstBody: string | null): Promise<OutboundResponse> {
    const signal = options.signal ?? this.deadline();
    let url = this.checked(String(input));
    const origin = url.origin;
    let body = firstBody;
    for (let hop = 0; ; hop += 1) {
      const headers = url.origin === origin ? options.headers : undefined;
      const response = await this.send(url, { accept: options.accept, headers, body }, signal);
      const location = REDIRECTS.has(response.statusCode) ? headerValue(response.headers, 'location') : undefined;
      if (location === undefined) return this.wrap(url, response, options.maxBytes, signal);
      // A redirect's body is never read: close it rather than drain something of any size.
      closeBody(response.body);
      if (hop >= this.config.maxRedirects) {
        throw new FetchError('too_many_redirects', `More than ${this.config.maxRedirects} redirects.`);
      }
      // Judged as sent: the URL parser would quietly drop a tab or newline, and a redirect must
      // not be repaired where the same URL given directly is refused.
      if (CONTROL_CHARACTERS.test(location)) {
        throw new FetchError('invalid_url', 'The source redirected to a URL with control characters in it.');
      }
      let next: string;
      try {
        next = new URL(location, url).href;
      } catch {
        throw new FetchError('invalid_url', `The source redirected to an invalid URL: ${location.slice(0, 200)}`);
      }
      url = this.checked(next, 'redirected to');
      if (response.statusCode !== 307 && response.statusCode !== 308) body = null;
    }
  }

  /**
   * Closes every connection, aborting what is still in flight. Called at shutdown once the
   * HTTP server has let its requests finish (or their grace period ran out): a download still
   * running then has no one left to answer.
   */
  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }

  private checked(raw: string, context?: string): URL {
    const verdict = checkUrl(raw, { allowedPorts: this.config.allowedPorts, policy: this.policy });
    if (!verdict.ok) throw new FetchError(verdict.code, context ? `The source ${context} a URL that is refused: ${verdict.message}` : verdict.message);
    return verdict.url;
  }

  private async send(
    url: URL,
    options: { accept: string | undefined; headers: GetOptions['headers']; body: string | null },
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, {
        dispatcher: this.dispatcher,
        method: options.body === null ? 'GET' : 'POST',
        signal,
        headers: {
          'user-agent': USER_AGENT,
          accept: options.accept ?? '*/*',
          'accept-encoding': 'gzip, deflate, br',
          ...(options.body === null ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === null ? {} : { body: options.body }),
      });
    } catch (error) {
      throw toFetchError(error, signal) ?? error;
    }
  }

  private wrap(url: URL, response: Dispatcher.ResponseData, maxBytes: number, signal: AbortSignal): OutboundResponse {
    const raw = response.body;
    const declared = Number(headerValue(response.headers, 'content-length') ?? Number.NaN);
    const encodings = (headerValue(response.headers, 'content-encoding') ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter((e) => e !== '' && e !== 'identity')
      .reverse();
    if (encodings.length === 0 && Number.isFinite(declared) && declared > maxBytes) {
      // Destroyed, not drained: draining would download the whole oversized body anyway.
      closeBody(raw);
      throw new FetchError('too_large', `The file is larger than ${formatBytes(maxBytes)} (${formatBytes(declared)}).`);
    }
    const decoders = encodings.map((encoding) => decoderFor(encoding));
    if (decoders.length > MAX_ENCODINGS || decoders.some((d) => d === null)) {
      closeBody(raw);
      throw new FetchError('http_error', `The source used a content encoding Intake does not read: ${encodings.join(', ')}.`);
    }
    const body = pipeline([raw, ...(decoders as Transform[]), byteCap(maxBytes)], () => undefined) as unknown as Readable;
    return {
      url,
      status: response.statusCode,
      body,
      header: (name) => headerValue(response.headers, name),
      headerAll: (name) => {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? [] : Array.isArray(value) ? value : [value];
      },
      text: () => readText(body, Number.POSITIVE_INFINITY, signal),
      textPrefix: async (limit) => {
        try {
          return await readText(body, limit, signal);
        } finally {
          closeBody(body);
          closeBody(raw);
        }
      },
      discard: () => {
        closeBody(body);
        closeBody(raw);
      },
    };
  }
}

/** Up to `limit` bytes of a body as UTF-8 (a character cut at the end becomes U+FFFD). */
async function readText(body: Readable, limit: number, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, limit - size));
      size += buffer.length;
      if (size >= limit) break;
    }
  } catch (error) {
    throw toFetchError(error, signal) ?? error;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Closes a body without reading it. undici's body emits an AbortError when destroyed unread;
 * with no listener that would be an uncaught exception, so one is attached first.
 */
function closeBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/** Counts decoded bytes and fails the moment there are more than `max` (a small gzip can inflate far). */
function byteCap(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) return done(new FetchError('too_large', `The file is larger than ${formatBytes(max)}.`));
      done(null, chunk);
    },
  });
}


const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
  'ECONNABORTED',
  'ENOTCONN',
  'EPROTO',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_CONSTANT',
  'UND_ERR_INFO',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;
const ZLIB_CODE = /^Z_/;

/**
 * The skip code for an error raised while fetching or reading a body, or null when the error is
 * not a network failure (a bug, to be reported as one). `signal` tells a deadline from the rest.
 */
export function toFetchError(error: unknown, signal?: AbortSignal): FetchError | null {
  if (error instanceof FetchError) return error;
  if (signal?.aborted) return new FetchError('timeout', 'No complete answer within the time limit.', { cause: error });
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof FetchError) return current;
    // A source that does not speak HTTP (llhttp rejects it; these errors carry no code).
    if (current instanceof errors.HTTPParserError || (current as { code?: unknown }).code === 'UND_ERR_HEADERS_OVERFLOW') {
      return new FetchError('http_error', 'The source answered with something that is not valid HTTP.', { cause: error });
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (TIMEOUT_CODES.has(code)) return new FetchError('timeout', 'The source stopped sending within the time limit.', { cause: error });
    if (TLS_CODE.test(code)) return new FetchError('connect_failed', `The secure connection failed (${code}).`, { cause: error });
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'UND_ERR_SOCKET') {
      return new FetchError('connect_failed', 'The connection closed before the whole answer arrived.', { cause: error });
    }
    if (CONNECT_CODES.has(code)) return new FetchError('connect_failed', `The connection failed (${code}).`, { cause: error });
    if (ZLIB_CODE.test(code)) return new FetchError('http_error', 'The source sent a compressed body that could not be decoded.', { cause: error });
  }
  return null;
}
