import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of Reddit's post JSON (`/comments/<id>.json?raw_json=1`: a pair of
 * Listings, the post at `[0].data.children[0].data`), its media hosts (`i.redd.it`,
 * `preview.redd.it`, `v.redd.it`), its share-link redirects and its answers to refused servers.
 */

const API = 'https://www.reddit.com/comments';

function listing(post: Record<string, unknown>) {
  const empty = { after: null, dist: null, modhash: '', geo_filter: '', children: [], before: null };
  return [
    { kind: 'Listing', data: { ...empty, dist: 1, children: [{ kind: 't3', data: post }] } },
    { kind: 'Listing', data: empty },
  ];
}

function post(id: string, overrides: Record<string, unknown> = {}, author = 'alice_pics', subreddit = 'pics') {
  return {
    approved_at_utc: null,
    subreddit,
    selftext: '',
    author_fullname: 't2_8xk2m',
    title: 'Sunrise over the harbour',
    subreddit_name_prefixed: `r/${subreddit}`,
    name: `t3_${id}`,
    id,
    author,
    permalink: `/r/${subreddit}/comments/${id}/sunrise_over_the_harbour/`,
    url: `https://i.redd.it/${id}x7k2.jpg`,
    domain: 'i.redd.it',
    post_hint: 'image',
    is_self: false,
    is_video: false,
    over_18: false,
    spoiler: false,
    removed_by_category: null,
    media: null,
    secure_media: null,
    secure_media_embed: {},
    score: 1842,
    num_comments: 57,
    created_utc: 1_788_000_000,
    ...overrides,
  };
}

const credit = (id: string, author = 'alice_pics', subreddit = 'pics') => ({
  author: `u/${author}`,
  author_url: `https://www.reddit.com/user/${author}`,
  source: 'Reddit',
  page_url: `https://www.reddit.com/r/${subreddit}/comments/${id}/sunrise_over_the_harbour/`,
});

/** A post answered by the API, and its single picture on i.redd.it. */
async function singleImage(web: FixtureWeb, id: string): Promise<void> {
  web.json(`${API}/${id}.json?raw_json=1`, listing(post(id)));
  await web.media(`https://i.redd.it/${id}x7k2.jpg`, 'jpeg');
}

const preview = (name: string) => `https://preview.redd.it/${name}?width=1080&format=pjpg&auto=webp&s=5c1f0e2a9b7d3c4e`;

function galleryPost(id: string, entries: readonly { id: string; caption?: string }[], metadata: Record<string, unknown>) {
  return post(id, {
    url: `https://www.reddit.com/gallery/${id}`,
    domain: 'reddit.com',
    post_hint: undefined,
    is_gallery: true,
    gallery_data: { items: entries.map((e, i) => ({ media_id: e.id, id: 400_000 + i, ...(e.caption ? { caption: e.caption } : {}) })) },
    media_metadata: metadata,
  });
}

const image = (name: string, mime = 'image/jpg') => ({
  status: 'valid',
  e: 'Image',
  m: mime,
  p: [{ y: 108, x: 108, u: preview(name).replace('width=1080', 'width=108') }],
  s: { y: 1350, x: 1080, u: preview(name) },
  id: name.replace(/\..*$/, ''),
});

const videoPost = (id: string, videoId: string) =>
  post(id, {
    url: `https://v.redd.it/${videoId}`,
    domain: 'v.redd.it',
    post_hint: 'hosted:video',
    is_video: true,
    secure_media: {
      reddit_video: {
        bitrate_kbps: 2400,
        fallback_url: `https://v.redd.it/${videoId}/DASH_720.mp4?source=fallback`,
        has_audio: true,
        height: 720,
        width: 1280,
        scrubber_media_url: `https://v.redd.it/${videoId}/DASH_96.mp4`,
        dash_url: `https://v.redd.it/${videoId}/DASHPlaylist.mpd?a=1790000000%2CYmE1&v=1&f=sd`,
        duration: 14,
        hls_url: `https://v.redd.it/${videoId}/HLSPlaylist.m3u8?a=1790000000%2CMjk2&v=1&f=sd`,
        is_gif: false,
        transcoding_status: 'completed',
      },
    },
  });

const BLOCK_PAGE =
  '<!doctype html><html><head><title>Blocked</title></head><body><h1>whoa there, pardner!</h1>' +
  "<p>You've been blocked by network security. To continue, log in to your Reddit account or use your developer token.</p></body></html>";

export const cases: readonly ResolverCase[] = [
  {
    name: 'a single picture on i.redd.it: the file, credited to u/<author> with the permalink, asked for with raw_json',
    url: 'https://www.reddit.com/r/pics/comments/1abc01/sunrise_over_the_harbour/',
    setup: (web) => singleImage(web, '1abc01'),
    media: [{ name: 'reddit-1abc01.jpg', alt: null, attribution: credit('1abc01'), mime_type: 'image/jpeg' }],
    check(web) {
      const asked = web.requestsTo('www.reddit.com', '/comments/1abc01.json');
      expect(asked).toHaveLength(1);
      expect(asked[0]!.url.searchParams.get('raw_json')).toBe('1');
    },
  },
  {
    name: 'a gallery: the items in gallery_data order, captions as alt, originals from i.redd.it, an animated item as MP4, a failed item left out',
    url: 'https://www.reddit.com/gallery/1gal02',
    async setup(web) {
      // media_metadata is keyed by id in no particular order: gallery_data gives the order.
      const metadata = {
        m3: image('m3third.png', 'image/png'),
        m1: image('m1first.jpg'),
        m9: { status: 'failed' },
        m2: {
          status: 'valid',
          e: 'AnimatedImage',
          m: 'image/gif',
          s: { y: 480, x: 480, gif: 'https://i.redd.it/m2second.gif', mp4: 'https://preview.redd.it/m2second.gif?format=mp4&s=9e8d7c6b5a' },
          id: 'm2',
        },
      };
      const entries = [{ id: 'm1', caption: '  The harbour   at dawn ' }, { id: 'm9', caption: 'Lost upload' }, { id: 'm2', caption: 'Gulls' }, { id: 'm3' }];
      web.json(`${API}/1gal02.json?raw_json=1`, listing(galleryPost('1gal02', entries, metadata)));
      await web.media('https://i.redd.it/m1first.jpg', 'jpeg');
      await web.media('https://preview.redd.it/m2second.gif?format=mp4', 'mp4');
      await web.media('https://i.redd.it/m3third.png', 'png');
    },
    media: [
      { name: 'reddit-1gal02-1.jpg', alt: 'The harbour at dawn', attribution: credit('1gal02'), mime_type: 'image/jpeg' },
      { name: 'reddit-1gal02-2.mp4', alt: 'Gulls', mime_type: 'video/mp4' },
      { name: 'reddit-1gal02-3.png', alt: null, mime_type: 'image/png' },
    ],
    check(web) {
      // The signed MP4 rendition is asked for with its signature.
      expect(web.requestsTo('preview.redd.it', '/m2second.gif')[0]!.url.searchParams.get('s')).toBe('9e8d7c6b5a');
    },
  },
  {
    name: 'a picture whose original is gone from i.redd.it falls back to its preview.redd.it copy',
    url: 'https://www.reddit.com/r/pics/comments/1prv03/',
    async setup(web) {
      web.json(`${API}/1prv03.json?raw_json=1`, listing(post('1prv03', { url: preview('u9ud4k6xaf271.jpg') })));
      web.text('https://i.redd.it/u9ud4k6xaf271.jpg', 'Not Found', 404);
      await web.media('https://preview.redd.it/u9ud4k6xaf271.jpg?s=5c1f0e2a9b7d3c4e', 'webp');
    },
    media: [{ name: 'reddit-1prv03.webp', mime_type: 'image/webp' }],
  },
  {
    name: 'a Reddit video: the fallback MP4 (video only: Reddit keeps the sound apart)',
    url: 'https://www.reddit.com/r/aww/comments/1vid04/heat_index/',
    async setup(web) {
      web.json(`${API}/1vid04.json?raw_json=1`, listing(videoPost('1vid04', 'gyh95hiqc0b11')));
      await web.media('https://v.redd.it/gyh95hiqc0b11/DASH_720.mp4', 'mp4');
    },
    media: [{ name: 'reddit-1vid04.mp4', alt: null, mime_type: 'video/mp4', attribution: credit('1vid04') }],
  },
  {
    name: 'a crosspost: the media of the post it shares, credited to that post',
    url: 'https://www.reddit.com/r/kittengifs/comments/1xpo05/',
    async setup(web) {
      const parent = { ...videoPost('1orig5', 'cvabpjacrvta1'), author: 'bob_cats', permalink: '/r/aww/comments/1orig5/sunrise_over_the_harbour/' };
      const top = post('1xpo05', {
        url: '/r/aww/comments/1orig5/sunrise_over_the_harbour/',
        domain: 'self.aww',
        post_hint: undefined,
        crosspost_parent: 't3_1orig5',
        crosspost_parent_list: [parent],
      });
      web.json(`${API}/1xpo05.json?raw_json=1`, listing(top));
      await web.media('https://v.redd.it/cvabpjacrvta1/DASH_720.mp4', 'mp4');
    },
    media: [{ name: 'reddit-1xpo05.mp4', attribution: credit('1orig5', 'bob_cats', 'aww') }],
  },
  {
    name: 'a link post: the linked article is read as a page and its picture imported',
    url: 'https://www.reddit.com/r/space/comments/1lnk06/',
    async setup(web) {
      const article = 'https://apnews.com/article/moon-lander-touchdown-4f2a';
      web.json(`${API}/1lnk06.json?raw_json=1`, listing(post('1lnk06', { url: article, url_overridden_by_dest: article, domain: 'apnews.com', post_hint: 'link' }, 'alice_pics', 'space')));
      web.html(
        article,
        '<!doctype html><html><head><meta property="og:title" content="Lander touches down">' +
          '<meta property="og:image" content="https://dims.apnews.com/lander.jpg"><meta property="og:image:alt" content="The lander on the surface"></head><body></body></html>',
      );
      await web.media('https://dims.apnews.com/lander.jpg', 'jpeg');
    },
    media: [{ name: 'lander.jpg', alt: 'The lander on the surface', mime_type: 'image/jpeg' }],
  },
  {
    name: 'a text post with pictures in it: the pictures in the order the text shows them',
    url: 'https://www.reddit.com/r/pics/comments/1txt07/',
    async setup(web) {
      const text = 'Before:\n\n![img](inb2 "before")\n\nAfter:\n\n![img](ina1 "after")';
      const self = post('1txt07', { is_self: true, url: 'https://www.reddit.com/r/pics/comments/1txt07/sunrise_over_the_harbour/', domain: 'self.pics', post_hint: undefined, selftext: text, media_metadata: { ina1: image('ina1.jpg'), inb2: image('inb2.png', 'image/png') } });
      web.json(`${API}/1txt07.json?raw_json=1`, listing(self));
      await web.media('https://i.redd.it/ina1.jpg', 'jpeg');
      await web.media('https://i.redd.it/inb2.png', 'png');
    },
    media: [{ name: 'reddit-1txt07-1.png' }, { name: 'reddit-1txt07-2.jpg' }],
  },
  {
    name: 'old.reddit.com and a comment permalink reach the post',
    url: 'https://old.reddit.com/r/pics/comments/1old08/sunrise_over_the_harbour/kx9c2d1/?context=3',
    setup: (web) => singleImage(web, '1old08'),
    media: [{ name: 'reddit-1old08.jpg', attribution: credit('1old08') }],
  },
  {
    name: 'a redd.it short link is the post id itself',
    url: 'https://redd.it/1red09',
    setup: (web) => singleImage(web, '1red09'),
    media: [{ name: 'reddit-1red09.jpg' }],
  },
  {
    name: 'a share link is expanded to the post it redirects to',
    url: 'https://www.reddit.com/r/pics/s/hKrTTvFVwZ',
    async setup(web) {
      web.redirect('https://www.reddit.com/r/pics/s/hKrTTvFVwZ', 'https://www.reddit.com/r/pics/comments/1shr10/sunrise_over_the_harbour/?share_id=Xq2&utm_medium=ios_app', 301);
      web.html('https://www.reddit.com/r/pics/comments/1shr10/sunrise_over_the_harbour/', '<!doctype html><title>Sunrise over the harbour : r/pics</title>');
      await singleImage(web, '1shr10');
    },
    media: [{ name: 'reddit-1shr10.jpg', attribution: credit('1shr10') }],
  },
  {
    name: 'a v.redd.it link goes through /video/<id> to its post',
    url: 'https://v.redd.it/gyh95hiqc0b11',
    async setup(web) {
      web.redirect('https://www.reddit.com/video/gyh95hiqc0b11', 'https://www.reddit.com/r/aww/comments/1vrd11/heat_index/', 301);
      web.html('https://www.reddit.com/r/aww/comments/1vrd11/heat_index/', '<!doctype html><title>heat index : r/aww</title>');
      web.json(`${API}/1vrd11.json?raw_json=1`, listing(videoPost('1vrd11', 'gyh95hiqc0b11')));
      await web.media('https://v.redd.it/gyh95hiqc0b11/DASH_720.mp4', 'mp4');
    },
    media: [{ name: 'reddit-1vrd11.mp4', mime_type: 'video/mp4' }],
  },
  {
    name: 'a share link that leads somewhere other than a post is not_found',
    url: 'https://www.reddit.com/r/pics/s/zzTopLink1',
    setup(web) {
      web.redirect('https://www.reddit.com/r/pics/s/zzTopLink1', 'https://www.reddit.com/r/pics/', 301);
      web.html('https://www.reddit.com/r/pics/', '<!doctype html><title>r/pics</title>');
    },
    skipped: [{ code: 'not_found', message: /does not lead to a post/ }],
  },
  {
    name: 'a share link that Reddit answers with its block page instead of a redirect is login_required',
    url: 'https://www.reddit.com/r/pics/s/BlockedL1n',
    setup: (web) => web.html('https://www.reddit.com/r/pics/s/BlockedL1n', BLOCK_PAGE, 403),
    skipped: [{ code: 'login_required', message: /Reddit refused/ }],
  },
  {
    name: 'Reddit refusing this server (403 block page) is login_required, and says Reddit refused',
    url: 'https://www.reddit.com/r/pics/comments/1blk12/',
    setup: (web) => web.html(`${API}/1blk12.json?raw_json=1`, BLOCK_PAGE, 403),
    skipped: [{ code: 'login_required', message: /Reddit refused/ }],
  },
  {
    name: 'a web page instead of JSON (a login wall) is login_required',
    url: 'https://www.reddit.com/r/pics/comments/1lgn13/',
    setup(web) {
      web.redirect(`${API}/1lgn13.json?raw_json=1`, 'https://www.reddit.com/login/?dest=https%3A%2F%2Fwww.reddit.com%2Fcomments%2F1lgn13.json');
      web.html('https://www.reddit.com/login/', '<!doctype html><title>Log in to Reddit</title>');
    },
    skipped: [{ code: 'login_required', message: /Reddit refused/ }],
  },
  {
    name: 'a post in a private community is login_required',
    url: 'https://www.reddit.com/r/secretclub/comments/1prv14/',
    setup: (web) => web.json(`${API}/1prv14.json?raw_json=1`, { reason: 'private', message: 'Forbidden', error: 403 }, 403),
    skipped: [{ code: 'login_required', message: /private/ }],
  },
  {
    name: 'a post that does not exist is not_found',
    url: 'https://www.reddit.com/r/pics/comments/1gone5/',
    setup: (web) => web.json(`${API}/1gone5.json?raw_json=1`, { message: 'Not Found', error: 404 }, 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a post removed by the moderators is not_found',
    url: 'https://www.reddit.com/r/pics/comments/1rmv16/',
    setup: (web) => web.json(`${API}/1rmv16.json?raw_json=1`, listing(post('1rmv16', { removed_by_category: 'moderator', author: '[deleted]' }))),
    skipped: [{ code: 'not_found', message: /removed/ }],
  },
  {
    name: 'a deleted gallery (gallery_data null) is not_found',
    url: 'https://www.reddit.com/gallery/1dgl17',
    setup: (web) => web.json(`${API}/1dgl17.json?raw_json=1`, listing(post('1dgl17', { is_gallery: true, gallery_data: null, media_metadata: null }))),
    skipped: [{ code: 'not_found', message: /gallery was deleted/ }],
  },
  {
    name: 'a text post is no_media',
    url: 'https://www.reddit.com/r/AskReddit/comments/1txt18/',
    setup: (web) =>
      web.json(
        `${API}/1txt18.json?raw_json=1`,
        listing(post('1txt18', { is_self: true, selftext: 'What is your favourite harbour?', url: 'https://www.reddit.com/r/AskReddit/comments/1txt18/q/', domain: 'self.AskReddit', post_hint: undefined })),
      ),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'JSON that is not a post listing is resolver_failed',
    url: 'https://www.reddit.com/r/pics/comments/1odd19/',
    setup: (web) => web.json(`${API}/1odd19.json?raw_json=1`, { kind: 'Listing', data: { children: [] } }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a post without a permalink is resolver_failed',
    url: 'https://www.reddit.com/r/pics/comments/1odd20/',
    setup: (web) => web.json(`${API}/1odd20.json?raw_json=1`, listing({ ...post('1odd20'), permalink: 7 })),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a gallery item on a private address is blocked_address, and the other items are still imported',
    url: 'https://www.reddit.com/gallery/1ssr21',
    async setup(web) {
      const inside = { ...image('inside.jpg'), s: { y: 10, x: 10, u: 'http://127.0.0.1/latest/meta-data/inside.jpg' } };
      web.json(`${API}/1ssr21.json?raw_json=1`, listing(galleryPost('1ssr21', [{ id: 'ok1', caption: 'Safe' }, { id: 'bad', caption: 'Internal' }], { ok1: image('ok1.jpg'), bad: inside })));
      await web.media('https://i.redd.it/ok1.jpg', 'jpeg');
    },
    media: [{ name: 'reddit-1ssr21-1.jpg', alt: 'Safe' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/inside.jpg' }],
  },
];
