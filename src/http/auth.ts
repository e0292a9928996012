import type { FastifyReply, FastifyRequest } from 'fastify';
import { TooManyRequestsError, UnauthenticatedError } from '../errors.js';
import type { Actor } from '../services/access.js';
import type { KeysService } from '../services/keys.service.js';
import type { RateLimitService } from '../services/rate-limit.service.js';

/**
 * Bearer authentication followed by the per-user rate limit. Every authenticated response
 * carries the rate-limit headers; the request after the limit is a 429 with `Retry-After`.
 */
export function makeAuthenticator(keys: KeysService, rateLimit: RateLimitService) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<Actor> => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const actor = match?.[1] ? await keys.authenticate(match[1]) : null;
    if (!actor) throw new UnauthenticatedError();
    const state = await rateLimit.hit(actor.userId);
    reply.header('X-RateLimit-Limit', String(state.limit));
    reply.header('X-RateLimit-Remaining', String(state.remaining));
    reply.header('X-RateLimit-Reset', String(state.reset));
    if (state.exceeded) {
      throw new TooManyRequestsError(Math.max(1, state.reset - Math.floor(Date.now() / 1000)));
    }
    return actor;
  };
}
