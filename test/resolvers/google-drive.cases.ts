import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import { jpeg, mp4, png, webp } from '../helpers/media-fixtures.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of Drive's download endpoint (`drive.usercontent.google.com/download`):
 * a file with `Content-Disposition`; the virus-scan warning (`<form id="download-form">` with
 * hidden inputs) for large files; a redirect to Google's sign-in for a private file; the
 * `uc-error-subcaption` page for a quota problem; a 404 for a deleted file.
 */

const ID = '1aBcD3fGhIjKlMnOpQrStUvWxYz012345';
const OLD_ID = '0ByeS4oOUV-49Zzh4R1J6R09zazQ';
const DL = 'https://drive.usercontent.google.com/download';
const asked = (id: string) => `${DL}?id=${id}&export=download&confirm=t`;

const bytesOf = { jpeg, png, webp, mp4: () => Promise.resolve(mp4()) };

/** The file as Drive serves it: its type, Google's headers, the name in Content-Disposition. */
async function driveFile(web: FixtureWeb, url: string, kind: keyof typeof bytesOf, filename: string, contentType: string): Promise<void> {
  const bytes = await bytesOf[kind]();
  web.route(url, (_req, res) => {
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': bytes.length,
      'content-disposition': `attachment; filename="${filename}"`,
      'x-goog-hash': 'crc32c=AAAAAA==',
      'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
      'access-control-allow-origin': '*',
    });
    res.end(bytes);
  });
}

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><title>${title}</title><meta http-equiv="content-type" content="text/html; charset=utf-8"/><link href="/static/downloadwarning/css/main.css" rel="stylesheet"></head><body><div class="uc-main">${body}</div><div class="uc-footer"><hr class="uc-footer-divider">&copy; 2026 Google - <a class="goog-link" href="//support.google.com/drive/">Help</a></div></body></html>`;

/** The virus-scan warning for a file too large to scan; `action` is where its form leads. */
const warning = (action: string, id: string) =>
  page(
    'Google Drive - Virus scan warning',
    `<div id="uc-text"><p class="uc-warning-caption">Google Drive can't scan this file for viruses.</p><p class="uc-warning-subcaption"><span class="uc-name-size"><a href="/open?id=${id}">holiday.mp4</a> (1.4G)</span> is too large for Google to scan for viruses. Would you still like to download this file?</p><form id="download-form" action="${action}" method="get"><input type="submit" id="uc-download-link" class="goog-inline-block jfk-button jfk-button-action" value="Download anyway"/><input type="hidden" name="id" value="${id}"><input type="hidden" name="export" value="download"><input type="hidden" name="confirm" value="t"><input type="hidden" name="uuid" value="5f0a1c2e-7b3d-4e8f-9a6b-0c1d2e3f4a5b"><input type="hidden" name="at" value="AENtkXa3"></form></div>`,
  );

export const cases: readonly ResolverCase[] = [
  {
    name: 'a /file/d/<id>/view link: the download endpoint with confirm=t, the name from Content-Disposition',
    url: `https://drive.google.com/file/d/${ID}/view?usp=sharing`,
    setup: (web) => driveFile(web, asked(ID), 'jpeg', 'IMG_2041.jpg', 'image/jpeg'),
    media: [{ name: 'IMG_2041.jpg', alt: null, attribution: null, mime_type: 'image/jpeg' }],
    check(web) {
      // Asked once to tell what it is, once to download it; never the viewer page.
      expect(web.requestsTo('drive.usercontent.google.com', '/download')).toHaveLength(2);
      expect(web.requestsTo('drive.google.com')).toEqual([]);
    },
  },
  {
    name: 'an /open?id= link to a video: the MP4',
    url: `https://drive.google.com/open?id=${OLD_ID}`,
    setup: (web) => driveFile(web, asked(OLD_ID), 'mp4', 'Big Buck Bunny.mp4', 'video/mp4'),
    media: [{ name: 'Big Buck Bunny.mp4', mime_type: 'video/mp4', alt: null, attribution: null }],
  },
  {
    name: 'docs.google.com/uc (the old download link) reaches the same endpoint; the extension follows the bytes',
    url: `https://docs.google.com/uc?export=download&id=${ID}`,
    setup: (web) => driveFile(web, asked(ID), 'png', 'scan.jpeg', 'application/octet-stream'),
    media: [{ name: 'scan.png', mime_type: 'image/png' }],
  },
  {
    name: 'a drive.usercontent.google.com/download link, with a signed-in user index',
    url: `https://drive.usercontent.google.com/download?id=${ID}&authuser=1`,
    setup: (web) => driveFile(web, asked(ID), 'webp', 'sticker.webp', 'image/webp'),
    media: [{ name: 'sticker.webp', mime_type: 'image/webp' }],
  },
  {
    name: 'a file shared before 2021 keeps its resource key',
    url: `https://drive.google.com/file/d/${OLD_ID}/view?usp=sharing&resourcekey=0-Xb3kP9qL2mN7vR1sT4uW6y`,
    setup: (web) => driveFile(web, `${asked(OLD_ID)}&resourcekey=0-Xb3kP9qL2mN7vR1sT4uW6y`, 'jpeg', 'old.jpg', 'image/jpeg'),
    media: [{ name: 'old.jpg' }],
    check(web) {
      for (const request of web.requestsTo('drive.usercontent.google.com')) {
        expect(request.url.searchParams.get('resourcekey')).toBe('0-Xb3kP9qL2mN7vR1sT4uW6y');
      }
    },
  },
  {
    name: 'the virus-scan warning of a large file: its download form, hidden inputs included, gives the file',
    url: `https://drive.google.com/file/d/${ID}/view`,
    async setup(web) {
      web.html(asked(ID), warning(DL, ID));
      await driveFile(web, `${asked(ID)}&uuid=5f0a1c2e-7b3d-4e8f-9a6b-0c1d2e3f4a5b&at=AENtkXa3`, 'mp4', 'holiday.mp4', 'video/mp4');
    },
    media: [{ name: 'holiday.mp4', mime_type: 'video/mp4' }],
    check(web) {
      const downloads = web.requestsTo('drive.usercontent.google.com', '/download');
      expect(downloads).toHaveLength(2);
      expect(downloads[1]!.url.searchParams.get('uuid')).toBe('5f0a1c2e-7b3d-4e8f-9a6b-0c1d2e3f4a5b');
    },
  },
  {
    name: 'a private file (sent to Google sign-in) is login_required',
    url: `https://drive.google.com/file/d/${ID}/view`,
    setup(web) {
      web.redirect(asked(ID), `https://accounts.google.com/v3/signin/identifier?continue=${encodeURIComponent(asked(ID))}&followup=x&service=wise`);
      web.html('https://accounts.google.com/v3/signin/identifier', '<!doctype html><html><head><title>Sign in - Google Accounts</title></head><body><form></form></body></html>');
    },
    skipped: [{ code: 'login_required', message: /anyone with the link/ }],
  },
  {
    name: 'a 403 is login_required',
    url: `https://drive.google.com/uc?id=${ID}&export=download`,
    setup: (web) => web.html(asked(ID), page('Google Drive - Access denied', '<p>You need access</p>'), 403),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'a deleted file (404) is not_found',
    url: `https://drive.google.com/file/d/${ID}/view`,
    setup: (web) => web.html(asked(ID), page('Google Drive - 404', '<p>Sorry, the file you have requested does not exist.</p>'), 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'the quota error page is http_error with Drive’s own words',
    url: `https://drive.google.com/file/d/${ID}/view`,
    setup: (web) =>
      web.html(
        asked(ID),
        page(
          'Google Drive - Quota exceeded',
          '<div id="uc-text"><p class="uc-error-caption">Sorry, you can&#39;t view or download this file at this time.</p><p class="uc-error-subcaption">Too many users have viewed or downloaded this file recently. Please try accessing the file again later. If the file you are trying to access is particularly large or is shared with many people, it may take up to 24 hours to be able to view or download the file. If you still can&#39;t access a file after 24 hours, contact your domain administrator.</p></div>',
        ),
      ),
    skipped: [{ code: 'http_error', message: /Too many users have viewed or downloaded this file recently/ }],
  },
  {
    name: 'a page that is neither the file, a download form nor an error is resolver_failed',
    url: `https://drive.google.com/file/d/${ID}/view`,
    setup: (web) => web.html(asked(ID), page('Google Drive', '<div id="uc-text"><p>Something new</p></div>')),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a folder link is unsupported_type without asking Drive',
    url: `https://drive.google.com/drive/folders/${ID}?usp=sharing`,
    setup: (web) => web.host('drive.usercontent.google.com'),
    skipped: [{ code: 'unsupported_type', message: /folder/ }],
    check: (web) => expect(web.requests).toEqual([]),
  },
  {
    name: 'a download form leading to a private address is skipped as blocked_address for that URL',
    url: `https://drive.google.com/file/d/${ID}/view`,
    setup: (web) => web.html(asked(ID), warning('http://10.0.0.1/download', ID)),
    skipped: [{ code: 'blocked_address', item_url: `http://10.0.0.1/download?id=${ID}&export=download&confirm=t&uuid=5f0a1c2e-7b3d-4e8f-9a6b-0c1d2e3f4a5b&at=AENtkXa3` }],
  },
];
