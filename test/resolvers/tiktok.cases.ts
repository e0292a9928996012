import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import { mp4 } from '../helpers/media-fixtures.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of TikTok's post page (`www.tiktok.com/@i/video/<id>`): the
 * `__UNIVERSAL_DATA_FOR_REHYDRATION__` script with `webapp.video-detail` (`statusCode`,
 * `itemInfo.itemStruct`), the cookies the page sets, and a CDN that serves `playAddr` only with
 * those cookies. Short links answer a 301 whose body is `<a href="…">`.
 */

const VIDEO_ID = '7195741644585454894';
const PHOTO_ID = '7231234675476532526';
const PAGE = (id: string) => `https://www.tiktok.com/@i/video/${id}`;
const COOKIES = [
  'tt_chain_token=Yk3Jd9sQp0xLr2Vn8Bw1Eg==; Max-Age=15552000; Domain=.tiktok.com; Path=/; Secure; HttpOnly',
  'ttwid=1%7CaBcDeFgH%7C1780000000%7Cabc123; Domain=.tiktok.com; Path=/; Expires=Wed, 01 Dec 2027 10:00:00 GMT; HttpOnly; Secure; SameSite=None',
  'tt_csrf_token=Zq8fA1bC-dEfGhIjKlMnOpQrStUv; Path=/; Domain=tiktok.com; Secure; SameSite=Lax',
  'bad cookie=with space; Path=/',
];
const COOKIE_HEADER = 'tt_chain_token=Yk3Jd9sQp0xLr2Vn8Bw1Eg==; ttwid=1%7CaBcDeFgH%7C1780000000%7Cabc123; tt_csrf_token=Zq8fA1bC-dEfGhIjKlMnOpQrStUv';
const CDN = 'https://v16-webapp-prime.tiktok.com/video/tos/useast2a/tos-useast2a-pve-0068/oQ8AbCdEf';
const PLAY = `${CDN}/?a=1988&bti=ODszNWYuMDE6&ch=0&cr=3&dr=0&lr=unwatermarked&cd=0%7C0%7C0%7C&br=2404&bt=1202&cs=0&ds=6&mime_type=video_mp4&qs=0&rc=ZmY6&expire=1780000000&policy=2&signature=5d1c0f&tk=tt_chain_token`;
const DOWNLOAD = `${CDN}/?a=1988&bti=ODszNWYuMDE6&ch=0&cr=3&dr=0&lr=tiktok_m&cd=0%7C0%7C1%7C&br=2404&bt=1202&cs=0&ds=3&mime_type=video_mp4&qs=0&rc=ZmY6&expire=1780000000&policy=2&signature=8a2b4c&tk=tt_chain_token`;
const IMAGES = 'https://p16-sign-va.tiktokcdn.com/tos-maliva-i-photomode-us';

const author = {
  id: '6810000000000000001',
  uniqueId: 'fatfatmillycat',
  nickname: 'Milly the cat',
  avatarThumb: 'https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/avatar~c5_100x100.jpeg?x-expires=1780000000',
  signature: 'just a cat',
  verified: false,
  secUid: 'MS4wLjABAAAAv7iSuuXDJGDvJkmH_vz1qkDZYo1apxgzaxdBSeIuPiM',
  privateAccount: false,
};
const credit = (kind: 'video' | 'photo', id: string) => ({
  author: 'Milly the cat',
  author_url: 'https://www.tiktok.com/@fatfatmillycat',
  source: 'TikTok',
  page_url: `https://www.tiktok.com/@fatfatmillycat/${kind}/${id}`,
});

function item(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    desc: 'Milly meets the vacuum #cat',
    createTime: '1675270000',
    video: {
      id,
      height: 1024,
      width: 576,
      duration: 12,
      ratio: '540p',
      cover: 'https://p16-sign-va.tiktokcdn.com/obj/tos-maliva-p-0068/cover?x-expires=1780000000',
      playAddr: PLAY,
      downloadAddr: DOWNLOAD,
      format: 'mp4',
      bitrate: 1231415,
      bitrateInfo: [{ Bitrate: 1231415, CodecType: 'h264', GearName: 'normal_540_0', QualityType: 20, PlayAddr: { DataSize: '2000000', Uri: 'v12044gd0000cfd', UrlList: [PLAY, DOWNLOAD] } }],
      subtitleInfos: [],
    },
    author,
    music: { id: '7195741660000000000', title: 'original sound - fatfatmillycat', playUrl: 'https://sf16-ies-music-va.tiktokcdn.com/obj/musically-maliva-obj/7195741660.mp3', original: true, duration: 12 },
    challenges: [],
    stats: { diggCount: 1200, shareCount: 30, commentCount: 41, playCount: 50_000 },
    isContentClassified: false,
    ...overrides,
  };
}

/** The page around its data, as TikTok serves it to a browser. */
function tiktokPage(detail: unknown): string {
  const data = {
    __DEFAULT_SCOPE__: {
      'webapp.app-context': { language: 'en', region: 'US', appId: 1233, user: {} },
      'webapp.biz-context': { renderAppId: 1988 },
      'webapp.video-detail': detail,
    },
  };
  return `<!DOCTYPE html><html lang="en"><head><meta charSet="UTF-8"/><title>Milly meets the vacuum | TikTok</title><meta property="og:image" content="https://p16-sign-va.tiktokcdn.com/obj/cover"/></head><body><div id="app"></div><script id="${'__UNIVERSAL_DATA_FOR_REHYDRATION__'}" type="application/json">${JSON.stringify(data)}</script><script src="https://sf16-website-login.neutral.ttwstatic.com/obj/main.js"></script></body></html>`;
}

const found = (itemStruct: unknown) => ({ itemInfo: { itemStruct }, shareMeta: { title: 'Milly the cat on TikTok', desc: '' }, statusCode: 0, statusMsg: '' });

function page(web: FixtureWeb, id: string, detail: unknown): void {
  web.html(PAGE(id), tiktokPage(detail), 200, { 'set-cookie': COOKIES });
}

/** TikTok's CDN: the video only with the page's cookies and a TikTok Referer, else 403. */
function cdn(web: FixtureWeb, url: string): void {
  const bytes = mp4();
  web.route(url, (req, res) => {
    const cookie = req.headers.cookie ?? '';
    if (!cookie.includes('tt_chain_token=') || req.headers.referer !== 'https://www.tiktok.com/') return void res.writeHead(403, { 'content-length': 0 }).end();
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': bytes.length }).end(bytes);
  });
}

/** A video post: the page and its video on the CDN. */
function video(web: FixtureWeb, id = VIDEO_ID): void {
  page(web, id, found(item(id)));
  cdn(web, PLAY);
}

/** A photo post: each picture offered as HEIC/WebP and as JPEG; only the JPEGs are served. */
async function photos(web: FixtureWeb, names: readonly string[], override?: (urls: string[][]) => void): Promise<void> {
  const urlLists = names.map((name) => [`${IMAGES}/${name}~tplv-photomode-image.heic?x-expires=1780000000`, `${IMAGES}/${name}~tplv-photomode-image.jpeg?x-expires=1780000000`]);
  override?.(urlLists);
  const imagePost = { images: urlLists.map((urlList) => ({ imageURL: { urlList }, imageWidth: 1080, imageHeight: 1440 })), cover: { imageURL: { urlList: urlLists[0] } }, title: '' };
  page(web, PHOTO_ID, found(item(PHOTO_ID, { imagePost, video: { playAddr: '', downloadAddr: '', duration: 0, width: 0, height: 0 } })));
  for (const urlList of urlLists) {
    const jpegUrl = urlList.find((u) => u.startsWith(IMAGES) && u.includes('.jpeg?'));
    if (jpegUrl) await web.media(jpegUrl, 'jpeg');
  }
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'a video: playAddr with the page cookies and a Referer, the author credited, no alt',
    url: `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}?is_from_webapp=1&sender_device=pc`,
    setup: (web) => video(web),
    media: [{ name: `tiktok-${VIDEO_ID}.mp4`, mime_type: 'video/mp4', alt: null, attribution: credit('video', VIDEO_ID) }],
    check(web) {
      const pageRequest = web.requestsTo('www.tiktok.com', `/@i/video/${VIDEO_ID}`);
      expect(pageRequest).toHaveLength(1);
      expect(pageRequest[0]!.headers['user-agent']).toMatch(/^Mozilla\/5\.0 .*Chrome\//);
      expect(pageRequest[0]!.headers.cookie).toBeUndefined();
      const media = web.requestsTo('v16-webapp-prime.tiktok.com');
      expect(media).toHaveLength(1);
      // Every well-formed cookie, name=value only, the malformed one dropped.
      expect(media[0]!.headers.cookie).toBe(COOKIE_HEADER);
    },
  },
  {
    name: 'a photo post: the pictures in order, the JPEG rendition of each, named by index',
    url: `https://www.tiktok.com/@fatfatmillycat/photo/${PHOTO_ID}`,
    setup: (web) => photos(web, ['a1', 'b2', 'c3']),
    media: [
      { name: `tiktok-${PHOTO_ID}-1.jpg`, mime_type: 'image/jpeg', alt: null, attribution: credit('photo', PHOTO_ID) },
      { name: `tiktok-${PHOTO_ID}-2.jpg`, attribution: credit('photo', PHOTO_ID) },
      { name: `tiktok-${PHOTO_ID}-3.jpg` },
    ],
    check(web) {
      const asked = web.requestsTo('p16-sign-va.tiktokcdn.com').map((r) => r.url.pathname);
      expect(asked).toEqual(['a1', 'b2', 'c3'].map((n) => `/tos-maliva-i-photomode-us/${n}~tplv-photomode-image.jpeg`));
    },
  },
  {
    name: 'm.tiktok.com/v/<id>.html reaches the post; a refused playAddr falls back to downloadAddr',
    url: `https://m.tiktok.com/v/${VIDEO_ID}.html?u_code=abc&preview_pb=0`,
    setup(web) {
      page(web, VIDEO_ID, found(item(VIDEO_ID)));
      web.route(PLAY, (_req, res) => void res.writeHead(403, { 'content-length': 0 }).end());
      cdn(web, DOWNLOAD);
    },
    media: [{ name: `tiktok-${VIDEO_ID}.mp4`, mime_type: 'video/mp4' }],
    check(web) {
      const media = web.requestsTo('v16-webapp-prime.tiktok.com');
      expect(media.map((r) => r.url.searchParams.get('lr'))).toEqual(['unwatermarked', 'tiktok_m']);
      expect(media.every((r) => r.headers.cookie === COOKIE_HEADER)).toBe(true);
    },
  },
  {
    name: 'an embed link reaches the post',
    url: `https://www.tiktok.com/embed/v2/${VIDEO_ID}?lang=en-US`,
    setup: (web) => video(web),
    media: [{ name: `tiktok-${VIDEO_ID}.mp4` }],
  },
  {
    name: 'a vm.tiktok.com short link: the 301 is followed to the post, asked with a cut User-Agent',
    url: 'https://vm.tiktok.com/ZTR45GpSF/',
    setup(web) {
      web.route('https://vm.tiktok.com/ZTR45GpSF/', (_req, res) => {
        const target = `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}?_r=1&_t=ZT-8abcDEF`;
        const body = `<a href="${target.replace(/&/g, '&amp;')}">Moved Permanently</a>.`;
        res.writeHead(301, { location: target, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
      });
      web.html(`https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`, tiktokPage(found(item(VIDEO_ID))));
      video(web);
    },
    media: [{ name: `tiktok-${VIDEO_ID}.mp4`, attribution: credit('video', VIDEO_ID) }],
    check(web) {
      const short = web.requestsTo('vm.tiktok.com');
      expect(short).toHaveLength(1);
      expect(short[0]!.headers['user-agent']).toBe('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)');
    },
  },
  {
    name: 'a vt.tiktok.com short link answered with only an <a href> body: the link in it is the post',
    url: 'https://vt.tiktok.com/ZSe4FqkKd/',
    setup(web) {
      web.html('https://vt.tiktok.com/ZSe4FqkKd/', `<a href="https://www.tiktok.com/@fatfatmillycat/photo/${PHOTO_ID}?_r=1&amp;u_code=e2kd">Found</a>.`);
      return photos(web, ['a1']);
    },
    media: [{ name: `tiktok-${PHOTO_ID}.jpg`, attribution: credit('photo', PHOTO_ID) }],
  },
  {
    name: 'a www.tiktok.com/t/<code> short link reaches the post',
    url: 'https://www.tiktok.com/t/ZTRav7308/',
    setup(web) {
      web.redirect('https://www.tiktok.com/t/ZTRav7308/', `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}?_r=1`, 301);
      web.html(`https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`, tiktokPage(found(item(VIDEO_ID))));
      video(web);
    },
    media: [{ name: `tiktok-${VIDEO_ID}.mp4` }],
  },
  {
    name: 'a short link that lands on no post (expired: the home page) is not_found',
    url: 'https://vm.tiktok.com/ZTgone123/',
    setup(web) {
      web.redirect('https://vm.tiktok.com/ZTgone123/', 'https://www.tiktok.com/?_r=1', 301);
      web.html('https://www.tiktok.com/', '<!DOCTYPE html><html><head><title>TikTok - Make Your Day</title></head><body></body></html>');
    },
    skipped: [{ code: 'not_found', message: /short link/ }],
  },
  {
    name: 'a deleted post (statusCode 10204) is not_found',
    url: `https://www.tiktok.com/@fatfatmillycat/video/7120851458451417478`,
    setup: (web) => page(web, '7120851458451417478', { statusCode: 10204, statusMsg: 'item doesn\'t exist', shareMeta: {} }),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a private post (statusCode 10216) is login_required',
    url: `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`,
    setup: (web) => page(web, VIDEO_ID, { statusCode: 10216, statusMsg: 'author_secret', shareMeta: {} }),
    skipped: [{ code: 'login_required', message: /private/ }],
  },
  {
    name: 'an age-restricted post (isContentClassified) is login_required',
    url: `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`,
    setup: (web) => page(web, VIDEO_ID, found(item(VIDEO_ID, { isContentClassified: true }))),
    skipped: [{ code: 'login_required', message: /age-restricted/ }],
    check: (web) => expect(web.requestsTo('v16-webapp-prime.tiktok.com')).toEqual([]),
  },
  {
    name: 'a captcha page instead of the post is login_required, and no HTML is stored',
    url: `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`,
    setup: (web) =>
      web.html(
        PAGE(VIDEO_ID),
        '<!DOCTYPE html><html><head><title>Please wait...</title></head><body><div id="_wafchallengeid" data-challenge="x"></div><script src="https://sf16-website-login.neutral.ttwstatic.com/obj/captcha.js"></script></body></html>',
      ),
    skipped: [{ code: 'login_required', message: /captcha/ }],
  },
  {
    name: 'a post page without its data and without a wall is resolver_failed',
    url: `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`,
    setup: (web) => web.html(PAGE(VIDEO_ID), '<!DOCTYPE html><html><head><title>TikTok</title></head><body><div id="app"></div></body></html>'),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'post data of an unknown shape (no author) is resolver_failed',
    url: `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`,
    setup: (web) => page(web, VIDEO_ID, found({ ...item(VIDEO_ID), author: 'fatfatmillycat' })),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a post with neither a video address nor pictures is no_media',
    url: `https://www.tiktok.com/@fatfatmillycat/video/${VIDEO_ID}`,
    setup: (web) => page(web, VIDEO_ID, found(item(VIDEO_ID, { video: { playAddr: '', downloadAddr: '', duration: 0 } }))),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a picture on a private address is blocked_address, and the other pictures are still imported',
    url: `https://www.tiktok.com/@fatfatmillycat/photo/${PHOTO_ID}`,
    setup: (web) =>
      photos(web, ['a1', 'b2', 'c3'], (urls) => {
        urls[1] = ['http://127.0.0.1/latest/meta-data/'];
      }),
    media: [{ name: `tiktok-${PHOTO_ID}-1.jpg` }, { name: `tiktok-${PHOTO_ID}-3.jpg` }],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/' }],
  },
];
