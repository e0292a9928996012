import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attribution } from '../../src/media/types.js';
import { type TestApp, type TestUser, json, startApp } from '../helpers/app.js';
import { type FixtureWeb, startFixtureWeb } from '../helpers/fixture-web.js';

/**
 * The resolver contract suite: each resolver's cases (`<id>.cases.ts`) are recorded answers of
 * its site, served on the real host names, and what `POST /media/upload/url` must answer for
 * the URL a user gives: the media in order, each with its name, alt and attribution, or the
 * skip code.
 */

export interface ExpectedMedia {
  /** The stored name, extension included (it comes from the bytes). */
  readonly name: string;
  readonly alt?: string | null;
  /** Checked when given (`null` included). */
  readonly attribution?: Attribution | null;
  readonly mime_type?: string;
}

export interface ExpectedSkip {
  readonly code: string;
  /** The item's URL when the given URL named several. */
  readonly item_url?: string;
  /** A fragment the message must contain. */
  readonly message?: string | RegExp;
}

export interface ResolverCase {
  /** What the case shows. */
  readonly name: string;
  /** The URL a user gives. */
  readonly url: string;
  /** Keys and switches for this case; an app is started per distinct env. */
  readonly env?: Readonly<Record<string, string>>;
  /** Serves the site's recorded answers and the media on the fixture web. */
  setup(web: FixtureWeb): void | Promise<void>;
  readonly media?: readonly ExpectedMedia[];
  readonly skipped?: readonly ExpectedSkip[];
  /** Further checks on what the sites were asked (a tracking call, a header sent). */
  check?(web: FixtureWeb, body: ImportAnswer): void | Promise<void>;
}

export interface ImportAnswer {
  readonly media: Array<Record<string, unknown> & { name: string; alt: string | null; source_url: string; attribution: Attribution | null; mime_type: string }>;
  readonly skipped: Array<{ url: string; code: string; message: string; item_url?: string }>;
}

/** Shared state of one resolver test file: the fixture web and one app per env. */
export interface Harness {
  readonly web: FixtureWeb;
  /** Imports `urls` with an app started with `env` (started once per distinct env). */
  importUrls(urls: readonly string[], env?: Readonly<Record<string, string>>): Promise<ImportAnswer>;
  app(env?: Readonly<Record<string, string>>): Promise<{ app: TestApp; user: TestUser }>;
}

/** Starts the fixture web before the file's tests and stops it and every app after. */
export function useHarness(): Harness {
  let web: FixtureWeb | undefined;
  const apps = new Map<string, Promise<{ app: TestApp; user: TestUser }>>();
  beforeAll(async () => {
    web = await startFixtureWeb();
  });
  afterAll(async () => {
    const started = await Promise.allSettled([...apps.values()]);
    await Promise.all(started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.app.close()] : [])));
    await web?.close();
  });
  const harness: Harness = {
    get web() {
      if (!web) throw new Error('the fixture web starts in beforeAll');
      return web;
    },
    app(env = {}) {
      const key = JSON.stringify(Object.entries(env).sort());
      let started = apps.get(key);
      if (!started) {
        const fixtures = harness.web;
        started = (async () => {
          const app = await startApp({ ...fixtures.env, ...env }, { hostResolver: fixtures.hostResolver });
          return { app, user: await app.user() };
        })();
        apps.set(key, started);
      }
      return started;
    },
    async importUrls(urls, env = {}) {
      const { app, user } = await harness.app(env);
      const res = await app.api(user.token, '/api/v1/media/upload/url', json({ workspace_id: user.workspaceId, urls }));
      const body = (await res.json()) as ImportAnswer;
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    },
  };
  return harness;
}

/** One `it` per case, through the real endpoint. */
export function runResolverCases(label: string, cases: readonly ResolverCase[]): Harness {
  const harness = useHarness();
  describe(`${label}: recorded cases`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const web = harness.web;
        web.reset();
        await c.setup(web);
        const body = await harness.importUrls([c.url], c.env);
        expectAnswer(body, c);
        await c.check?.(web, body);
      });
    }
  });
  return harness;
}

/** The answer holds exactly the expected media, in order, and exactly the expected skips. */
export function expectAnswer(body: ImportAnswer, c: Pick<ResolverCase, 'url' | 'media' | 'skipped'>): void {
  const media = c.media ?? [];
  const skipped = c.skipped ?? [];
  const shown = JSON.stringify(body, null, 1);
  expect(body.media.map((m) => m.name), shown).toEqual(media.map((m) => m.name));
  media.forEach((want, index) => {
    const got = body.media[index]!;
    expect(got.source_url).toBe(c.url);
    if (want.alt !== undefined) expect(got.alt, `alt of ${want.name}`).toBe(want.alt);
    if (want.attribution !== undefined) expect(got.attribution, `attribution of ${want.name}`).toEqual(want.attribution);
    if (want.mime_type !== undefined) expect(got.mime_type, `type of ${want.name}`).toBe(want.mime_type);
  });
  expect(body.skipped.map((s) => s.code), shown).toEqual(skipped.map((s) => s.code));
  skipped.forEach((want, index) => {
    const got = body.skipped[index]!;
    expect(got.url).toBe(c.url);
    expect(got.item_url).toBe(want.item_url);
    if (want.message !== undefined) expect(got.message).toMatch(want.message);
    // A user-facing message, never a stack trace or an internal error.
    expect(got.message).not.toMatch(/\n\s+at |TypeError|undefined|\[object /);
  });
}
