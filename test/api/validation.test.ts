import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestUser, json, startApp } from '../helpers/app.js';
import { readJson } from '../helpers/ops-util.js';

let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  app = await startApp();
  user = await app.user();
});
afterAll(async () => {
  await app?.close();
});

/** A stack trace or an internal file path must never reach a client. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\n\s+at\s/);
  expect(text).not.toMatch(/node_modules|\/src\/|\.ts:\d+/);
  expect(text).not.toMatch(/"stack"/);
}

function raw(body: string, contentType: string): RequestInit {
  return { method: 'POST', headers: { 'content-type': contentType }, body };
}

async function folders(): Promise<unknown[]> {
  return readJson(await app.api(user.token, '/api/v1/folders'));
}

describe('request bodies', () => {
  it.each([
    ['truncated', '{"workspace_id": 1, "name": '],
    ['single quotes', "{'name': 'x'}"],
    ['trailing comma', '{"name": "x",}'],
    ['not JSON at all', 'name=x'],
  ])('answers malformed JSON (%s) with 400 and a message', async (_label, body) => {
    const res = await app.api(user.token, '/api/v1/folders', raw(body, 'application/json'));
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const parsed = JSON.parse(text) as { message?: unknown };
    expect(typeof parsed.message).toBe('string');
    expect(String(parsed.message).length).toBeGreaterThan(0);
    expectNoInternals(text);
    expect(await folders()).toEqual([]);
  });

  it('answers an empty JSON body with 400', async () => {
    const res = await app.api(user.token, '/api/v1/folders', raw('', 'application/json'));
    expect(res.status).toBe(400);
    expect(typeof (await readJson(res)).message).toBe('string');
  });

  it.each([
    ['text/plain', JSON.stringify({ workspace_id: 1, name: 'x' })],
    ['application/xml', '<folder><name>x</name></folder>'],
    ['application/x-www-form-urlencoded', 'workspace_id=1&name=x'],
  ])('answers a %s body with 415', async (contentType, body) => {
    const res = await app.api(user.token, '/api/v1/folders', raw(body, contentType));
    const text = await res.text();
    expect(res.status).toBe(415);
    expect(typeof (JSON.parse(text) as { message?: unknown }).message).toBe('string');
    expectNoInternals(text);
    expect(await folders()).toEqual([]);
  });

  it('ignores unknown fields', async () => {
    const other = await app.user();
    const res = await app.api(
      other.token,
      '/api/v1/folders',
      json({ workspace_id: other.workspaceId, name: 'Extra', favourite: true, id: 999999, created_at: '1999-01-01T00:00:00Z' }),
    );
    const body = await readJson(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ workspace_id: other.workspaceId, name: 'Extra', color: '#4F46E5', parent_id: null });
    expect(body.id).not.toBe(999999);
    expect(body).not.toHaveProperty('favourite');
    expect(body.created_at).not.toBe('1999-01-01T00:00:00Z');
  });

  it('names every missing field', async () => {
    const res = await app.api(user.token, '/api/v1/folders', json({}));
    const body = await readJson(res);
    expect(res.status).toBe(422);
    expect(typeof body.message).toBe('string');
    expect(Object.keys(body.errors).sort()).toEqual(['name', 'workspace_id']);
    expect(body.errors.workspace_id).toEqual(['The workspace id field is required.']);
    expect(body.errors.name).toEqual(['The name field is required.']);
  });

  it('names every wrong field', async () => {
    const res = await app.api(user.token, '/api/v1/folders', json({ workspace_id: 'first', name: '', color: 'red' }));
    const body = await readJson(res);
    expect(res.status).toBe(422);
    expect(typeof body.message).toBe('string');
    expect(Object.keys(body.errors).sort()).toEqual(['color', 'name', 'workspace_id']);
    for (const messages of Object.values(body.errors)) {
      expect(Array.isArray(messages)).toBe(true);
      expect((messages as unknown[]).length).toBeGreaterThan(0);
      for (const m of messages as unknown[]) expect(typeof m).toBe('string');
    }
    // The message is the first field's message.
    expect(body.message).toContain(body.errors.workspace_id[0]);
    expect(await folders()).toEqual([]);
  });

  it.each([
    ['a fraction', { workspace_id: 1.5, name: 'x' }, 'workspace_id'],
    ['a negative id', { workspace_id: -3, name: 'x' }, 'workspace_id'],
    ['a boolean', { workspace_id: true, name: 'x' }, 'workspace_id'],
    ['a number as name', () => ({ workspace_id: user.workspaceId, name: 42 }), 'name'],
    ['a name of 256 characters', () => ({ workspace_id: user.workspaceId, name: 'n'.repeat(256) }), 'name'],
    ['a short colour', () => ({ workspace_id: user.workspaceId, name: 'x', color: '#FFF' }), 'color'],
  ])('answers %s with 422 naming the field', async (_label, input, field) => {
    const body = typeof input === 'function' ? input() : input;
    const res = await app.api(user.token, '/api/v1/folders', json(body));
    const answer = await readJson(res);
    expect(res.status).toBe(422);
    expect(Object.keys(answer.errors)).toEqual([field]);
  });

  it.each(['[]', '"text"', '42'])('answers the JSON body %s, which is not an object, with 422', async (body) => {
    const res = await app.api(user.token, '/api/v1/folders', raw(body, 'application/json'));
    const text = await res.text();
    expect(res.status, text).toBe(422);
    expectNoInternals(text);
    const answer = JSON.parse(text) as { message: string; errors: Record<string, string[]> };
    expect(answer.errors).toEqual({ body: ['The body field must be an object.'] });
    expect(answer.message).not.toMatch(/\s{2}/);
  });

  it('answers a JSON null body as if no field was sent', async () => {
    const res = await app.api(user.token, '/api/v1/folders', raw('null', 'application/json'));
    expect(res.status).toBe(422);
    expect(Object.keys((await readJson(res)).errors).sort()).toEqual(['name', 'workspace_id']);
  });
});

describe('authentication comes before the body', () => {
  it.each([
    ['malformed JSON', 'application/json', '{"name": '],
    ['an unsupported type', 'application/xml', '<folder/>'],
    ['text', 'text/plain', 'hello'],
    ['a large JSON body', 'application/json', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })],
  ])('answers %s without a key with 401', async (_label, contentType, body) => {
    const res = await fetch(`${app.url}/api/v1/folders`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(res.status).toBe(401);
    expect(await readJson(res)).toEqual({ message: 'Unauthenticated.' });
  });
});

describe('query strings', () => {
  it.each(['0', '-1', 'ten', '1.5'])('answers per_page=%s with 422 naming per_page', async (value) => {
    const res = await app.api(user.token, `/api/v1/media?per_page=${value}`);
    const body = await readJson(res);
    expect(res.status).toBe(422);
    expect(Object.keys(body.errors)).toEqual(['per_page']);
  });

  it('answers root_only together with folder_id with 422', async () => {
    const res = await app.api(user.token, '/api/v1/media?root_only=true&folder_id=1');
    expect(res.status).toBe(422);
    expect((await readJson(res)).errors).toHaveProperty('root_only');
  });
});

describe('routes', () => {
  it.each([
    ['GET', '/api/v1/nothing-here'],
    ['GET', '/api/v2/media'],
    ['POST', '/api/v1/workspaces'],
    ['PATCH', '/api/v1/folders/1'],
    ['GET', '/definitely/not/here'],
  ])('answers an unknown route %s %s with 404 JSON', async (method, pathname) => {
    const res = await app.api(user.token, pathname, { method });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await readJson(res)).toEqual({ message: 'Not found.' });
  });

  it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999'])('answers the media id %s with 404', async (id) => {
    for (const method of ['GET', 'DELETE']) {
      const res = await app.api(user.token, `/api/v1/media/${id}`, { method });
      expect(res.status, `${method} ${id}`).toBe(404);
      expect(await readJson(res)).toEqual({ message: 'Not found.' });
    }
  });

  it('answers a non-numeric folder id with 404', async () => {
    const res = await app.api(user.token, '/api/v1/folders/abc');
    expect(res.status).toBe(404);
    expect(await readJson(res)).toEqual({ message: 'Not found.' });
  });
});
