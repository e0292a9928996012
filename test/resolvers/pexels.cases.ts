import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of the Pexels API (`/v1/photos/:id`, `/videos/videos/:id`) and of a
 * photo or video page's `__NEXT_DATA__` (`props.pageProps.medium`).
 */

const KEY = 'pexels-test-key';
const WITH_KEY = { INTAKE_PEXELS_API_KEY: KEY };
const PHOTO_ID = 17213600;
const SLUG = 'sun-shining-between-the-trees-in-the-forest-onto-an-asphalt-road';
const PHOTO_PAGE = `https://www.pexels.com/photo/${SLUG}-${PHOTO_ID}/`;
const ORIGINAL = `https://images.pexels.com/photos/${PHOTO_ID}/pexels-photo-${PHOTO_ID}.jpeg`;
const ALT = 'Sun shining between the trees in the forest onto an asphalt road';
const VIDEO_ID = 1526909;
const VIDEO_PAGE = `https://www.pexels.com/video/seal-on-the-beach-${VIDEO_ID}/`;

const photoCredit = { author: 'Jane Doe', author_url: 'https://www.pexels.com/@jane-doe-1234', source: 'Pexels', page_url: PHOTO_PAGE };

function apiPhoto(overrides: Record<string, unknown> = {}) {
  const resized = (query: string) => `${ORIGINAL}?auto=compress&cs=tinysrgb&${query}`;
  return {
    id: PHOTO_ID,
    width: 4000,
    height: 6000,
    url: PHOTO_PAGE,
    photographer: 'Jane Doe',
    photographer_url: 'https://www.pexels.com/@jane-doe-1234',
    photographer_id: 1234,
    avg_color: '#5C575E',
    src: {
      original: ORIGINAL,
      large2x: resized('dpr=2&h=650&w=940'),
      large: resized('h=650&w=940'),
      medium: resized('h=350'),
      small: resized('h=130'),
      portrait: resized('fit=crop&h=1200&w=800'),
      landscape: resized('fit=crop&h=627&w=1200'),
      tiny: resized('dpr=1&fit=crop&h=200&w=280'),
    },
    liked: false,
    alt: ALT,
    ...overrides,
  };
}

const videoFiles = [
  { id: 61368, quality: 'hd', file_type: 'video/mp4', width: 1920, height: 1080, fps: 23.98, link: `https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-hd_1920_1080_24fps.mp4` },
  { id: 61369, quality: 'sd', file_type: 'video/mp4', width: 960, height: 540, fps: 23.98, link: `https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-sd_960_540_24fps.mp4` },
  { id: 61370, quality: 'hls', file_type: 'hls', width: null, height: null, fps: null, link: `https://player.vimeo.com/external/296210754.m3u8?s=abc&oauth2_token_id=57447761` },
  { id: 61371, quality: 'uhd', file_type: 'video/mp4', width: 3840, height: 2160, fps: 23.98, link: `https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-uhd_3840_2160_24fps.mp4` },
  { id: 61372, quality: 'sd', file_type: 'video/mp4', width: 640, height: 360, fps: 23.98, link: `https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-sd_640_360_24fps.mp4` },
];

function apiVideo(files: readonly unknown[] = videoFiles) {
  return {
    id: VIDEO_ID,
    width: 3840,
    height: 2160,
    duration: 10,
    full_res: null,
    tags: [],
    url: VIDEO_PAGE,
    image: `https://images.pexels.com/videos/${VIDEO_ID}/free-video-${VIDEO_ID}.jpg?auto=compress&cs=tinysrgb&fit=crop&h=630&w=1200`,
    avg_color: null,
    user: { id: 574687, name: 'Ruvim Miksanskiy', url: 'https://www.pexels.com/@digitech' },
    video_files: files,
    video_pictures: [{ id: 1, nr: 0, picture: `https://images.pexels.com/videos/${VIDEO_ID}/pictures/preview-0.jpg` }],
  };
}

/** A page as Next.js renders it: the data in `<script id="__NEXT_DATA__">`, near the end. */
function nextPage(medium: unknown, locale = 'en-US'): string {
  const data = { props: { pageProps: { medium, __N_SSP: true } }, page: '/photo/[slug]', query: {}, buildId: 'b1', isFallback: false, gssp: true, locale, scriptLoader: [] };
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><title>Free Stock Photo</title>
<meta property="og:image" content="${ORIGINAL}?auto=compress&amp;cs=tinysrgb&amp;h=627&amp;w=1200"></head>
<body><div id="__next"><main>…</main></div>
<script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data)}</script></body></html>`;
}

const user = { id: 1234, first_name: 'Jane', last_name: 'Doe', slug: 'jane-doe-1234', username: 'janedoe', avatar: { small: 'https://images.pexels.com/users/avatars/1234/jane.jpeg?w=60' } };

function pagePhoto(id: number, overrides: Record<string, unknown> = {}) {
  return {
    id: String(id),
    type: 'photo',
    attributes: {
      id,
      slug: SLUG,
      title: 'Sun Shining between the Trees',
      description: '',
      alt: ALT,
      width: 4000,
      height: 6000,
      license: 'pexels',
      created_at: '2023-06-05T10:00:00.000Z',
      user,
      image: {
        small: `https://images.pexels.com/photos/${id}/pexels-photo-${id}.jpeg?auto=compress&cs=tinysrgb&h=130`,
        large: `https://images.pexels.com/photos/${id}/pexels-photo-${id}.jpeg?auto=compress&cs=tinysrgb&h=650&w=940`,
        download_link: `https://images.pexels.com/photos/${id}/pexels-photo-${id}.jpeg?cs=srgb&dl=pexels-janedoe-${id}.jpg&fm=jpg`,
      },
      ...overrides,
    },
  };
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'with a key: the API photo, its original (no resize parameters), alt and the photographer credited; the key only to the API',
    url: PHOTO_PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(`https://api.pexels.com/v1/photos/${PHOTO_ID}`, apiPhoto());
      await web.media(ORIGINAL, 'jpeg');
    },
    media: [{ name: `pexels-${PHOTO_ID}.jpg`, alt: ALT, attribution: photoCredit, mime_type: 'image/jpeg' }],
    check(web) {
      const api = web.requestsTo('api.pexels.com', `/v1/photos/${PHOTO_ID}`);
      expect(api).toHaveLength(1);
      expect(api[0]!.headers.authorization).toBe(KEY);
      const image = web.requestsTo('images.pexels.com');
      expect(image).toHaveLength(1);
      expect(image[0]!.url.search).toBe('');
      expect(image[0]!.headers.authorization).toBeUndefined();
      expect(web.requestsTo('www.pexels.com')).toEqual([]);
    },
  },
  {
    name: 'with a key: a video is its largest MP4, the HLS playlist ignored, the videographer credited',
    url: VIDEO_PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(`https://api.pexels.com/videos/videos/${VIDEO_ID}`, apiVideo());
      await web.media(`https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-uhd_3840_2160_24fps.mp4`, 'mp4');
    },
    media: [
      {
        name: `pexels-${VIDEO_ID}.mp4`,
        alt: null,
        mime_type: 'video/mp4',
        attribution: { author: 'Ruvim Miksanskiy', author_url: 'https://www.pexels.com/@digitech', source: 'Pexels', page_url: VIDEO_PAGE },
      },
    ],
    check(web) {
      expect(web.requestsTo('api.pexels.com')[0]!.headers.authorization).toBe(KEY);
      expect(web.requestsTo('player.vimeo.com')).toEqual([]);
      expect(web.requestsTo('videos.pexels.com').map((r) => [r.url.pathname, r.headers.authorization])).toEqual([
        [`/video-files/${VIDEO_ID}/${VIDEO_ID}-uhd_3840_2160_24fps.mp4`, undefined],
      ]);
    },
  },
  {
    name: 'with a key: when the largest MP4 fails, the next largest is tried',
    url: VIDEO_PAGE,
    env: WITH_KEY,
    async setup(web) {
      web.json(`https://api.pexels.com/videos/videos/${VIDEO_ID}`, apiVideo());
      web.text(`https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-uhd_3840_2160_24fps.mp4`, 'gone', 404);
      await web.media(`https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-hd_1920_1080_24fps.mp4`, 'mp4');
    },
    media: [{ name: `pexels-${VIDEO_ID}.mp4`, mime_type: 'video/mp4' }],
  },
  {
    name: 'with a key, a localised page (/pl-pl/zdjecie/) reaches the photo API by its id',
    url: 'https://www.pexels.com/pl-pl/zdjecie/niesamowity-wodospad-z-bujnymi-liscmi-na-skalach-4534200/',
    env: WITH_KEY,
    async setup(web) {
      web.json('https://api.pexels.com/v1/photos/4534200', apiPhoto({ id: 4534200, src: { original: 'https://images.pexels.com/photos/4534200/pexels-photo-4534200.png' } }));
      await web.media('https://images.pexels.com/photos/4534200/pexels-photo-4534200.png', 'png');
    },
    media: [{ name: 'pexels-4534200.png', mime_type: 'image/png', alt: ALT }],
  },
  {
    name: 'without a key: the page data, the original without the download parameters, alt and credit; nothing sent to the API',
    url: PHOTO_PAGE,
    async setup(web) {
      web.html(PHOTO_PAGE, nextPage(pagePhoto(PHOTO_ID)));
      await web.media(ORIGINAL, 'jpeg');
    },
    media: [{ name: `pexels-${PHOTO_ID}.jpg`, alt: ALT, attribution: photoCredit, mime_type: 'image/jpeg' }],
    check(web) {
      expect(web.requestsTo('api.pexels.com')).toEqual([]);
      expect(web.requestsTo('www.pexels.com')[0]!.headers.authorization).toBeUndefined();
      expect(web.requestsTo('images.pexels.com').map((r) => r.url.search)).toEqual(['']);
    },
  },
  {
    name: 'without a key: a localised page is read as given, and a bare host without www reaches the same site',
    url: 'https://pexels.com/de-de/foto/die-gluhbirne-577514',
    async setup(web) {
      const page = 'https://www.pexels.com/de-de/foto/die-gluhbirne-577514/';
      web.html(page, nextPage(pagePhoto(577514, { alt: 'Die Glühbirne' }), 'de-DE'));
      await web.media('https://images.pexels.com/photos/577514/pexels-photo-577514.jpeg', 'jpeg');
    },
    media: [
      {
        name: 'pexels-577514.jpg',
        alt: 'Die Glühbirne',
        attribution: { ...photoCredit, page_url: 'https://www.pexels.com/de-de/foto/die-gluhbirne-577514/' },
      },
    ],
  },
  {
    name: 'without a key: a video page gives its download link, which redirects to the file',
    url: VIDEO_PAGE,
    async setup(web) {
      const medium = {
        id: String(VIDEO_ID),
        type: 'video',
        attributes: {
          id: VIDEO_ID,
          slug: 'seal-on-the-beach',
          title: 'Seal on the Beach',
          alt: null,
          user: { id: 574687, first_name: 'Ruvim', last_name: 'Miksanskiy', slug: 'digitech', username: 'digitech' },
          video: {
            src: `https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-hd_1920_1080_24fps.mp4`,
            preview_src: `https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-sd_640_360_24fps.mp4`,
            download_link: `https://www.pexels.com/download/video/${VIDEO_ID}/`,
          },
        },
      };
      web.html(VIDEO_PAGE, nextPage(medium));
      web.redirect(`https://www.pexels.com/download/video/${VIDEO_ID}/`, `https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-uhd_3840_2160_24fps.mp4`);
      await web.media(`https://videos.pexels.com/video-files/${VIDEO_ID}/${VIDEO_ID}-uhd_3840_2160_24fps.mp4`, 'mp4');
    },
    media: [
      {
        name: `pexels-${VIDEO_ID}.mp4`,
        mime_type: 'video/mp4',
        alt: null,
        attribution: { author: 'Ruvim Miksanskiy', author_url: 'https://www.pexels.com/@digitech', source: 'Pexels', page_url: VIDEO_PAGE },
      },
    ],
  },
  {
    name: 'with a key Pexels rejects: not_configured, and says so without the key',
    url: PHOTO_PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(`https://api.pexels.com/v1/photos/${PHOTO_ID}`, { error: 'Unauthorized' }, 401),
    skipped: [{ code: 'not_configured', message: /rejected the key in INTAKE_PEXELS_API_KEY/ }],
    check(_web, body) {
      expect(JSON.stringify(body)).not.toContain(KEY);
    },
  },
  {
    name: 'with a key, a photo that does not exist is not_found',
    url: 'https://www.pexels.com/photo/gone-99999999/',
    env: WITH_KEY,
    setup: (web) => web.json('https://api.pexels.com/v1/photos/99999999', { status: 404, code: 'Not Found' }, 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'without a key, a page that does not exist is not_found',
    url: 'https://www.pexels.com/photo/gone-99999999/',
    setup: (web) => web.html('https://www.pexels.com/photo/gone-99999999/', '<!doctype html><title>Page not found</title>', 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'without a key, the bot wall (403) is http_error that points at the key, not a login',
    url: PHOTO_PAGE,
    setup: (web) => web.html(PHOTO_PAGE, '<!doctype html><title>Just a moment...</title>', 403),
    skipped: [{ code: 'http_error', message: /INTAKE_PEXELS_API_KEY/ }],
  },
  {
    name: 'without a key, a page without its __NEXT_DATA__ is resolver_failed',
    url: PHOTO_PAGE,
    setup: (web) => web.html(PHOTO_PAGE, '<!doctype html><html><head><title>Pexels</title></head><body><div id="root"></div></body></html>'),
    skipped: [{ code: 'resolver_failed', message: /__NEXT_DATA__/ }],
  },
  {
    name: 'with a key, an API photo without src is resolver_failed',
    url: PHOTO_PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(`https://api.pexels.com/v1/photos/${PHOTO_ID}`, { id: PHOTO_ID, url: PHOTO_PAGE, photographer: 'Jane Doe' }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'with a key, a video offered only as an HLS playlist is no_media',
    url: VIDEO_PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(`https://api.pexels.com/videos/videos/${VIDEO_ID}`, apiVideo(videoFiles.filter((f) => f.quality === 'hls'))),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a media URL in the answer that points at a private address is blocked_address for that item',
    url: PHOTO_PAGE,
    env: WITH_KEY,
    setup: (web: FixtureWeb) =>
      web.json(`https://api.pexels.com/v1/photos/${PHOTO_ID}`, apiPhoto({ src: { original: 'http://10.0.0.1/photos/1/pexels-photo-1.jpeg' } })),
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/photos/1/pexels-photo-1.jpeg' }],
  },
];
