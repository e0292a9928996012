import type {} from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { NotFoundError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { type Actor, type Permission, requirePermission } from '../services/access.js';
import { parseInput } from './validation.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteContext<B, Q, P> {
  readonly actor: Actor;
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * One API route: its schemas validate requests and describe the route in `/openapi.json`, so the
 * two cannot drift apart. `permission` is checked (403) before the input is validated (422).
 */
export interface ApiRoute<B = unknown, Q = unknown, P = unknown> {
  readonly method: Method;
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly permission: Permission;
  /** `json` (default when there is a body) or `multipart`: anything else is 415. */
  readonly accepts?: 'json' | 'multipart';
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  /** Status → description and, where there is one, the response schema. */
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
  readonly status?: number;
  readonly handler: (ctx: RouteContext<B, Q, P>) => Promise<unknown>;
}

/**
 * A route of any input types, for lists of routes. Handlers are contravariant in their input,
 * so no narrower element type admits every route.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApiRoute = ApiRoute<any, any, any>;

/** Type-checks a route literal; the generic parameters come from its schemas. */
export function defineRoute<B = undefined, Q = undefined, P = undefined>(route: ApiRoute<B, Q, P>): ApiRoute<B, Q, P> {
  return route;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function checkContentType(route: ApiRoute<unknown, unknown, unknown>, request: FastifyRequest): void {
  const accepts = route.accepts ?? (route.body ? 'json' : undefined);
  const contentType = request.headers['content-type'];
  if (accepts === 'json' && contentType !== undefined && !isJson(contentType)) {
    throw new UnsupportedMediaTypeError('The request body must be application/json.');
  }
  if (accepts === 'multipart' && !request.isMultipart()) {
    throw new UnsupportedMediaTypeError('The request body must be multipart/form-data.');
  }
}

/** Path parameters name resources: one that cannot exist is "not found", not a validation error. */
function parseParams<P>(schema: z.ZodType<P>, input: unknown): P {
  try {
    return parseInput(schema, input ?? {});
  } catch (error) {
    if (error instanceof ValidationError) throw new NotFoundError();
    throw error;
  }
}

/**
 * Registers API routes behind `authenticate`. Fastify's own schema
 * validation is not used: our schemas run in `parseInput` so every 422 has the contract's shape.
 */
export function registerApiRoutes(
  app: FastifyInstance,
  routes: readonly AnyApiRoute[],
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<Actor>,
): void {
  // Authentication and the rate limit run in `onRequest`, before Fastify parses the body: a
  // caller without a valid key (or over the limit) gets 401 (or 429) rather than a parser's
  // 400/413/415, and their body is never parsed.
  const actors = new WeakMap<FastifyRequest, Actor>();
  for (const route of routes as readonly ApiRoute<unknown, unknown, unknown>[]) {
    app.route({
      method: route.method,
      url: route.url,
      onRequest: async (request, reply) => {
        actors.set(request, await authenticate(request, reply));
      },
      handler: async (request, reply) => {
        const actor = actors.get(request);
        if (!actor) throw new Error('the request was not authenticated');
        requirePermission(actor, route.permission);
        checkContentType(route, request);
        const body = route.body && route.accepts !== 'multipart' ? parseInput(route.body, request.body ?? {}) : undefined;
        const query = route.query ? parseInput(route.query, request.query ?? {}) : undefined;
        const params = route.params ? parseParams(route.params, request.params) : undefined;
        const result = await route.handler({ actor, body, query, params, request, reply });
        if (reply.sent) return reply;
        return reply.status(route.status ?? 200).send(result);
      },
    });
  }
}
