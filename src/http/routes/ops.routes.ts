import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.js';

/** Operational endpoints: no key, no rate limit. */
export function registerOpsRoutes(app: FastifyInstance, s: Services, openapi: () => Record<string, unknown>): void {
  app.get('/healthz', () => Promise.resolve({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const checks = await Promise.all(
      [
        ['database', () => s.database.ping()],
        ['storage', () => s.storage.check()],
      ].map(async ([name, check]) => {
        try {
          await (check as () => Promise<void>)();
          return [name as string, 'ok'] as const;
        } catch (error) {
          request.log.warn({ err: error }, `${String(name)} not ready`);
          return [name as string, 'unavailable'] as const;
        }
      }),
    );
    const ready = checks.every(([, state]) => state === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: Object.fromEntries(checks) });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('Content-Type', s.metrics.registry.contentType);
    return s.metrics.registry.metrics();
  });

  let document: Record<string, unknown> | undefined;
  app.get('/openapi.json', () => Promise.resolve((document ??= openapi())));
}
