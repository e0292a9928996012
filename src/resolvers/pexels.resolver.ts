import { z } from 'zod';
import { fetchJson, fetchSite, isSuccess, statusFailure } from './support/api.js';
import { jsonScriptById } from './support/html.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, unexpected } from './support/results.js';
import { type ResolveContext, type ResolveFailure, type ResolveResult, defineResolver } from './types.js';

/**
 * Pexels photo and video pages. With `INTAKE_PEXELS_API_KEY` the official API (the key in the
 * `Authorization` header, to api.pexels.com only); without it, the data the page itself is
 * built from (`<script id="__NEXT_DATA__">`). Either way the photographer is credited, as the
 * Pexels guidelines ask.
 */

const API = 'https://api.pexels.com';
const SITE = 'https://www.pexels.com';
const LABEL = 'Pexels';
const KEY_VARIABLE = 'INTAKE_PEXELS_API_KEY';

/**
 * The word before the slug, in English and in the localised paths seen on the site
 * (`/de-de/foto/…`, `/pl-pl/zdjecie/…`, `/tr-tr/fotograf/…`, `/fi-fi/kuva/…`, `/nb-no/bilde/…`).
 * A locale whose word is not listed is left to the generic page reader.
 */
const PHOTO_WORDS = new Set(['photo', 'foto', 'zdjecie', 'fotograf', 'kuva', 'bilde']);
const VIDEO_WORDS = new Set(['video']);
const LOCALE = /^[a-z]{2}-[a-z]{2}$/i;
/** `<slug>-<id>` or a bare id; the id is the number after the last `-`. */
const SLUG = /^(?:[^/?#]{1,300}-)?(\d{1,12})$/u;
const ID = /^\d{1,12}$/;

interface Page {
  readonly kind: 'photo' | 'video';
  readonly id: string;
  /** The page's path as given (locale kept), for the keyless route. */
  readonly path: string;
}

const photoSchema = z.object({
  id: z.number(),
  url: z.string(),
  alt: z.string().nullish(),
  photographer: z.string().nullish(),
  photographer_url: z.string().nullish(),
  src: z.object({ original: z.string(), large2x: z.string().nullish() }),
});

const videoFile = z.object({
  quality: z.string().nullish(),
  file_type: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
  link: z.string(),
});

const videoSchema = z.object({
  id: z.number(),
  url: z.string(),
  user: z.object({ name: z.string().nullish(), url: z.string().nullish() }).nullish(),
  video_files: z.array(videoFile),
});

/** `props.pageProps.medium` of the page's Next.js data: what gallery-dl reads too. */
const nextDataSchema = z.object({
  props: z.object({
    pageProps: z.object({
      medium: z.object({
        id: z.union([z.number(), z.string()]),
        type: z.string(),
        attributes: z.object({
          alt: z.string().nullish(),
          user: z
            .object({ first_name: z.string().nullish(), last_name: z.string().nullish(), username: z.string().nullish(), slug: z.string().nullish() })
            .nullish(),
          image: z.object({ download_link: z.string() }).nullish(),
          video: z.object({ download_link: z.string() }).nullish(),
        }),
      }),
    }),
  }),
});

/** Pexels photo (`/photo/<slug>-<id>/`) and video (`/video/<slug>-<id>/`) pages, localised ones included. */
export const pexels = defineResolver<Page>({
  id: 'pexels',
  label: LABEL,
  key: { setting: 'pexelsApiKey', variable: 'INTAKE_PEXELS_API_KEY', required: false },
  samples: [
    'https://www.pexels.com/photo/sun-shining-between-the-trees-in-the-forest-onto-an-asphalt-road-17213600/',
    'https://www.pexels.com/video/seal-on-the-beach-1526909/',
    'https://www.pexels.com/de-de/foto/die-gluhbirne-577514/',
  ],
  match(url) {
    if (!isWeb(url) || !onDomain(url, ['pexels.com'])) return null;
    const parts = segments(url);
    const rest = parts.length === 3 && LOCALE.test(parts[0]!) ? parts.slice(1) : parts;
    if (rest.length !== 2) return null;
    const [word, slug] = rest as [string, string];
    const kind = PHOTO_WORDS.has(word) ? 'photo' : VIDEO_WORDS.has(word) ? 'video' : null;
    const id = token(SLUG.exec(slug)?.[1], ID);
    if (!kind || !id) return null;
    return { kind, id, path: `/${parts.map((part) => encodeURIComponent(part)).join('/')}/` };
  },
  resolve(page, context) {
    const key = context.keys.pexelsApiKey;
    if (!key) return fromPage(page, context);
    return page.kind === 'photo' ? photoFromApi(page.id, key, context) : videoFromApi(page.id, key, context);
  },
});

/** The API says 401 (or 403) to a key it does not know. */
function rejectedKey(status: number): ResolveFailure | undefined {
  return status === 401 || status === 403 ? fail('not_configured', `Pexels rejected the key in ${KEY_VARIABLE}.`) : undefined;
}

async function photoFromApi(id: string, key: string, context: ResolveContext): Promise<ResolveResult> {
  const answer = await fetchJson(
    context,
    { url: `${API}/v1/photos/${id}`, headers: { authorization: key }, label: LABEL, what: 'the photo', onStatus: (a) => rejectedKey(a.status) },
    photoSchema,
  );
  if (!answer.ok) return answer;
  const photo = answer.value;
  return found([
    {
      url: photo.src.original,
      // `original` is the uploaded file; `large2x` is a resized copy, kept for when it fails.
      fallbacks: photo.src.large2x ? [photo.src.large2x] : [],
      name: itemName('pexels', String(photo.id)),
      alt: cleanText(photo.alt),
      attribution: attribution({ author: cleanText(photo.photographer), author_url: photo.photographer_url, source: LABEL, page_url: photo.url }),
    },
  ]);
}

async function videoFromApi(id: string, key: string, context: ResolveContext): Promise<ResolveResult> {
  const answer = await fetchJson(
    context,
    { url: `${API}/videos/videos/${id}`, headers: { authorization: key }, label: LABEL, what: 'the video', onStatus: (a) => rejectedKey(a.status) },
    videoSchema,
  );
  if (!answer.ok) return answer;
  const video = answer.value;
  // `video_files` lists MP4 renditions and an HLS playlist (`quality: "hls"`), which is not a
  // file; the largest MP4 is the original upload or the closest to it.
  const files = video.video_files
    .filter((f) => f.file_type === 'video/mp4' && f.quality !== 'hls' && !/\.m3u8(?:[?#]|$)/i.test(f.link))
    .sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0));
  const [best, ...rest] = files;
  if (!best) return fail('no_media', 'Pexels offers no MP4 file of this video.');
  return found([
    {
      url: best.link,
      fallbacks: rest.slice(0, 2).map((f) => f.link),
      name: itemName('pexels', String(video.id)),
      alt: null,
      attribution: attribution({ author: cleanText(video.user?.name), author_url: video.user?.url, source: LABEL, page_url: video.url }),
    },
  ]);
}

async function fromPage(page: Page, context: ResolveContext): Promise<ResolveResult> {
  const answer = await fetchSite(context, { url: `${SITE}${page.path}`, accept: 'text/html, */*;q=0.5' });
  if (!answer.ok) return answer;
  // Pexels' bot protection answers 403 to some clients: nothing on Pexels is private, so say
  // what helps instead of "needs a login".
  if (answer.status === 403) {
    return fail('http_error', `Pexels refused the page to Intake (403); with ${KEY_VARIABLE} set, the official API is used instead.`);
  }
  if (!isSuccess(answer.status)) return statusFailure(answer.status, LABEL);
  const data = jsonScriptById(answer.text, '__NEXT_DATA__');
  if (data === undefined) return unexpected(context, 'a page without its __NEXT_DATA__ script', { status: answer.status, url: answer.url.href });
  const parsed = nextDataSchema.safeParse(data);
  if (!parsed.success) return unexpected(context, 'page data of an unexpected shape', { url: answer.url.href, issues: parsed.error.issues.slice(0, 10) });
  const medium = parsed.data.props.pageProps.medium;
  const { user, image, video } = medium.attributes;
  const pageUrl = new URL(answer.url.href);
  pageUrl.search = '';
  pageUrl.hash = '';
  const handle = cleanText(user?.slug) ?? cleanText(user?.username);
  const credit = attribution({
    author: cleanText([user?.first_name, user?.last_name].filter(Boolean).join(' ')) ?? cleanText(user?.username),
    author_url: handle ? `${SITE}/@${encodeURIComponent(handle)}` : null,
    source: LABEL,
    page_url: pageUrl.href,
  });
  const name = itemName('pexels', String(medium.id));
  if (medium.type === 'video' && video) {
    // `/download/video/<id>/` redirects to the original file on the video CDN.
    return found([{ url: video.download_link, name, alt: null, attribution: credit }]);
  }
  if (image) {
    return found([{ ...originalImage(image.download_link), name, alt: cleanText(medium.attributes.alt), attribution: credit }]);
  }
  return unexpected(context, `a medium of type ${medium.type} without a file`, { url: answer.url.href });
}

/**
 * The download link asks the image CDN for a re-encoded copy (`?cs=srgb&dl=…&fm=jpg`); without
 * the query it serves the uploaded original, as the API's `src.original` does. The link as given
 * stays as the fallback.
 */
function originalImage(link: string): { url: string; fallbacks: string[] } {
  const parsed = URL.parse(link);
  if (parsed?.hostname !== 'images.pexels.com' || parsed.search === '') return { url: link, fallbacks: [] };
  parsed.search = '';
  return { url: parsed.href, fallbacks: [link] };
}
