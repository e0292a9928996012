import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of the GIPHY API's GIF object (`/v1/gifs/<id>`: `images.original`,
 * `alt_text`, `user`, and for clips `video.assets`), and its error answers.
 */

const KEY = 'giphy-test-key';
const WITH_KEY = { INTAKE_GIPHY_API_KEY: KEY };
const ID = 'l2JIcQ4UH5SoPtMJi';
const PAGE = `https://giphy.com/gifs/catsmusical-excited-cats-${ID}`;
const CID = 'cid=790b7611z8v1o3c0x5rp2d7sx3ahs2m0r8v8t6w1k3i0l2cv&ep=v1_gifs_gifId';
const ORIGINAL = `https://media4.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/${ID}/giphy.gif`;
const CLIP_ID = 'YyOPrvilA8FdiuSiQi';
const CLIP_PAGE = `https://giphy.com/clips/southpark-south-park-episode-4-season-20-${CLIP_ID}`;

const api = (id: string) => `https://api.giphy.com/v1/gifs/${id}?api_key=${KEY}`;
const meta = (status = 200, msg = 'OK') => ({ status, msg, response_id: 'z8v1o3c0x5rp2d7s' });

function gifObject(overrides: Record<string, unknown> = {}) {
  const rendition = (file: string, width: string, height: string) => ({ url: `https://media4.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/${ID}/${file}?${CID}&rid=${file}&ct=g`, width, height });
  return {
    type: 'gif',
    id: ID,
    url: PAGE,
    slug: `catsmusical-excited-cats-${ID}`,
    bitly_gif_url: 'https://gph.is/1ZhShKr',
    bitly_url: 'https://gph.is/1ZhShKr',
    embed_url: `https://giphy.com/embed/${ID}`,
    username: 'catsmusical',
    source: '',
    title: 'excited slow motion GIF by Cats the Musical',
    alt_text: 'A cat performer leaps in slow motion',
    rating: 'g',
    content_url: '',
    source_tld: '',
    source_post_url: '',
    is_sticker: 0,
    import_datetime: '2016-01-25 19:04:18',
    trending_datetime: '0000-00-00 00:00:00',
    images: {
      original: {
        height: '270',
        width: '480',
        size: '1728066',
        url: ORIGINAL,
        mp4_size: '68100',
        mp4: `https://media4.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/${ID}/giphy.mp4`,
        webp_size: '596960',
        webp: `https://media4.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/${ID}/giphy.webp`,
        frames: '50',
        hash: '6529314a59cb6389010bcd1cdd56c2d5',
      },
      fixed_height: rendition('200.gif', '356', '200'),
      downsized: rendition('giphy-downsized.gif', '480', '270'),
      original_still: rendition('giphy_s.gif', '480', '270'),
    },
    user: {
      avatar_url: 'https://media2.giphy.com/avatars/catsmusical/Zx1.gif',
      banner_url: '',
      profile_url: 'https://giphy.com/catsmusical/',
      username: 'catsmusical',
      display_name: 'Cats the Musical',
      description: '',
      is_verified: true,
      website_url: 'https://catsthemusical.com',
    },
    analytics_response_payload: 'e=Z2lmX2lkPWwySkljUTRVSDVTb1B0TUpp',
    ...overrides,
  };
}

const credit = { author: 'Cats the Musical', author_url: 'https://giphy.com/catsmusical/', source: 'GIPHY', page_url: PAGE };

/** The key went to the API in `api_key` and nowhere else. */
function keyOnlyToApi(web: FixtureWeb): void {
  const calls = web.requestsTo('api.giphy.com');
  expect(calls).toHaveLength(1);
  expect(calls[0]!.url.searchParams.get('api_key')).toBe(KEY);
  const others = web.requests.filter((r) => r.url.hostname !== 'api.giphy.com');
  expect(others.length).toBeGreaterThan(0);
  for (const r of others) expect(`${r.url.href} ${JSON.stringify(r.headers)}`).not.toContain(KEY);
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'without a key: a GIF page is the original GIF at its well-known address, with no request before the download',
    url: PAGE,
    setup: async (web) => void (await web.media(`https://i.giphy.com/${ID}.gif`, 'gif')),
    media: [{ name: `giphy-${ID}.gif`, alt: null, attribution: null, mime_type: 'image/gif' }],
    check(web) {
      expect(web.requests.map((r) => r.url.href)).toEqual([`https://i.giphy.com/${ID}.gif`]);
    },
  },
  {
    name: 'without a key: when i.giphy.com fails, the media host is tried',
    url: `https://giphy.com/gifs/${ID}`,
    async setup(web) {
      web.text(`https://i.giphy.com/${ID}.gif`, 'not here', 404);
      await web.media(`https://media.giphy.com/media/${ID}/giphy.gif`, 'gif');
    },
    media: [{ name: `giphy-${ID}.gif` }],
  },
  {
    name: 'without a key: a clip is an MP4',
    url: CLIP_PAGE,
    setup: async (web) => void (await web.media(`https://media.giphy.com/media/${CLIP_ID}/giphy.mp4`, 'mp4')),
    media: [{ name: `giphy-${CLIP_ID}.mp4`, mime_type: 'video/mp4' }],
  },
  {
    name: 'with a key: the API original GIF, its alt text and the uploader credited; the key only to the API',
    url: PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(api(ID), { data: gifObject(), meta: meta() });
      await web.media(ORIGINAL, 'gif');
    },
    media: [{ name: `giphy-${ID}.gif`, alt: 'A cat performer leaps in slow motion', attribution: credit, mime_type: 'image/gif' }],
    check: (web) => keyOnlyToApi(web),
  },
  {
    name: 'with a key: a clip is the largest MP4 of its video (with sound), not the silent loop',
    url: CLIP_PAGE,
    env: WITH_KEY,
    async setup(web) {
      const asset = (p: string, width: number, height: number) => ({ url: `https://media.giphy.com/media/${CLIP_ID}/${p}.mp4`, width, height });
      const clip = gifObject({
        type: 'video',
        id: CLIP_ID,
        url: CLIP_PAGE,
        title: "You Can't Break Up With Me",
        alt_text: '',
        username: 'southpark',
        user: { username: 'southpark', display_name: 'South Park', profile_url: 'https://giphy.com/southpark' },
        video: {
          description: 'South Park, Season 20, Episode 4, Wieners Out',
          duration: 6.3,
          assets: { '360p': asset('360p', 640, 360), '1080p': asset('1080p', 1920, 1080), '720p': asset('720p', 1280, 720) },
          captions: { en: { srt: `https://media.giphy.com/media/${CLIP_ID}/en.srt`, vtt: `https://media.giphy.com/media/${CLIP_ID}/en.vtt` } },
          native: 'en',
        },
      });
      web.json(api(CLIP_ID), { data: clip, meta: meta() });
      await web.media(`https://media.giphy.com/media/${CLIP_ID}/1080p.mp4`, 'mp4');
    },
    media: [
      {
        name: `giphy-${CLIP_ID}.mp4`,
        alt: null,
        mime_type: 'video/mp4',
        attribution: { author: 'South Park', author_url: 'https://giphy.com/southpark', source: 'GIPHY', page_url: CLIP_PAGE },
      },
    ],
    check: (web) => keyOnlyToApi(web),
  },
  {
    name: 'with a key: a sticker nobody is named for has no credit and no alt; the MP4 stands in when the GIF fails',
    url: `https://www.giphy.com/stickers/mario-PFxFYEZNUavG8/`,
    env: WITH_KEY,
    async setup(web) {
      const original = { url: 'https://media1.giphy.com/media/PFxFYEZNUavG8/giphy.gif', mp4: 'https://media1.giphy.com/media/PFxFYEZNUavG8/giphy.mp4', width: 480, height: 480 };
      web.json(api('PFxFYEZNUavG8'), { data: gifObject({ id: 'PFxFYEZNUavG8', url: 'https://giphy.com/stickers/mario-PFxFYEZNUavG8', username: '', user: undefined, alt_text: '', images: { original } }), meta: meta() });
      web.text(original.url, 'gone', 404);
      await web.media(original.mp4, 'mp4');
    },
    media: [{ name: 'giphy-PFxFYEZNUavG8.mp4', alt: null, attribution: null }],
  },
  {
    name: 'an embed link is its GIF',
    url: `https://giphy.com/embed/${ID}`,
    setup: async (web) => void (await web.media(`https://i.giphy.com/${ID}.gif`, 'gif')),
    media: [{ name: `giphy-${ID}.gif` }],
  },
  {
    name: 'a CDN link (with the API form v1.<token>) is downloaded as given and named by its id, without asking the API',
    url: `https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/${ID}/giphy.gif?${CID}&rid=giphy.gif&ct=g`,
    env: WITH_KEY,
    setup: async (web) => void (await web.media(`https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/${ID}/giphy.gif`, 'gif')),
    media: [{ name: `giphy-${ID}.gif`, alt: null, attribution: null }],
    check(web) {
      expect(web.requestsTo('api.giphy.com')).toEqual([]);
    },
  },
  {
    name: 'an i.giphy.com file keeps its format',
    url: `https://i.giphy.com/${ID}.webp`,
    setup: async (web) => void (await web.media(`https://i.giphy.com/${ID}.webp`, 'webp')),
    media: [{ name: `giphy-${ID}.webp`, mime_type: 'image/webp' }],
  },
  {
    name: 'a gph.is short link is expanded and the GIPHY page it leads to resolved',
    url: 'https://gph.is/g/Z5G3nMp',
    async setup(web) {
      web.redirect('https://gph.is/g/Z5G3nMp', PAGE, 301);
      web.html(PAGE, '<!doctype html><html><head><meta property="og:image" content="https://media.giphy.com/media/x/200.gif"></head></html>');
      await web.media(`https://i.giphy.com/${ID}.gif`, 'gif');
    },
    media: [{ name: `giphy-${ID}.gif` }],
  },
  {
    name: 'a gph.is short link leading off GIPHY is refused, and the page there is not imported',
    url: 'https://gph.is/1gsWDcL',
    setup(web) {
      web.redirect('https://gph.is/1gsWDcL', 'https://www.example.com/promo');
      web.html('https://www.example.com/promo', '<!doctype html><html><head><meta property="og:image" content="https://www.example.com/ad.jpg"></head></html>');
    },
    skipped: [{ code: 'not_found', message: /gph\.is/ }],
    check(web) {
      expect(web.requestsTo('www.example.com', '/ad.jpg')).toEqual([]);
    },
  },
  {
    name: 'with a key, a GIF the API does not have (404, data: []) is not_found',
    url: 'https://giphy.com/gifs/gone-AbCdEf123456',
    env: WITH_KEY,
    setup: (web) => web.json(api('AbCdEf123456'), { data: [], meta: { ...meta(404, 'Not Found'), error_code: '404' } }, 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'with a key GIPHY rejects: not_configured, without the key in the message',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(api(ID), { data: [], meta: meta(401, 'Unauthorized') }, 401),
    skipped: [{ code: 'not_configured', message: /rejected the key in INTAKE_GIPHY_API_KEY/ }],
    check(_web, body) {
      expect(JSON.stringify(body)).not.toContain(KEY);
    },
  },
  {
    name: 'with a key, an answer without images is resolver_failed',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(api(ID), { data: { id: ID, type: 'gif', title: 'x' }, meta: meta() }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'with a key, a GIF with no file at all is no_media',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(api(ID), { data: gifObject({ images: { original: { width: '480', height: '270' } } }), meta: meta() }),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a media URL in the answer that points at a private address is blocked_address for that item',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(api(ID), { data: gifObject({ images: { original: { url: 'http://10.0.0.1/media/x/giphy.gif' } } }), meta: meta() }),
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/media/x/giphy.gif' }],
  },
];
