import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/** Recorded in the shapes of Imgur's v3 API (`{data, success, status}`) and its direct links. */

const CLIENT_ID = 'imgur-test-client-id';
const WITH_KEY = { INTAKE_IMGUR_CLIENT_ID: CLIENT_ID };
const API = 'https://api.imgur.com/3';
const CDN = 'https://i.imgur.com';

function image(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    title: null,
    description: null,
    datetime: 1478787875,
    type: 'image/jpeg',
    animated: false,
    width: 1200,
    height: 800,
    size: 182731,
    views: 5123,
    bandwidth: 936174813,
    vote: null,
    favorite: false,
    nsfw: false,
    section: null,
    account_url: null,
    account_id: null,
    is_ad: false,
    in_most_viral: false,
    has_sound: false,
    tags: [],
    ad_type: 0,
    ad_url: '',
    edited: '0',
    in_gallery: false,
    link: `${CDN}/${id}.jpg`,
    ...overrides,
  };
}

function animated(id: string, description: string) {
  return image(id, { type: 'image/gif', animated: true, description, link: `${CDN}/${id}.gif`, mp4: `${CDN}/${id}.mp4`, gifv: `${CDN}/${id}.gifv`, mp4_size: 24656, looping: true });
}

function ok(data: unknown) {
  return { data, success: true, status: 200 };
}

function error(status: number, message: string, request: string) {
  return { data: { error: message, request, method: 'GET' }, success: false, status };
}

function album(id: string, images: unknown[], overrides: Record<string, unknown> = {}) {
  return {
    id,
    title: 'Cats of the week',
    description: null,
    datetime: 1444387070,
    cover: (images[0] as { id?: string } | undefined)?.id ?? null,
    cover_width: 1200,
    cover_height: 800,
    account_url: 'catlover',
    account_id: 4242,
    privacy: 'hidden',
    layout: 'blog',
    views: 9012,
    link: `https://imgur.com/a/${id}`,
    favorite: false,
    nsfw: false,
    section: null,
    images_count: images.length,
    in_gallery: false,
    is_ad: false,
    include_album_ads: false,
    is_album: true,
    images,
    ...overrides,
  };
}

const catAlbum = [
  image('A1b2C3d', { description: 'A cat on a mat', account_url: 'catlover' }),
  animated('E4f5G6h', 'The cat jumps'),
  image('J7k8L9m', { type: 'image/png', link: `${CDN}/J7k8L9m.png` }),
];

async function serveCatAlbum(web: FixtureWeb): Promise<void> {
  await web.media(`${CDN}/A1b2C3d.jpg`, 'jpeg');
  await web.media(`${CDN}/E4f5G6h.mp4`, 'mp4');
  await web.media(`${CDN}/J7k8L9m.png`, 'png');
}

const albumCredit = (page: string) => ({ author: 'catlover', author_url: 'https://imgur.com/user/catlover', source: 'Imgur', page_url: page });

/** The client id went to the API as `Client-ID …`, and to no other host. */
function clientIdOnlyToApi(web: FixtureWeb): void {
  const api = web.requestsTo('api.imgur.com');
  expect(api.length).toBeGreaterThan(0);
  for (const r of api) expect(r.headers.authorization).toBe(`Client-ID ${CLIENT_ID}`);
  for (const r of web.requests.filter((r) => r.url.hostname !== 'api.imgur.com')) {
    expect(r.headers.authorization).toBeUndefined();
    expect(JSON.stringify(r.headers) + r.url.href).not.toContain(CLIENT_ID);
  }
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'with a client id: an image through the API, its description as alt, the uploader credited',
    url: 'https://imgur.com/21yMxCS',
    env: WITH_KEY,
    async setup(web) {
      web.json(`${API}/image/21yMxCS`, ok(image('21yMxCS', { type: 'image/png', title: 'Test', description: 'A small test picture', account_url: 'mikf1', link: `${CDN}/21yMxCS.png` })));
      await web.media(`${CDN}/21yMxCS.png`, 'png');
    },
    media: [
      {
        name: 'imgur-21yMxCS.png',
        alt: 'A small test picture',
        mime_type: 'image/png',
        attribution: { author: 'mikf1', author_url: 'https://imgur.com/user/mikf1', source: 'Imgur', page_url: 'https://imgur.com/21yMxCS' },
      },
    ],
    check: clientIdOnlyToApi,
  },
  {
    name: 'with a client id: an album in order, each description as alt, an animated GIF as its MP4',
    url: 'https://imgur.com/a/cats-of-the-week-TcBmP',
    env: WITH_KEY,
    async setup(web) {
      web.json(`${API}/album/TcBmP`, ok(album('TcBmP', catAlbum)));
      await serveCatAlbum(web);
    },
    media: [
      { name: 'imgur-TcBmP-1.jpg', alt: 'A cat on a mat', attribution: albumCredit('https://imgur.com/a/TcBmP') },
      { name: 'imgur-TcBmP-2.mp4', alt: 'The cat jumps', mime_type: 'video/mp4' },
      { name: 'imgur-TcBmP-3.png', alt: null },
    ],
    check(web) {
      clientIdOnlyToApi(web);
      // The GIF itself is never fetched when its MP4 answers.
      expect(web.requestsTo('i.imgur.com', '/E4f5G6h.gif')).toEqual([]);
    },
  },
  {
    name: 'with a client id: a gallery post that is an album is read from the album endpoint',
    url: 'https://imgur.com/gallery/cats-of-the-week-TcBmP',
    env: WITH_KEY,
    async setup(web) {
      web.json(`${API}/gallery/TcBmP`, ok({ ...album('TcBmP', catAlbum.slice(0, 1), { images_count: 3 }), in_gallery: true, ups: 120, downs: 3, points: 117, score: 130, topic: 'Aww' }));
      web.json(`${API}/album/TcBmP`, ok(album('TcBmP', catAlbum)));
      await serveCatAlbum(web);
    },
    media: [
      { name: 'imgur-TcBmP-1.jpg', alt: 'A cat on a mat', attribution: albumCredit('https://imgur.com/gallery/TcBmP') },
      { name: 'imgur-TcBmP-2.mp4' },
      { name: 'imgur-TcBmP-3.png' },
    ],
  },
  {
    name: 'with a client id: a tagged gallery post that is one image (.io domain)',
    url: 'https://imgur.io/t/cat/qSB8NbN',
    env: WITH_KEY,
    async setup(web) {
      web.json(`${API}/gallery/qSB8NbN`, ok({ ...image('qSB8NbN', { description: 'Loaf', account_url: 'catlover' }), is_album: false, in_gallery: true, topic: 'cat' }));
      await web.media(`${CDN}/qSB8NbN.jpg`, 'jpeg');
    },
    media: [{ name: 'imgur-qSB8NbN.jpg', alt: 'Loaf', attribution: albumCredit('https://imgur.com/gallery/qSB8NbN') }],
  },
  {
    name: 'without a client id: a thumbnail direct link becomes the original, anonymous and without alt',
    url: 'https://i.imgur.com/21yMxCSh.png',
    async setup(web) {
      await web.media(`${CDN}/21yMxCS.png`, 'png');
    },
    media: [{ name: 'imgur-21yMxCS.png', alt: null, attribution: null }],
    check(web) {
      expect(web.requestsTo('api.imgur.com')).toEqual([]);
      expect(web.requestsTo('i.imgur.com', '/21yMxCSh.png')).toEqual([]);
    },
  },
  {
    name: 'without a client id: an image page becomes its direct link (the type comes from the bytes)',
    url: 'https://m.imgur.com/zxaY6',
    async setup(web) {
      await web.media(`${CDN}/zxaY6.jpg`, 'png');
    },
    media: [{ name: 'imgur-zxaY6.png', mime_type: 'image/png' }],
  },
  {
    name: 'without a client id: a .gifv link is the MP4',
    url: 'https://i.imgur.com/0gybAXR.gifv',
    async setup(web) {
      web.html(`${CDN}/0gybAXR.gifv`, '<!doctype html><video src="//i.imgur.com/0gybAXR.mp4"></video>');
      await web.media(`${CDN}/0gybAXR.mp4`, 'mp4');
    },
    media: [{ name: 'imgur-0gybAXR.mp4', mime_type: 'video/mp4' }],
  },
  {
    name: 'a removed image (a redirect to removed.png) is not_found, and the placeholder is not stored',
    url: 'https://imgur.com/G0neXyz',
    async setup(web) {
      web.redirect(`${CDN}/G0neXyz.jpg`, `${CDN}/removed.png`);
      await web.media(`${CDN}/removed.png`, 'png');
    },
    skipped: [{ code: 'not_found', message: /removed/ }],
  },
  {
    name: 'without a client id: a missing direct link is not_found',
    url: 'https://i.imgur.com/zzzzzzz.jpg',
    setup: (web) => web.text(`${CDN}/zzzzzzz.jpg`, 'Not Found', 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'without a client id: an album is not_configured and names the setting',
    url: 'https://imgur.com/a/TcBmP',
    setup: () => undefined,
    skipped: [{ code: 'not_configured', message: /INTAKE_IMGUR_CLIENT_ID/ }],
    check: (web) => expect(web.requests).toEqual([]),
  },
  {
    name: 'without a client id: a gallery post is not_configured',
    url: 'https://imgur.com/gallery/zf2fIms',
    setup: () => undefined,
    skipped: [{ code: 'not_configured', message: /INTAKE_IMGUR_CLIENT_ID/ }],
  },
  {
    name: 'with a client id: an image the API does not know is not_found',
    url: 'https://imgur.com/zzzzzzz',
    env: WITH_KEY,
    setup: (web) => web.json(`${API}/image/zzzzzzz`, error(404, 'Unable to find an image with the id, zzzzzzz', '/3/image/zzzzzzz'), 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a client id Imgur rejects is not_configured, and says so',
    url: 'https://imgur.com/21yMxCS',
    env: WITH_KEY,
    setup: (web) => web.json(`${API}/image/21yMxCS`, error(403, 'Invalid client_id', '/3/image/21yMxCS'), 403),
    skipped: [{ code: 'not_configured', message: /rejected the client ID in INTAKE_IMGUR_CLIENT_ID/ }],
  },
  {
    name: 'with a client id: an album Imgur refuses to show (403) is login_required',
    url: 'https://imgur.com/a/PrIvAte',
    env: WITH_KEY,
    setup: (web) => web.json(`${API}/album/PrIvAte`, error(403, 'Permission denied', '/3/album/PrIvAte'), 403),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'with a client id: an empty album is no_media',
    url: 'https://imgur.com/a/pjOnJA0',
    env: WITH_KEY,
    setup: (web) => web.json(`${API}/album/pjOnJA0`, ok(album('pjOnJA0', []))),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'an album answer without images is resolver_failed',
    url: 'https://imgur.com/a/TcBmP',
    env: WITH_KEY,
    setup: (web) => web.json(`${API}/album/TcBmP`, ok({ id: 'TcBmP', title: 'Cats' })),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'an album image on a private address is blocked_address, and the others are still imported',
    url: 'https://imgur.com/a/TcBmP',
    env: WITH_KEY,
    async setup(web) {
      const images = [image('A1b2C3d', { description: 'Safe' }), image('Bad0001', { link: 'http://127.0.0.1/latest/meta-data/' }), image('J7k8L9m', { description: 'Also safe' })];
      web.json(`${API}/album/TcBmP`, ok(album('TcBmP', images)));
      await web.media(`${CDN}/A1b2C3d.jpg`, 'jpeg');
      await web.media(`${CDN}/J7k8L9m.jpg`, 'jpeg');
    },
    media: [
      { name: 'imgur-TcBmP-1.jpg', alt: 'Safe' },
      { name: 'imgur-TcBmP-3.jpg', alt: 'Also safe' },
    ],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/' }],
  },
];
