import http from 'node:http';
import https from 'node:https';

/**
 * A plain HTTP(S) client for the network fixtures' self-tests that reports exactly what arrived,
 * half-finished bodies included, where fetch would only say "terminated". Never pools (every
 * request has its own connection) and remembers its requests, so a test's `afterEach` can
 * `destroyClientRequests()` whatever a failed test left hanging.
 */

const inFlight = new Set<http.ClientRequest>();

/** Destroys every request of this client still open. */
export function destroyClientRequests(): void {
  for (const req of inFlight) req.destroy();
  inFlight.clear();
}

export interface Opened {
  req: http.ClientRequest;
  res: http.IncomingMessage;
  /** The body bytes received so far. */
  bytes(): Buffer;
  /** Settles when the response ends or dies; `complete` is false for a cut-off body. */
  done: Promise<{ body: Buffer; complete: boolean; error?: Error }>;
}

export type RequestOptions = { method?: string; headers?: http.OutgoingHttpHeaders; ca?: string; agent?: http.Agent };

export function request(url: string, options: RequestOptions = {}): { req: http.ClientRequest; response: Promise<http.IncomingMessage> } {
  const client = url.startsWith('https:') ? https : http;
  const req = client.request(url, { agent: false, ...options });
  inFlight.add(req);
  req.on('close', () => inFlight.delete(req));
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  req.end();
  return { req, response };
}

export async function open(url: string, options: RequestOptions = {}): Promise<Opened> {
  const { req, response } = request(url, options);
  const res = await response;
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<{ body: Buffer; complete: boolean; error?: Error }>((resolve) => {
    let error: Error | undefined;
    res.on('error', (e) => (error = e));
    res.on('close', () => resolve({ body: Buffer.concat(chunks), complete: res.complete, ...(error ? { error } : {}) }));
  });
  return { req, res, bytes: () => Buffer.concat(chunks), done };
}

export async function get(url: string, options: RequestOptions = {}) {
  const { res, done } = await open(url, options);
  return { status: res.statusCode, headers: res.headers, ...(await done) };
}
