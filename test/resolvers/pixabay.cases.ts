import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of the Pixabay API (`/api/?key=&id=` and `/api/videos/?key=&id=`):
 * `{total, totalHits, hits: [...]}`, and its plain-text `[ERROR 400] …` errors.
 */

const KEY = 'pixabay-test-key';
const WITH_KEY = { INTAKE_PIXABAY_API_KEY: KEY };
const ID = 4910149;
const PAGE = `https://pixabay.com/photos/daffodils-spring-2020-03-07-garden-${ID}/`;
const LARGE = 'https://pixabay.com/get/g52e9d4434b56a514f6da8c7dda793679123ed8e050566c4870267cd1974dc75aba_1280.jpg';
const FULL = 'https://pixabay.com/get/g52e9d4434b56a514f6da8c7dda793679123ed8e050566c4870267cd19_original.jpg';
const FULL_HD = 'https://pixabay.com/get/g52e9d4434b56a514f6da8c7dda793679123ed8e050566c4870267cd19_1920.jpg';
const VIDEO_ID = 174472;
const VIDEO_PAGE = `https://pixabay.com/videos/ocean-sunset-coastline-drone-${VIDEO_ID}/`;
const CDN_VIDEO = `https://cdn.pixabay.com/video/2023/07/28/${VIDEO_ID}-849651924`;

const credit = { author: 'Meatle', author_url: 'https://pixabay.com/users/Meatle-9394834/', source: 'Pixabay', page_url: PAGE };

function imageHit(overrides: Record<string, unknown> = {}) {
  return {
    id: ID,
    pageURL: PAGE,
    type: 'photo',
    tags: 'daffodils, spring, garden',
    previewURL: `https://cdn.pixabay.com/photo/2020/03/07/15/52/daffodils-${ID}_150.jpg`,
    previewWidth: 150,
    previewHeight: 100,
    webformatURL: 'https://pixabay.com/get/g52e9d4434b56a514f1dc8460962930791439dbe6544c704c7c287ed4974fc75a_640.jpg',
    webformatWidth: 640,
    webformatHeight: 427,
    largeImageURL: LARGE,
    imageWidth: 4320,
    imageHeight: 2880,
    imageSize: 2614471,
    views: 532,
    downloads: 247,
    collections: 12,
    likes: 31,
    comments: 44,
    user_id: 9394834,
    user: 'Meatle',
    userImageURL: 'https://cdn.pixabay.com/user/2018/10/15/12-39-49-332_250x250.jpg',
    ...overrides,
  };
}

function rendition(name: string, width: number, height: number) {
  return { url: `${CDN_VIDEO}_${name}.mp4`, width, height, size: width * 1000, thumbnail: `${CDN_VIDEO}_${name}.jpg` };
}

function videoHit(videos: Record<string, unknown>) {
  return {
    id: VIDEO_ID,
    pageURL: VIDEO_PAGE,
    type: 'film',
    tags: 'ocean, sunset, coastline',
    duration: 30,
    videos,
    views: 1000,
    downloads: 300,
    likes: 20,
    comments: 3,
    user_id: 1281706,
    user: 'ionela_v',
    userImageURL: 'https://cdn.pixabay.com/user/2020/01/01/00-00-00-000_250x250.jpg',
  };
}

const imageApi = (id: number | string = ID) => `https://pixabay.com/api/?key=${KEY}&id=${id}`;
const videoApi = (id: number | string = VIDEO_ID) => `https://pixabay.com/api/videos/?key=${KEY}&id=${id}`;
const answer = (hits: unknown[]) => ({ total: hits.length, totalHits: hits.length, hits });

/** The key went to the API and nowhere else: not to `pixabay.com/get/`, not to the CDN. */
function keyOnlyToApi(web: FixtureWeb): void {
  const api = web.requests.filter((r) => r.url.hostname === 'pixabay.com' && r.url.pathname.startsWith('/api/'));
  expect(api).toHaveLength(1);
  expect(api[0]!.url.searchParams.get('key')).toBe(KEY);
  const others = web.requests.filter((r) => !api.includes(r));
  expect(others.length).toBeGreaterThan(0);
  for (const r of others) {
    expect(r.url.href).not.toContain(KEY);
    expect(JSON.stringify(r.headers)).not.toContain(KEY);
  }
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'a photo: the largest URL the key may have (largeImageURL), no alt from tags, the user credited; the key only to the API',
    url: PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(imageApi(), answer([imageHit()]));
      await web.media(LARGE, 'jpeg');
    },
    media: [{ name: `pixabay-${ID}.jpg`, alt: null, attribution: credit, mime_type: 'image/jpeg' }],
    check: (web) => keyOnlyToApi(web),
  },
  {
    name: 'with full API access: the original (imageURL) before fullHDURL and largeImageURL',
    url: PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(imageApi(), answer([imageHit({ imageURL: FULL, fullHDURL: FULL_HD, vectorURL: null })]));
      await web.media(FULL, 'png');
    },
    media: [{ name: `pixabay-${ID}.png`, mime_type: 'image/png' }],
    check(web) {
      expect(web.requestsTo('pixabay.com').map((r) => r.url.pathname)).toEqual(['/api/', new URL(FULL).pathname]);
      keyOnlyToApi(web);
    },
  },
  {
    name: 'an original that answers an error status falls back to fullHDURL',
    url: PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(imageApi(), answer([imageHit({ imageURL: FULL, fullHDURL: FULL_HD })]));
      web.text(FULL, 'expired', 410);
      await web.media(FULL_HD, 'jpeg');
    },
    media: [{ name: `pixabay-${ID}.jpg` }],
  },
  {
    name: 'a localised illustration page (/de/illustrations/) asks the images API by its id',
    url: 'https://pixabay.com/de/illustrations/question-mark-important-sign-1872665/',
    env: WITH_KEY,
    async setup(web) {
      const large = 'https://pixabay.com/get/g278ced78d0201672de1a81dcface32050aaae922ead527b0a80c9b8a5b9d48d_1280.jpg';
      web.json(
        imageApi(1872665),
        answer([imageHit({ id: 1872665, type: 'illustration', pageURL: 'https://pixabay.com/illustrations/question-mark-important-sign-1872665/', largeImageURL: large })]),
      );
      await web.media(large, 'jpeg');
    },
    media: [
      {
        name: 'pixabay-1872665.jpg',
        attribution: { ...credit, page_url: 'https://pixabay.com/illustrations/question-mark-important-sign-1872665/' },
      },
    ],
  },
  {
    name: 'a video: the largest rendition from the CDN, the user credited; the key only to the API',
    url: VIDEO_PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(videoApi(), answer([videoHit({ tiny: rendition('tiny', 640, 360), large: rendition('large', 1920, 1080), medium: rendition('medium', 1280, 720), small: rendition('small', 960, 540) })]));
      await web.media(`${CDN_VIDEO}_large.mp4`, 'mp4');
    },
    media: [
      {
        name: `pixabay-${VIDEO_ID}.mp4`,
        alt: null,
        mime_type: 'video/mp4',
        attribution: { author: 'ionela_v', author_url: 'https://pixabay.com/users/ionela_v-1281706/', source: 'Pixabay', page_url: VIDEO_PAGE },
      },
    ],
    check(web) {
      keyOnlyToApi(web);
      expect(web.requestsTo('cdn.pixabay.com').map((r) => r.url.pathname)).toEqual([new URL(`${CDN_VIDEO}_large.mp4`).pathname]);
    },
  },
  {
    name: 'a video without a large rendition (an empty URL) is its medium one; a bare host path without a slug',
    url: `https://www.pixabay.com/videos/id-${VIDEO_ID}`,
    env: WITH_KEY,
    async setup(web) {
      web.json(videoApi(), answer([videoHit({ large: { url: '', width: 0, height: 0, size: 0, thumbnail: '' }, medium: rendition('medium', 1280, 720), small: rendition('small', 960, 540) })]));
      await web.media(`${CDN_VIDEO}_medium.mp4`, 'mp4');
    },
    media: [{ name: `pixabay-${VIDEO_ID}.mp4`, mime_type: 'video/mp4' }],
  },
  {
    name: 'without a key: not_configured, and nothing is asked',
    url: PAGE,
    setup: () => undefined,
    skipped: [{ code: 'not_configured', message: /INTAKE_PIXABAY_API_KEY/ }],
    check(web) {
      expect(web.requests).toEqual([]);
    },
  },
  {
    name: 'a key Pixabay rejects (a plain-text [ERROR 400]) is not_configured, without the key in the message',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.text(imageApi(), `[ERROR 400] Invalid or missing API key (${KEY}).`, 400),
    skipped: [{ code: 'not_configured', message: /rejected the key in INTAKE_PIXABAY_API_KEY/ }],
    check(_web, body) {
      expect(JSON.stringify(body)).not.toContain(KEY);
    },
  },
  {
    name: 'an id Pixabay does not know ([ERROR 400] "id" is invalid) is not_found',
    url: 'https://pixabay.com/photos/gone-99999999/',
    env: WITH_KEY,
    setup: (web) => web.text(imageApi(99999999), '[ERROR 400] "id" is invalid', 400),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'an answer with no hits is not_found',
    url: 'https://pixabay.com/videos/gone-99999999/',
    env: WITH_KEY,
    setup: (web) => web.json(videoApi(99999999), answer([])),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'an answer without hits is resolver_failed',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(imageApi(), { total: 1, totalHits: 1, results: [imageHit()] }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'the rate limit (429) is http_error saying to try later',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.text(imageApi(), '[ERROR 429] Too many requests.', 429),
    skipped: [{ code: 'http_error', message: /try again later/ }],
  },
  {
    name: 'a video whose renditions all have empty URLs is no_media',
    url: VIDEO_PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(videoApi(), answer([videoHit({ large: { url: '', width: 0, height: 0 }, tiny: { url: '', width: 0, height: 0 } })])),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a media URL in the answer that points at a private address is blocked_address for that item',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(imageApi(), answer([imageHit({ largeImageURL: 'http://10.0.0.1/get/daffodils_1280.jpg' })])),
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/get/daffodils_1280.jpg' }],
  },
];
