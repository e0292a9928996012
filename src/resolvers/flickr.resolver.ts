import { z } from 'zod';
import { fetchJson, fetchSite, type Got, isSuccess, parseJson, readShape, statusFailure } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, notConfigured, unexpected } from './support/results.js';
import { type Attribution, type MediaCandidate, type ResolveContext, type ResolveFailure, type ResolveResult, defineResolver } from './types.js';

/**
 * Flickr photo and video pages, and `flic.kr/p/…` short links (decoded locally: the code is the
 * photo id in base 58). With `INTAKE_FLICKR_API_KEY` the REST API: `photos.getInfo` for the title,
 * owner and media type, `photos.getSizes` for the files (the original when the owner allows
 * it, else the largest size; a video's best MP4 stream). Without a key, Flickr's oEmbed
 * endpoint, which names one large JPEG rendition (never the original) and no video file.
 */

const REST = 'https://api.flickr.com/services/rest/';
const OEMBED = 'https://www.flickr.com/services/oembed/';
/** oEmbed answers with the largest size that fits; 2048 is the largest public rendition ("Large 2048"). */
const OEMBED_MAX = '2048';
/** Flickr's base 58: digits and letters without 0, O, I and l. */
const BASE58 = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const SHORT_CODE = /^[1-9a-km-zA-HJ-NP-Z]{1,12}$/;
/** A path alias (`bees`) or an NSID (`12345678@N00`). */
const USER = /^[A-Za-z0-9@_.-]{1,100}$/;
const PHOTO_ID = /^[1-9][0-9]{0,19}$/;
/** What may follow `/photos/<user>/<id>`: `/in/<album or stream>`, `/sizes/<size>`, `/lightbox`. */
const PHOTO_SUFFIXES = new Set(['in', 'sizes', 'lightbox']);

interface Photo {
  readonly id: string;
  /** From a page URL; a short link names no user. */
  readonly user: string | null;
}

/** The photo id a `flic.kr/p/<code>` names, or null for a code that is not base 58. Pure. */
export function decodeFlickrShortCode(code: string): string | null {
  if (!SHORT_CODE.test(code)) return null;
  let value = 0n;
  for (const char of code) value = value * 58n + BigInt(BASE58.indexOf(char));
  const id = value.toString();
  return PHOTO_ID.test(id) ? id : null;
}

/** The `flic.kr/p/<code>` of a photo id (the inverse of `decodeFlickrShortCode`). Pure. */
export function encodeFlickrShortCode(id: string): string {
  let value = BigInt(id);
  let code = '';
  while (value > 0n) {
    code = BASE58[Number(value % 58n)]! + code;
    value /= 58n;
  }
  return code;
}

const content = z.object({ _content: z.string() });
/** The REST API answers errors with HTTP 200 and this body. */
const restError = z.object({ stat: z.literal('fail'), code: z.number(), message: z.string().optional() });
const infoSchema = z.object({
  stat: z.literal('ok'),
  photo: z.object({
    id: z.string(),
    media: z.string(),
    owner: z.object({ nsid: z.string(), username: z.string().nullish(), realname: z.string().nullish(), path_alias: z.string().nullish() }),
    title: content.optional(),
    urls: z.object({ url: z.array(z.object({ type: z.string(), _content: z.string() })) }).optional(),
  }),
});
const dimension = z.union([z.number(), z.string()]).nullish();
const sizesSchema = z.object({
  stat: z.literal('ok'),
  sizes: z.object({
    size: z.array(z.object({ label: z.string(), width: dimension, height: dimension, source: z.string(), media: z.string().optional() })),
  }),
});
type Size = z.infer<typeof sizesSchema>['sizes']['size'][number];
const oembedSchema = z.object({
  type: z.string(),
  flickr_type: z.string().optional(),
  url: z.string().optional(),
  title: z.string().nullish(),
  author_name: z.string().nullish(),
  author_url: z.string().nullish(),
  web_page: z.string().nullish(),
});

export const flickr = defineResolver<Photo>({
  id: 'flickr',
  label: 'Flickr',
  key: { setting: 'flickrApiKey', variable: 'INTAKE_FLICKR_API_KEY', required: false },
  samples: [
    'https://www.flickr.com/photos/bees/2362225867/',
    'https://secure.flickr.com/photos/departingyyz/16089302239/in/photostream/',
    'https://flic.kr/p/QWhZSL',
  ],
  match(url) {
    if (!isWeb(url)) return null;
    const parts = segments(url);
    if (onDomain(url, ['flic.kr'])) {
      // flic.kr/s/… (albums) and /ps/… (photostreams) are not one photo.
      if (parts.length !== 2 || parts[0] !== 'p') return null;
      const id = decodeFlickrShortCode(parts[1]!);
      return id ? { id, user: null } : null;
    }
    if (!onDomain(url, ['flickr.com', 'secure.flickr.com']) || parts[0] !== 'photos') return null;
    if (parts.length !== 3 && !(parts.length <= 6 && PHOTO_SUFFIXES.has(parts[3] ?? ''))) return null;
    // `/photos/<user>/albums/…`, `/favorites`, `/photos/tags/…` have no numeric id here.
    const user = token(parts[1], USER);
    const id = token(parts[2], PHOTO_ID);
    return user && id ? { id, user } : null;
  },
  async resolve(photo, context) {
    const key = context.keys.flickrApiKey;
    return key ? viaApi(photo, key, context) : viaOembed(photo, context);
  },
});

/** The REST API: who owns it and what it is, then the files Flickr offers. */
async function viaApi(photo: Photo, key: string, context: ResolveContext): Promise<ResolveResult> {
  const info = await rest(context, key, 'flickr.photos.getInfo', photo.id, infoSchema, 'the photo info');
  if (!info.ok) return info;
  const sizes = await rest(context, key, 'flickr.photos.getSizes', photo.id, sizesSchema, 'the photo sizes');
  if (!sizes.ok) return sizes;
  const p = info.value.photo;
  const owner = p.owner.path_alias || p.owner.nsid;
  const page = p.urls?.url.find((u) => u.type === 'photopage')?._content ?? `https://www.flickr.com/photos/${owner}/${p.id}/`;
  const credit = attribution({
    author: cleanText(p.owner.realname) ?? cleanText(p.owner.username) ?? owner,
    author_url: `https://www.flickr.com/photos/${owner}/`,
    source: 'Flickr',
    page_url: page,
  });
  const isVideo = p.media === 'video';
  const files = isVideo ? videoFiles(sizes.value.sizes.size) : photoFiles(sizes.value.sizes.size);
  const [best, ...others] = files;
  if (!best) {
    return isVideo ? fail('no_media', 'Flickr offers no downloadable file of this video.') : unexpected(context, 'a photo without sizes', { id: p.id });
  }
  // Flickr's own embed code uses the title as the picture's alt text; it has no other.
  return found([{ url: best, fallbacks: others.slice(0, 2), name: itemName('flickr', p.id), alt: cleanText(p.title?._content), attribution: credit }]);
}

/** "Original" when the owner lets others download it, then the rest largest first (the API lists smallest first). */
function photoFiles(sizes: readonly Size[]): string[] {
  const pictures = sizes.filter((s) => s.media !== 'video');
  const original = pictures.filter((s) => s.label === 'Original');
  return [...original, ...pictures.filter((s) => s.label !== 'Original').reverse()].map((s) => s.source);
}

/**
 * A video's MP4s: "Video Original" first when offered, then by height. "Video Player" is the
 * embeddable player, not a file.
 */
function videoFiles(sizes: readonly Size[]): string[] {
  const streams = sizes.filter((s) => s.media === 'video' && s.label !== 'Video Player');
  const rank = (s: Size) => (s.label === 'Video Original' ? Number.MAX_SAFE_INTEGER : Number(s.height) || 0);
  return streams.sort((a, b) => rank(b) - rank(a)).map((s) => s.source);
}

/**
 * One REST call. The key goes to the API's own origin only, as a query parameter (that is how
 * Flickr takes it). Errors come as HTTP 200 with `stat: "fail"` and a numbered code.
 */
async function rest<T>(context: ResolveContext, key: string, method: string, id: string, schema: z.ZodType<T>, what: string): Promise<Got<T>> {
  const url = new URL(REST);
  url.searchParams.set('method', method);
  url.searchParams.set('photo_id', id);
  url.searchParams.set('api_key', key);
  url.searchParams.set('format', 'json');
  url.searchParams.set('nojsoncallback', '1');
  const answer = await fetchSite(context, { url, accept: 'application/json' });
  if (!answer.ok) return answer;
  const error = restError.safeParse(parseJson(answer.text));
  if (error.success) return restFailure(error.data, context);
  if (!isSuccess(answer.status)) return statusFailure(answer.status, 'Flickr');
  return readShape(context, answer, schema, what);
}

/** Flickr's documented error codes for these methods. */
function restFailure(error: z.infer<typeof restError>, context: ResolveContext): ResolveFailure {
  switch (error.code) {
    case 1:
      // A private photo answers the same as a deleted one when asked without the owner's login.
      return fail('not_found', 'Flickr says this photo does not exist, or only some people may see it.');
    case 2:
    case 99:
      return fail('login_required', 'Flickr says this photo is private or needs a login.');
    case 100:
      return fail('not_configured', 'Flickr rejected the API key in INTAKE_FLICKR_API_KEY.');
    case 105:
      return fail('http_error', 'Flickr says its API is unavailable right now; try again later.');
    default:
      return unexpected(context, 'a Flickr API error', { code: error.code, message: error.message });
  }
}

/** Without a key: oEmbed names a large JPEG rendition, its title and its owner. */
async function viaOembed(photo: Photo, context: ResolveContext): Promise<ResolveResult> {
  const url = new URL(OEMBED);
  // oEmbed takes short links too; a page URL needs its user, which a short link lacks.
  url.searchParams.set('url', photo.user ? `https://www.flickr.com/photos/${photo.user}/${photo.id}/` : `https://flic.kr/p/${encodeFlickrShortCode(photo.id)}`);
  url.searchParams.set('format', 'json');
  url.searchParams.set('maxwidth', OEMBED_MAX);
  url.searchParams.set('maxheight', OEMBED_MAX);
  const answer = await fetchJson(context, { url, label: 'Flickr', what: 'the oEmbed answer' }, oembedSchema);
  if (!answer.ok) return answer;
  const o = answer.value;
  // A video's oEmbed answer is a player and a still; the video file needs the API.
  if (o.type === 'video' || o.flickr_type === 'video') return notConfigured('A Flickr video', 'INTAKE_FLICKR_API_KEY');
  if (o.type !== 'photo' || !o.url) return unexpected(context, 'an oEmbed answer without a photo', { type: o.type });
  const credit: Attribution = attribution({ author: cleanText(o.author_name), author_url: o.author_url, source: 'Flickr', page_url: o.web_page });
  const candidate: MediaCandidate = { url: o.url, name: itemName('flickr', photo.id), alt: cleanText(o.title), attribution: credit };
  return found([candidate]);
}
