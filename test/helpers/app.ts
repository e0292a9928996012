import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Logger, pino } from 'pino';
import type { ServiceOverrides, Services } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Role } from '../../src/db/schema.js';
import { type RunningServer, describeBootstrap, startServer } from '../../src/server.js';

/** The PostgreSQL server the DB-backed suite runs against, when `DATABASE_URL` names one. */
export const postgresUrl = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;
export const dialectUnderTest = postgresUrl ? 'postgres' : 'sqlite';

export interface TestUser {
  readonly id: number;
  readonly email: string;
  readonly token: string;
  readonly workspaceId: number;
}

export interface TestApp {
  readonly url: string;
  readonly dataDir: string;
  readonly services: Services;
  /** What `serve` printed for a person (the first key). */
  readonly printed: string[];
  /** A user with their own workspace (as owner) and a key; `permissions` narrows the key. */
  user(options?: { permissions?: string[]; expiresInDays?: number }): Promise<TestUser>;
  /** Adds a user to a workspace with a role. */
  addMember(workspaceId: number, userId: number, role: Role): Promise<void>;
  /** Bearer-authenticated fetch against the app. */
  api(token: string, pathname: string, init?: RequestInit): Promise<Response>;
  /** Every file under the data dir's media storage, relative paths, sorted. */
  storedFiles(): Promise<string[]>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(path.relative(root, full));
    }
  };
  await walk(root);
  return out.sort();
}

let counter = 0;

/**
 * Starts Intake the way `serve` does (migrations, bootstrap, listen) on a fresh data dir and a
 * fresh database: a SQLite file, or a schema of its own in the PostgreSQL of `DATABASE_URL`.
 */
export async function startApp(
  env: Readonly<Record<string, string>> = {},
  overrides: ServiceOverrides = {},
  options: { log?: Logger } = {},
): Promise<TestApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'intake-test-'));
  const schema = postgresUrl ? `t_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}` : undefined;
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    INTAKE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    INTAKE_SHUTDOWN_GRACE_SECONDS: '5',
    ...(postgresUrl && schema ? { DATABASE_URL: postgresUrl, INTAKE_DATABASE_SCHEMA: schema } : {}),
    ...env,
  });
  const printed: string[] = [];
  const running: RunningServer = await startServer(config, options.log ?? pino({ level: 'silent' }), (first) =>
    printed.push(describeBootstrap(first, config.publicUrl)),
    overrides,
  );
  const { services } = running;
  const url = `http://127.0.0.1:${port}`;

  const app: TestApp = {
    url,
    dataDir,
    services,
    printed,
    async user(options = {}) {
      counter += 1;
      const email = `user${counter}-${randomBytes(3).toString('hex')}@example.test`;
      const user = await services.directory.createUser(email);
      const ws = await services.directory.createWorkspace(`ws of ${email}`, user.id);
      const key = await services.keys.create(user.id, { permissions: options.permissions, expiresInDays: options.expiresInDays });
      return { id: user.id, email, token: key.token, workspaceId: ws.id };
    },
    addMember: (workspaceId, userId, role) => services.directory.addMember(workspaceId, userId, role),
    api(token, pathname, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(`${url}${pathname}`, { ...init, headers });
    },
    storedFiles: () => listFiles(path.join(dataDir, 'media')),
    async close() {
      await running.close();
      if (postgresUrl && schema) {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`drop schema if exists "${schema}" cascade`);
        await client.end();
      }
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return app;
}

/** JSON body of a request to the API. */
export function json(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
