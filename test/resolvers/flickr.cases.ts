import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of Flickr's REST API (`format=json&nojsoncallback=1`: errors are HTTP
 * 200 with `stat: "fail"`) and of its oEmbed endpoint.
 */

const KEY = 'flickr-test-key';
const WITH_KEY = { INTAKE_FLICKR_API_KEY: KEY };
const REST = 'https://api.flickr.com/services/rest/';
const OEMBED = 'https://www.flickr.com/services/oembed/';
const CDN = 'https://live.staticflickr.com/3040';
const ID = '2362225867';
const PAGE = `https://www.flickr.com/photos/bees/${ID}/`;

function rest(method: string, id: string): string {
  return `${REST}?${new URLSearchParams({ method, photo_id: id, format: 'json', nojsoncallback: '1' }).toString()}`;
}

function oembed(pageUrl: string): string {
  return `${OEMBED}?${new URLSearchParams({ url: pageUrl, format: 'json' }).toString()}`;
}

function info(id: string, media: 'photo' | 'video' = 'photo', title = 'Bacon Lollys') {
  return {
    photo: {
      id,
      secret: '4a87ab8baf',
      server: '3040',
      farm: 4,
      dateuploaded: '1206321302',
      isfavorite: 0,
      license: '0',
      safety_level: '0',
      rotation: 0,
      originalsecret: 'b2fd2b7c2c',
      originalformat: 'jpg',
      owner: { nsid: '12037949754@N01', username: 'bees', realname: 'Cal Henderson', location: '', iconserver: '1', iconfarm: 1, path_alias: 'bees' },
      title: { _content: title },
      description: { _content: 'Bacon, on a stick.' },
      visibility: { ispublic: 1, isfriend: 0, isfamily: 0 },
      dates: { posted: '1206321302', taken: '2008-03-23 18:15:02', takengranularity: 0, takenunknown: '0', lastupdate: '1563422211' },
      views: '3042',
      media,
      urls: { url: [{ type: 'photopage', _content: `https://www.flickr.com/photos/bees/${id}/` }] },
    },
    stat: 'ok',
  };
}

function size(label: string, width: number, height: number, source: string, media = 'photo') {
  return { label, width, height, source, url: `https://www.flickr.com/photos/bees/${ID}/sizes/x/`, media };
}

function photoSizes(original: boolean) {
  const size_ = [
    size('Square', 75, 75, `${CDN}/${ID}_4a87ab8baf_s.jpg`),
    size('Medium', 500, 375, `${CDN}/${ID}_4a87ab8baf.jpg`),
    size('Large', 1024, 768, `${CDN}/${ID}_4a87ab8baf_b.jpg`),
    size('Large 2048', 2048, 1536, `${CDN}/${ID}_9c0e1f2a3b_k.jpg`),
  ];
  if (original) size_.push(size('Original', 3072, 2304, `${CDN}/${ID}_b2fd2b7c2c_o.jpg`));
  return { sizes: { canblog: 0, canprint: 0, candownload: original ? 1 : 0, size: size_ }, stat: 'ok' };
}

function oembedPhoto(url: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'photo',
    flickr_type: 'photo',
    title: 'Bacon Lollys',
    author_name: 'bees',
    author_url: 'https://www.flickr.com/photos/bees/',
    width: 2048,
    height: 1536,
    url,
    web_page: PAGE,
    thumbnail_url: `${CDN}/${ID}_4a87ab8baf_q.jpg`,
    thumbnail_width: 150,
    thumbnail_height: 150,
    web_page_short_url: 'https://flic.kr/p/4AK2sc',
    license: 'All Rights Reserved',
    license_id: 0,
    html: `<a data-flickr-embed="true" href="${PAGE}"><img src="${url}" alt="Bacon Lollys"></a>`,
    version: '1.0',
    cache_age: 3600,
    provider_name: 'Flickr',
    provider_url: 'https://www.flickr.com/',
    ...overrides,
  };
}

const credit = { author: 'Cal Henderson', author_url: 'https://www.flickr.com/photos/bees/', source: 'Flickr', page_url: PAGE };
const keylessCredit = { ...credit, author: 'bees' };

/** The key went to the REST API and nowhere else. */
function keyOnlyToApi(web: FixtureWeb): void {
  const api = web.requestsTo('api.flickr.com');
  expect(api.length).toBeGreaterThan(0);
  for (const r of api) expect(r.url.searchParams.get('api_key')).toBe(KEY);
  for (const r of web.requests.filter((r) => r.url.hostname !== 'api.flickr.com')) {
    expect(r.url.href).not.toContain(KEY);
    expect(JSON.stringify(r.headers)).not.toContain(KEY);
  }
}

async function keyed(web: FixtureWeb, id = ID): Promise<void> {
  web.json(rest('flickr.photos.getInfo', id), info(id));
  web.json(rest('flickr.photos.getSizes', id), photoSizes(true));
  await web.media(`${CDN}/${ID}_b2fd2b7c2c_o.jpg`, 'jpeg');
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'with a key: the original file, the title as alt, the owner credited, the key only to the API',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => keyed(web),
    media: [{ name: `flickr-${ID}.jpg`, alt: 'Bacon Lollys', attribution: credit, mime_type: 'image/jpeg' }],
    check: keyOnlyToApi,
  },
  {
    name: 'with a key: without an original the largest size; when it fails, the next largest',
    url: `https://www.flickr.com/photos/bees/${ID}/in/photostream/`,
    env: WITH_KEY,
    async setup(web) {
      web.json(rest('flickr.photos.getInfo', ID), info(ID));
      web.json(rest('flickr.photos.getSizes', ID), photoSizes(false));
      web.text(`${CDN}/${ID}_9c0e1f2a3b_k.jpg`, 'Forbidden', 403);
      await web.media(`${CDN}/${ID}_4a87ab8baf_b.jpg`, 'jpeg');
    },
    media: [{ name: `flickr-${ID}.jpg`, alt: 'Bacon Lollys' }],
    check(web) {
      expect(web.requestsTo('live.staticflickr.com').map((r) => r.url.pathname)).toEqual([`/3040/${ID}_9c0e1f2a3b_k.jpg`, `/3040/${ID}_4a87ab8baf_b.jpg`]);
    },
  },
  {
    name: 'with a key: a video is its best MP4 (HD over Site), through the play link that redirects to the CDN',
    url: 'https://www.flickr.com/photos/bees/52713899383/',
    env: WITH_KEY,
    async setup(web) {
      const id = '52713899383';
      const play = (kind: string) => `https://www.flickr.com/photos/bees/${id}/play/${kind}/51dfffef79/`;
      web.json(rest('flickr.photos.getInfo', id), info(id, 'video', 'Waterfall'));
      web.json(rest('flickr.photos.getSizes', id), {
        sizes: {
          canblog: 0,
          canprint: 0,
          candownload: 1,
          size: [
            size('Medium', 500, 281, `https://live.staticflickr.com/65535/${id}_51dfffef79.jpg`),
            size('Video Player', 1280, 720, `https://www.flickr.com/apps/video/stewart.swf?v=2968162862&photo_id=${id}`, 'video'),
            size('Site MP4', 640, 360, play('site'), 'video'),
            size('HD MP4', 1280, 720, play('hd'), 'video'),
            size('Mobile MP4', 480, 270, play('mobile'), 'video'),
          ],
        },
        stat: 'ok',
      });
      web.redirect(play('hd'), `https://live.staticflickr.com/video/${id}/51dfffef79/720p.mp4?s=eyJpIjo1MjcxMzg5OTM4M30`);
      await web.media(`https://live.staticflickr.com/video/${id}/51dfffef79/720p.mp4`, 'mp4');
    },
    media: [{ name: 'flickr-52713899383.mp4', alt: 'Waterfall', mime_type: 'video/mp4' }],
  },
  {
    name: 'with a key: a flic.kr short link is decoded to the photo id without a request',
    url: 'https://flic.kr/p/4AK2sc',
    env: WITH_KEY,
    setup: (web) => keyed(web),
    media: [{ name: `flickr-${ID}.jpg`, attribution: credit }],
    check(web) {
      expect(web.requestsTo('flic.kr')).toEqual([]);
    },
  },
  {
    name: 'without a key: oEmbed, asked for a large size; the oEmbed title and author',
    url: PAGE,
    async setup(web) {
      web.json(oembed(PAGE), oembedPhoto(`${CDN}/${ID}_9c0e1f2a3b_k.jpg`));
      await web.media(`${CDN}/${ID}_9c0e1f2a3b_k.jpg`, 'jpeg');
    },
    media: [{ name: `flickr-${ID}.jpg`, alt: 'Bacon Lollys', attribution: keylessCredit }],
    check(web) {
      expect(web.requestsTo('api.flickr.com')).toEqual([]);
      expect(web.requestsTo('www.flickr.com', '/services/oembed/')[0]!.url.searchParams.get('maxwidth')).toBe('2048');
    },
  },
  {
    name: 'without a key: the secure. host reaches the same photo',
    url: `https://secure.flickr.com/photos/bees/${ID}`,
    async setup(web) {
      web.json(oembed(PAGE), oembedPhoto(`${CDN}/${ID}_9c0e1f2a3b_k.jpg`));
      await web.media(`${CDN}/${ID}_9c0e1f2a3b_k.jpg`, 'jpeg');
    },
    media: [{ name: `flickr-${ID}.jpg`, attribution: keylessCredit }],
  },
  {
    name: 'without a key: a short link is given to oEmbed as a short link',
    url: 'https://flic.kr/p/QWhZSL',
    async setup(web) {
      const page = 'https://www.flickr.com/photos/philocycler/32119532132/';
      web.json(
        oembed('https://flic.kr/p/QWhZSL'),
        oembedPhoto('https://live.staticflickr.com/759/32119532132_50c3f7933f_k.jpg', { title: 'bird', author_name: 'Philocycler', author_url: 'https://www.flickr.com/photos/philocycler/', web_page: page }),
      );
      await web.media('https://live.staticflickr.com/759/32119532132_50c3f7933f_k.jpg', 'jpeg');
    },
    media: [
      {
        name: 'flickr-32119532132.jpg',
        alt: 'bird',
        attribution: { author: 'Philocycler', author_url: 'https://www.flickr.com/photos/philocycler/', source: 'Flickr', page_url: 'https://www.flickr.com/photos/philocycler/32119532132/' },
      },
    ],
  },
  {
    name: 'without a key: a video needs the key (oEmbed offers only a still)',
    url: 'https://www.flickr.com/photos/bees/52713899383/',
    setup: (web) =>
      web.json(oembed('https://www.flickr.com/photos/bees/52713899383/'), oembedPhoto('https://live.staticflickr.com/65535/52713899383_51dfffef79_b.jpg', { type: 'video', flickr_type: 'video' })),
    skipped: [{ code: 'not_configured', message: /INTAKE_FLICKR_API_KEY/ }],
  },
  {
    name: 'with a key: Flickr error code 1 (photo not found) is not_found',
    url: 'https://www.flickr.com/photos/zzz/16089302238',
    env: WITH_KEY,
    setup: (web) => web.json(rest('flickr.photos.getInfo', '16089302238'), { stat: 'fail', code: 1, message: 'Photo "16089302238" not found (invalid ID)' }),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'without a key: oEmbed 404 is not_found',
    url: 'https://www.flickr.com/photos/zzz/16089302238',
    setup: (web) => web.text(oembed('https://www.flickr.com/photos/zzz/16089302238/'), 'Not Found', 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'without a key: oEmbed 401 (a private photo) is login_required',
    url: 'https://www.flickr.com/photos/bees/16089302239',
    setup: (web) => web.text(oembed('https://www.flickr.com/photos/bees/16089302239/'), 'Unauthorized', 401),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'with a key: error code 2 (permission denied) is login_required',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(rest('flickr.photos.getInfo', ID), { stat: 'fail', code: 2, message: 'Permission denied' }),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'a key Flickr rejects (code 100) is not_configured and says so, without the key',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(rest('flickr.photos.getInfo', ID), { stat: 'fail', code: 100, message: 'Invalid API Key (Key has invalid format)' }),
    skipped: [{ code: 'not_configured', message: /rejected the API key in INTAKE_FLICKR_API_KEY/ }],
    check(_web, body) {
      expect(JSON.stringify(body)).not.toContain(KEY);
    },
  },
  {
    name: 'a video without any downloadable size is no_media',
    url: 'https://www.flickr.com/photos/bees/52713899384/',
    env: WITH_KEY,
    setup(web) {
      web.json(rest('flickr.photos.getInfo', '52713899384'), info('52713899384', 'video'));
      web.json(rest('flickr.photos.getSizes', '52713899384'), { sizes: { size: [size('Medium', 500, 281, `${CDN}/x.jpg`)] }, stat: 'ok' });
    },
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'sizes without a size list are resolver_failed',
    url: PAGE,
    env: WITH_KEY,
    setup(web) {
      web.json(rest('flickr.photos.getInfo', ID), info(ID));
      web.json(rest('flickr.photos.getSizes', ID), { sizes: { canblog: 0 }, stat: 'ok' });
    },
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'an unknown API error code is resolver_failed',
    url: PAGE,
    env: WITH_KEY,
    setup: (web) => web.json(rest('flickr.photos.getInfo', ID), { stat: 'fail', code: 112, message: 'Method "flickr.photos.getInfo" not found' }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'an oEmbed picture on a private address is blocked_address',
    url: PAGE,
    setup: (web) => web.json(oembed(PAGE), oembedPhoto('http://10.0.0.1/latest/meta-data/')),
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/latest/meta-data/' }],
  },
];
