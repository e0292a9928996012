import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import { jpeg, mp4, png, webp } from '../helpers/media-fixtures.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of Dropbox share links: `dl=1` on the share link answers a 302 to a
 * temporary link on `uc<hash>.dl.dropboxusercontent.com`, which serves the file with a
 * `Content-Disposition` naming it; a password-protected link sends to `/sm/password`, a link
 * limited to some accounts to `/login`, a deleted one answers 404.
 */

const SCL_ID = 'r2kd2skcy5ylbbta5y1pz';
const RLKEY = 'wcdgqangn7t3lnmmv6li9mu9h';
const S_ID = 'nelirfsxnmcfbfh';
const CONTENT = 'https://uc7f3a9e2b4c1d8e6f0a5b3c2d1e.dl.dropboxusercontent.com';

const bytesOf = { jpeg, png, webp, mp4: () => Promise.resolve(mp4()) };

/** The file as the content host serves it: Dropbox's own headers, the name in Content-Disposition. */
async function file(web: FixtureWeb, url: string, kind: keyof typeof bytesOf, filename: string, contentType = 'application/binary'): Promise<void> {
  const bytes = await bytesOf[kind]();
  web.route(url, (_req, res) => {
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': bytes.length,
      'content-disposition': `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'x-robots-tag': 'noindex, nofollow, noimageindex',
      'cache-control': 'no-cache',
    });
    res.end(bytes);
  });
}

/** A share link that redirects to a temporary link on the content host. */
async function shared(web: FixtureWeb, shareUrl: string, token: string, kind: keyof typeof bytesOf, filename: string): Promise<void> {
  const temporary = `${CONTENT}/cd/0/get/${token}/file`;
  web.redirect(shareUrl, `${temporary}?dl=1#`);
  await file(web, temporary, kind, filename);
}

const dropboxPage = (title: string, body = '') =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="https://cfl.dropboxstatic.com/static/metaserver/static/images/favicon.ico"></head><body><div id="embedded-app"></div>${body}<script nonce="x">window.__REGISTER_PREFETCH__ = {};</script></body></html>`;

/** Every request to the share host carried `rlkey` once and `dl=1` once, and neither `raw` nor an old `dl`. */
function expectDownloadQuery(web: FixtureWeb, host: string, rlkey: string | null): void {
  const asked = web.requestsTo(host);
  expect(asked.length).toBeGreaterThan(0);
  for (const request of asked) {
    expect(request.url.searchParams.getAll('dl')).toEqual(['1']);
    expect(request.url.searchParams.getAll('rlkey')).toEqual(rlkey === null ? [] : [rlkey]);
    expect(request.url.searchParams.has('raw')).toBe(false);
  }
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'a /scl/fi/ link: dl=1 with rlkey and every other parameter kept, the name from Content-Disposition',
    url: `https://www.dropbox.com/scl/fi/${SCL_ID}/Beach%20day.jpg?rlkey=${RLKEY}&st=4hx2b7cm&dl=0`,
    setup: (web) => shared(web, `https://www.dropbox.com/scl/fi/${SCL_ID}/Beach%20day.jpg?rlkey=${RLKEY}&st=4hx2b7cm&dl=1`, 'CAbc1', 'jpeg', 'Beach day.jpg'),
    media: [{ name: 'Beach day.jpg', alt: null, attribution: null, mime_type: 'image/jpeg' }],
    check(web) {
      expectDownloadQuery(web, 'www.dropbox.com', RLKEY);
      expect(web.requestsTo('www.dropbox.com')[0]!.url.searchParams.get('st')).toBe('4hx2b7cm');
      // Probed once, downloaded once.
      expect(web.requestsTo(new URL(CONTENT).hostname)).toHaveLength(2);
    },
  },
  {
    name: 'a legacy /s/ link to a video: the MP4, the name from the download',
    url: `https://www.dropbox.com/s/${S_ID}/clip.mp4?dl=0`,
    setup: (web) => shared(web, `https://www.dropbox.com/s/${S_ID}/clip.mp4?dl=1`, 'CVid2', 'mp4', 'clip.mp4'),
    media: [{ name: 'clip.mp4', mime_type: 'video/mp4', alt: null, attribution: null }],
    check: (web) => expectDownloadQuery(web, 'www.dropbox.com', null),
  },
  {
    name: 'dl.dropbox.com (old download host) goes through www.dropbox.com; the extension follows the bytes',
    url: `https://dl.dropbox.com/s/${S_ID}/diagram.jpg`,
    setup: (web) => shared(web, `https://www.dropbox.com/s/${S_ID}/diagram.jpg?dl=1`, 'CPng3', 'png', 'diagram.jpg'),
    media: [{ name: 'diagram.png', mime_type: 'image/png' }],
    check: (web) => expect(web.requestsTo('dl.dropbox.com')).toEqual([]),
  },
  {
    name: 'dl.dropboxusercontent.com serves the file itself, asked with dl=1 and the rlkey',
    url: `https://dl.dropboxusercontent.com/scl/fi/${SCL_ID}/sticker.webp?rlkey=${RLKEY}`,
    setup: (web) => file(web, `https://dl.dropboxusercontent.com/scl/fi/${SCL_ID}/sticker.webp?rlkey=${RLKEY}&dl=1`, 'webp', 'sticker.webp', 'image/webp'),
    media: [{ name: 'sticker.webp', mime_type: 'image/webp' }],
    check: (web) => expectDownloadQuery(web, 'dl.dropboxusercontent.com', RLKEY),
  },
  {
    name: 'an embed link (/e/scl/fi/) with raw=1 and a repeated rlkey: the plain share link, dl=1, the rlkey once',
    url: `https://www.dropbox.com/e/scl/fi/${SCL_ID}/DJI_0003.MP4?rlkey=${RLKEY}&raw=1&rlkey=${RLKEY}`,
    setup: (web) => shared(web, `https://www.dropbox.com/scl/fi/${SCL_ID}/DJI_0003.MP4?rlkey=${RLKEY}&dl=1`, 'CEmb4', 'mp4', 'DJI_0003.MP4'),
    media: [{ name: 'DJI_0003.MP4', mime_type: 'video/mp4' }],
    check(web) {
      expectDownloadQuery(web, 'www.dropbox.com', RLKEY);
      expect(web.requestsTo('www.dropbox.com').every((r) => r.url.pathname === `/scl/fi/${SCL_ID}/DJI_0003.MP4`)).toBe(true);
    },
  },
  {
    name: 'a deleted link (404) is not_found, and nothing is downloaded',
    url: `https://www.dropbox.com/scl/fi/${SCL_ID}/gone.jpg?rlkey=${RLKEY}&dl=0`,
    setup: (web) => web.html(`https://www.dropbox.com/scl/fi/${SCL_ID}/gone.jpg?dl=1`, dropboxPage('Dropbox - Error', '<h1>Error (404)</h1><p>We can’t find the page you’re looking for.</p>'), 404),
    skipped: [{ code: 'not_found', message: /Dropbox says this does not exist/ }],
    check: (web) => expect(web.requestsTo('www.dropbox.com')).toHaveLength(1),
  },
  {
    name: 'a password-protected link is login_required, and says a password is needed',
    url: `https://www.dropbox.com/scl/fi/${SCL_ID}/secret.jpg?rlkey=${RLKEY}&dl=0`,
    setup(web) {
      web.redirect(`https://www.dropbox.com/scl/fi/${SCL_ID}/secret.jpg?dl=1`, `/sm/password?cont=%2Fscl%2Ffi%2F${SCL_ID}%2Fsecret.jpg&content_id=AKx8qV2`);
      web.html('https://www.dropbox.com/sm/password', dropboxPage('Dropbox - Password required', '<form method="post" action="/sm/auth"><input type="password" name="password"></form>'));
    },
    skipped: [{ code: 'login_required', message: /password/ }],
  },
  {
    name: 'a link limited to some Dropbox accounts (sent to sign in) is login_required',
    url: `https://www.dropbox.com/scl/fi/${SCL_ID}/team.jpg?rlkey=${RLKEY}`,
    setup(web) {
      web.redirect(`https://www.dropbox.com/scl/fi/${SCL_ID}/team.jpg?dl=1`, `https://www.dropbox.com/login?cont=https%3A%2F%2Fwww.dropbox.com%2Fscl%2Ffi%2F${SCL_ID}`);
      web.html('https://www.dropbox.com/login', dropboxPage('Dropbox - Sign in'));
    },
    skipped: [{ code: 'login_required', message: /sign in/ }],
  },
  {
    name: 'a Dropbox page where the file should be (downloads turned off) is login_required, never stored',
    url: `https://www.dropbox.com/s/${S_ID}/preview-only.mp4`,
    setup: (web) => web.html(`https://www.dropbox.com/s/${S_ID}/preview-only.mp4?dl=1`, dropboxPage('preview-only.mp4 | Dropbox')),
    skipped: [{ code: 'login_required', message: /turned off downloads/ }],
  },
  {
    name: 'a link Dropbox has limited for traffic (429) is http_error, try later',
    url: `https://www.dropbox.com/s/${S_ID}/busy.jpg`,
    setup: (web) => web.html(`https://www.dropbox.com/s/${S_ID}/busy.jpg?dl=1`, dropboxPage('Dropbox - Too many requests'), 429),
    skipped: [{ code: 'http_error', message: /try again later/ }],
  },
  {
    name: 'a folder link is unsupported_type without asking Dropbox',
    url: `https://www.dropbox.com/scl/fo/${SCL_ID}/AAB8kP2mQ7vX9?rlkey=${RLKEY}&dl=0`,
    setup: (web) => web.host('www.dropbox.com'),
    skipped: [{ code: 'unsupported_type', message: /folder/ }],
    check: (web) => expect(web.requests).toEqual([]),
  },
  {
    name: 'a share link redirecting to a private address is blocked_address',
    url: `https://www.dropbox.com/s/${S_ID}/internal.jpg`,
    setup: (web) => web.redirect(`https://www.dropbox.com/s/${S_ID}/internal.jpg?dl=1`, 'http://127.0.0.1/latest/meta-data/'),
    skipped: [{ code: 'blocked_address' }],
  },
];
