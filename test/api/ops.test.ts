import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, dialectUnderTest, postgresUrl, startApp } from '../helpers/app.js';
import { TcpProxy } from '../helpers/ops-proxy.js';
import { type JsonBody, eventually, readJson } from '../helpers/ops-util.js';

describe('operational endpoints', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers /healthz without a key', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ status: 'ok' });
  });

  it('answers /readyz with each check', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ status: 'ok', checks: { database: 'ok', storage: 'ok' } });
  });

  it('does not rate-limit the operational endpoints', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('exposes Prometheus metrics with request counts by route pattern', async () => {
    const user = await app.user();
    await fetch(`${app.url}/healthz`);
    await app.api(user.token, '/api/v1/media/424242');
    await fetch(`${app.url}/definitely/not/here/777`);
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE intake_http_requests_total counter');
    expect(text).toMatch(/^intake_http_requests_total\{[^}]*route="\/healthz"[^}]*\} [1-9]\d*$/m);
    expect(text).toMatch(/^intake_http_requests_total\{method="GET",route="\/api\/v1\/media\/:id",status="404"\} [1-9]\d*$/m);
    // Labels are route patterns, never the raw path: no ids, no unknown paths.
    expect(text).not.toContain('424242');
    expect(text).not.toContain('/definitely/not/here');
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/);
    }
  });

  describe('/openapi.json', () => {
    let doc: JsonBody;
    beforeAll(async () => {
      const res = await fetch(`${app.url}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      doc = await readJson(res);
    });

    /** Every route the contract names, as `METHOD /path` with OpenAPI path templates. */
    const CONTRACT_ROUTES = [
      'POST /api/v1/media/upload/url',
      'POST /api/v1/media/upload/file',
      'GET /api/v1/media',
      'GET /api/v1/media/{id}',
      'DELETE /api/v1/media/{id}',
      'GET /api/v1/folders',
      'POST /api/v1/folders',
      'GET /api/v1/folders/{id}',
      'PUT /api/v1/folders/{id}',
      'DELETE /api/v1/folders/{id}',
      'GET /api/v1/workspaces',
    ];
    const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

    function documented(): string[] {
      const out: string[] = [];
      for (const [p, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(operations)) out.push(`${method.toUpperCase()} ${p}`);
      }
      return out.sort();
    }

    function operation(route: string): JsonBody {
      const [method = '', p = ''] = route.split(' ');
      return doc.paths?.[p]?.[method.toLowerCase()];
    }

    /** Which routes the server answers: without a key an existing API route is 401, anything else 404. */
    async function answered(): Promise<string[]> {
      const paths = new Set([...CONTRACT_ROUTES, ...documented()].map((r) => r.split(' ')[1] ?? ''));
      const out: string[] = [];
      for (const p of paths) {
        for (const method of METHODS) {
          const res = await fetch(`${app.url}${p.replace(/\{\w+\}/g, '1')}`, { method });
          await res.arrayBuffer();
          if (res.status === 401) out.push(`${method} ${p}`);
          else expect(res.status, `${method} ${p}`).toBe(404);
        }
      }
      return out.sort();
    }

    it('is OpenAPI 3.1 with a bearer scheme', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(typeof doc.info?.title).toBe('string');
      expect(typeof doc.info?.version).toBe('string');
      expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it('lists exactly the /api/v1 routes the server answers', async () => {
      const apiRoutes = documented().filter((r) => r.split(' ')[1]?.startsWith('/api/v1/'));
      expect(apiRoutes).toEqual(await answered());
      // The contract's routes that exist are among them (and most of the contract exists).
      const present = CONTRACT_ROUTES.filter((r) => apiRoutes.includes(r));
      expect(present.length).toBeGreaterThanOrEqual(CONTRACT_ROUTES.length - 1);
    });

    it('gives every operation its responses and path parameters', () => {
      for (const route of documented()) {
        const op = operation(route);
        const statuses = Object.keys(op.responses ?? {});
        expect(statuses.some((s) => /^2\d\d$/.test(s)), `${route} has a success response`).toBe(true);
        expect(statuses, route).toContain('401');
        for (const s of statuses) expect(typeof op.responses[s].description, `${route} ${s}`).toBe('string');
        const pathParams = [...(route.split(' ')[1] ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const name of pathParams) {
          expect(op.parameters, route).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
        }
      }
    });

    it('describes the folder bodies', () => {
      const create = operation('POST /api/v1/folders').requestBody.content['application/json'].schema;
      expect(Object.keys(create.properties).sort()).toEqual(['color', 'name', 'parent_id', 'workspace_id']);
      expect([...create.required].sort()).toEqual(['name', 'workspace_id']);
      const update = operation('PUT /api/v1/folders/{id}').requestBody.content['application/json'].schema;
      expect(Object.keys(update.properties).sort()).toEqual(['color', 'name', 'parent_id']);
      expect(update.required ?? []).toEqual([]);
    });

    it('describes the upload bodies', () => {
      const file = operation('POST /api/v1/media/upload/file').requestBody.content['multipart/form-data'].schema;
      expect(Object.keys(file.properties).sort()).toEqual(['file', 'folder_id', 'workspace_id']);
      expect([...file.required].sort()).toEqual(['file', 'workspace_id']);
      const byUrl = operation('POST /api/v1/media/upload/url');
      // Only when the server has the route (see the listing test above).
      if (byUrl) {
        const schema = byUrl.requestBody.content['application/json'].schema;
        expect(Object.keys(schema.properties).sort()).toEqual(['folder_id', 'urls', 'workspace_id']);
        expect([...schema.required].sort()).toEqual(['urls', 'workspace_id']);
      }
    });

    it('documents the list filters as query parameters', () => {
      const names = (op: JsonBody) => (op.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name).sort();
      expect(names(operation('GET /api/v1/media'))).toEqual(['folder_id', 'page', 'per_page', 'root_only', 'workspace_id']);
      expect(names(operation('GET /api/v1/folders'))).toEqual(['parent_id', 'root', 'workspace_id']);
    });
  });
});

// SQLite is a file opened inside the process: there is no server to lose and no connection to
// drop, so "the database is down" only exists for PostgreSQL.
describe.runIf(dialectUnderTest === 'postgres')('database down (PostgreSQL)', () => {
  let app: TestApp | undefined;
  let proxy: TcpProxy;
  let token = '';
  beforeAll(async () => {
    const target = new URL(postgresUrl ?? '');
    proxy = new TcpProxy(Number(target.port || 5432), '127.0.0.1');
    const port = await proxy.up(0);
    const viaProxy = new URL(target.href);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    app = await startApp({ DATABASE_URL: viaProxy.href });
    token = (await app.user()).token;
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.down();
  });

  it('answers 503, not 500, while the database is unreachable, and recovers', async () => {
    if (!app) throw new Error('app did not start');
    const served = app;
    expect((await served.api(token, '/api/v1/workspaces')).status).toBe(200);

    await proxy.down();
    const ready = await fetch(`${served.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await readJson(ready)).toMatchObject({ status: 'unavailable', checks: { database: 'unavailable', storage: 'ok' } });
    for (const pathname of ['/api/v1/workspaces', '/api/v1/media', '/api/v1/folders']) {
      const res = await served.api(token, pathname);
      const text = await res.text();
      expect(res.status, `${pathname}: ${text}`).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = JSON.parse(text) as { message?: unknown };
      expect(typeof body.message).toBe('string');
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|\n\s+at\s/);
    }
    // The process itself is still up.
    expect((await fetch(`${served.url}/healthz`)).status).toBe(200);

    await proxy.up();
    const status = await eventually(async () => {
      const res = await served.api(token, '/api/v1/workspaces');
      return res.status === 200 ? res.status : undefined;
    });
    expect(status).toBe(200);
    expect((await fetch(`${served.url}/readyz`)).status).toBe(200);
  });
});

describe('storage not ready', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers /readyz with 503 while the media directory is unusable, and recovers', async () => {
    const media = path.join(app.dataDir, 'media');
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    await fs.rm(media, { recursive: true, force: true });
    await fs.writeFile(media, 'not a directory');
    try {
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await readJson(res)).toEqual({ status: 'unavailable', checks: { database: 'ok', storage: 'unavailable' } });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await fs.rm(media, { force: true });
    }
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });
});
