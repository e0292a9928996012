import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import path from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { DatabaseHandle, Db } from './db/database.js';
import { makeAuthenticator } from './http/auth.js';
import { registerErrorHandler } from './http/error-handler.js';
import { buildOpenApi } from './http/openapi.js';
import { registerApiRoutes } from './http/route.js';
import { registerFileRoutes } from './http/routes/files.routes.js';
import { folderRoutes } from './http/routes/folders.routes.js';
import { importRoutes } from './http/routes/import.routes.js';
import { mediaRoutes } from './http/routes/media.routes.js';
import { registerOpsRoutes } from './http/routes/ops.routes.js';
import { uploadRoutes } from './http/routes/upload.routes.js';
import { workspaceRoutes } from './http/routes/workspaces.routes.js';
import { Metrics } from './metrics.js';
import type { HostResolver } from './net/host-resolver.js';
import { OutboundClient } from './net/http-client.js';
import { RESOLVERS } from './resolvers/registry.js';
import { DirectoryService } from './services/directory.service.js';
import { FoldersService } from './services/folders.service.js';
import { IdempotencyService } from './services/idempotency.service.js';
import { ImportService } from './services/import.service.js';
import { IngestService } from './services/ingest.service.js';
import { KeysService } from './services/keys.service.js';
import { FileLinks } from './services/links.js';
import { MediaService } from './services/media.service.js';
import { RateLimitService } from './services/rate-limit.service.js';
import { signingSecret } from './services/settings.service.js';
import type { StorageDriver } from './storage/driver.js';
import { LocalDriver } from './storage/local.driver.js';

/** Everything the routes and the CLI use, built once. */
export interface Services {
  readonly config: Config;
  readonly log: Logger;
  readonly database: DatabaseHandle;
  readonly db: Db;
  readonly storage: StorageDriver;
  readonly metrics: Metrics;
  readonly links: FileLinks;
  readonly keys: KeysService;
  readonly directory: DirectoryService;
  readonly rateLimit: RateLimitService;
  readonly media: MediaService;
  readonly folders: FoldersService;
  readonly ingest: IngestService;
  /** The one outbound HTTP client: every request that leaves Intake goes through it. */
  readonly outbound: OutboundClient;
  readonly importer: ImportService;
  readonly idempotency: IdempotencyService;
}

export function createStorage(config: Config): StorageDriver {
  return new LocalDriver(path.join(config.dataDir, 'media'));
}

/** The composition root: config → database → storage → services. The database must be migrated. */
/** What tests may put in place of a real part; nothing in production passes these. */
export interface ServiceOverrides {
  /** Where outbound names resolve and connect: tests map real host names to fixture servers. */
  readonly hostResolver?: HostResolver;
}

export async function buildServices(config: Config, database: DatabaseHandle, log: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const db = database.db;
  const storage = createStorage(config);
  const media = new MediaService(db, storage);
  const ingest = new IngestService(db, storage, { maxFileBytes: config.maxFileBytes, maxImagePixels: config.maxImagePixels }, log);
  const outbound = new OutboundClient(config.fetch, overrides.hostResolver);
  const metrics = new Metrics();
  return {
    config,
    log,
    database,
    db,
    storage,
    metrics,
    links: new FileLinks(config.publicUrl, await signingSecret(db, config.signingSecret), config.urlTtlSeconds),
    keys: new KeysService(db),
    directory: new DirectoryService(db),
    rateLimit: new RateLimitService(db, config.rateLimitPerMinute),
    media,
    folders: new FoldersService(db, media),
    ingest,
    outbound,
    importer: new ImportService({
      client: outbound,
      ingest,
      limits: { perRequest: config.fetch.perRequestConcurrency, process: config.fetch.processConcurrency, maxFileBytes: config.maxFileBytes },
      log,
      resolvers: RESOLVERS.filter((resolver) => !config.resolvers.disabled.includes(resolver.id)),
      keys: config.resolvers.keys,
      metrics,
    }),
    idempotency: new IdempotencyService(db),
  };
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Requests too malformed to route (bad header bytes, a broken request line) still get our shape. */
function answerMalformedRequest(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const body = JSON.stringify({ message: status === '400 Bad Request' ? 'Bad Request.' : 'Request Header Fields Too Large.' });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The HTTP server over the services. Not listening yet. */
export async function buildServer(s: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: s.log,
    trustProxy: s.config.trustProxy,
    // Echo a caller's X-Request-Id when it is a sane token; otherwise make one.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    clientErrorHandler: answerMalformedRequest,
    // The pino logger type is narrower than Fastify's base logger type; they are the same object.
  }) as unknown as FastifyInstance;

  await app.register(multipart);
  registerErrorHandler(app);

  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    s.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    s.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  const routes = [...workspaceRoutes(s), ...mediaRoutes(s), ...uploadRoutes(s), ...importRoutes(s), ...folderRoutes(s)];
  registerApiRoutes(app, routes, makeAuthenticator(s.keys, s.rateLimit));
  registerFileRoutes(app, s);
  registerOpsRoutes(app, s, () => buildOpenApi(routes, s.config.publicUrl));
  return app;
}
