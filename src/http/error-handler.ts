import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/database.js';
import { lingerAfterAnswer } from './linger.js';
import { AppError, TooManyRequestsError, UnavailableError, ValidationError } from '../errors.js';

// Keys are made by Intake, never by a client: a file-system error on one means the storage
// itself is unusable (full, read-only, permissions, a file where a directory belongs).
const STORAGE_UNAVAILABLE = new Set(['ENOSPC', 'EROFS', 'EIO', 'EDQUOT', 'EACCES', 'EPERM', 'ESTALE', 'ENOTDIR', 'EEXIST']);

function isStorageUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_UNAVAILABLE.has(code);
}

/** Multipart and parser errors raised by Fastify for a client's mistake, with our wording. */
function clientError(error: FastifyError): { status: number; body: Record<string, unknown> } | null {
  switch (error.code) {
    case 'FST_FILES_LIMIT':
      return { status: 422, body: new ValidationError({ file: ['Only one file may be uploaded.'] }).toBody() };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { message: 'Unsupported Media Type.' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { message: 'The request body is empty but Content-Type says JSON.' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { message: 'The request body is too large.' } };
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, body: { message: `Malformed JSON: ${error.message}` } };
  }
  const status = error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { message: error.message } };
  }
  return null;
}

function send(reply: FastifyReply, status: number, body: Record<string, unknown>): FastifyReply {
  // An error sent before the request body was read (413, 415, an early 422 on an upload):
  // close the connection rather than read the rest of a large body, but gently enough that a
  // client still sending can read the answer.
  if (!reply.request.raw.complete) {
    reply.header('Connection', 'close');
    lingerAfterAnswer(reply.request.raw);
  }
  return reply.status(status).send(body);
}

/** The one place errors become HTTP answers. Unknown errors are bugs: 500, logged, no detail. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
      if (error instanceof UnavailableError) request.log.warn({ err: error.cause ?? error }, `${error.dependency} unavailable`);
      return send(reply, error.status, error instanceof ValidationError ? error.toBody() : { message: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return send(reply, 503, { message: 'Service temporarily unavailable.' });
    }
    if (isStorageUnavailable(error)) {
      request.log.error({ err: error }, 'storage unavailable');
      return send(reply, 503, { message: 'Service temporarily unavailable.' });
    }
    const mapped = clientError(error);
    if (mapped) return send(reply, mapped.status, mapped.body);
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, { message: `Server Error. Request id: ${request.id}` });
  });

  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ message: 'Not found.' }));
}
