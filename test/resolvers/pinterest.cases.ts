import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of Pinterest's web resource endpoint (`/resource/PinResource/get/`,
 * field set `unauth_react_main_pin`): image, carousel, video and idea (story) pins; and of
 * `pin.it` short links, which redirect through `api.pinterest.com/url_shortener/…`.
 */

const RESOURCE = 'www.pinterest.com/resource/PinResource/get/';
const PINIMG = 'https://i.pinimg.com';
const VIDEOS = 'https://v1.pinimg.com/videos';

/** A pinimg URL of a size (`736x`, `originals`) for a signature, as Pinterest lays them out. */
const pinimg = (size: string, sig: string, ext = 'jpg') => `${PINIMG}/${size}/${sig.slice(0, 2)}/${sig.slice(2, 4)}/${sig.slice(4, 6)}/${sig}.${ext}`;
const sigs = {
  photo: '3e57c1b723b8e9d39b8c09f6c5efbfb0',
  slide1: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  slide2: 'b2c3d4e5f60718293a4b5c6d7e8f90a1',
  slide3: 'c3d4e5f60718293a4b5c6d7e8f90a1b2',
  page1: 'd4e5f60718293a4b5c6d7e8f90a1b2c3',
  page3: 'e5f60718293a4b5c6d7e8f90a1b2c3d4',
};

/** A pin's size map: small renditions (JPEG), and `orig` when the answer names the original. */
function images(sig: string, orig: string | null = pinimg('originals', sig)) {
  return {
    '170x': { width: 170, height: 255, url: pinimg('170x', sig) },
    '236x': { width: 236, height: 354, url: pinimg('236x', sig) },
    '474x': { width: 474, height: 711, url: pinimg('474x', sig) },
    '736x': { width: 736, height: 1104, url: pinimg('736x', sig) },
    ...(orig ? { orig: { width: 1000, height: 1500, url: orig } } : {}),
  };
}

function pin(id: string, overrides: Record<string, unknown> = {}) {
  return {
    node_id: Buffer.from(`Pin:${id}`).toString('base64'),
    id,
    type: 'pin',
    title: 'Reading nook under the stairs',
    grid_title: 'Reading nook under the stairs',
    description: 'Small-space ideas #interiors #readingnook',
    alt_text: null,
    auto_alt_text: 'a cushioned reading nook built under a wooden staircase',
    created_at: 'Wed, 30 Sep 2026 08:15:00 +0000',
    dominant_color: '#b8a48d',
    image_signature: sigs.photo,
    images: images(sigs.photo),
    videos: null,
    carousel_data: null,
    story_pin_data: null,
    story_pin_data_id: null,
    is_video: false,
    link: 'https://studio-oak.example/blog/reading-nook',
    domain: 'studio-oak.example',
    repin_count: 38,
    comment_count: 2,
    pinner: { id: '1084664028912989237', username: 'studio_oak', full_name: 'Studio Oak', image_medium_url: `${PINIMG}/75x75_RS/d5/31/dc/d531dca49f234a67da57fde4c20e3173.jpg` },
    board: { id: '1084664097631207841', name: 'Small spaces', url: '/studio_oak/small-spaces/', privacy: 'public' },
    ...overrides,
  };
}

function answer(web: FixtureWeb, id: string, data: unknown, status = 200): void {
  web.json(
    `${RESOURCE}?source_url=${encodeURIComponent(`/pin/${id}/`)}`,
    {
      resource_response: { status: status === 200 ? 'success' : 'failure', code: 0, message: 'ok', endpoint_name: 'v3_get_pin', data },
      client_context: { locale: 'en-US', is_authenticated: false },
      resource: { name: 'PinResource', options: { bookmarks: ['-end-'], id, field_set_key: 'unauth_react_main_pin' } },
      request_identifier: '7312048576230017',
    },
    status,
  );
}

const credit = (id: string) => ({ author: 'Studio Oak', author_url: 'https://www.pinterest.com/studio_oak/', source: 'Pinterest', page_url: `https://www.pinterest.com/pin/${id}/` });

function videoList(name: string, withMp4 = true) {
  return {
    V_HLSV4: { url: `${VIDEOS}/iht/hls/${name}.m3u8`, width: 720, height: 1280, duration: 8500, thumbnail: `${PINIMG}/videos/thumbnails/originals/${name}.jpg` },
    ...(withMp4
      ? {
          V_720P: { url: `${VIDEOS}/mc/720p/${name}.mp4`, width: 720, height: 1280, duration: 8500 },
          V_EXP4: { url: `${VIDEOS}/iht/expMp4/${name}_t4.mp4`, width: 720, height: 1280, duration: 8500 },
        }
      : {}),
  };
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'an image pin: the original, the generated alt text, the pinner credited; the headers go to Pinterest only',
    url: 'https://www.pinterest.com/pin/412994228343400946/',
    async setup(web) {
      answer(web, '412994228343400946', pin('412994228343400946'));
      await web.media(pinimg('originals', sigs.photo), 'jpeg');
    },
    media: [
      { name: 'pinterest-412994228343400946.jpg', alt: 'a cushioned reading nook built under a wooden staircase', attribution: credit('412994228343400946'), mime_type: 'image/jpeg' },
    ],
    check(web) {
      const asked = web.requestsTo('www.pinterest.com', '/resource/PinResource/get/');
      expect(asked).toHaveLength(1);
      expect(JSON.parse(asked[0]!.url.searchParams.get('data')!)).toEqual({ options: { id: '412994228343400946', field_set_key: 'unauth_react_main_pin' }, context: {} });
      expect(asked[0]!.headers['x-requested-with']).toBe('XMLHttpRequest');
      expect(web.requestsTo('i.pinimg.com').every((r) => r.headers['x-requested-with'] === undefined && r.headers['x-pinterest-pws-handler'] === undefined)).toBe(true);
    },
  },
  {
    name: 'another country domain and a titled pin URL (slug--id): the API on www.pinterest.com, the pinner’s own alt text first',
    url: 'https://uk.pinterest.co.uk/pin/reading-nook-under-the-stairs--412994228343400947/?mt=login',
    async setup(web) {
      answer(web, '412994228343400947', pin('412994228343400947', { alt_text: 'Reading nook with a green cushion' }));
      await web.media(pinimg('originals', sigs.photo), 'jpeg');
    },
    media: [{ name: 'pinterest-412994228343400947.jpg', alt: 'Reading nook with a green cushion', attribution: credit('412994228343400947') }],
    check(web) {
      expect(web.requestsTo('uk.pinterest.co.uk')).toEqual([]);
    },
  },
  {
    name: 'a carousel: every slide’s original in order, each with its title; a PNG original found after the JPEG guess',
    url: 'https://www.pinterest.de/pin/412994228343400948/',
    async setup(web) {
      const slot = (sig: string, title: string | null) => ({ id: `${sig.slice(0, 6)}`, title, details: '', link: null, images: images(sig, null) });
      answer(web, '412994228343400948', pin('412994228343400948', {
        carousel_data: { id: '5230458172', index: 0, carousel_slots: [slot(sigs.slide1, 'The stairs'), slot(sigs.slide2, 'The cushion'), slot(sigs.slide3, null)] },
      }));
      await web.media(pinimg('originals', sigs.slide1), 'jpeg');
      web.text(pinimg('originals', sigs.slide2), '<Error><Code>AccessDenied</Code></Error>', 403, 'application/xml');
      await web.media(pinimg('originals', sigs.slide2, 'png'), 'png');
      await web.media(pinimg('originals', sigs.slide3), 'jpeg');
    },
    media: [
      { name: 'pinterest-412994228343400948-1.jpg', alt: 'The stairs', attribution: credit('412994228343400948') },
      { name: 'pinterest-412994228343400948-2.png', alt: 'The cushion', mime_type: 'image/png' },
      { name: 'pinterest-412994228343400948-3.jpg', alt: 'a cushioned reading nook built under a wooden staircase' },
    ],
  },
  {
    name: 'a video pin: the 720p MP4, not the HLS playlist nor the cover image',
    url: 'https://www.pinterest.ca/pin/70437485604616/',
    async setup(web) {
      answer(web, '70437485604616', pin('70437485604616', { is_video: true, videos: { id: '70437485604616', video_list: videoList('d7/22/ff/d722ff00ab2352981b89974b37909de8') } }));
      await web.media(`${VIDEOS}/mc/720p/d7/22/ff/d722ff00ab2352981b89974b37909de8.mp4`, 'mp4');
    },
    media: [{ name: 'pinterest-70437485604616.mp4', mime_type: 'video/mp4', attribution: credit('70437485604616') }],
    check(web) {
      expect(web.requestsTo('v1.pinimg.com').map((r) => r.url.pathname)).toEqual(['/videos/mc/720p/d7/22/ff/d722ff00ab2352981b89974b37909de8.mp4']);
      expect(web.requestsTo('i.pinimg.com')).toEqual([]);
    },
  },
  {
    name: 'an idea pin: its pages in order (an image, a video, an image known only by its signature); text blocks skipped',
    url: 'https://www.pinterest.com/pin/gadget-cool-products--1084663891475263837/',
    async setup(web) {
      const pages = [
        { id: 'p1', type: 'storypinpage', image_signature: sigs.page1, blocks: [{ type: 'story_pin_image_block', block_type: 2, image_signature: sigs.page1, image: { images: { originals: { url: pinimg('originals', sigs.page1), width: 1080, height: 1920 }, '736x': { url: pinimg('736x', sigs.page1), width: 736, height: 1308 } } } }] },
        { id: 'p2', type: 'storypinpage', blocks: [{ type: 'story_pin_video_block', block_type: 3, video: { id: 'v2', video_list: { V_EXP3: { url: `${VIDEOS}/iht/expMp4/ab/cd/ef/abcdef_t3.mp4`, width: 540 }, V_EXP4: { url: `${VIDEOS}/iht/expMp4/ab/cd/ef/abcdef_t4.mp4`, width: 720 }, V_HLSV3_MOBILE: { url: `${VIDEOS}/iht/hls/ab/cd/ef/abcdef.m3u8`, width: 1080 } } } }, { type: 'story_pin_paragraph_block', block_type: 1, text: 'Step two' }] },
        { id: 'p3', type: 'storypinpage', image_signature: sigs.page3, blocks: [{ type: 'story_pin_image_block', block_type: 2, image_signature: sigs.page3 }] },
      ];
      answer(web, '1084663891475263837', pin('1084663891475263837', { story_pin_data_id: '5120', story_pin_data: { id: '5120', type: 'story', page_count: 3, pages } }));
      await web.media(pinimg('originals', sigs.page1), 'jpeg');
      await web.media(`${VIDEOS}/iht/expMp4/ab/cd/ef/abcdef_t4.mp4`, 'mp4');
      web.text(pinimg('originals', sigs.page3), 'Not Found', 404);
      await web.media(pinimg('originals', sigs.page3, 'png'), 'png');
    },
    media: [
      { name: 'pinterest-1084663891475263837-1.jpg', attribution: credit('1084663891475263837') },
      { name: 'pinterest-1084663891475263837-2.mp4', mime_type: 'video/mp4' },
      { name: 'pinterest-1084663891475263837-3.png' },
    ],
  },
  {
    name: 'a pin.it short link is expanded (through the URL shortener) and leads to the pin',
    url: 'https://pin.it/Hvt8hgT',
    async setup(web) {
      web.redirect('https://pin.it/Hvt8hgT', 'https://api.pinterest.com/url_shortener/Hvt8hgT/redirect/', 301);
      web.redirect('https://api.pinterest.com/url_shortener/Hvt8hgT/redirect/', 'https://www.pinterest.com/pin/412994228343400949/sent/?invite_code=0f1e2d3c&sender=1084664028912989237&sfo=1');
      web.html('https://www.pinterest.com/pin/412994228343400949/sent/', '<!DOCTYPE html><html lang="en"><head><title>Pinterest</title></head><body></body></html>');
      answer(web, '412994228343400949', pin('412994228343400949'));
      await web.media(pinimg('originals', sigs.photo), 'jpeg');
    },
    media: [{ name: 'pinterest-412994228343400949.jpg', attribution: credit('412994228343400949') }],
  },
  {
    name: 'a pin.it short link to a board is no_media',
    url: 'https://pin.it/3BoArD1',
    setup(web) {
      web.redirect('https://pin.it/3BoArD1', 'https://www.pinterest.com/studio_oak/small-spaces/?invite_code=1a2b');
      web.html('https://www.pinterest.com/studio_oak/small-spaces/', '<!DOCTYPE html><title>Small spaces</title>');
    },
    skipped: [{ code: 'no_media', message: /board or a profile/ }],
  },
  {
    name: 'a pin.it short link that leads nowhere is not_found',
    url: 'https://pin.it/Hvt8hgS',
    setup: (web) => web.html('https://pin.it/Hvt8hgS', '<!DOCTYPE html><title>Not found</title>', 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a pin that does not exist (404) is not_found',
    url: 'https://www.pinterest.com/pin/858146903966145188/',
    setup: (web) => answer(web, '858146903966145188', null, 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'an answer without the pin is not_found',
    url: 'https://www.pinterest.com/pin/858146903966145187/',
    setup: (web) => answer(web, '858146903966145187', null),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a video pin offered only as HLS is unsupported_type',
    url: 'https://www.pinterest.com/pin/70437485604617/',
    setup: (web) => answer(web, '70437485604617', pin('70437485604617', { is_video: true, videos: { video_list: videoList('aa/bb/cc/aabbcc', false) } })),
    skipped: [{ code: 'unsupported_type' }],
  },
  {
    name: 'a pin without any picture is no_media',
    url: 'https://www.pinterest.com/pin/70437485604618/',
    setup: (web) => answer(web, '70437485604618', pin('70437485604618', { images: null })),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'an answer in a shape the resolver does not know is resolver_failed',
    url: 'https://www.pinterest.com/pin/70437485604619/',
    setup: (web) => answer(web, '70437485604619', { id: 70437485604619, images: 'none' }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a carousel slide on a private address is blocked_address, and the other slides are still imported',
    url: 'https://www.pinterest.com/pin/412994228343400950/',
    async setup(web) {
      const internal = { id: 's2', title: 'Internal', images: { orig: { url: 'http://10.0.0.1/originals/x.jpg', width: 1000 } } };
      answer(web, '412994228343400950', pin('412994228343400950', { carousel_data: { carousel_slots: [{ id: 's1', title: 'Safe', images: images(sigs.slide1) }, internal] } }));
      await web.media(pinimg('originals', sigs.slide1), 'jpeg');
    },
    media: [{ name: 'pinterest-412994228343400950-1.jpg', alt: 'Safe' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/originals/x.jpg' }],
  },
];
