import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startApp } from '../helpers/app.js';
import { awaitWindowWithRoom, readJson, startSecondInstance } from '../helpers/ops-util.js';

const LIMIT = 5;

let app: TestApp;
let second: TestApp | undefined;
beforeAll(async () => {
  app = await startApp({ INTAKE_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
});
afterAll(async () => {
  await second?.close();
  await app?.close();
});

function headersOf(res: Response) {
  return {
    limit: res.headers.get('x-ratelimit-limit'),
    remaining: res.headers.get('x-ratelimit-remaining'),
    reset: Number(res.headers.get('x-ratelimit-reset')),
  };
}

async function expectLimited(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(await readJson(res)).toEqual({ message: 'Too Many Attempts.' });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('rate limit', () => {
  it('counts down in the headers and answers 429 after the limit', async () => {
    const user = await app.user();
    await awaitWindowWithRoom();
    const before = Math.floor(Date.now() / 1000);
    const resets = new Set<number>();
    for (let i = 1; i <= LIMIT; i += 1) {
      const res = await app.api(user.token, i % 2 ? '/api/v1/workspaces' : '/api/v1/media');
      expect(res.status).toBe(200);
      const h = headersOf(res);
      expect(h.limit).toBe(String(LIMIT));
      expect(h.remaining).toBe(String(LIMIT - i));
      resets.add(h.reset);
    }
    // One fixed window: the same reset on every answer, a UNIX second within the next minute.
    expect(resets.size).toBe(1);
    const [reset = 0] = [...resets];
    expect(Number.isInteger(reset)).toBe(true);
    expect(reset).toBeGreaterThan(before);
    expect(reset).toBeLessThanOrEqual(before + 60);

    const limited = await app.api(user.token, '/api/v1/workspaces');
    expect(headersOf(limited)).toEqual({ limit: String(LIMIT), remaining: '0', reset });
    await expectLimited(limited);
    // Still limited, whatever the route.
    await expectLimited(await app.api(user.token, '/api/v1/folders'));
  });

  it('puts the headers on error answers under /api/v1 too', async () => {
    const user = await app.user();
    await awaitWindowWithRoom();
    const res = await app.api(user.token, '/api/v1/media/987654321');
    expect(res.status).toBe(404);
    expect(headersOf(res)).toMatchObject({ limit: String(LIMIT), remaining: String(LIMIT - 1) });
  });

  it('limits before it reads the body, and counts requests whose body is bad', async () => {
    const user = await app.user();
    await awaitWindowWithRoom();
    const bad = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' };
    for (let i = 1; i <= LIMIT; i += 1) {
      const res = await app.api(user.token, '/api/v1/folders', bad);
      expect(res.status).toBe(400);
      expect(headersOf(res)).toMatchObject({ limit: String(LIMIT), remaining: String(LIMIT - i) });
    }
    await expectLimited(await app.api(user.token, '/api/v1/folders', bad));
  });

  it('counts per user across all their keys', async () => {
    const user = await app.user();
    const other = await app.user();
    const secondKey = await app.services.keys.create(user.id, { name: 'second' });
    await awaitWindowWithRoom();
    const tokens = [user.token, secondKey.token, user.token, secondKey.token, user.token];
    for (const [i, token] of tokens.entries()) {
      const res = await app.api(token, '/api/v1/workspaces');
      expect(res.status).toBe(200);
      expect(headersOf(res).remaining).toBe(String(LIMIT - i - 1));
    }
    await expectLimited(await app.api(user.token, '/api/v1/workspaces'));
    await expectLimited(await app.api(secondKey.token, '/api/v1/workspaces'));

    // Another user has a window of their own.
    const res = await app.api(other.token, '/api/v1/workspaces');
    expect(res.status).toBe(200);
    expect(headersOf(res)).toMatchObject({ limit: String(LIMIT), remaining: String(LIMIT - 1) });
  });

  it('shares the counter between instances on one database', async () => {
    second = await startSecondInstance(app, { INTAKE_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    const user = await app.user();
    await awaitWindowWithRoom();
    // Alternate between the instances: each answer counts the other's requests too.
    for (let i = 1; i <= LIMIT; i += 1) {
      const instance = i % 2 ? second : app;
      const res = await instance.api(user.token, '/api/v1/workspaces');
      expect(res.status).toBe(200);
      expect(headersOf(res).remaining).toBe(String(LIMIT - i));
    }
    await expectLimited(await second.api(user.token, '/api/v1/workspaces'));
    await expectLimited(await app.api(user.token, '/api/v1/workspaces'));
  });
});
