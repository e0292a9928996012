import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of a Threads post page as a logged-out browser gets it: the post, its
 * parents and its replies in `<script type="application/json" data-sjs>` blocks
 * (`ScheduledServerJS` → `RelayPrefetchedStreamCache` → `…edges[].node.thread_items[].post`).
 */

const WWW = 'https://www.threads.com';
const CDN = 'https://scontent-lhr6-1.cdninstagram.com';
const VIDEO_CDN = 'https://scontent-lhr6-2.cdninstagram.com';

const alice = { pk: '63055343223', id: null, username: 'alice.example', profile_pic_url: `${CDN}/v/t51.2885-19/avatar.jpg`, is_verified: false, text_post_app_is_private: false };
const bob = { ...alice, pk: '63055343999', username: 'bob.example' };
const credit = (code: string, user = 'alice.example') => ({
  author: user,
  author_url: `https://www.threads.com/@${user}`,
  source: 'Threads',
  page_url: `https://www.threads.com/@${user}/post/${code}`,
});

const picture = (n: string) => `${CDN}/v/t51.2885-15/${n}_n.jpg?stp=dst-jpg_e35_s1080x1080_tt6&_nc_ht=scontent-lhr6-1.cdninstagram.com&oh=00_AQM&oe=6AC7E047`;
const clip = (n: string) => `${VIDEO_CDN}/o1/v/t2/f2/m86/AQ${n}.mp4?efg=eyJ2ZW5jb2RlX3RhZyI6InhwdiJ9&_nc_ht=scontent-lhr6-2.cdninstagram.com&oh=00_AQN`;

const image = (n: string, alt: string | null = null) => ({
  media_type: 1,
  original_width: 1080,
  original_height: 1350,
  image_versions2: { candidates: [{ url: picture(n), width: 1080, height: 1350 }, { url: picture(`${n}s`), width: 640, height: 800 }] },
  video_versions: null,
  accessibility_caption: alt,
});
const video = (n: string) => ({
  media_type: 2,
  original_width: 720,
  original_height: 1280,
  image_versions2: { candidates: [{ url: picture(`${n}cover`), width: 720, height: 1280 }] },
  // Every version is the same file at another address; the first is taken.
  video_versions: [
    { type: 101, url: clip(n) },
    { type: 102, url: clip(`${n}b`) },
    { type: 103, url: clip(`${n}c`) },
  ],
  accessibility_caption: null,
});

function post(code: string, media: Record<string, unknown>, user = alice) {
  return {
    pk: '3413334581490362206',
    id: `3413334581490362206_${user.pk}`,
    code,
    user,
    caption: { text: 'A day at the sea' },
    taken_at: 1720000000,
    like_count: 5,
    media_type: 19,
    image_versions2: { candidates: [] },
    video_versions: [],
    carousel_media: null,
    carousel_media_count: null,
    accessibility_caption: null,
    giphy_media_info: null,
    text_post_app_info: { is_post_unavailable: false, share_info: { quoted_attachment_post: null, reposted_post: null, can_quote_post: true }, linked_inline_media: null, direct_reply_count: 1 },
    ...media,
  };
}

/** One `data-sjs` block carrying a thread (the post with its parents, or a reply). */
function block(preloader: string, posts: readonly unknown[]): string {
  const data = {
    require: [
      [
        'ScheduledServerJS',
        'handle',
        null,
        [{ __bbox: { require: [['RelayPrefetchedStreamCache', 'next', [], [preloader, { __bbox: { complete: true, result: { data: { data: { edges: [{ node: { thread_items: posts.map((p) => ({ post: p, line_type: 'line' })), id: 'thread' } }] } } }, sequence_number: 0 } }]]] } }],
      ],
    ],
  };
  return `<script type="application/json"  data-content-len="${JSON.stringify(data).length}" data-sjs>${JSON.stringify(data)}</script>`;
}

const SITE_DATA = `<script type="application/json" data-content-len="90" data-sjs>{"require":[["ScheduledServerJS","handle",null,[{"__bbox":{"define":[["BarcelonaSiteData",[],{"is_logged_out":true},1]]}}]]]}</script>`;

function page(blocks: readonly string[]): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" /><title>Threads</title><meta property="og:image" content="${CDN}/rsrc/threads-logo.png" /></head><body><div id="barcelona-page-layout"></div>${SITE_DATA}${blocks.join('\n')}</body></html>`;
}

/** The post's page with a parent before it and a reply with media after it, neither to be taken. */
function postPage(main: unknown): string {
  const parent = post('C9parent000', image('parent'), bob);
  const reply = post('C9reply0000', image('reply', 'A reply'), bob);
  return page([block('adp_BarcelonaPostPageDirectQueryRelayPreloader_6650f1b8e9e2d6c08f0b7a3', [parent, main]), block('adp_BarcelonaPostPageRefetchableDirectQuery_7a1c2e9d', [reply])]);
}

function navigation(web: FixtureWeb, path: string): void {
  const asked = web.requestsTo('www.threads.com', path);
  expect(asked.length).toBe(1);
  expect(asked[0]!.headers['user-agent']).toMatch(/^Mozilla\/5\.0/);
  expect(asked[0]!.headers['sec-fetch-mode']).toBe('navigate');
  for (const host of ['scontent-lhr6-1.cdninstagram.com', 'scontent-lhr6-2.cdninstagram.com']) {
    for (const r of web.requestsTo(host)) {
      expect(r.headers['user-agent']).not.toMatch(/Mozilla/);
      expect(r.headers['sec-fetch-mode']).toBeUndefined();
    }
  }
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'a carousel: items in source order with their alt, the video as its first version, the user credited',
    url: 'https://www.threads.com/@alice.example/post/C9carousel1',
    async setup(web) {
      const main = post('C9carousel1', { media_type: 8, carousel_media: [image('c1', 'A red boat'), video('c2'), image('c3')], carousel_media_count: 3 });
      web.html(`${WWW}/@alice.example/post/C9carousel1/`, postPage(main));
      await web.media(picture('c1'), 'jpeg');
      await web.media(clip('c2'), 'mp4');
      await web.media(picture('c3'), 'png');
    },
    media: [
      { name: 'threads-C9carousel1-1.jpg', alt: 'A red boat', attribution: credit('C9carousel1'), mime_type: 'image/jpeg' },
      { name: 'threads-C9carousel1-2.mp4', alt: null, mime_type: 'video/mp4' },
      { name: 'threads-C9carousel1-3.png', alt: null, attribution: credit('C9carousel1') },
    ],
    check: (web) => navigation(web, '/@alice.example/post/C9carousel1/'),
  },
  {
    name: 'a single picture: the post whose code is asked for, not its parent or a reply',
    url: 'https://www.threads.com/@alice.example/post/C9single000',
    async setup(web) {
      web.html(`${WWW}/@alice.example/post/C9single000/`, postPage(post('C9single000', image('s1', 'Sunset over the bay'))));
      await web.media(picture('s1'), 'webp');
      await web.media(picture('parent'), 'jpeg');
      await web.media(picture('reply'), 'jpeg');
    },
    media: [{ name: 'threads-C9single000.webp', alt: 'Sunset over the bay', attribution: credit('C9single000') }],
  },
  {
    name: 'a video post on threads.net with /media: the page is asked on threads.com',
    url: 'https://threads.net/@alice.example/post/C9video0000/media',
    async setup(web) {
      web.html(`${WWW}/@alice.example/post/C9video0000/`, postPage(post('C9video0000', video('v1'))));
      await web.media(clip('v1'), 'mp4');
    },
    media: [{ name: 'threads-C9video0000.mp4', mime_type: 'video/mp4', attribution: credit('C9video0000') }],
    check(web) {
      navigation(web, '/@alice.example/post/C9video0000/');
      expect(web.requestsTo('threads.net')).toEqual([]);
    },
  },
  {
    name: 'a GIF from the GIF picker',
    url: 'https://www.threads.com/@alice.example/post/C9gif000000',
    async setup(web) {
      const gif = { giphy_media_info: { images: { fixed_height: { url: 'https://media4.giphy.com/media/3o7TKSjRrfIPjeiVyM/200.gif', width: '356', height: '200' } }, first_party_cdn_proxied_images: null } };
      web.html(`${WWW}/@alice.example/post/C9gif000000/`, postPage(post('C9gif000000', gif)));
      await web.media('https://media4.giphy.com/media/3o7TKSjRrfIPjeiVyM/200.gif', 'gif');
    },
    media: [{ name: 'threads-C9gif000000.gif', mime_type: 'image/gif' }],
  },
  {
    name: "a quote post without media of its own gives the quoted post's, credited to its author",
    url: 'https://www.threads.com/@alice.example/post/C9quote0000',
    async setup(web) {
      const quoted = post('C9quoted000', image('q1', 'A quoted picture'), bob);
      const main = post('C9quote0000', { text_post_app_info: { share_info: { quoted_attachment_post: quoted, reposted_post: null }, linked_inline_media: null } });
      web.html(`${WWW}/@alice.example/post/C9quote0000/`, postPage(main));
      await web.media(picture('q1'), 'jpeg');
    },
    media: [{ name: 'threads-C9quote0000.jpg', alt: 'A quoted picture', attribution: credit('C9quoted000', 'bob.example') }],
  },
  {
    name: 'a text-only post is no_media',
    url: 'https://www.threads.com/@alice.example/post/C9text00000',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9text00000/`, postPage(post('C9text00000', {}))),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'the logged-out shell without the post data is login_required, and its og:image is not stored',
    url: 'https://www.threads.com/@alice.example/post/C9gated0000',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9gated0000/`, page([])),
    skipped: [{ code: 'login_required' }],
    check: (web) => expect(web.requestsTo('scontent-lhr6-1.cdninstagram.com')).toEqual([]),
  },
  {
    name: 'a redirect to the login page is login_required',
    url: 'https://www.threads.com/@alice.example/post/C9private00',
    setup(web) {
      web.redirect(`${WWW}/@alice.example/post/C9private00/`, `${WWW}/login?next=%2F%40alice.example%2Fpost%2FC9private00`);
      web.html(`${WWW}/login`, page([]));
    },
    skipped: [{ code: 'login_required', message: /logged-in/ }],
  },
  {
    name: 'a deleted post (404) is not_found',
    url: 'https://www.threads.com/@alice.example/post/C9gone00000',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9gone00000/`, page([]), 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a page that says the post is not available is not_found',
    url: 'https://www.threads.com/@alice.example/post/C9gone00001',
    setup(web) {
      const notice = '<div role="main"><span>Sorry, this page isn&#039;t available</span><span>The link you followed may be broken.</span></div>';
      web.html(`${WWW}/@alice.example/post/C9gone00001/`, page([notice]));
    },
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'translations of the notice inside scripts do not make a post not_found',
    url: 'https://www.threads.com/@alice.example/post/C9gated0001',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9gated0001/`, page(['<script>var t={"x":"Sorry, this page isn\'t available"}</script>'])),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'a post in a shape the resolver does not know is resolver_failed',
    url: 'https://www.threads.com/@alice.example/post/C9odd000000',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9odd000000/`, postPage(post('C9odd000000', { user: { name: 5 } }))),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a carousel item without any media is resolver_failed',
    url: 'https://www.threads.com/@alice.example/post/C9odd000001',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9odd000001/`, postPage(post('C9odd000001', { media_type: 8, carousel_media: [image('o1'), { media_type: 1, image_versions2: { candidates: [] } }] }))),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a video post without its video versions is resolver_failed, not its cover picture',
    url: 'https://www.threads.com/@alice.example/post/C9odd000002',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9odd000002/`, postPage(post('C9odd000002', { ...video('o2'), video_versions: [] }))),
    skipped: [{ code: 'resolver_failed' }],
    check: (web) => expect(web.requestsTo('scontent-lhr6-1.cdninstagram.com')).toEqual([]),
  },
  {
    name: 'Threads limiting requests (403) is http_error',
    url: 'https://www.threads.com/@alice.example/post/C9limited00',
    setup: (web) => web.html(`${WWW}/@alice.example/post/C9limited00/`, '<html><body>Please wait a few minutes</body></html>', 403),
    skipped: [{ code: 'http_error', message: /limiting/ }],
  },
  {
    name: 'a carousel item on a private address is blocked_address, and the other items are still imported',
    url: 'https://www.threads.com/@alice.example/post/C9ssrf00000',
    async setup(web) {
      const inside = { ...image('x2'), image_versions2: { candidates: [{ url: 'http://127.0.0.1/latest/meta-data/', width: 10, height: 10 }] } };
      web.html(`${WWW}/@alice.example/post/C9ssrf00000/`, postPage(post('C9ssrf00000', { media_type: 8, carousel_media: [image('x1', 'Outside'), inside] })));
      await web.media(picture('x1'), 'jpeg');
    },
    media: [{ name: 'threads-C9ssrf00000-1.jpg', alt: 'Outside' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/' }],
  },
];
