import { z } from 'zod';
import { fetchSite, isSuccess, parseJson, readShape, type SiteAnswer, statusFailure } from './support/api.js';
import { isWeb, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import type { Attribution, MediaCandidate, ResolveContext, ResolveResult } from './types.js';
import { defineResolver } from './types.js';

/**
 * Posts on Mastodon and the servers that speak its API (Pleroma, Akkoma, GoToSocial), and
 * notes on Misskey and its forks (Sharkey, Firefish): any host, told apart by the path alone.
 * Public posts need no key. Because the path is all it goes by, the registry asks it last, and
 * a host that does not answer like a fediverse server gets its URL back to be read as a page.
 */

/** `@user` or `@user@remote.host` (a remote post as this server shows it). */
const ACCT = /^@[A-Za-z0-9_.-]{1,64}(?:@[A-Za-z0-9.-]{1,253})?$/;
const USER = /^[A-Za-z0-9_.-]{1,64}$/;
/** Mastodon's own ids are numbers (snowflakes); `/@user/media` and the like are profile tabs. */
const MASTODON_ID = /^\d{1,20}$/;
/** Pleroma/Akkoma flake ids (base 62) and GoToSocial's ULIDs, besides Mastodon's numbers. */
const STATUS_ID = /^[A-Za-z0-9]{1,64}$/;
/** Misskey's aid/aidx/meid/ulid/objectid: 10 to 26 letters and digits. */
const NOTE_ID = /^[A-Za-z0-9]{8,32}$/;

interface Post {
  readonly api: 'mastodon' | 'misskey';
  /** The server the post was seen on (with its port, if any): its API answers for it. */
  readonly host: string;
  /**
   * `https://<host>`: fediverse servers speak HTTPS, and a link's `http:` is upgraded; only a
   * link naming its own port keeps its scheme (that port may not speak TLS).
   */
  readonly origin: string;
  readonly id: string;
  /** The URL as given, to hand back when the host is no fediverse server. */
  readonly page: string;
}

const attachment = z.object({
  type: z.string(),
  url: z.string().nullish(),
  remote_url: z.string().nullish(),
  description: z.string().nullish(),
});
const baseStatus = z.object({
  id: z.string(),
  url: z.string().nullish(),
  account: z.object({ acct: z.string(), display_name: z.string().nullish(), url: z.string().nullish() }),
  media_attachments: z.array(attachment),
});
const statusSchema = baseStatus.extend({ reblog: baseStatus.nullish() });

const driveFile = z.object({ type: z.string(), url: z.string().nullish(), comment: z.string().nullish() });
const baseNote = z.object({
  id: z.string(),
  url: z.string().nullish(),
  uri: z.string().nullish(),
  user: z.object({ username: z.string(), name: z.string().nullish(), host: z.string().nullish() }),
  files: z.array(driveFile).nullish(),
});
const noteSchema = baseNote.extend({ renote: baseNote.nullish() });

/** Mastodon's (and Pleroma's) error body: `{"error": "Record not found"}`. */
const mastodonError = z.object({ error: z.string() });
/** Misskey's: `{"error": {"code": "NO_SUCH_NOTE", "message": "No such note.", …}}`. */
const misskeyError = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

/** Mastodon-API statuses (`/@user/<id>`, `/users/<user>/statuses/<id>`, `/notice/<id>`) and Misskey notes (`/notes/<id>`) on any host. */
export const mastodon = defineResolver<Post>({
  id: 'mastodon',
  label: 'Mastodon',
  samples: [
    'https://mastodon.social/@jk/103794036899778366',
    'https://mastodon.social/users/jk/statuses/103794036899778366',
    'https://misskey.io/notes/9bhqfo835v',
  ],
  match(url) {
    if (!isWeb(url) || url.username !== '' || url.password !== '') return null;
    // A fediverse server has a public name; `localhost` and bare intranet names do not.
    const host = url.hostname.replace(/\.$/, '');
    if (!host.includes('.')) return null;
    const id = postId(segments(url));
    if (!id) return null;
    const server = url.port === '' ? host : `${host}:${url.port}`;
    return { ...id, host: server, origin: `${url.port === '' ? 'https:' : url.protocol}//${server}`, page: url.href };
  },
  resolve: (post, context) => (post.api === 'misskey' ? resolveNote(post, context) : resolveStatus(post, context)),
});

/** The post's id and API from the path, or null for profiles, tabs and everything else. */
function postId(parts: readonly string[]): Pick<Post, 'api' | 'id'> | null {
  const [first, second, third, fourth] = parts;
  let id: string | null = null;
  if (parts.length === 2 && ACCT.test(first ?? '')) id = token(second, MASTODON_ID);
  // GoToSocial's pages: /@user/statuses/<ULID>.
  else if (parts.length === 3 && ACCT.test(first ?? '') && second === 'statuses') id = token(third, STATUS_ID);
  else if (parts.length === 4 && first === 'users' && USER.test(second ?? '') && third === 'statuses') id = token(fourth, STATUS_ID);
  else if (parts.length === 2 && first === 'notice') id = token(second, STATUS_ID);
  else if (parts.length === 2 && first === 'notes') {
    const note = token(second, NOTE_ID);
    return note ? { api: 'misskey', id: note } : null;
  }
  return id ? { api: 'mastodon', id } : null;
}

/** Not a fediverse server after all: the URL goes back to be read like any page. */
function asPage(post: Post): ResolveResult {
  return found([{ url: post.page, follow: true }]);
}

/**
 * The API's answer, or what to do without one. A network failure is the host's, whoever it
 * is, except where the API was asked over the HTTPS an `http:` link did not name: a plain site
 * may have none. An answer too large for a post is some other site's.
 */
async function ask(post: Post, context: ResolveContext, path: string, json?: unknown): Promise<SiteAnswer | ResolveResult> {
  const answer = await fetchSite(context, { url: `${post.origin}${path}`, accept: 'application/json', ...(json === undefined ? {} : { json }) });
  if (answer.ok) return answer;
  const upgraded = post.origin.startsWith('https:') && post.page.startsWith('http:');
  return answer.code === 'too_large' || upgraded ? asPage(post) : answer;
}

async function resolveStatus(post: Post, context: ResolveContext): Promise<ResolveResult> {
  const answer = await ask(post, context, `/api/v1/statuses/${encodeURIComponent(post.id)}`);
  if (!('status' in answer)) return answer;
  const host = post.host;
  const json = parseJson(answer.text);
  if (!isSuccess(answer.status)) {
    const error = mastodonError.safeParse(json);
    // An HTML 404 or any other answer that is not the API's own JSON: an ordinary web site.
    if (!error.success) return asPage(post);
    if (answer.status === 404 || answer.status === 410) return fail('not_found', `${host} says this post does not exist (or was deleted).`);
    // Servers in "authorized fetch" or limited mode answer only to logged-in users.
    if (answer.status === 401 || answer.status === 403) return fail('login_required', `${host} shows this post only to logged-in users.`);
    return statusFailure(answer.status, host);
  }
  // A page (a single-page app answers every path with it) instead of JSON.
  if (json === undefined) return asPage(post);
  const status = readShape(context, answer, statusSchema, 'the status');
  if (!status.ok) return status;
  // A boost has no attachments of its own: they are the boosted post's.
  const own = status.value;
  const source = own.media_attachments.length === 0 && own.reblog ? own.reblog : own;
  const credit = attribution({
    author: cleanText(source.account.display_name) ?? source.account.acct,
    author_url: source.account.url,
    source: host,
    page_url: source.url ?? post.page,
  });
  const media = source.media_attachments.flatMap((item) => {
    // Sound alone is not what Intake stores.
    if (item.type === 'audio') return [];
    // `unknown`: the server did not keep a copy of a remote file; the original is on its home server.
    const url = item.type === 'unknown' ? item.remote_url : (item.url ?? item.remote_url);
    if (!url) return [];
    const fallbacks = item.remote_url && item.remote_url !== url ? [item.remote_url] : [];
    return [{ url, ...(fallbacks.length > 0 ? { fallbacks } : {}), alt: cleanText(item.description) }];
  });
  return named(post, media, credit);
}

async function resolveNote(post: Post, context: ResolveContext): Promise<ResolveResult> {
  const answer = await ask(post, context, '/api/notes/show', { noteId: post.id });
  if (!('status' in answer)) return answer;
  const host = post.host;
  const json = parseJson(answer.text);
  if (!isSuccess(answer.status)) {
    const error = misskeyError.safeParse(json);
    if (!error.success) return asPage(post);
    const code = error.data.error.code;
    if (code === 'NO_SUCH_NOTE') return fail('not_found', `${host} says this note does not exist (or was deleted).`);
    // The author or the server shows notes only to signed-in users.
    if (code === 'SIGNIN_REQUIRED' || code === 'CREDENTIAL_REQUIRED' || answer.status === 401 || answer.status === 403) {
      return fail('login_required', `${host} shows this note only to signed-in users.`);
    }
    return statusFailure(answer.status, host);
  }
  if (json === undefined) return asPage(post);
  const note = readShape(context, answer, noteSchema, 'the note');
  if (!note.ok) return note;
  // A renote has no files of its own: they are the renoted note's.
  const own = note.value;
  const source = (own.files ?? []).length === 0 && own.renote ? own.renote : own;
  const user = source.user;
  const credit = attribution({
    author: cleanText(user.name) ?? user.username,
    author_url: `${post.origin}/@${user.username}${user.host ? `@${user.host}` : ''}`,
    source: host,
    page_url: source.url ?? source.uri ?? `${post.origin}/notes/${source.id}`,
  });
  const media = (source.files ?? []).flatMap((file) =>
    // `type` is the file's MIME type; sound alone is not what Intake stores.
    !file.url || file.type.startsWith('audio/') ? [] : [{ url: file.url, alt: cleanText(file.comment) }],
  );
  return named(post, media, credit);
}

function named(post: Post, media: readonly Pick<MediaCandidate, 'url' | 'fallbacks' | 'alt'>[], credit: Attribution): ResolveResult {
  return found(media.map((item, index) => ({ ...item, name: itemName('mastodon', post.id, index, media.length), attribution: credit })));
}
