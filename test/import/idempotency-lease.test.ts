import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('an Idempotency-Key whose request never finished', () => {
  it('answers 409 while it may still be running, and is taken over once its lease is over', async () => {
    const user = await app.user();
    const { idempotency, db } = app.services;
    await expect(idempotency.start(user.id, 'crashed', 'hash-1')).resolves.toEqual({ kind: 'new' });
    // The process "dies": the record stays pending.
    await expect(idempotency.start(user.id, 'crashed', 'hash-1')).rejects.toThrow(/still in progress/);

    const aged = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();
    await db.updateTable('idempotency_keys').set({ created_at: aged(5) }).where('key', '=', 'crashed').execute();
    await expect(idempotency.start(user.id, 'crashed', 'hash-1')).rejects.toThrow(/still in progress/);

    await db.updateTable('idempotency_keys').set({ created_at: aged(7) }).where('key', '=', 'crashed').execute();
    await expect(idempotency.start(user.id, 'crashed', 'hash-1')).resolves.toEqual({ kind: 'new' });
  });
});
