import { z } from 'zod';
import { fetchJson, fetchSite, isSuccess } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import { type ResolveContext, defineResolver } from './types.js';

/**
 * Unsplash photo pages. With `INTAKE_UNSPLASH_ACCESS_KEY` the official API, and the download
 * tracking call its guidelines require of an app that uses a photo (an import is a download);
 * without it, the endpoint the website itself reads (`/napi`), which needs no key.
 */

/** `/photos/<slug>` and the localised `/de/fotos/<slug>`, `/es/fotos/…`, `/fr/photos/…`. */
const PHOTO_PATHS = new Set(['photos', 'fotos', 'foto']);
const SLUG = /^[A-Za-z0-9_-]{1,200}$/;
/** A photo id is the slug's last 11 characters; ids may contain `-` and `_` themselves. */
const ID_LENGTH = 11;

interface Photo {
  /** The slug as given (`red-cross-kaoHI0iHJPM`) or a bare id. */
  readonly slug: string;
  readonly id: string;
}

const photoSchema = z.object({
  id: z.string(),
  alt_description: z.string().nullish(),
  description: z.string().nullish(),
  urls: z.object({ raw: z.string(), full: z.string().optional() }),
  links: z.object({ html: z.string(), download_location: z.string().optional() }),
  user: z.object({ name: z.string().nullish(), username: z.string(), links: z.object({ html: z.string() }).optional() }),
});

export const unsplash = defineResolver<Photo>({
  id: 'unsplash',
  label: 'Unsplash',
  key: { setting: 'unsplashAccessKey', variable: 'INTAKE_UNSPLASH_ACCESS_KEY', required: false },
  samples: [
    'https://unsplash.com/photos/a-close-up-of-a-cat-looking-at-the-camera-kaoHI0iHJPM',
    'https://unsplash.com/photos/LBI7cgq3pbM',
    'https://unsplash.com/de/fotos/ein-berg-mit-schnee-v9FQR4tbIq8',
  ],
  match(url) {
    if (!isWeb(url) || !onDomain(url, ['unsplash.com'])) return null;
    const parts = segments(url);
    // Localised pages put a language first: /de/fotos/<slug>.
    const rest = parts.length > 0 && /^[a-z]{2}(?:-[a-z]{2})?$/i.test(parts[0]!) && PHOTO_PATHS.has(parts[1] ?? '') ? parts.slice(1) : parts;
    if (!PHOTO_PATHS.has(rest[0] ?? '')) return null;
    // /photos/<slug> and /photos/<slug>/download (the download button's link).
    if (rest.length !== 2 && !(rest.length === 3 && rest[2] === 'download')) return null;
    const slug = token(rest[1], SLUG);
    if (!slug) return null;
    return { slug, id: slug.length > ID_LENGTH ? slug.slice(-ID_LENGTH) : slug };
  },
  async resolve(photo, context) {
    const key = context.keys.unsplashAccessKey;
    const headers: Record<string, string> = key ? { authorization: `Client-ID ${key}`, 'accept-version': 'v1' } : {};
    const answer = await fetchJson(
      context,
      {
        url: key ? `https://api.unsplash.com/photos/${encodeURIComponent(photo.id)}` : `https://unsplash.com/napi/photos/${encodeURIComponent(photo.slug)}`,
        headers,
        label: 'Unsplash',
        what: 'the photo',
        onStatus: (a) =>
          key && a.status === 401
            ? fail('not_configured', 'Unsplash rejected the access key in INTAKE_UNSPLASH_ACCESS_KEY.')
            : undefined,
      },
      photoSchema,
    );
    if (!answer.ok) return answer;
    const p = answer.value;
    if (key && p.links.download_location) await trackDownload(p.links.download_location, headers, context);
    return found([
      {
        url: p.urls.raw,
        name: itemName('unsplash', p.id),
        alt: cleanText(p.alt_description) ?? cleanText(p.description),
        attribution: attribution({
          author: cleanText(p.user.name) ?? p.user.username,
          author_url: p.user.links?.html ?? `https://unsplash.com/@${p.user.username}`,
          source: 'Unsplash',
          page_url: p.links.html,
        }),
      },
    ]);
  },
});

/**
 * Unsplash counts a download when an app calls the photo's `download_location` with its key,
 * keeping every query parameter (`ixid`). The import goes ahead if the call fails: the photo is
 * the user's to have; the miss is logged for the operator.
 */
async function trackDownload(location: string, headers: Record<string, string>, context: ResolveContext): Promise<void> {
  // The key goes to Unsplash's API only, whatever the answer says.
  if (URL.parse(location)?.origin !== 'https://api.unsplash.com') {
    context.log.warn({ location }, 'unsplash: a download_location outside the API was not called');
    return;
  }
  const answer = await fetchSite(context, { url: location, headers, maxBytes: 64 * 1024 });
  if (!answer.ok || !isSuccess(answer.status)) {
    context.log.warn({ status: answer.ok ? answer.status : answer.code }, 'unsplash: the download tracking call failed');
  }
}
