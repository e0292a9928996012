import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { parseRange } from '../range.js';

const fileParams = z.object({ id: z.coerce.number().int().positive(), name: z.string() });
const fileQuery = z.object({ expires: z.coerce.number().int(), signature: z.string().min(1).max(128) });

/** `filename` for old clients (ASCII only) and `filename*` (RFC 8187) for the real name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Serves stored bytes behind links signed by Intake (see `FileLinks`). No API key: the
 * signature is the credential, and it expires.
 */
export function registerFileRoutes(app: FastifyInstance, s: Services): void {
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = fileParams.safeParse(request.params);
    const query = fileQuery.safeParse(request.query);
    if (!params.success) throw new NotFoundError();
    if (!query.success || !s.links.verify(params.data.id, query.data.expires, query.data.signature)) {
      throw new ForbiddenError('This link is invalid or has expired.');
    }
    const found = await s.media.findForServing(params.data.id);
    if (!found) throw new NotFoundError();
    const { media, storageKey } = found;
    const size = Number(media.size);
    const etag = `"${storageKey.split('/').pop() ?? media.id}"`;
    const secondsLeft = Math.max(0, query.data.expires - Math.floor(Date.now() / 1000));

    reply
      .header('Content-Type', media.mime_type)
      .header('ETag', etag)
      .header('Accept-Ranges', 'bytes')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', contentDisposition(media.name))
      .header('Cache-Control', `private, max-age=${secondsLeft}`)
      .header('Content-Security-Policy', "default-src 'none'; sandbox");

    if (request.headers['if-none-match'] === etag) return reply.status(304).send();

    const ifRange = request.headers['if-range'];
    const wanted = ifRange === undefined || ifRange === etag ? parseRange(request.headers.range, size) : { kind: 'none' as const };
    if (wanted.kind === 'unsatisfiable') {
      // The error body is JSON, not the file's type (an object sent as image/png is a 500).
      return reply
        .status(416)
        .header('Content-Range', `bytes */${size}`)
        .header('Content-Type', 'application/json; charset=utf-8')
        .send({ message: 'Range Not Satisfiable' });
    }
    const range = wanted.kind === 'range' ? wanted.range : undefined;
    const length = range ? range.end - range.start + 1 : size;
    reply.header('Content-Length', String(length));
    if (range) reply.status(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    if (request.method === 'HEAD' || length === 0) return reply.send();
    const body = await s.storage.get(storageKey, range);
    return reply.send(body);
  };
  // HEAD is its own route: Fastify's automatic one answers an empty reply with Content-Length 0.
  app.route({ method: ['GET', 'HEAD'], url: '/files/:id/:name', exposeHeadRoute: false, handler: serve });
}
