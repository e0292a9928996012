import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSite, ensureBuilt, makeSite, runJson } from '../helpers/ops-cli.js';

let env: CliSite;
beforeAll(async () => {
  await ensureBuilt();
  env = await makeSite();
});
afterAll(async () => {
  await env?.cleanup();
});

describe('migrate', () => {
  it('applies every migration once when several processes start at the same moment', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runJson<{ applied: string[] }>(['migrate'], env.env)),
    );
    // Exactly one process applied the migrations; the others waited and found nothing to do.
    expect(results.map((r) => r.applied).filter((applied) => applied.length > 0)).toEqual([['0001_initial', '0002_idempotency']]);
    expect(await runJson<{ applied: string[] }>(['migrate'], env.env)).toEqual({ applied: [] });
    // The schema is usable from a fresh process.
    const user = await runJson<{ email: string }>(['users', 'create', 'first@example.test'], env.env);
    expect(user.email).toBe('first@example.test');
  });
});
