import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { type ServiceOverrides, type Services, buildServer, buildServices } from './app.js';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { type Bootstrapped, bootstrapIfEmpty } from './services/bootstrap.service.js';
import { sweepTemporary } from './services/sweep.js';

export interface RunningServer {
  readonly services: Services;
  readonly server: FastifyInstance;
  readonly url: string;
  /** Stops accepting, lets requests in flight finish (up to the grace period), closes the database. */
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel });
}

/**
 * Opens the database, applies pending migrations, creates the first owner on an empty database,
 * and listens. `announce` receives what a person must see once: the first owner and key.
 */
export async function startServer(
  config: Config,
  log: Logger,
  announce: (first: Bootstrapped) => void,
  overrides: ServiceOverrides = {},
): Promise<RunningServer> {
  const database: DatabaseHandle = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
    const services = await buildServices(config, database, log, overrides);
    const first = await bootstrapIfEmpty(services.directory, services.keys, config.adminEmail);
    if (first) announce(first);
    await sweepTemporary(services.storage, log);
    // Idempotency records are kept 24 hours; expired ones are also ignored when read.
    const prune = () => services.idempotency.prune().catch((error: unknown) => log.warn({ err: error }, 'idempotency prune failed'));
    await prune();
    const pruneTimer = setInterval(() => void prune(), 3600_000);
    pruneTimer.unref();
    const server = await buildServer(services);
    const url = await server.listen({ port: config.port, host: config.host });
    const close = async () => {
      const grace = config.shutdownGraceSeconds * 1000;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          log.warn('grace period over; closing remaining connections');
          server.server.closeAllConnections();
          resolve();
        }, grace);
      });
      // Fastify closes the connections that are idle when closing starts. A kept-alive
      // connection whose request was still in flight goes idle only once it is answered, and
      // would then hold the shutdown until the grace period: close those as they go idle.
      const sweep = setInterval(() => server.server.closeIdleConnections(), 100);
      await Promise.race([server.close(), deadline]);
      clearInterval(sweep);
      clearTimeout(timer);
      clearInterval(pruneTimer);
      await services.outbound.close();
      await database.close();
    };
    return { services, server, url, close };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** What a person sees once, on the first start: the key, and how to use it. */
export function describeBootstrap(first: Bootstrapped, publicUrl: string): string {
  return [
    'Intake is set up. This key is shown once; keep it somewhere safe:',
    '',
    `  ${first.token}`,
    '',
    `Owner: ${first.email}   Workspace: "Default" (id ${first.workspaceId})`,
    `Try:  curl -H 'Authorization: Bearer ${first.token}' ${publicUrl}/api/v1/workspaces`,
    '',
  ].join('\n');
}

/**
 * `intake serve`: runs until SIGTERM/SIGINT, then shuts down gracefully and exits 0. With
 * `json`, the first-start announcement is one JSON line (`{"email","workspace_id","key"}`).
 */
export async function serve(config: Config, options: { json?: boolean } = {}): Promise<void> {
  const log = createLogger(config);
  const announce = (first: Bootstrapped) =>
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ email: first.email, workspace_id: first.workspaceId, key: first.token })}\n`
        : `${describeBootstrap(first, config.publicUrl)}\n`,
    );
  const running = await startServer(config, log, announce);
  log.info({ url: running.url, data_dir: config.dataDir, database: config.database.kind }, 'Intake listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
