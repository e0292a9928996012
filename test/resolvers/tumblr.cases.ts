import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/** Recorded in the shape of Tumblr's API v2 `posts?id=…&npf=true` (Neue Post Format blocks). */

const KEY = 'tumblr-test-consumer-key';
const WITH_KEY = { INTAKE_TUMBLR_API_KEY: KEY };
const BLOG = 'garfield-69';
const MEDIA = 'https://64.media.tumblr.com';

function posts(blog: string, id: string): string {
  return `https://api.tumblr.com/v2/blog/${blog}.tumblr.com/posts?id=${id}&npf=true`;
}

/** An image block with renditions of one picture, largest first unless `largestLast`. */
function image(file: string, alt: string | null, largestLast = false) {
  const sizes = [2048, 1280, 640, 400].map((width) => ({
    url: `${MEDIA}/3f2a9c/${file}-s${width}.jpg`,
    type: 'image/jpeg',
    width,
    height: Math.round((width * 2) / 3),
    ...(width === 2048 ? { has_original_dimensions: true } : {}),
  }));
  return { type: 'image', media: largestLast ? sizes.reverse() : sizes, ...(alt === null ? {} : { alt_text: alt }), colors: { c0: '4a3b2c', c1: 'd9c8b7' } };
}

function text(value: string) {
  return { type: 'text', text: value };
}

function blog(name: string) {
  return { name, title: `${name} things`, url: `https://${name}.tumblr.com/`, uuid: `t:${name}-uuid` };
}

function post(id: string, content: unknown[], extra: Record<string, unknown> = {}, name = BLOG) {
  return {
    meta: { status: 200, msg: 'OK' },
    response: {
      blog: { ...blog(name), posts: 1523, updated: 1717171717 },
      posts: [
        {
          object_type: 'post',
          type: 'blocks',
          id: Number(id),
          id_string: id,
          blog_name: name,
          blog: blog(name),
          post_url: `https://${name}.tumblr.com/post/${id}/a-slug`,
          slug: 'a-slug',
          date: '2022-09-28 14:33:09 GMT',
          timestamp: 1664375589,
          state: 'published',
          tags: ['cats'],
          summary: 'Cats',
          note_count: 42,
          content,
          layout: [],
          trail: [],
          ...extra,
        },
      ],
      total_posts: 1,
    },
  };
}

async function pictures(web: FixtureWeb, ...files: string[]): Promise<void> {
  for (const file of files) await web.media(`${MEDIA}/3f2a9c/${file}-s2048.jpg`, 'jpeg');
}

const credit = (name: string, page: string) => ({ author: name, author_url: `https://${name}.tumblr.com/`, source: 'Tumblr', page_url: page });
const own = (id: string) => credit(BLOG, `https://${BLOG}.tumblr.com/post/${id}/a-slug`);

export const cases: readonly ResolverCase[] = [
  {
    name: 'with a key: a photoset in order, the largest rendition of each, alt texts, the blog credited, the key only to the API',
    url: `https://${BLOG}.tumblr.com/post/700000000000000001/cats`,
    env: WITH_KEY,
    async setup(web) {
      web.json(posts(BLOG, '700000000000000001'), post('700000000000000001', [image('one', 'A cat'), image('two', null, true), text('So many cats'), image('three', 'A third cat')], {
        layout: [{ type: 'rows', display: [{ blocks: [0, 1] }, { blocks: [2] }, { blocks: [3] }] }],
      }));
      await pictures(web, 'one', 'two', 'three');
    },
    media: [
      { name: 'tumblr-700000000000000001-1.jpg', alt: 'A cat', attribution: own('700000000000000001') },
      { name: 'tumblr-700000000000000001-2.jpg', alt: null },
      { name: 'tumblr-700000000000000001-3.jpg', alt: 'A third cat' },
    ],
    check(web) {
      const api = web.requestsTo('api.tumblr.com');
      expect(api).toHaveLength(1);
      expect(api[0]!.url.searchParams.get('api_key')).toBe(KEY);
      for (const r of web.requests.filter((r) => r.url.hostname !== 'api.tumblr.com')) expect(r.url.href + JSON.stringify(r.headers)).not.toContain(KEY);
      // Only the largest rendition was fetched.
      expect(web.requestsTo('64.media.tumblr.com').every((r) => r.url.pathname.endsWith('-s2048.jpg'))).toBe(true);
    },
  },
  {
    name: 'with a key: a rows layout decides the order of the blocks',
    url: `https://www.tumblr.com/${BLOG}/700000000000000002`,
    env: WITH_KEY,
    async setup(web) {
      web.json(posts(BLOG, '700000000000000002'), post('700000000000000002', [image('left', 'Shown second'), image('right', 'Shown first')], {
        layout: [{ type: 'rows', display: [{ blocks: [1] }, { blocks: [0] }] }],
      }));
      await pictures(web, 'left', 'right');
    },
    media: [
      { name: 'tumblr-700000000000000002-1.jpg', alt: 'Shown first' },
      { name: 'tumblr-700000000000000002-2.jpg', alt: 'Shown second' },
    ],
  },
  {
    name: 'with a key: a reblog shows the reblogged pictures first, credited to their own blog, then the reblogger’s',
    url: `https://www.tumblr.com/blog/view/${BLOG}/700000000000000003`,
    env: WITH_KEY,
    async setup(web) {
      const trail = [{ post: { id: '690000000000000009' }, blog: blog('original-artist'), content: [image('art', 'The original drawing')], layout: [] }];
      web.json(posts(BLOG, '700000000000000003'), post('700000000000000003', [text('look at this'), image('reply', 'My version')], { trail }));
      await pictures(web, 'art', 'reply');
    },
    media: [
      { name: 'tumblr-700000000000000003-1.jpg', alt: 'The original drawing', attribution: credit('original-artist', 'https://www.tumblr.com/original-artist/690000000000000009') },
      { name: 'tumblr-700000000000000003-2.jpg', alt: 'My version', attribution: own('700000000000000003') },
    ],
  },
  {
    name: 'with a key: a Tumblr-hosted video is its MP4; a share link on at.tumblr.com reaches the post',
    url: `https://at.tumblr.com/${BLOG}/700000000000000004/n7x7pr7x4w2b`,
    env: WITH_KEY,
    async setup(web) {
      const video = {
        type: 'video',
        provider: 'tumblr',
        url: `https://va.media.tumblr.com/tumblr_rj1x2y3z4.mp4`,
        media: { url: 'https://va.media.tumblr.com/tumblr_rj1x2y3z4.mp4', type: 'video/mp4', width: 720, height: 1280 },
        poster: [{ url: `${MEDIA}/tumblr_rj1x2y3z4_frame1.jpg`, type: 'image/jpeg', width: 720, height: 1280 }],
        filmstrip: { url: `${MEDIA}/previews/tumblr_rj1x2y3z4_filmstrip.jpg`, width: 2000, height: 357 },
        can_autoplay_on_cellular: true,
      };
      web.json(posts(BLOG, '700000000000000004'), post('700000000000000004', [video]));
      await web.media('https://va.media.tumblr.com/tumblr_rj1x2y3z4.mp4', 'mp4');
    },
    media: [{ name: 'tumblr-700000000000000004.mp4', mime_type: 'video/mp4', alt: null, attribution: own('700000000000000004') }],
    check(web) {
      expect(web.requestsTo('at.tumblr.com')).toEqual([]);
      expect(web.requestsTo('64.media.tumblr.com')).toEqual([]);
    },
  },
  {
    name: 'with a key: a video hosted elsewhere is followed to its own page (here: the page\'s picture)',
    url: `https://${BLOG}.tumblr.com/post/700000000000000005`,
    env: WITH_KEY,
    async setup(web) {
      const video = { type: 'video', provider: 'dailymotion', url: 'https://www.dailymotion.com/video/x8q2w3e', embed_html: '<iframe></iframe>' };
      web.json(posts(BLOG, '700000000000000005'), post('700000000000000005', [video]));
      web.html(
        'https://www.dailymotion.com/video/x8q2w3e',
        '<!doctype html><head><meta property="og:image" content="https://s1.dmcdn.net/v/W8v3e/x1080"><meta property="og:video" content="https://www.dailymotion.com/embed/video/x8q2w3e"><meta property="og:video:type" content="text/html"></head>',
      );
      await web.media('https://s1.dmcdn.net/v/W8v3e/x1080', 'jpeg');
    },
    media: [{ name: 'x1080.jpg', mime_type: 'image/jpeg' }],
    check(web) {
      expect(web.requestsTo('www.dailymotion.com', '/video/x8q2w3e')).toHaveLength(1);
    },
  },
  {
    name: 'without a key: the post page is followed and its OpenGraph picture imported, no API call',
    url: `https://${BLOG}.tumblr.com/post/700000000000000006/a-slug`,
    async setup(web) {
      web.html(
        `https://www.tumblr.com/${BLOG}/700000000000000006`,
        `<!doctype html><html><head><meta property="og:site_name" content="Tumblr"><meta property="og:image" content="${MEDIA}/3f2a9c/ogpic-s2048.jpg"><meta property="og:title" content="Cats"></head><body></body></html>`,
      );
      await pictures(web, 'ogpic');
    },
    media: [{ name: 'ogpic-s2048.jpg', mime_type: 'image/jpeg' }],
    check(web) {
      expect(web.requestsTo('api.tumblr.com')).toEqual([]);
    },
  },
  {
    name: 'a key Tumblr rejects (401) is not_configured, and says so',
    url: `https://www.tumblr.com/${BLOG}/700000000000000001`,
    env: WITH_KEY,
    setup: (web) => web.json(posts(BLOG, '700000000000000001'), { meta: { status: 401, msg: 'Unauthorized' }, response: [] }, 401),
    skipped: [{ code: 'not_configured', message: /rejected the API key in INTAKE_TUMBLR_API_KEY/ }],
  },
  {
    name: 'with a key: a deleted post (404) is not_found',
    url: `https://www.tumblr.com/${BLOG}/700000000000000404`,
    env: WITH_KEY,
    setup: (web) =>
      web.json(posts(BLOG, '700000000000000404'), { meta: { status: 404, msg: 'Not Found' }, response: [], errors: [{ title: 'Not Found', code: 0, detail: 'Not Found' }] }, 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'with a key: an answer without the post is not_found',
    url: `https://www.tumblr.com/${BLOG}/700000000000000405`,
    env: WITH_KEY,
    setup: (web) => web.json(posts(BLOG, '700000000000000405'), { meta: { status: 200, msg: 'OK' }, response: { blog: blog(BLOG), posts: [], total_posts: 0 } }),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'with a key: a blog Tumblr shows only to members (403) is login_required',
    url: `https://www.tumblr.com/${BLOG}/700000000000000403`,
    env: WITH_KEY,
    setup: (web) => web.json(posts(BLOG, '700000000000000403'), { meta: { status: 403, msg: 'Forbidden' }, response: [] }, 403),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'with a key: a text-only post is no_media',
    url: `https://www.tumblr.com/${BLOG}/700000000000000007`,
    env: WITH_KEY,
    setup: (web) => web.json(posts(BLOG, '700000000000000007'), post('700000000000000007', [text('Just words'), { type: 'link', url: 'https://example.com/' }])),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'an image block without renditions is resolver_failed',
    url: `https://www.tumblr.com/${BLOG}/700000000000000008`,
    env: WITH_KEY,
    setup: (web) => web.json(posts(BLOG, '700000000000000008'), post('700000000000000008', [{ type: 'image', alt_text: 'x' }])),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a picture on a private address is blocked_address, and the others are still imported',
    url: `https://www.tumblr.com/${BLOG}/700000000000000009`,
    env: WITH_KEY,
    async setup(web) {
      const bad = { type: 'image', media: [{ url: 'http://127.0.0.1/latest/meta-data/', type: 'image/jpeg', width: 1280, height: 853 }], alt_text: 'Internal' };
      web.json(posts(BLOG, '700000000000000009'), post('700000000000000009', [image('safe', 'Safe'), bad]));
      await pictures(web, 'safe');
    },
    media: [{ name: 'tumblr-700000000000000009-1.jpg', alt: 'Safe' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/' }],
  },
];
