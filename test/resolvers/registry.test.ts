import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RESOLVERS, claimUrl } from '../../src/resolvers/registry.js';
import type { ResolverCase } from './harness.js';

/**
 * The registry's contract: every resolver has real sample URLs that it alone claims, and
 * recorded fixture cases run through the endpoint by a test file of its own.
 */

const here = path.dirname(fileURLToPath(import.meta.url));

async function casesOf(id: string): Promise<readonly ResolverCase[] | undefined> {
  const file = path.join(here, `${id}.cases.ts`);
  if (!fs.existsSync(file)) return undefined;
  return ((await import(file)) as { cases: readonly ResolverCase[] }).cases;
}

describe('resolver registry', () => {
  it('has unique, lower-case ids', () => {
    const ids = RESOLVERS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  describe.each(RESOLVERS.map((r) => [r.id, r] as const))('%s', (id, resolver) => {
    it('has sample URLs, each claimed by this resolver and no other', () => {
      expect(resolver.samples.length).toBeGreaterThan(0);
      for (const sample of resolver.samples) {
        const claimants = RESOLVERS.filter((r) => r.claim(new URL(sample)) !== null).map((r) => r.id);
        expect(claimants, sample).toEqual([id]);
      }
    });

    it('has fixture cases whose URLs it claims, some importing media and some failing, and a test file that runs them', async () => {
      const cases = await casesOf(id);
      expect(cases, `test/resolvers/${id}.cases.ts`).toBeDefined();
      expect(cases!.length).toBeGreaterThan(0);
      expect(cases!.some((c) => (c.media ?? []).length > 0), 'a case that imports media').toBe(true);
      expect(cases!.some((c) => (c.skipped ?? []).length > 0), 'a case that fails').toBe(true);
      for (const c of cases!) expect(claimUrl(new URL(c.url))?.resolver.id, c.url).toBe(id);
      const test = fs.readFileSync(path.join(here, `${id}.test.ts`), 'utf8');
      expect(test).toMatch(new RegExp(`from '\\./${id}\\.cases\\.js'`));
      expect(test).toMatch(/runResolverCases\(/);
    });
  });

  it('never throws while matching, whatever the URL looks like', () => {
    const mutations = (sample: string): string[] => {
      const url = new URL(sample);
      const variants = [
        `${url.origin}/`,
        `${url.origin}${url.pathname}/extra/segments/../x`,
        `${url.origin}${url.pathname}%E0%A4%A/%00/%ZZ`,
        `${url.origin}${url.pathname.toUpperCase()}`,
        `${url.origin}${url.pathname}?${'q'.repeat(3000)}=1#frag`,
        `${url.protocol}//user:pass@${url.host}${url.pathname}`,
        `${url.protocol}//${url.hostname}:8443${url.pathname}`,
        `${url.protocol}//${url.hostname}.${url.pathname}`,
        `${url.protocol}//xn--80ak6aa92e.${url.hostname}${url.pathname}`,
        `${url.origin}${url.pathname.replace(/[^/]+$/, '')}`,
        `${url.origin}${url.pathname.replace(/[^/]+$/, '😀'.repeat(50))}`,
        `${url.origin}${'/a'.repeat(500)}`,
        `ftp://${url.host}${url.pathname}`,
      ];
      return variants;
    };
    for (const resolver of RESOLVERS) {
      for (const sample of resolver.samples) {
        for (const variant of mutations(sample)) {
          const parsed = URL.parse(variant);
          if (!parsed) continue;
          for (const other of RESOLVERS) expect(() => other.claim(parsed), `${other.id} on ${variant}`).not.toThrow();
        }
      }
    }
  });

  it('has no fixture cases for a resolver that does not exist', () => {
    const ids = new Set(RESOLVERS.map((r) => r.id));
    const orphans = fs
      .readdirSync(here)
      .filter((f) => f.endsWith('.cases.ts'))
      .map((f) => f.replace(/\.cases\.ts$/, ''))
      .filter((id) => !ids.has(id));
    expect(orphans).toEqual([]);
  });
});
