import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of Instagram's mobile API (`i.instagram.com/api/v1/media/<id>/info/`,
 * as the Android app gets it) and of the embed page (`/p/<code>/embed/captioned/`: a
 * `PolarisEmbedSimple` init whose `contextJSON` holds `gql_data.shortcode_media`, or only the
 * `EmbeddedMediaImage` picture for a single photo, or the `EmbedBrokenMedia` notice).
 * Media ids are the shortcodes read in base 64 (computed apart from the resolver).
 */

const API = 'i.instagram.com/api/v1/media';
const WWW = 'https://www.instagram.com';
const CDN = 'https://scontent-lhr8-1.cdninstagram.com';
const VIDEO_CDN = 'https://instagram.flhr8-2.fna.fbcdn.net';
const SIGNED = 'stp=dst-jpg_e35_tt6&_nc_ht=scontent-lhr8-1.cdninstagram.com&_nc_cat=101&oh=00_AQOtZnY&oe=6AC7E047';

const owner = { pk: '528817151', pk_id: '528817151', username: 'alice.example', full_name: 'Alice Example', is_private: false, is_verified: true };
const credit = (code: string, author = 'Alice Example') => ({
  author,
  author_url: 'https://www.instagram.com/alice.example/',
  source: 'Instagram',
  page_url: `https://www.instagram.com/p/${code}/`,
});

const picture = (n: string) => `${CDN}/v/t51.82787-15/${n}_18646148242049152_n.jpg?${SIGNED}`;
const clip = (n: string, size: string) => `${VIDEO_CDN}/o1/v/t16/f2/m86/AQ${n}_${size}.mp4?efg=eyJ2ZW5jb2RlX3RhZyI6InhwdiJ9&_nc_ht=instagram.flhr8-2.fna.fbcdn.net&oh=00_AQM`;

function image(n: string, alt?: string) {
  return {
    id: `${n}_528817151`,
    media_type: 1,
    original_width: 1080,
    original_height: 1350,
    image_versions2: { candidates: [{ width: 1080, height: 1350, url: picture(n) }, { width: 640, height: 800, url: picture(`${n}s`) }] },
    ...(alt === undefined ? {} : { accessibility_caption: alt }),
  };
}

function video(n: string) {
  return {
    id: `${n}_528817151`,
    media_type: 2,
    video_duration: 12.4,
    image_versions2: { candidates: [{ width: 720, height: 1280, url: picture(`${n}cover`) }] },
    // Not largest first: the largest is chosen by size.
    video_versions: [
      { type: 102, width: 480, height: 854, url: clip(n, '480'), id: '1' },
      { type: 101, width: 720, height: 1280, url: clip(n, '720'), id: '2' },
      { type: 103, width: 480, height: 854, url: clip(n, '480low'), id: '3' },
    ],
  };
}

function mediaInfo(code: string, post: Record<string, unknown>) {
  return {
    items: [
      { taken_at: 1720000000, pk: '3412719965523274048', code, caption: { text: 'A day out #sea' }, user: owner, like_count: 12, comment_count: 1, ...post },
    ],
    num_results: 1,
    more_available: false,
    auto_load_more_enabled: false,
    status: 'ok',
  };
}

const requireLogin = { message: 'Please wait a few minutes before you try again.', require_login: true, status: 'fail' };
const apiNotFound = { message: 'Media not found or unavailable', status: 'fail' };

/** The embed page: Instagram's markup, with `contextJSON` escaped twice as it is served. */
function embedPage(code: string, options: { type: string; context?: unknown; image?: string; username?: string }): string {
  const escapeSlash = (text: string) => text.replace(/\//g, '\\/');
  const init =
    options.context === undefined
      ? '{"isRichEmbed":false,"isSidecar":false}'
      : `{"isRichEmbed":true,"isSidecar":${options.type === 'GraphSidecar'},"contextJSON":${escapeSlash(JSON.stringify(escapeSlash(JSON.stringify(options.context))))}}`;
  const img = options.image
    ? `<img class="EmbeddedMediaImage" alt="Instagram post shared by &#064;${options.username}" src="${options.image.replace(/&/g, '&amp;')}" srcset="${picture('crop').replace(/&/g, '&amp;')} 640w" />`
    : '';
  return `<!DOCTYPE html>
<html lang="en" id="facebook" class="no_js"><head><meta charset="utf-8" /><title id="pageTitle">Instagram</title></head>
<body class="x1 Locale_en_US" dir="ltr"><div class="_aa4c"><div><div class="Embed" data-permalink="${WWW}/p/${code}/?utm_source=ig_embed" data-media-type="${options.type}" data-owner-id="528817151">
<div class="Header"><a class="Username" href="${WWW}/${options.username ?? 'alice.example'}/"><span class="UsernameText">${options.username ?? 'alice.example'}</span><i class="Sprite VerifiedSprite"><u>Verified</u></i></a></div>
<div class="Content EmbedFrame"><a class="EmbeddedMedia" href="${WWW}/p/${code}/">${img}</a></div>
<div class="HoverCard"><div class="HoverCardPhotos"><img src="${VIDEO_CDN}/v/t51.82787-15/other_post_n.jpg?stp=dst-jpg_e15_p240x240" /></div></div></div></div></div>
<script nonce="3vnhlyFu">requireLazy(["TimeSliceImpl","ServerJS"],function(TimeSlice,ServerJS){var s=(new ServerJS());s.handle({"define":[["IntlCurrentLocale",[],{"code":"en_US"},5954]],"require":[["PolarisEmbedSimple","init",[],[${init}]]]});});</script>
</body></html>`;
}

const BROKEN = `<!DOCTYPE html><html lang="en"><head><title id="pageTitle">Instagram</title></head><body><div class="_aa4c"><div class="EmbedBrokenMedia"><div class="ebmMessage">The link to this photo or video may be broken, or the post may have been removed.</div><a class="EmbedVisitInstagram" href="${WWW}/p/x/"><span>Visit Instagram</span></a></div></div></body></html>`;
const LOGIN_PAGE = `<!DOCTYPE html><html><head><title>Login • Instagram</title><meta property="og:image" content="${CDN}/rsrc/login-logo.png" /></head><body>Log in</body></html>`;

function gqlNode(n: string, alt: string | null, isVideo = false) {
  return {
    __typename: isVideo ? 'GraphVideo' : 'GraphImage',
    id: n,
    shortcode: `C9${n}`,
    is_video: isVideo,
    display_url: picture(n),
    display_resources: [{ src: picture(n), config_width: 1080, config_height: 1350 }],
    ...(isVideo ? { video_url: clip(n, '720'), video_view_count: 4000 } : {}),
    accessibility_caption: alt,
  };
}

function shortcodeMedia(code: string, media: Record<string, unknown>) {
  return {
    context: { type: media.__typename, shortcode: code, copyright_blocked: false },
    gql_data: {
      shortcode_media: {
        id: '3413334581490362206',
        shortcode: code,
        edge_media_to_caption: { edges: [{ node: { text: 'A day out' } }] },
        owner: { id: '528817151', username: 'alice.example', is_verified: true, profile_pic_url: `${CDN}/v/t51.2885-19/avatar.jpg` },
        ...media,
      },
    },
  };
}

function appHeaders(web: FixtureWeb): void {
  const api = web.requestsTo('i.instagram.com');
  expect(api.length).toBe(1);
  expect(api[0]!.headers['user-agent']).toMatch(/^Instagram \d+/);
  expect(api[0]!.headers['x-ig-app-locale']).toBe('en_US');
  for (const r of [...web.requestsTo('scontent-lhr8-1.cdninstagram.com'), ...web.requestsTo('instagram.flhr8-2.fna.fbcdn.net')]) {
    expect(r.headers['user-agent']).not.toMatch(/Instagram|Mozilla/);
    expect(r.headers['x-ig-app-locale']).toBeUndefined();
  }
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'a carousel from the mobile API: items in order, per-item alt, the largest video rendition, the owner credited',
    url: 'https://www.instagram.com/p/C9carou5elA/',
    async setup(web) {
      web.json(`${API}/3412719965523274048/info/`, mediaInfo('C9carou5elA', { media_type: 8, carousel_media_count: 3, carousel_media: [image('a1', 'Photo by Alice Example. May be an image of the sea.'), video('a2'), image('a3')] }));
      await web.media(picture('a1'), 'jpeg');
      await web.media(clip('a2', '720'), 'mp4');
      await web.media(picture('a3'), 'png');
    },
    media: [
      { name: 'instagram-C9carou5elA-1.jpg', alt: 'Photo by Alice Example. May be an image of the sea.', attribution: credit('C9carou5elA'), mime_type: 'image/jpeg' },
      { name: 'instagram-C9carou5elA-2.mp4', alt: null, mime_type: 'video/mp4', attribution: credit('C9carou5elA') },
      { name: 'instagram-C9carou5elA-3.png', alt: null },
    ],
    check(web) {
      appHeaders(web);
      // The app's headers went to the API only, and the embed page was not needed.
      expect(web.requestsTo('www.instagram.com')).toEqual([]);
    },
  },
  {
    name: 'a reel from the mobile API is its largest video, one item without an index',
    url: 'https://www.instagram.com/reel/C9reelVideo/?igsh=MWtxNWJ0Z2xj',
    async setup(web) {
      web.json(`${API}/3416958785360091048/info/`, mediaInfo('C9reelVideo', { product_type: 'clips', ...video('r1') }));
      await web.media(clip('r1', '720'), 'mp4');
    },
    media: [{ name: 'instagram-C9reelVideo.mp4', mime_type: 'video/mp4', attribution: credit('C9reelVideo') }],
    check: (web) => appHeaders(web),
  },
  {
    name: "a post under its owner's name (/<user>/p/<code>) is a single photo",
    url: 'https://www.instagram.com/alice.example/p/C9ownerPost/',
    async setup(web) {
      web.json(`${API}/3416194136590420781/info/`, mediaInfo('C9ownerPost', image('o1', 'A lighthouse')));
      await web.media(picture('o1'), 'jpeg');
    },
    media: [{ name: 'instagram-C9ownerPost.jpg', alt: 'A lighthouse', attribution: credit('C9ownerPost') }],
  },
  {
    name: 'the ddinstagram.com mirror reaches Instagram itself',
    url: 'https://d.ddinstagram.com/tv/C9tvVideo00',
    async setup(web) {
      web.json(`${API}/3417595880540900660/info/`, mediaInfo('C9tvVideo00', video('t1')));
      await web.media(clip('t1', '720'), 'mp4');
    },
    media: [{ name: 'instagram-C9tvVideo00.mp4' }],
    check: (web) => expect(web.requestsTo('d.ddinstagram.com')).toEqual([]),
  },
  {
    name: 'a share link is expanded with a non-browser agent, and the post it leads to is imported',
    url: 'https://www.instagram.com/share/reel/BAHx2bQk9Zs',
    async setup(web) {
      web.redirect(`${WWW}/share/reel/BAHx2bQk9Zs/`, `${WWW}/reel/C9shareDest/?igsh=MTc4MmM1YmI2Ng%3D%3D`);
      web.html(`${WWW}/reel/C9shareDest/`, '<!DOCTYPE html><html><head><title>Instagram</title></head><body></body></html>');
      web.json(`${API}/3417253186183752493/info/`, mediaInfo('C9shareDest', video('s1')));
      await web.media(clip('s1', '720'), 'mp4');
    },
    media: [{ name: 'instagram-C9shareDest.mp4', attribution: credit('C9shareDest') }],
    check(web) {
      const share = web.requestsTo('www.instagram.com', '/share/reel/BAHx2bQk9Zs/');
      expect(share[0]!.headers['user-agent']).toMatch(/^curl\//);
    },
  },
  {
    name: 'a share link whose post sends anonymous clients to the login page: the post is read from `next`',
    url: 'https://instagram.com/share/BAxyzLogin1',
    async setup(web) {
      web.redirect(`${WWW}/share/BAxyzLogin1/`, `${WWW}/p/C9shareDest/`);
      web.redirect(`${WWW}/p/C9shareDest/`, `${WWW}/accounts/login/?next=%2Fp%2FC9shareDest%2F`);
      web.html(`${WWW}/accounts/login/`, LOGIN_PAGE);
      web.json(`${API}/3417253186183752493/info/`, mediaInfo('C9shareDest', image('s2')));
      await web.media(picture('s2'), 'jpeg');
    },
    media: [{ name: 'instagram-C9shareDest.jpg' }],
  },
  {
    name: 'a share link that leads to a profile is no_media',
    url: 'https://www.instagram.com/share/BAprofile01',
    setup(web) {
      web.redirect(`${WWW}/share/BAprofile01/`, `${WWW}/alice.example/?igsh=abc`);
      web.html(`${WWW}/alice.example/`, LOGIN_PAGE);
    },
    skipped: [{ code: 'no_media', message: /share link/ }],
  },
  {
    name: 'the API wants a login: the embed page’s contextJSON gives the carousel with its alt texts',
    url: 'https://instagr.am/p/C9embedSide/',
    async setup(web) {
      web.json(`${API}/3413334581490362206/info/`, requireLogin, 401);
      const context = shortcodeMedia('C9embedSide', {
        __typename: 'GraphSidecar',
        is_video: false,
        display_url: picture('e1'),
        edge_sidecar_to_children: { edges: [{ node: gqlNode('e1', 'A red boat') }, { node: gqlNode('e2', null, true) }] },
      });
      web.html(`${WWW}/p/C9embedSide/embed/captioned/`, embedPage('C9embedSide', { type: 'GraphSidecar', context }));
      await web.media(picture('e1'), 'jpeg');
      await web.media(clip('e2', '720'), 'mp4');
    },
    media: [
      { name: 'instagram-C9embedSide-1.jpg', alt: 'A red boat', attribution: credit('C9embedSide', 'alice.example') },
      { name: 'instagram-C9embedSide-2.mp4', alt: null, mime_type: 'video/mp4' },
    ],
    check(web) {
      const embed = web.requestsTo('www.instagram.com', '/p/C9embedSide/embed/captioned/');
      expect(embed[0]!.headers['user-agent']).toMatch(/^Mozilla\/5\.0/);
      expect(embed[0]!.headers['sec-fetch-mode']).toBe('navigate');
    },
  },
  {
    name: 'a video from the embed page',
    url: 'https://www.instagram.com/reels/C9embedVid0/',
    async setup(web) {
      web.json(`${API}/3413334581491148660/info/`, requireLogin, 401);
      const context = shortcodeMedia('C9embedVid0', gqlNode('v1', null, true));
      web.html(`${WWW}/p/C9embedVid0/embed/captioned/`, embedPage('C9embedVid0', { type: 'GraphVideo', context }));
      await web.media(clip('v1', '720'), 'mp4');
    },
    media: [{ name: 'instagram-C9embedVid0.mp4', mime_type: 'video/mp4', attribution: credit('C9embedVid0', 'alice.example') }],
  },
  {
    name: "a single photo's embed has no data: its EmbeddedMediaImage, without the boilerplate alt, credited to the page's user",
    url: 'https://www.instagram.com/p/C9embedImg0/',
    async setup(web) {
      web.json(`${API}/3413334581487757364/info/`, requireLogin, 401);
      web.html(`${WWW}/p/C9embedImg0/embed/captioned/`, embedPage('C9embedImg0', { type: 'GraphImage', image: picture('i1'), username: 'alice.example' }));
      await web.media(picture('i1'), 'webp');
    },
    media: [{ name: 'instagram-C9embedImg0.webp', alt: null, attribution: credit('C9embedImg0', 'alice.example') }],
  },
  {
    name: 'a deleted post (the API: "Media not found", the embed: broken) is not_found',
    url: 'https://www.instagram.com/p/C9deleted00/',
    setup(web) {
      web.json(`${API}/3413018609607892276/info/`, apiNotFound, 400);
      web.html(`${WWW}/p/C9deleted00/embed/captioned/`, BROKEN);
    },
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'the web’s “Sorry, this page isn’t available” is not_found',
    url: 'https://www.instagram.com/p/C9deleted00/',
    setup(web) {
      web.json(`${API}/3413018609607892276/info/`, requireLogin, 401);
      web.html(`${WWW}/p/C9deleted00/embed/captioned/`, '<html><head><title>Page not found • Instagram</title></head><body><h2>Sorry, this page isn&#039;t available.</h2><p>The link you followed may be broken.</p></body></html>');
    },
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a private post (the API wants a login, the embed sends to the login page) is login_required; the login page is not stored',
    url: 'https://www.instagram.com/p/C9private00/',
    setup(web) {
      web.json(`${API}/3416453295713414452/info/`, requireLogin, 401);
      web.redirect(`${WWW}/p/C9private00/embed/captioned/`, `${WWW}/accounts/login/?next=%2Fp%2FC9private00%2Fembed%2Fcaptioned%2F`);
      web.html(`${WWW}/accounts/login/`, LOGIN_PAGE);
    },
    skipped: [{ code: 'login_required', message: /logged-in/ }],
    check: (web) => expect(web.requestsTo('scontent-lhr8-1.cdninstagram.com')).toEqual([]),
  },
  {
    name: 'a broken embed (private, removed or embedding off) is login_required',
    url: 'https://www.instagram.com/p/C9brokenEmb/',
    setup(web) {
      web.json(`${API}/3412513046610594203/info/`, requireLogin, 401);
      web.html(`${WWW}/p/C9brokenEmb/embed/captioned/`, BROKEN);
    },
    skipped: [{ code: 'login_required', message: /embedding/ }],
  },
  {
    name: 'a story needs a login: login_required without asking Instagram',
    url: 'https://www.instagram.com/stories/alice.example/3412719965523274048/',
    setup: () => undefined,
    skipped: [{ code: 'login_required', message: /stories/ }],
    check: (web) => expect(web.requests).toEqual([]),
  },
  {
    name: 'answers in shapes the resolver does not know (API and embed) are resolver_failed',
    url: 'https://www.instagram.com/p/C9oddShape0/',
    setup(web) {
      web.json(`${API}/3416109873462155188/info/`, { items: [{ media: { kind: 'photo' } }], status: 'ok' });
      // The web's "not available" words sit in every page's scripts as translations: not a notice.
      const translations = '<script>__d("PolarisStrings",[],{"notFound":"Sorry, this page isn\'t available."});</script></body>';
      web.html(`${WWW}/p/C9oddShape0/embed/captioned/`, embedPage('C9oddShape0', { type: 'GraphSidecar' }).replace('</body>', translations));
    },
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'rate limited everywhere is http_error',
    url: 'https://www.instagram.com/p/C9rateLimit/',
    setup(web) {
      web.json(`${API}/3416942216282269869/info/`, { message: 'Please wait a few minutes before you try again.', status: 'fail' }, 429);
      web.html(`${WWW}/p/C9rateLimit/embed/captioned/`, '<html><body>Too many requests</body></html>', 429);
    },
    skipped: [{ code: 'http_error', message: /limiting/ }],
  },
  {
    name: 'a carousel item on a private address is blocked_address, and the other items are still imported',
    url: 'https://www.instagram.com/p/C9ssrfCarou/',
    async setup(web) {
      const inside = { ...image('x2', 'Inside'), image_versions2: { candidates: [{ width: 1080, height: 1080, url: 'http://10.0.0.1/latest/meta-data/' }] } };
      web.json(`${API}/3417302719577897518/info/`, mediaInfo('C9ssrfCarou', { media_type: 8, carousel_media: [image('x1', 'Outside'), inside] }));
      await web.media(picture('x1'), 'jpeg');
    },
    media: [{ name: 'instagram-C9ssrfCarou-1.jpg', alt: 'Outside' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/latest/meta-data/' }],
  },
];
