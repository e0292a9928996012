import { Parser } from 'htmlparser2';
import { fetchSite, isSuccess, statusFailure } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { cleanText, fail, found, unexpected } from './support/results.js';
import { defineResolver } from './types.js';

/**
 * Google Drive file links, for files shared with "anyone with the link". Every shape of link
 * is turned into Drive's download endpoint (`drive.usercontent.google.com/download` with
 * `confirm=t`), which is asked once first: a file answers with `Content-Disposition`; a file
 * too large for Google's virus scan answers an HTML warning whose `download-form` leads to the
 * file; a private file sends to Google's sign-in; a quota or access problem is an error page.
 */

const LABEL = 'Google Drive';
const DOWNLOAD = 'https://drive.usercontent.google.com/download';
/** Drive ids: 33 characters today, 28 for old `0B…` files; never shorter than 25. */
const ID = /^[A-Za-z0-9_-]{25,128}$/;
/** Files shared before Drive's 2021 security update also need their resource key. */
const RESOURCE_KEY = /^[A-Za-z0-9_-]{1,128}$/;
/** The warning and error pages are a few kilobytes; a file's body is read again by the import. */
const PROBE_BYTES = 64 * 1024;
/** A sign-in form served in place of the file (normally a redirect to accounts.google.com). */
const SIGN_IN = /accounts\.google\.com\/(?:ServiceLogin|v3\/signin)/;

type DriveLink =
  | { readonly kind: 'file'; readonly id: string; readonly resourceKey: string | null }
  | { readonly kind: 'folder'; readonly id: string };

export const googleDrive = defineResolver<DriveLink>({
  id: 'google-drive',
  label: LABEL,
  samples: [
    'https://drive.google.com/file/d/0ByeS4oOUV-49Zzh4R1J6R09zazQ/view',
    'https://drive.google.com/open?id=0ByeS4oOUV-49Zzh4R1J6R09zazQ',
    'https://docs.google.com/uc?export=download&id=0ByeS4oOUV-49Zzh4R1J6R09zazQ',
    'https://drive.usercontent.google.com/download?id=0ByeS4oOUV-49Zzh4R1J6R09zazQ',
  ],
  match(url) {
    if (!isWeb(url)) return null;
    const drive = onDomain(url, ['drive.google.com']);
    const docs = onDomain(url, ['docs.google.com']);
    const content = onDomain(url, ['drive.usercontent.google.com']);
    if (!drive && !docs && !content) return null;
    let parts = segments(url);
    // A signed-in user's links carry their account index: /u/1/uc?…, /file/u/0/d/<id>/view.
    if (parts[0] === 'u' && /^\d{1,2}$/.test(parts[1] ?? '')) parts = parts.slice(2);
    const fromQuery = token(url.searchParams.get('id'), ID);
    const resourceKey = token(url.searchParams.get('resourcekey'), RESOURCE_KEY);
    const file = (id: string | null): DriveLink | null => (id ? { kind: 'file', id, resourceKey } : null);
    if (content) return parts.length === 1 && (parts[0] === 'download' || parts[0] === 'uc') ? file(fromQuery) : null;
    // /file/d/<id>[/view|/edit|/preview|…], also with /file/u/<n>/d/<id>.
    const filePath = parts[0] === 'file' && parts[1] === 'u' && /^\d{1,2}$/.test(parts[2] ?? '') ? ['file', ...parts.slice(3)] : parts;
    if (filePath[0] === 'file' && filePath[1] === 'd' && (filePath.length === 3 || filePath.length === 4)) return file(token(filePath[2], ID));
    if (parts.length === 1 && (parts[0] === 'uc' || parts[0] === 'open')) return file(fromQuery);
    if (!drive) return null;
    // Folders: /drive/folders/<id>, /drive/u/0/folders/<id>, /drive/mobile/folders/<id>, /folderview?id=.
    const folderAt = parts[0] === 'drive' ? parts.indexOf('folders') : -1;
    if (folderAt > 0 && folderAt <= 3 && parts.length === folderAt + 2) {
      const id = token(parts[folderAt + 1], ID);
      return id ? { kind: 'folder', id } : null;
    }
    if (parts.length === 1 && (parts[0] === 'folderview' || parts[0] === 'embeddedfolderview') && fromQuery) return { kind: 'folder', id: fromQuery };
    return null;
  },
  async resolve(link, context) {
    if (link.kind === 'folder') {
      // Listing a folder needs Drive's API and a key; a folder is also many files, not one.
      return fail('unsupported_type', 'This is a Google Drive folder link; Intake imports single files. Share a link to each file instead.');
    }
    const download = new URL(DOWNLOAD);
    download.searchParams.set('id', link.id);
    download.searchParams.set('export', 'download');
    // `confirm=t` skips the virus-scan warning for most files (not for every large one).
    download.searchParams.set('confirm', 't');
    if (link.resourceKey) download.searchParams.set('resourcekey', link.resourceKey);
    // Asked first (a prefix only) so that the failures get their own codes instead of a
    // stored-nothing "this is a web page", and the warning page can be passed.
    const answer = await fetchSite(context, { url: download, maxBytes: PROBE_BYTES, truncate: true, accept: 'image/*, video/*, */*;q=0.8' });
    if (!answer.ok) return answer;
    if (onDomain(answer.url, ['accounts.google.com'])) return signIn();
    if (answer.status === 404 || answer.status === 410) return fail('not_found', 'Google Drive says this file does not exist (or was deleted).');
    const isPage = /^(?:text\/html|application\/xhtml\+xml)\b/i.test(answer.header('content-type') ?? '');
    const ok = isSuccess(answer.status);
    // The file: the URL that answered it (after any redirect to a signed link), named by its
    // Content-Disposition at download.
    if (ok && (answer.header('content-disposition') !== undefined || !isPage)) return found([{ url: answer.url.href, alt: null, attribution: null }]);
    const page = isPage ? readDrivePage(answer.text) : { form: null, error: null };
    if (ok && page.form) {
      const target = formTarget(page.form, answer.url);
      if (!target) return unexpected(context, 'a download form without a usable action', { action: page.form.action });
      return found([{ url: target, alt: null, attribution: null }]);
    }
    // Drive's own error page says what is wrong (quota exceeded, too many downloads, …),
    // whatever its status: its words are better than a status code.
    if (page.error) return fail('http_error', `Google Drive did not give the file: ${page.error}`);
    if (answer.status === 401 || answer.status === 403 || (isPage && SIGN_IN.test(answer.text))) return signIn();
    if (!ok) return statusFailure(answer.status, LABEL);
    return unexpected(context, 'a page that is neither the file, its download form nor an error', { status: answer.status, url: answer.url.href, body: answer.text.slice(0, 300) });
  },
});

function signIn() {
  return fail('login_required', 'Google Drive wants a sign-in for this file: it is not shared with "anyone with the link".');
}

interface DownloadForm {
  readonly action: string;
  readonly inputs: readonly (readonly [string, string])[];
}

/**
 * What a Drive HTML answer holds: the virus-scan warning's `<form id="download-form">` with its
 * hidden inputs (`id`, `export`, `confirm`, `uuid`, `at`), or the text of an error page
 * (`uc-error-subcaption`, else `uc-error-caption`). Never throws.
 */
function readDrivePage(html: string): { form: DownloadForm | null; error: string | null } {
  // Filled by the parser's callbacks (an object, so that the compiler does not narrow it to null).
  const state: { form: { action: string; inputs: [string, string][] } | null; inForm: boolean } = { form: null, inForm: false };
  const captions: Record<'caption' | 'subcaption', string[]> = { caption: [], subcaption: [] };
  let capture: string[] | null = null;
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (capture) depth += 1;
        if (name === 'form' && attributes.id === 'download-form' && state.form === null) {
          state.form = { action: attributes.action ?? '', inputs: [] };
          state.inForm = true;
        } else if (name === 'input' && state.inForm && attributes.type === 'hidden' && attributes.name) {
          state.form?.inputs.push([attributes.name, attributes.value ?? '']);
        }
        const classes = (attributes.class ?? '').split(/\s+/);
        if (!capture && classes.includes('uc-error-subcaption')) [capture, depth] = [captions.subcaption, 0];
        else if (!capture && classes.includes('uc-error-caption')) [capture, depth] = [captions.caption, 0];
      },
      ontext(text) {
        capture?.push(text);
      },
      onclosetag(name) {
        if (name === 'form') state.inForm = false;
        if (!capture) return;
        if (depth === 0) capture = null;
        else depth -= 1;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  const error = cleanText(captions.subcaption.join('')) ?? cleanText(captions.caption.join(''));
  return { form: state.form, error: error ? error.slice(0, 300) : null };
}

/** The form's action with its hidden inputs as the query (as a browser submits a GET form). */
function formTarget(form: DownloadForm, base: URL): string | null {
  const target = URL.parse(form.action, base.href);
  if (!target || !isWeb(target)) return null;
  for (const [name, value] of form.inputs) target.searchParams.set(name, value);
  target.hash = '';
  return target.href;
}
