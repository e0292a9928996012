import { z } from 'zod';
import { fetchSite, type Got, isSuccess, readShape, type SiteAnswer, statusFailure } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, fail, found, itemName, notConfigured } from './support/results.js';
import { type MediaCandidate, type ResolveFailure, type ResolveResult, defineResolver } from './types.js';

/**
 * Pixabay image and video pages, through the official API only: Pixabay has no keyless route,
 * so without `INTAKE_PIXABAY_API_KEY` nothing is asked. The key travels as the `key` query
 * parameter of `pixabay.com/api/`, the only URL it is ever put in; the files themselves come
 * from `cdn.pixabay.com` and `pixabay.com/get/…`, without it. Pixabay's rules forbid
 * hotlinking and ask apps to download what they use, which is what an import does.
 */

const LABEL = 'Pixabay';
const KEY_VARIABLE = 'INTAKE_PIXABAY_API_KEY';
const GONE = 'Pixabay says this does not exist (or no longer does).';
const IMAGE_API = 'https://pixabay.com/api/';
const VIDEO_API = 'https://pixabay.com/api/videos/';

/** Image pages by kind; all are one `id` space in the images API. */
const IMAGE_KINDS = new Set(['photos', 'illustrations', 'vectors']);
/** `/de/photos/…`, `/pt/videos/…`, `/zh/…`: a language first; the path words stay English. */
const LANGUAGE = /^[a-z]{2}(?:-[a-z]{2,4})?$/i;
/** `<slug>-<id>` (`/videos/id-125/` included) or a bare id. */
const SLUG = /^(?:[^/?#]{1,300}-)?(\d{1,12})$/u;
const ID = /^\d{1,12}$/;

interface Item {
  readonly kind: 'image' | 'video';
  readonly id: string;
}

const common = {
  id: z.number(),
  pageURL: z.string(),
  user: z.string().nullish(),
  user_id: z.number().nullish(),
};

const imageHit = z.object({
  ...common,
  largeImageURL: z.string(),
  // Full size, only for keys with full API access.
  imageURL: z.string().nullish(),
  fullHDURL: z.string().nullish(),
});

const videoHit = z.object({
  ...common,
  videos: z.record(z.string(), z.object({ url: z.string(), width: z.number().nullish(), height: z.number().nullish() })),
});

const total = { total: z.number().optional(), totalHits: z.number().optional() };
const imageAnswer = z.object({ ...total, hits: z.array(imageHit) });
const videoAnswer = z.object({ ...total, hits: z.array(videoHit) });

/** Pixabay photo, illustration, vector and video pages (`/photos/<slug>-<id>/`, `/de/videos/…`). */
export const pixabay = defineResolver<Item>({
  id: 'pixabay',
  label: LABEL,
  key: { setting: 'pixabayApiKey', variable: 'INTAKE_PIXABAY_API_KEY', required: true },
  samples: [
    'https://pixabay.com/photos/daffodils-spring-2020-03-07-garden-4910149/',
    'https://pixabay.com/videos/ocean-sunset-coastline-drone-174472/',
    'https://pixabay.com/de/photos/werkzeuge-werkzeugkasten-3411589/',
  ],
  match(url) {
    if (!isWeb(url) || !onDomain(url, ['pixabay.com'])) return null;
    const parts = segments(url);
    const rest = parts.length === 3 && LANGUAGE.test(parts[0]!) ? parts.slice(1) : parts;
    if (rest.length !== 2) return null;
    const [word, slug] = rest as [string, string];
    const kind = IMAGE_KINDS.has(word) ? 'image' : word === 'videos' ? 'video' : null;
    const id = token(SLUG.exec(slug)?.[1], ID);
    return kind && id ? { kind, id } : null;
  },
  async resolve(item, context) {
    const key = context.keys.pixabayApiKey;
    if (!key) return notConfigured(LABEL, KEY_VARIABLE);
    const api = new URL(item.kind === 'image' ? IMAGE_API : VIDEO_API);
    api.searchParams.set('key', key);
    api.searchParams.set('id', item.id);
    const answer = await fetchSite(context, { url: api, accept: 'application/json' });
    if (!answer.ok) return answer;
    if (!isSuccess(answer.status)) return errorStatus(answer);
    return item.kind === 'image'
      ? image(readShape(context, answer, imageAnswer, 'the image answer'), item.id)
      : video(readShape(context, answer, videoAnswer, 'the video answer'), item.id);
  },
});

/**
 * Pixabay answers errors with a plain-text body and a 4xx: `[ERROR 400] Invalid or missing API
 * key`, and for an id it does not know `[ERROR 400] "id" is invalid` (or out of range).
 */
function errorStatus(answer: SiteAnswer): ResolveFailure {
  const body = answer.text.slice(0, 300);
  if (answer.status === 401 || answer.status === 403 || /api key/i.test(body)) {
    return fail('not_configured', `Pixabay rejected the key in ${KEY_VARIABLE}.`);
  }
  if (answer.status === 400 && /\bid\b/i.test(body)) return fail('not_found', GONE);
  return statusFailure(answer.status, LABEL);
}

/** The hit for `id`: the API answers an id it no longer has with no hits. */
function hitOf<T extends { id: number }>(hits: readonly T[], id: string): T | undefined {
  return hits.find((hit) => String(hit.id) === id);
}

function credit(hit: { pageURL: string; user?: string | null; user_id?: number | null }) {
  const user = hit.user?.trim();
  if (!user) return null;
  return attribution({
    author: user,
    author_url: hit.user_id === null || hit.user_id === undefined ? null : `https://pixabay.com/users/${encodeURIComponent(user)}-${hit.user_id}/`,
    source: LABEL,
    page_url: hit.pageURL,
  });
}

function image(answer: Got<z.infer<typeof imageAnswer>>, id: string): ResolveResult {
  if (!answer.ok) return answer;
  const hit = hitOf(answer.value.hits, id);
  if (!hit) return fail('not_found', GONE);
  // The full-size original when the key may have it, else the 1280 px `largeImageURL`.
  // `vectorURL` (an .ai or .svg source file) is never the picture people mean. Tags are
  // keywords, not a description: no alt.
  const urls = [hit.imageURL, hit.fullHDURL, hit.largeImageURL].filter((u): u is string => typeof u === 'string' && u !== '');
  const media = candidate(urls, hit, id);
  return media ? found([media]) : fail('no_media', 'Pixabay offers no file of this image.');
}

function video(answer: Got<z.infer<typeof videoAnswer>>, id: string): ResolveResult {
  if (!answer.ok) return answer;
  const hit = hitOf(answer.value.hits, id);
  if (!hit) return fail('not_found', GONE);
  // Renditions `large`, `medium`, `small`, `tiny`; one a video does not have comes with an
  // empty URL. The largest there is first.
  const urls = Object.values(hit.videos)
    .filter((r) => r.url !== '')
    .sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0))
    .map((r) => r.url);
  const media = candidate(urls, hit, id);
  return media ? found([media]) : fail('no_media', 'Pixabay offers no file of this video.');
}

/** The first URL to download, the others tried in order when it answers an error status. */
function candidate(urls: readonly string[], hit: Parameters<typeof credit>[0], id: string): MediaCandidate | null {
  const [url, ...fallbacks] = urls;
  return url === undefined ? null : { url, fallbacks, name: itemName('pixabay', id), alt: null, attribution: credit(hit) };
}
