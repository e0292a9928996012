import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of a Tenor view page: the `<script id="store-cache">` JSON whose
 * `gifs.byId.<key>.results[]` are Tenor GIF objects (`media_formats`, `content_description`,
 * `user`, `itemurl`), as gallery-dl reads them.
 */

const ID = '10174070686436479501';
const SLUG = `dance-dancing-rhythm-music-party-gif-${ID}`;
const PAGE = `https://tenor.com/view/${SLUG}`;
const MEDIA = 'https://media1.tenor.com/m/jTGPYoDC0g0AAAAC/dance-dancing.gif';
const MP4 = 'https://media.tenor.com/jTGPYoDC0g0AAAPo/dance-dancing.mp4';
const ALT = 'a blue and white penguin with the word pengu written below it';
const credit = { author: 'Pudgy Penguins', author_url: 'https://tenor.com/official/PudgyPenguins', source: 'Tenor', page_url: PAGE };

function formats(id: string, name: string) {
  const f = (code: string, ext: string, dims: [number, number], size: number, duration = 0) => ({
    url: `https://media${code.endsWith('C') ? '1' : ''}.tenor.com/${code.endsWith('C') ? 'm/' : ''}${id}${code}/${name}.${ext}`,
    dims,
    duration,
    preview: '',
    size,
  });
  return {
    gif: f('AAAAC', 'gif', [498, 498], 379845),
    mediumgif: f('AAAAd', 'gif', [498, 498], 250000),
    tinygif: f('AAAAM', 'gif', [220, 220], 60000),
    nanogif: f('AAAAS', 'gif', [90, 90], 12000),
    mp4: f('AAAPo', 'mp4', [498, 498], 120000, 1.4),
    loopedmp4: f('AAAP1', 'mp4', [498, 498], 360000, 4.2),
    tinymp4: f('AAAP3', 'mp4', [220, 220], 30000, 1.4),
    webm: f('AAAPs', 'webm', [498, 498], 90000, 1.4),
    webp: f('AAAAx', 'webp', [498, 498], 80000),
    gifpreview: f('AAAAe', 'png', [640, 640], 150000),
  };
}

function gif(overrides: Record<string, unknown> = {}) {
  return {
    id: ID,
    title: 'Dance Dancing Sticker',
    h1_title: 'Dance Dancing Sticker',
    long_title: 'Dance Dancing Sticker - Dance Dancing Rhythm Stickers',
    media_formats: formats('jTGPYoDC0g0', 'dance-dancing'),
    created: 1761968378.53755,
    content_description: ALT,
    itemurl: PAGE,
    url: 'https://tenor.com/mhJvX13UBsL.gif',
    tags: ['dance', 'dancing', 'pengu'],
    flags: ['sticker'],
    hasaudio: false,
    content_rating: '',
    bg_color: '',
    legacy_info: { post_id: '0' },
    policy_status: 'POLICY_STATUS_UNSPECIFIED',
    embed: `<div class="tenor-gif-embed" data-postid="${ID}"></div>`,
    shares: 25000,
    user: {
      username: 'PudgyPenguins',
      partnername: 'Pudgy Penguins',
      url: 'https://tenor.com/official/PudgyPenguins',
      avatars: {},
      usertype: 'partner',
      userid: '12680456',
      profile_id: '7220590138123212970',
      tagline: 'Pudgy Penguins supplying the internet with good vibes',
      flags: ['partner'],
    },
    ...overrides,
  };
}

/** A related GIF the page also caches, listed first: the resolver must pick the page's own. */
const related = gif({ id: '8525772382434057283', content_description: 'an illustration of a tree', media_formats: formats('dlGgz3LRXEMA', 'moving'), user: null });

function page(results: readonly unknown[], cache?: unknown): string {
  const store = cache ?? {
    appConfig: { locale: 'en', country: 'US' },
    gifs: {
      byId: {
        'related:8525772382434057283': { results: [related], loaded: true, pending: false },
        [ID]: { results, loaded: true, pending: false },
      },
    },
    search: {},
  };
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Dance Dancing Sticker - Tenor</title>
<meta property="og:image" content="${MEDIA}"><link rel="canonical" href="${PAGE}"></head>
<body><div id="root"><h1>Dance Dancing Sticker</h1></div>
<script id="store-cache" type="text/x-cache" nonce="abc">${JSON.stringify(store)}</script>
<script src="/assets/main.js"></script></body></html>`;
}

async function gifFile(web: FixtureWeb): Promise<void> {
  await web.media(MEDIA, 'gif');
}

export const cases: readonly ResolverCase[] = [
  {
    name: "a view page: the page's own GIF (not a related one), its description as alt, the partner credited",
    url: PAGE,
    async setup(web) {
      web.html(PAGE, page([gif()]));
      await gifFile(web);
    },
    media: [{ name: `tenor-${ID}.gif`, alt: ALT, attribution: credit, mime_type: 'image/gif' }],
    check(web) {
      expect(web.requests.map((r) => r.url.hostname)).toEqual(['tenor.com', 'media1.tenor.com']);
    },
  },
  {
    name: 'a localised page (/de/view/) is read without its locale',
    url: `https://tenor.com/de/view/${SLUG}`,
    async setup(web) {
      web.html(PAGE, page([gif()]));
      await gifFile(web);
    },
    media: [{ name: `tenor-${ID}.gif`, alt: ALT, attribution: credit }],
    check(web) {
      expect(web.requestsTo('tenor.com').map((r) => r.url.pathname)).toEqual([`/view/${SLUG}`]);
    },
  },
  {
    name: 'when the GIF answers an error status, its smaller GIF and then the MP4 are tried',
    url: PAGE,
    async setup(web) {
      web.html(PAGE, page([gif()]));
      web.text(MEDIA, 'gone', 404);
      web.text('https://media.tenor.com/jTGPYoDC0g0AAAAd/dance-dancing.gif', 'gone', 404);
      await web.media(MP4, 'mp4');
    },
    media: [{ name: `tenor-${ID}.mp4`, mime_type: 'video/mp4' }],
  },
  {
    name: 'an anonymous upload without a description: alt and attribution null; a view link ending in .gif',
    url: `https://tenor.com/view/${SLUG}.gif`,
    async setup(web) {
      web.html(PAGE, page([gif({ content_description: '', user: null })]));
      await gifFile(web);
    },
    media: [{ name: `tenor-${ID}.gif`, alt: null, attribution: null }],
  },
  {
    name: 'a share link (tenor.com/<code>.gif) that redirects to the view page is read like the page',
    url: 'https://tenor.com/mhJvX13UBsL.gif',
    async setup(web) {
      web.redirect('https://tenor.com/mhJvX13UBsL.gif', PAGE, 301);
      web.html(PAGE, page([gif()]));
      await gifFile(web);
    },
    media: [{ name: `tenor-${ID}.gif`, alt: ALT, attribution: credit }],
  },
  {
    name: 'a share link that leads straight to the file is that file',
    url: 'https://tenor.com/bVvd1.gif',
    async setup(web) {
      web.redirect('https://tenor.com/bVvd1.gif', 'https://media.tenor.com/Zk2mGq7aAbcAAAAC/i-miss-you.gif');
      await web.media('https://media.tenor.com/Zk2mGq7aAbcAAAAC/i-miss-you.gif', 'gif');
    },
    media: [{ name: 'tenor-bVvd1.gif', alt: null, attribution: null, mime_type: 'image/gif' }],
  },
  {
    name: 'a share link that leads to the home page is not_found',
    url: 'https://tenor.com/zzzz1.gif',
    setup(web) {
      web.redirect('https://tenor.com/zzzz1.gif', 'https://tenor.com/');
      web.html('https://tenor.com/', '<!doctype html><title>Tenor GIF Keyboard</title>');
    },
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a removed GIF (Tenor answers 404) is not_found',
    url: 'https://tenor.com/view/gone-gif-1234567890',
    setup: (web) => web.html('https://tenor.com/view/gone-gif-1234567890', '<!doctype html><title>Page not found</title>', 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a page without the store-cache script is resolver_failed',
    url: PAGE,
    setup: (web) => web.html(PAGE, `<!doctype html><html><head><meta property="og:image" content="${MEDIA}"></head><body></body></html>`),
    skipped: [{ code: 'resolver_failed', message: /store-cache/ }],
  },
  {
    name: "a store-cache without the page's GIF is resolver_failed",
    url: PAGE,
    setup: (web) => web.html(PAGE, page([], { gifs: { byId: { x: { results: [related] } } } })),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a store-cache of another shape is resolver_failed',
    url: PAGE,
    setup: (web) => web.html(PAGE, page([], { gifs: { all: [gif()] } })),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a GIF with no GIF or video rendition is no_media',
    url: PAGE,
    setup: (web) => web.html(PAGE, page([gif({ media_formats: { gifpreview: formats('x', 'y').gifpreview } })])),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a media URL in the page that points at a private address is blocked_address for that item',
    url: PAGE,
    setup: (web) => web.html(PAGE, page([gif({ media_formats: { gif: { url: 'http://10.0.0.1/m/dance.gif', dims: [498, 498] } } })])),
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/m/dance.gif' }],
  },
];
