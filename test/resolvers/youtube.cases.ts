import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import { jpeg } from '../helpers/media-fixtures.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of YouTube's oEmbed endpoint (`www.youtube.com/oembed`) and of the
 * thumbnail host `i.ytimg.com`, which answers a size a video lacks with 404 and a placeholder
 * JPEG.
 */

const OEMBED = 'www.youtube.com/oembed';
const YTIMG = 'https://i.ytimg.com/vi';

function oembed(id: string, title = 'Autumn in the Alps, filmed in 4K') {
  return {
    title,
    author_name: 'Alpine Films',
    author_url: 'https://www.youtube.com/@alpinefilms',
    type: 'video',
    height: 113,
    width: 200,
    version: '1.0',
    provider_name: 'YouTube',
    provider_url: 'https://www.youtube.com/',
    thumbnail_height: 360,
    thumbnail_width: 480,
    thumbnail_url: `https://i.ytimg.com/vi/${id}/hqdefault.jpg`,
    html: `<iframe width="200" height="113" src="https://www.youtube.com/embed/${id}?feature=oembed" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen title="${title}"></iframe>`,
  };
}

const credit = (id: string) => ({
  author: 'Alpine Films',
  author_url: 'https://www.youtube.com/@alpinefilms',
  source: 'YouTube',
  page_url: `https://www.youtube.com/watch?v=${id}`,
});

/** The oEmbed answer for a video, keyed on the canonical watch URL the resolver asks about. */
function answer(web: FixtureWeb, id: string, body: unknown = oembed(id), status = 200): void {
  const url = new URL(`https://${OEMBED}`);
  url.searchParams.set('url', `https://www.youtube.com/watch?v=${id}`);
  url.searchParams.set('format', 'json');
  web.json(url.href, body, status);
}

/** What i.ytimg.com answers for a size a video does not have. */
function missing(web: FixtureWeb, url: string): void {
  web.route(url, async (_req, res) => {
    const placeholder = await jpeg(120, 90);
    res.writeHead(404, { 'content-type': 'image/jpeg', 'content-length': placeholder.length }).end(placeholder);
  });
}

const asked = (web: FixtureWeb, id: string) => web.requestsTo('i.ytimg.com').filter((r) => r.url.pathname.startsWith(`/vi/${id}/`)).map((r) => r.url.pathname);

export const cases: readonly ResolverCase[] = [
  {
    name: 'a watch URL: the maxresdefault thumbnail, the title as alt and the channel credited',
    url: 'https://www.youtube.com/watch?v=vPwaXytZcgI&list=PL123&t=42s',
    async setup(web) {
      answer(web, 'vPwaXytZcgI');
      await web.media(`${YTIMG}/vPwaXytZcgI/maxresdefault.jpg`, 'jpeg');
    },
    media: [{ name: 'youtube-vPwaXytZcgI.jpg', alt: 'Autumn in the Alps, filmed in 4K', attribution: credit('vPwaXytZcgI'), mime_type: 'image/jpeg' }],
    check(web) {
      const oembeds = web.requestsTo('www.youtube.com', '/oembed');
      expect(oembeds).toHaveLength(1);
      // Asked about the canonical watch URL, whatever the user's URL carried.
      expect(oembeds[0]!.url.searchParams.get('url')).toBe('https://www.youtube.com/watch?v=vPwaXytZcgI');
      expect(oembeds[0]!.url.searchParams.get('format')).toBe('json');
      expect(asked(web, 'vPwaXytZcgI')).toEqual(['/vi/vPwaXytZcgI/maxresdefault.jpg']);
    },
  },
  {
    name: 'a youtu.be short link; a video without maxresdefault (404 with a placeholder JPEG) falls back to sddefault',
    url: 'https://youtu.be/hEdzv7D4CbQ?si=Xy12AbCdEf',
    async setup(web) {
      answer(web, 'hEdzv7D4CbQ', oembed('hEdzv7D4CbQ', 'A walk through the old town'));
      missing(web, `${YTIMG}/hEdzv7D4CbQ/maxresdefault.jpg`);
      await web.media(`${YTIMG}/hEdzv7D4CbQ/sddefault.jpg`, 'jpeg');
    },
    media: [{ name: 'youtube-hEdzv7D4CbQ.jpg', alt: 'A walk through the old town', attribution: credit('hEdzv7D4CbQ') }],
    check(web) {
      expect(asked(web, 'hEdzv7D4CbQ')).toEqual(['/vi/hEdzv7D4CbQ/maxresdefault.jpg', '/vi/hEdzv7D4CbQ/sddefault.jpg']);
    },
  },
  {
    name: 'a Short on m.youtube.com with only hqdefault',
    url: 'https://m.youtube.com/shorts/r5FpeOJItbw',
    async setup(web) {
      answer(web, 'r5FpeOJItbw', oembed('r5FpeOJItbw', 'Cat vs. cucumber #shorts'));
      missing(web, `${YTIMG}/r5FpeOJItbw/maxresdefault.jpg`);
      missing(web, `${YTIMG}/r5FpeOJItbw/sddefault.jpg`);
      await web.media(`${YTIMG}/r5FpeOJItbw/hqdefault.jpg`, 'jpeg');
    },
    media: [{ name: 'youtube-r5FpeOJItbw.jpg', alt: 'Cat vs. cucumber #shorts' }],
  },
  {
    name: 'music.youtube.com reaches the same video',
    url: 'https://music.youtube.com/watch?v=5rGTsvZCEdk&feature=share',
    async setup(web) {
      answer(web, '5rGTsvZCEdk', oembed('5rGTsvZCEdk', 'Song of the Valley'));
      await web.media(`${YTIMG}/5rGTsvZCEdk/maxresdefault.jpg`, 'jpeg');
    },
    media: [{ name: 'youtube-5rGTsvZCEdk.jpg', alt: 'Song of the Valley' }],
  },
  {
    name: 'an embed on youtube-nocookie.com reaches the same video',
    url: 'https://www.youtube-nocookie.com/embed/ENxZS6PUDuI?start=30',
    async setup(web) {
      answer(web, 'ENxZS6PUDuI', oembed('ENxZS6PUDuI', 'Live from the harbour'));
      await web.media(`${YTIMG}/ENxZS6PUDuI/maxresdefault.jpg`, 'jpeg');
    },
    media: [{ name: 'youtube-ENxZS6PUDuI.jpg', alt: 'Live from the harbour', attribution: credit('ENxZS6PUDuI') }],
    check(web) {
      expect(web.requestsTo('www.youtube-nocookie.com')).toEqual([]);
    },
  },
  {
    name: 'embedding turned off by the owner (oEmbed 401): the public thumbnail still, without title or credit',
    url: 'https://www.youtube.com/live/MeJVWBSsPAY?feature=shared',
    async setup(web) {
      answer(web, 'MeJVWBSsPAY', 'Unauthorized', 401);
      await web.media(`${YTIMG}/MeJVWBSsPAY/maxresdefault.jpg`, 'jpeg');
    },
    media: [{ name: 'youtube-MeJVWBSsPAY.jpg', alt: null, attribution: null }],
  },
  {
    name: 'a video that does not exist (oEmbed 404) is not_found, and no thumbnail is asked for',
    url: 'https://www.youtube.com/watch?v=gnjuHYWGEWx',
    setup: (web) => answer(web, 'gnjuHYWGEWx', 'Not Found', 404),
    skipped: [{ code: 'not_found' }],
    check(web) {
      expect(web.requestsTo('i.ytimg.com')).toEqual([]);
    },
  },
  {
    name: 'a private video (oEmbed 403) is login_required',
    url: 'https://www.youtube.com/watch?v=ejCiG0swM24',
    setup: (web) => answer(web, 'ejCiG0swM24', 'Forbidden', 403),
    skipped: [{ code: 'login_required', message: /private/ }],
  },
  {
    name: 'a private video answered the old way (200 with the word "Forbidden") is login_required too',
    url: 'https://www.youtube.com/watch?v=ejCiG0swM25',
    setup: (web) => web.text(`https://${OEMBED}?url=${encodeURIComponent('https://www.youtube.com/watch?v=ejCiG0swM25')}&format=json`, 'Forbidden', 200),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'an oEmbed answer without a title is resolver_failed',
    url: 'https://www.youtube.com/watch?v=oddShape001',
    setup: (web) => answer(web, 'oddShape001', { type: 'video', version: '1.0' }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'no thumbnail size answers (all 404) is http_error for the thumbnail',
    url: 'https://youtu.be/noThumbs001',
    setup(web) {
      answer(web, 'noThumbs001', oembed('noThumbs001'));
      for (const name of ['maxresdefault', 'sddefault', 'hqdefault']) missing(web, `${YTIMG}/noThumbs001/${name}.jpg`);
    },
    skipped: [{ code: 'http_error', item_url: `${YTIMG}/noThumbs001/maxresdefault.jpg` }],
  },
];
