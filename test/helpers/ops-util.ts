import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { type TestApp, postgresUrl, startApp } from './app.js';

/** A JSON body as a test reads it: loosely typed, checked by the assertions that follow. */
export type JsonBody = any;

export async function readJson(res: Response): Promise<JsonBody> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`Expected JSON, got ${res.status} ${res.headers.get('content-type')}: ${text.slice(0, 500)}`);
  }
}

/** The token of a key is `<id>|<secret>`. */
export function keyId(token: string): number {
  return Number(token.split('|')[0]);
}

/** A small real PNG. */
export async function pngBytes(width = 8, height = 6, background = '#0a0'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}

/** Uploads one file into a workspace with a token; the response as the client sees it. */
export async function upload(app: TestApp, token: string, workspaceId: number, bytes?: Buffer, name = 'pic.png'): Promise<Response> {
  const form = new FormData();
  form.set('workspace_id', String(workspaceId));
  form.set('file', new Blob([bytes ?? (await pngBytes())]), name);
  return app.api(token, '/api/v1/media/upload/file', { method: 'POST', body: form });
}

/**
 * The rate limit counts in fixed one-minute windows. A test that needs `seconds` of one window
 * waits for the next minute when fewer remain, so no count straddles a boundary. This is a wait,
 * not a timing assertion.
 */
export async function awaitWindowWithRoom(seconds = 3): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - seconds * 1000) await sleep(60_000 - intoMinute + 100);
}

/**
 * A second app instance on the database of `first`: the same SQLite file, or the same
 * PostgreSQL schema. It has its own data dir and port, as a second process behind a load
 * balancer would.
 */
export async function startSecondInstance(first: TestApp, env: Record<string, string> = {}): Promise<TestApp> {
  const database = first.services.config.database;
  const shared: Record<string, string> =
    database.kind === 'postgres'
      ? { DATABASE_URL: postgresUrl ?? database.url, INTAKE_DATABASE_SCHEMA: database.schema }
      : { DATABASE_URL: `sqlite:${database.file}` };
  return startApp({ ...shared, ...env });
}

/** Retries `attempt` until it returns something other than undefined (bounded, not timed). */
export async function eventually<T>(attempt: () => Promise<T | undefined>, tries = 100, pauseMs = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i += 1) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(pauseMs);
  }
  throw new Error(`gave up after ${tries} tries${last instanceof Error ? `: ${last.message}` : ''}`);
}
