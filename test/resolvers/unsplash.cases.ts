import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/** Recorded in the shape of Unsplash's photo object (official API and the keyless `/napi`). */

const KEY = 'unsplash-test-access-key';
const WITH_KEY = { INTAKE_UNSPLASH_ACCESS_KEY: KEY };
const ID = 'kaoHI0iHJPM';
const RAW = `https://images.unsplash.com/photo-1592194996308-7b43878e84a6?ixid=M3w1&ixlib=rb-4.0.3`;
const DOWNLOAD_LOCATION = `https://api.unsplash.com/photos/${ID}/download?ixid=M3w1MjM0NTZ8MHwxfGFsbHx8fHx8fHx8`;

function photo(overrides: Record<string, unknown> = {}) {
  return {
    id: ID,
    slug: `a-close-up-of-a-cat-${ID}`,
    width: 4000,
    height: 6000,
    color: '#262626',
    blur_hash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
    description: 'Whiskers, up close',
    alt_description: 'a close up of a cat looking at the camera',
    urls: {
      raw: RAW,
      full: `${RAW}&q=85&fm=jpg`,
      regular: `${RAW}&w=1080`,
      small: `${RAW}&w=400`,
      thumb: `${RAW}&w=200`,
    },
    links: {
      self: `https://api.unsplash.com/photos/${ID}`,
      html: `https://unsplash.com/photos/a-close-up-of-a-cat-${ID}`,
      download: `https://unsplash.com/photos/${ID}/download?ixid=M3w1`,
      download_location: DOWNLOAD_LOCATION,
    },
    user: { id: 'u1', username: 'jane', name: 'Jane Doe', links: { html: 'https://unsplash.com/@jane' } },
    premium: false,
    plus: false,
    ...overrides,
  };
}

const credit = { author: 'Jane Doe', author_url: 'https://unsplash.com/@jane', source: 'Unsplash', page_url: `https://unsplash.com/photos/a-close-up-of-a-cat-${ID}` };

async function raw(web: FixtureWeb): Promise<void> {
  await web.media('https://images.unsplash.com/photo-1592194996308-7b43878e84a6', 'jpeg');
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'with a key: the official API, the raw original, alt and credit, and the download tracked with the key',
    url: `https://unsplash.com/photos/a-close-up-of-a-cat-${ID}`,
    env: WITH_KEY,
    async setup(web) {
      web.json(`https://api.unsplash.com/photos/${ID}`, photo());
      web.json(DOWNLOAD_LOCATION, { url: `${RAW}&fm=jpg` });
      await raw(web);
    },
    media: [{ name: `unsplash-${ID}.jpg`, alt: 'a close up of a cat looking at the camera', attribution: credit, mime_type: 'image/jpeg' }],
    check(web) {
      const api = web.requestsTo('api.unsplash.com', `/photos/${ID}`);
      expect(api).toHaveLength(1);
      expect(api[0]!.headers.authorization).toBe(`Client-ID ${KEY}`);
      expect(api[0]!.headers['accept-version']).toBe('v1');
      const tracked = web.requestsTo('api.unsplash.com', `/photos/${ID}/download`);
      expect(tracked).toHaveLength(1);
      // Every query parameter kept, the key sent.
      expect(tracked[0]!.url.search).toBe(new URL(DOWNLOAD_LOCATION).search);
      expect(tracked[0]!.headers.authorization).toBe(`Client-ID ${KEY}`);
      // The key never goes to the image host.
      expect(web.requestsTo('images.unsplash.com').every((r) => r.headers.authorization === undefined)).toBe(true);
    },
  },
  {
    name: 'without a key: the keyless endpoint with the whole slug, and no tracking call',
    url: `https://unsplash.com/photos/a-close-up-of-a-cat-${ID}`,
    async setup(web) {
      web.json(`https://unsplash.com/napi/photos/a-close-up-of-a-cat-${ID}`, photo());
      await raw(web);
    },
    media: [{ name: `unsplash-${ID}.jpg`, alt: 'a close up of a cat looking at the camera', attribution: credit }],
    check(web) {
      expect(web.requestsTo('api.unsplash.com')).toEqual([]);
      expect(web.requestsTo('unsplash.com', `/napi/photos/a-close-up-of-a-cat-${ID}`)[0]!.headers.authorization).toBeUndefined();
    },
  },
  {
    name: 'a localised page and a bare id; the description stands in for a missing alt',
    url: `https://unsplash.com/de/fotos/${ID}`,
    async setup(web) {
      web.json(`https://unsplash.com/napi/photos/${ID}`, photo({ alt_description: null }));
      await raw(web);
    },
    media: [{ name: `unsplash-${ID}.jpg`, alt: 'Whiskers, up close' }],
  },
  {
    name: 'a key Unsplash rejects is not_configured, and says so',
    url: `https://unsplash.com/photos/${ID}`,
    env: WITH_KEY,
    setup: (web) => web.json(`https://api.unsplash.com/photos/${ID}`, { errors: ['OAuth error: The access token is invalid'] }, 401),
    skipped: [{ code: 'not_configured', message: /rejected the access key/ }],
  },
  {
    name: 'a photo that does not exist is not_found',
    url: 'https://unsplash.com/photos/gone-AAAAAAAAAAA',
    setup: (web) => web.json('https://unsplash.com/napi/photos/gone-AAAAAAAAAAA', { errors: ["Couldn't find Photo"] }, 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'an answer without urls is resolver_failed',
    url: `https://unsplash.com/photos/${ID}`,
    setup: (web) => web.json(`https://unsplash.com/napi/photos/${ID}`, { id: ID, links: {} }),
    skipped: [{ code: 'resolver_failed' }],
  },
];
