import { fetchSite, isSuccess, statusFailure } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { fail, found } from './support/results.js';
import { defineResolver } from './types.js';

/**
 * Dropbox share links. A shared file is downloaded by asking its share link with `dl=1`
 * (Dropbox's documented "force download" switch), which redirects to the file on
 * `*.dl.dropboxusercontent.com` with a `Content-Disposition` naming it. The `rlkey` parameter of
 * the newer `/scl/fi/` links is what grants access, so every parameter but the switch is kept.
 */

const LABEL = 'Dropbox';
/** `dl.dropbox.com` is an old download host; `dl.dropboxusercontent.com` serves the file itself. */
const HOSTS = ['dropbox.com', 'dl.dropbox.com', 'dl.dropboxusercontent.com'];
const CONTENT_HOST = 'dl.dropboxusercontent.com';
/** `/s/` ids are 15 characters, `/scl/fi/` ids 21; both lower-case letters and digits. */
const ID = /^[A-Za-z0-9_-]{5,64}$/;
/** Enough to tell a file from a Dropbox page; a file's body is read again by the import. */
const PROBE_BYTES = 64 * 1024;

type DropboxLink =
  | { readonly kind: 'file'; readonly id: string; readonly download: string }
  | { readonly kind: 'folder' };

export const dropbox = defineResolver<DropboxLink>({
  id: 'dropbox',
  label: LABEL,
  samples: [
    'https://www.dropbox.com/s/nelirfsxnmcfbfh/youtube-dl%20test%20video%20%27%C3%A4%22BaW_jenozKc.mp4?dl=0',
    'https://www.dropbox.com/scl/fi/r2kd2skcy5ylbbta5y1pz/DJI_0003.MP4?dl=0&rlkey=wcdgqangn7t3lnmmv6li9mu9h',
    'https://www.dropbox.com/e/scl/fi/r2kd2skcy5ylbbta5y1pz/DJI_0003.MP4?dl=0&rlkey=wcdgqangn7t3lnmmv6li9mu9h',
    'https://dl.dropboxusercontent.com/s/nelirfsxnmcfbfh/youtube-dl%20test%20video%20%27%C3%A4%22BaW_jenozKc.mp4',
  ],
  match(url) {
    if (!isWeb(url) || !onDomain(url, HOSTS)) return null;
    let parts = segments(url);
    // `/e/scl/fi/…` is the embed form of the same link.
    const embed = parts[0] === 'e';
    if (embed) parts = parts.slice(1);
    // Folders: `/sh/<id>/<key>[/<name>]` and `/scl/fo/<id>/<key>[/<name>]`.
    if ((parts[0] === 'sh' && parts.length >= 2 && parts.length <= 4) || (parts[0] === 'scl' && parts[1] === 'fo' && parts.length >= 3 && parts.length <= 5)) {
      return token(parts[parts[0] === 'sh' ? 1 : 2], ID) ? { kind: 'folder' } : null;
    }
    // Files: `/s/<id>[/<name>]` and `/scl/fi/<id>[/<name>]`.
    let id: string | null = null;
    if (parts[0] === 's' && parts.length >= 2 && parts.length <= 3) id = token(parts[1], ID);
    else if (parts[0] === 'scl' && parts[1] === 'fi' && parts.length >= 3 && parts.length <= 4) id = token(parts[2], ID);
    if (!id) return null;
    return { kind: 'file', id, download: downloadUrl(url, embed) };
  },
  async resolve(link, context) {
    if (link.kind === 'folder') {
      // A folder is many files (Dropbox would offer them as one zip, which Intake does not
      // store): the user has to share the files themselves.
      return fail('unsupported_type', 'This is a Dropbox folder link; Intake imports single files. Share a link to each file instead.');
    }
    // Probed first, so that a deleted link is not_found and a password, a login or disabled
    // downloads are login_required, instead of an "answered 404" or "this is a web page" from
    // the download. Only the first bytes are read; the import downloads the file afterwards.
    const answer = await fetchSite(context, { url: link.download, maxBytes: PROBE_BYTES, truncate: true, accept: 'image/*, video/*, */*;q=0.8' });
    if (!answer.ok) return answer;
    if (!isSuccess(answer.status)) return statusFailure(answer.status, LABEL);
    const isPage = /^(?:text\/html|application\/xhtml\+xml)\b/i.test(answer.header('content-type') ?? '');
    // The file itself comes from the content host (whatever it is); a page from Dropbox's own
    // site is Dropbox asking for something instead of giving the file.
    if (isPage && !onDomain(answer.url, [CONTENT_HOST], true)) {
      if (answer.url.pathname.startsWith('/sm/password') || answer.text.includes('/sm/password')) {
        return fail('login_required', 'Dropbox asks for a password for this link; Intake cannot give one.');
      }
      if (answer.url.pathname.startsWith('/login')) return fail('login_required', 'Dropbox asks to sign in to see this file.');
      return fail('login_required', 'Dropbox showed a web page instead of the file: the link may need a password or a Dropbox login, or its owner turned off downloads.');
    }
    // The file's name comes from the download's Content-Disposition.
    return found([{ url: link.download, alt: null, attribution: null }]);
  },
});

/**
 * The share link with `dl=1`: on `www.dropbox.com` (where `dropbox.com` and `dl.dropbox.com`
 * lead anyway) or on the content host it was given on; every other parameter kept once, in
 * order (`rlkey`, `st`, …). `raw=1` is the other value of the same switch (show inline), so it
 * goes too.
 */
function downloadUrl(url: URL, embed: boolean): string {
  const out = new URL(url.href);
  out.protocol = 'https:';
  out.username = '';
  out.password = '';
  out.port = '';
  out.hash = '';
  out.hostname = onDomain(url, [CONTENT_HOST]) ? CONTENT_HOST : 'www.dropbox.com';
  // The embed prefix and a trailing slash are not part of the share link.
  out.pathname = (embed ? url.pathname.replace(/^\/e(?=\/)/, '') : url.pathname).replace(/\/+$/, '');
  const params = new URLSearchParams();
  for (const [name, value] of url.searchParams) {
    if (name === 'dl' || name === 'raw' || params.has(name)) continue;
    params.append(name, value);
  }
  params.append('dl', '1');
  out.search = params.toString();
  return out.href;
}
