import { z } from 'zod';
import type { AnyApiRoute } from './route.js';

const errorBody = z.object({
  message: z.string(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});

const COMMON_ERRORS: Record<number, string> = {
  401: 'Missing, invalid, expired or revoked key',
  403: 'The key lacks the permission, or the role lacks the capability',
  429: 'Rate limit exceeded (see Retry-After)',
  503: 'A dependency (database, storage) is unavailable',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** Path parameters and query parameters of a route, from its zod object schemas. */
function parameters(route: AnyApiRoute): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return out;
}

/** The OpenAPI 3.1 document, generated from the same schemas that validate requests. */
export function buildOpenApi(routes: readonly AnyApiRoute[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } } : {}),
      };
    }
    const errors: Record<number, string> = { ...COMMON_ERRORS };
    // Only routes that take input can fail validation; only routes that name a resource can miss it.
    if (route.body || route.query) errors[422] = 'Validation failed; `errors` names each field';
    if (route.params) errors[404] = 'Not found, or in a workspace the caller cannot reach';
    for (const [status, description] of Object.entries(errors)) {
      responses[status] ??= { description, content: { 'application/json': { schema: jsonSchema(errorBody, 'output') } } };
    }
    const body = route.body
      ? {
          requestBody: {
            required: true,
            content: {
              [route.accepts === 'multipart' ? 'multipart/form-data' : 'application/json']: {
                schema: jsonSchema(route.body, 'input'),
              },
            },
          },
        }
      : {};
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      description: `Requires the \`${route.permission}\` permission.`,
      security: [{ bearer: [] }],
      parameters: parameters(route),
      ...body,
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Intake media API',
      version: '1',
      description: 'PostSyncer-compatible media library API. Authenticate with `Authorization: Bearer <key id>|<secret>`.',
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
