import { z } from 'zod';
import { fetchJson, fetchSite, isSuccess, parseJson, type SiteAnswer, statusFailure } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, notConfigured } from './support/results.js';
import { type Attribution, type MediaCandidate, type ResolveContext, type ResolveFailure, type ResolveResult, defineResolver } from './types.js';

/**
 * Imgur images, albums and gallery posts. With `INTAKE_IMGUR_CLIENT_ID` the public v3 API
 * (`Authorization: Client-ID …`, sent to api.imgur.com only): an image, an album's images in
 * order with each one's description as its alt, a gallery post as the album or image it is.
 * Without it, a single image is still its direct link on i.imgur.com; albums and gallery posts
 * need the API.
 */

const API = 'https://api.imgur.com/3';
const DIRECT_HOSTS = new Set(['i.imgur.com', 'i.imgur.io']);
/** Image and album ids are 7 characters (5 for old ones). */
const HASH = /^(?:[A-Za-z0-9]{7}|[A-Za-z0-9]{5})$/;
/** `<slug>-<hash>`, the form Imgur's own links take now. */
const SLUGGED = /^[A-Za-z0-9_-]{1,300}$/;
const TAG = /^[A-Za-z0-9_-]{1,100}$/;
/**
 * A direct link: the id, then an optional size letter (`h` 1024 px, `l`, `m`, `t`, `b`, `s`) or
 * `_d` (the site's downscaled variant), both thumbnails of the same original.
 */
const DIRECT = /^([A-Za-z0-9]{7}|[A-Za-z0-9]{5})(?:[sbtmlh]|_d)?\.([A-Za-z0-9]{2,5})$/;
const EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'gifv', 'mp4', 'webm', 'webp', 'apng', 'tif', 'tiff', 'bmp', 'mov']);
/** Site pages whose one-segment path looks like an image id. */
const RESERVED = new Set([
  ...['about', 'rules', 'legal', 'terms', 'press', 'store', 'memes'],
  ...['privacy', 'gallery', 'explore', 'removed', 'careers', 'contact', 'account'],
  ...['upload', 'signin', 'search', 'random'],
]);

type Target =
  | { readonly kind: 'image'; readonly hash: string; readonly ext: string | null }
  | { readonly kind: 'album'; readonly hash: string }
  | { readonly kind: 'gallery'; readonly hash: string };

const image = z.object({
  id: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  type: z.string().nullish(),
  animated: z.boolean().nullish(),
  link: z.string(),
  mp4: z.string().nullish(),
  account_url: z.string().nullish(),
});
type Image = z.infer<typeof image>;
const album = z.object({ id: z.string(), account_url: z.string().nullish(), images: z.array(image) });
/** Only `is_album` is read of an album here: its images come from the album endpoint. */
const galleryItem = z.union([z.object({ is_album: z.literal(true) }), image.extend({ is_album: z.literal(false).optional() })]);
const envelope = <T extends z.ZodType>(data: T) => z.object({ data });
/** v3 errors: `data.error` is a string, or an object with a message. */
const errorBody = z.object({ data: z.object({ error: z.union([z.string(), z.object({ message: z.string() })]) }) });

/** The id from `<hash>` or `<slug>-<hash>`. */
function hashOf(part: string | undefined): string | null {
  const whole = token(part, SLUGGED);
  return whole ? token(whole.split('-').pop(), HASH) : null;
}

export const imgur = defineResolver<Target>({
  id: 'imgur',
  label: 'Imgur',
  key: { setting: 'imgurClientId', variable: 'INTAKE_IMGUR_CLIENT_ID', required: false },
  samples: ['https://imgur.com/21yMxCS', 'https://i.imgur.com/21yMxCS.png', 'https://imgur.com/a/TcBmP', 'https://imgur.io/t/cat/qSB8NbN'],
  match(url) {
    if (!isWeb(url)) return null;
    const parts = segments(url);
    if (DIRECT_HOSTS.has(url.hostname.replace(/\.$/, ''))) {
      const direct = parts.length === 1 ? DIRECT.exec(parts[0]!) : null;
      const ext = direct?.[2]?.toLowerCase();
      if (!direct || !ext || !EXTENSIONS.has(ext)) return null;
      // `.gifv` is an HTML page around the MP4 of the same id.
      return { kind: 'image', hash: direct[1]!, ext: ext === 'gifv' ? 'mp4' : ext };
    }
    if (!onDomain(url, ['imgur.com', 'imgur.io'])) return null;
    const [first, second, third] = parts;
    if (first === 'a' && (parts.length === 2 || (parts.length === 3 && (third === 'all' || third === 'embed')))) {
      const hash = hashOf(second);
      return hash ? { kind: 'album', hash } : null;
    }
    if (first === 'gallery' && parts.length === 2) {
      const hash = hashOf(second);
      return hash ? { kind: 'gallery', hash } : null;
    }
    if (first === 't' && parts.length === 3 && token(second, TAG)) {
      const hash = hashOf(third);
      return hash ? { kind: 'gallery', hash } : null;
    }
    if (first === 'r' && parts.length === 3 && token(second, TAG)) {
      const hash = hashOf(third);
      return hash ? { kind: 'image', hash, ext: null } : null;
    }
    if (parts.length !== 1 || RESERVED.has(first!.toLowerCase())) return null;
    const hash = hashOf(first);
    return hash ? { kind: 'image', hash, ext: null } : null;
  },
  async resolve(target, context) {
    const clientId = context.keys.imgurClientId;
    if (!clientId) {
      if (target.kind === 'album') return notConfigured('An Imgur album', 'INTAKE_IMGUR_CLIENT_ID');
      if (target.kind === 'gallery') return notConfigured('An Imgur gallery post', 'INTAKE_IMGUR_CLIENT_ID');
      return keylessImage(target.hash, target.ext, context);
    }
    const headers = { authorization: `Client-ID ${clientId}` };
    const get = <T extends z.ZodType>(path: string, schema: T, what: string) =>
      fetchJson(context, { url: `${API}/${path}`, headers, label: 'Imgur', what, onStatus: apiFailure }, envelope(schema));
    if (target.kind === 'image') {
      const answer = await get(`image/${target.hash}`, image, 'the image');
      return answer.ok ? found([candidate(answer.value.data, target.hash, 0, 1, credit(answer.value.data.account_url, `https://imgur.com/${target.hash}`))]) : answer;
    }
    if (target.kind === 'gallery') {
      // A gallery post is an album or a single image; the album's own endpoint has every image in order.
      const answer = await get(`gallery/${target.hash}`, galleryItem, 'the gallery post');
      if (!answer.ok) return answer;
      const item = answer.value.data;
      if (item.is_album !== true) return found([candidate(item, target.hash, 0, 1, credit(item.account_url, `https://imgur.com/gallery/${target.hash}`))]);
    }
    const answer = await get(`album/${target.hash}`, album, 'the album');
    if (!answer.ok) return answer;
    const page = target.kind === 'album' ? `https://imgur.com/a/${target.hash}` : `https://imgur.com/gallery/${target.hash}`;
    const { images, account_url } = answer.value.data;
    return found(images.map((img, index) => candidate(img, target.hash, index, images.length, credit(account_url ?? img.account_url, page))));
  },
});

function credit(account: string | null | undefined, page: string): Attribution | null {
  return account ? attribution({ author: account, author_url: `https://imgur.com/user/${account}`, source: 'Imgur', page_url: page }) : null;
}

/** An animated GIF is had as the MP4 Imgur made of it (far smaller), the GIF itself as the fallback. */
function candidate(img: Image, id: string, index: number, total: number, credited: Attribution | null): MediaCandidate {
  const video = img.animated === true && img.mp4 ? img.mp4 : null;
  return {
    url: video ?? img.link,
    ...(video && video !== img.link ? { fallbacks: [img.link] } : {}),
    name: itemName('imgur', id, index, total),
    alt: cleanText(img.description),
    attribution: credited,
  };
}

/** What a v3 error answer means; undefined leaves it to `statusFailure`. */
function apiFailure(answer: SiteAnswer): ResolveFailure | undefined {
  const body = errorBody.safeParse(parseJson(answer.text));
  const error = body.success ? body.data.data.error : '';
  const message = typeof error === 'string' ? error : error.message;
  if (answer.status === 401 || (answer.status === 403 && /client[_ ]?id|auth/i.test(message))) {
    return fail('not_configured', 'Imgur rejected the client ID in INTAKE_IMGUR_CLIENT_ID.');
  }
  // Imgur answers 403 "over capacity" for its rate limits, and refuses some countries outright.
  if (answer.status === 403 && /capacity|rate limit/i.test(message)) return statusFailure(429, 'Imgur');
  if (answer.status === 403 && /region|country|not available/i.test(message)) {
    return fail('http_error', 'Imgur does not serve the region this Intake server is in.');
  }
  return undefined;
}

/**
 * Without a key: the image's direct link, the extension given or `.jpg` (Imgur serves the
 * original whatever the extension). It is asked first, because a removed image answers with a
 * redirect to a placeholder (`/removed.png`) that would otherwise be stored as the picture.
 */
async function keylessImage(hash: string, ext: string | null, context: ResolveContext): Promise<ResolveResult> {
  const url = `https://i.imgur.com/${hash}.${ext ?? 'jpg'}`;
  const answer = await fetchSite(context, { url, maxBytes: 1024, truncate: true, accept: 'image/*, video/*;q=0.9, */*;q=0.5' });
  if (!answer.ok) return answer;
  if (answer.url.pathname.startsWith('/removed.')) return fail('not_found', 'Imgur says this image was removed.');
  if (!isSuccess(answer.status)) return statusFailure(answer.status, 'Imgur');
  return found([{ url, name: itemName('imgur', hash), alt: null, attribution: null }]);
}
