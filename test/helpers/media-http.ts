import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { expect } from 'vitest';
import { type TestApp, json } from './app.js';

/** Rate limiting is not under test here: every app of these suites gets a generous limit. */
export const MEDIA_ENV = { INTAKE_RATE_LIMIT_PER_MINUTE: '100000' } as const;

// ---- multipart/form-data by hand, so order, file names and headers are exactly what we say -----

export type Part =
  | { name: string; value: string }
  /** `filename: null` sends no filename parameter at all (the part is a file by its content type). */
  | { name: string; data: Buffer; filename?: string | null; contentType?: string };

export interface Multipart {
  readonly contentType: string;
  readonly head: (parts: readonly Part[]) => Buffer;
  readonly body: (parts: readonly Part[]) => Buffer;
  readonly boundary: string;
}

export function multipart(): Multipart {
  const boundary = `----intake-test-${randomBytes(8).toString('hex')}`;
  const partHead = (part: Part) => {
    if ('value' in part) return `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`;
    const filename = part.filename === null ? '' : `; filename="${part.filename ?? 'upload.bin'}"`;
    return (
      `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n` +
      `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`
    );
  };
  const encode = (parts: readonly Part[], close: boolean) =>
    Buffer.concat([
      ...parts.flatMap((part) => [
        Buffer.from(partHead(part), 'utf8'),
        'value' in part ? Buffer.from(part.value, 'utf8') : part.data,
        Buffer.from('\r\n'),
      ]),
      Buffer.from(close ? `--${boundary}--\r\n` : ''),
    ]);
  return {
    boundary,
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: (parts) => encode(parts, true),
    /** Everything up to (and including) the header of the last part, whose bytes follow. */
    head: (parts) => {
      const last = parts[parts.length - 1];
      if (!last || 'value' in last) throw new Error('the last part must be a file');
      return Buffer.concat([encode(parts.slice(0, -1), false), Buffer.from(partHead(last), 'utf8')]);
    },
  };
}

export interface ApiResult {
  status: number;
  headers: Headers;
  body: any;
}

async function result(res: Response): Promise<ApiResult> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

/** POSTs the parts as multipart/form-data to the upload endpoint. */
export async function postParts(app: TestApp, token: string, parts: readonly Part[]): Promise<ApiResult> {
  const form = multipart();
  return result(
    await app.api(token, '/api/v1/media/upload/file', {
      method: 'POST',
      headers: { 'content-type': form.contentType },
      body: form.body(parts),
    }),
  );
}

export interface UploadOptions {
  workspaceId: number | string;
  folderId?: number | string;
  filename?: string | null;
  /** Send the fields after the file instead of before it. */
  fieldsAfter?: boolean;
}

export async function upload(app: TestApp, token: string, bytes: Buffer, options: UploadOptions): Promise<ApiResult> {
  const fields: Part[] = [{ name: 'workspace_id', value: String(options.workspaceId) }];
  if (options.folderId !== undefined) fields.push({ name: 'folder_id', value: String(options.folderId) });
  const file: Part = { name: 'file', data: bytes, filename: options.filename === undefined ? 'upload.bin' : options.filename };
  return postParts(app, token, options.fieldsAfter ? [file, ...fields] : [...fields, file]);
}

/** Uploads and expects 201; the media object. */
export async function uploaded(app: TestApp, token: string, bytes: Buffer, options: UploadOptions): Promise<any> {
  const res = await upload(app, token, bytes, options);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.media;
}

export async function call(app: TestApp, token: string, pathname: string, init: RequestInit = {}): Promise<ApiResult> {
  return result(await app.api(token, pathname, init));
}

export const post = (app: TestApp, token: string, pathname: string, body: unknown) => call(app, token, pathname, json(body));
export const put = (app: TestApp, token: string, pathname: string, body: unknown) =>
  call(app, token, pathname, { ...json(body), method: 'PUT' });
export const del = (app: TestApp, token: string, pathname: string) => call(app, token, pathname, { method: 'DELETE' });

export async function download(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

// ---- What is on disk and in the tables --------------------------------------------------------

/** Every file under the media storage (temp and `.part` files included) and every media/blob row. */
export async function snapshot(app: TestApp) {
  const db = app.services.db;
  return {
    files: await app.storedFiles(),
    media: await db.selectFrom('media').selectAll().orderBy('id').execute(),
    blobs: await db.selectFrom('blobs').selectAll().orderBy('id').execute(),
  };
}

/** Where identical bytes of a workspace are stored (relative to the media storage root). */
export function blobPath(workspaceId: number, sha: string): string {
  return `${workspaceId}/${sha.slice(0, 2)}/${sha}`;
}

export async function blobsOf(app: TestApp, workspaceId: number, sha: string) {
  return app.services.db.selectFrom('blobs').selectAll().where('workspace_id', '=', workspaceId).where('sha256', '=', sha).execute();
}

// ---- Raw HTTP for uploads that are cut off or larger than the limit ----------------------------

function requestTo(app: TestApp, token: string, headers: Record<string, string>): http.ClientRequest {
  const { hostname, port } = new URL(app.url);
  const req = http.request({
    host: hostname,
    port: Number(port),
    method: 'POST',
    path: '/api/v1/media/upload/file',
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  // Writes after the server answered and closed may fail; the answer is what matters.
  req.on('error', () => undefined);
  return req;
}

export interface StreamedResult {
  status: number;
  body: any;
  /** Bytes of the body produced by the time the response headers arrived. */
  writtenAtResponse: number;
  total: number;
}

/**
 * Sends `head`, then `fileSize` bytes of file (starting with `fileStart`), then the closing
 * boundary, in small chunks with a pause between them, as a streamed (chunked) body; stops
 * producing bytes once the response headers arrive.
 */
export async function slowUpload(
  app: TestApp,
  token: string,
  form: Multipart,
  head: Buffer,
  fileStart: Buffer,
  fileSize: number,
  chunkSize = 16 * 1024,
  pauseMs = 1,
): Promise<StreamedResult> {
  const tail = Buffer.from(`\r\n--${form.boundary}--\r\n`);
  const total = head.length + fileSize + tail.length;
  let written = 0;
  let sent = 0;
  let answered = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (answered) return controller.close();
      let chunk: Buffer;
      if (written === 0) chunk = head;
      else if (sent < fileSize) {
        const n = Math.min(chunkSize, fileSize - sent);
        const piece = sent < fileStart.length ? fileStart.subarray(sent, sent + n) : Buffer.alloc(0);
        chunk = Buffer.concat([piece, randomBytes(n - piece.length)]);
        sent += n;
      } else {
        controller.enqueue(tail);
        written += tail.length;
        return controller.close();
      }
      written += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const res = await fetch(`${app.url}/api/v1/media/upload/file`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': form.contentType },
    body,
    duplex: 'half',
  });
  answered = true;
  const writtenAtResponse = written;
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, writtenAtResponse, total };
}

/**
 * Starts an upload, writes `head` and `partial` bytes of the file, waits until `ready` holds
 * (the server is visibly storing the file), then disconnects without finishing the body.
 */
export async function abortedUpload(
  app: TestApp,
  token: string,
  form: Multipart,
  head: Buffer,
  partial: Buffer,
  declaredFileSize: number,
  ready: () => Promise<boolean>,
): Promise<{ answered: boolean }> {
  const total = head.length + declaredFileSize + Buffer.byteLength(`\r\n--${form.boundary}--\r\n`);
  const req = requestTo(app, token, { 'content-type': form.contentType, 'content-length': String(total) });
  let answered = false;
  req.on('response', (res) => {
    answered = true;
    res.resume();
  });
  req.write(head);
  req.write(partial);
  await expect.poll(ready, { timeout: 10_000, interval: 20 }).toBe(true);
  req.destroy();
  return { answered };
}

/**
 * An upload by a client that writes as fast as the connection takes it (no pauses) and never
 * stops on its own, as most HTTP clients do with a file: resolves with the answer it received,
 * or with the network error that cost it the answer.
 */
export async function eagerUpload(
  app: TestApp,
  token: string,
  form: Multipart,
  head: Buffer,
  fileStart: Buffer,
  fileSize: number,
): Promise<{ status: number; body: any } | { error: string }> {
  const total = head.length + fileSize + Buffer.byteLength(`\r\n--${form.boundary}--\r\n`);
  const req = requestTo(app, token, { 'content-type': form.contentType, 'content-length': String(total) });
  const answer = new Promise<{ status: number; body: any } | { error: string }>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
  const chunk = randomBytes(16 * 1024);
  let sent = 0;
  let done = false;
  void answer.then(() => (done = true));
  req.write(head);
  req.write(fileStart);
  sent += fileStart.length;
  while (!done && sent < fileSize && !req.destroyed) {
    const piece = chunk.subarray(0, Math.min(chunk.length, fileSize - sent));
    sent += piece.length;
    if (!req.write(piece)) await new Promise((resolve) => req.once('drain', resolve).once('close', resolve));
  }
  const result = await answer;
  req.destroy();
  return result;
}

/** `2026-11-26T10:00:00Z`: UTC, second precision. */
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export const MEDIA_FIELDS = [
  'id', 'name', 'url', 'mime_type', 'size', 'is_processing', 'type', 'ai_generated_id', 'is_reference', 'progress', 'alt',
  'workspace_id', 'folder_id', 'width', 'height', 'duration', 'thumbnail_url', 'source_url', 'attribution', 'created_at',
] as const;

/**
 * Every field of a freshly uploaded media object, exactly: `expected` gives the values that
 * depend on the upload; the rest are what any upload must show.
 */
export function expectUploadedMedia(
  media: any,
  expected: { name: string; mime_type: string; type: string; size: number; workspace_id: number; folder_id?: number | null; width: number | null; height: number | null },
): void {
  expect(Object.keys(media).sort()).toEqual([...MEDIA_FIELDS].sort());
  expect(Number.isInteger(media.id) && media.id > 0).toBe(true);
  expect(media).toEqual({
    id: media.id,
    name: expected.name,
    url: expect.any(String),
    mime_type: expected.mime_type,
    size: expected.size,
    is_processing: false,
    type: expected.type,
    ai_generated_id: null,
    is_reference: false,
    progress: 100,
    alt: null,
    workspace_id: expected.workspace_id,
    folder_id: expected.folder_id ?? null,
    width: expected.width,
    height: expected.height,
    duration: null,
    thumbnail_url: media.thumbnail_url === null ? null : expect.any(String),
    source_url: null,
    attribution: null,
    created_at: expect.stringMatching(TIMESTAMP),
  });
  expect(Number.isNaN(Date.parse(media.created_at))).toBe(false);
  const url = new URL(media.url);
  expect(url.protocol).toMatch(/^https?:$/);
  expect(url.pathname.startsWith(`/files/${media.id}/`)).toBe(true);
}
