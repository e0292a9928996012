import { z } from 'zod';
import { fetchJson } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { expandShortLink } from './support/short-link.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import { type MediaCandidate, type ResolveContext, type ResolveResult, defineResolver } from './types.js';

/**
 * GIPHY GIF, sticker and clip pages, their CDN files and `gph.is` short links.
 *
 * GIF or MP4: a GIF page gives the original GIF, because a GIF is what people mean when they
 * share one (Giphy's MP4 of it is a silent re-encode, kept as a fallback). A clip is a video
 * with sound, so it gives an MP4: with a key the largest rendition of the clip's video.
 *
 * With `INTAKE_GIPHY_API_KEY` the API (`/v1/gifs/<id>`) names the original, its alt text and the
 * uploader. Without it the page's id is rewritten to the file's well-known address, with no
 * request before the download (and so no alt text or credit). A CDN link is taken as it is,
 * only named `giphy-<id>`.
 */

const LABEL = 'GIPHY';
const KEY_VARIABLE = 'INTAKE_GIPHY_API_KEY';
const API = 'https://api.giphy.com/v1/gifs/';
/** The id is the slug's last `-`-separated token (`excited-cats-l2JIcQ4UH5SoPtMJi`). */
const ID = /^[A-Za-z0-9]{5,40}$/;
/** Page sections: what each one is. `/videos/` is the older name of clips. */
const SECTIONS: ReadonlyMap<string, 'gif' | 'clip'> = new Map([
  ['gifs', 'gif'],
  ['stickers', 'gif'],
  ['embed', 'gif'],
  ['clips', 'clip'],
  ['videos', 'clip'],
]);
/** `media.giphy.com`, `media0.giphy.com` … `media4.giphy.com`, and `i.giphy.com`. */
const MEDIA_HOST = /^(?:media\d?|i)\.giphy\.com$/;
const FILE = /^[A-Za-z0-9_.-]{1,80}\.(?:gif|mp4|webp)$/;
const SHORT_CODE = /^[A-Za-z0-9]{3,20}$/;

/** A GIPHY page or file, where the media is. */
type Target = { readonly kind: 'page'; readonly type: 'gif' | 'clip'; readonly id: string } | { readonly kind: 'file'; readonly id: string; readonly url: string };
type Source = Target | { readonly kind: 'short'; readonly url: string };

/** Giphy sends sizes as strings ("480"); newer answers as numbers. */
const size = z.union([z.number(), z.string()]).nullish();

const gifSchema = z.object({
  id: z.string(),
  url: z.string().nullish(),
  username: z.string().nullish(),
  alt_text: z.string().nullish(),
  user: z.object({ username: z.string().nullish(), display_name: z.string().nullish(), profile_url: z.string().nullish() }).nullish(),
  images: z.object({ original: z.object({ url: z.string().nullish(), mp4: z.string().nullish() }) }),
  video: z.object({ assets: z.record(z.string(), z.object({ url: z.string(), width: size, height: size })).nullish() }).nullish(),
});

/** A GIF it cannot give is a 404 with `data: []`; some answers say so with a 200. */
const answerSchema = z.object({ data: z.union([gifSchema, z.array(z.unknown())]) });

/** A page or file URL of Giphy's, not a short link. */
function matchGiphy(url: URL): Target | null {
  const parts = segments(url);
  if (MEDIA_HOST.test(url.hostname)) {
    // /media/<id>/<file>, /media/v1.<token>/<id>/<file> (API answers), i.giphy.com/<id>.gif
    const file = parts.at(-1) ?? '';
    const id =
      url.hostname === 'i.giphy.com' && parts.length === 1
        ? token(/^([A-Za-z0-9]+)\.(?:gif|mp4|webp)$/.exec(file)?.[1], ID)
        : parts[0] === 'media' && (parts.length === 3 || (parts.length === 4 && parts[1]!.startsWith('v1.'))) && FILE.test(file)
          ? token(parts.at(-2), ID)
          : null;
    return id ? { kind: 'file', id, url: url.href } : null;
  }
  if (!onDomain(url, ['giphy.com']) || parts.length !== 2) return null;
  const type = SECTIONS.get(parts[0]!);
  const id = token(parts[1]!.split('-').at(-1), ID);
  return type && id && (parts[0] !== 'embed' || id === parts[1]) ? { kind: 'page', type, id } : null;
}

/** GIPHY pages (`/gifs/`, `/stickers/`, `/clips/`, `/embed/`), CDN files, and `gph.is` links. */
export const giphy = defineResolver<Source>({
  id: 'giphy',
  label: LABEL,
  key: { setting: 'giphyApiKey', variable: 'INTAKE_GIPHY_API_KEY', required: false },
  samples: [
    'https://giphy.com/gifs/l2JIcQ4UH5SoPtMJi',
    'https://giphy.com/clips/southpark-south-park-episode-4-season-20-YyOPrvilA8FdiuSiQi',
    'https://media.giphy.com/media/2rj8VysAig8QE/giphy.gif',
    'https://gph.is/1ZhShKr',
  ],
  match(url) {
    if (!isWeb(url)) return null;
    if (onDomain(url, ['gph.is'])) {
      // gph.is/<code> and gph.is/g/<code>
      const parts = segments(url);
      const code = token(parts.length === 2 && parts[0] === 'g' ? parts[1] : parts.length === 1 ? parts[0] : null, SHORT_CODE);
      return code ? { kind: 'short', url: `https://gph.is/${parts.join('/')}` } : null;
    }
    return matchGiphy(url);
  },
  async resolve(source, context) {
    if (source.kind !== 'short') return fromSource(source, context);
    const expanded = await expandShortLink(context, source.url, LABEL);
    if (!expanded.ok) return expanded;
    // Only a GIPHY page or file: a short link is not a way to reach other sites through this resolver.
    const target = matchGiphy(expanded.value.url);
    if (!target) return fail('not_found', 'This gph.is link does not lead to a GIF on GIPHY.');
    return fromSource(target, context);
  },
});

function fromSource(source: Target, context: ResolveContext): Promise<ResolveResult> {
  const name = itemName('giphy', source.id);
  if (source.kind === 'file') return Promise.resolve(found([{ url: source.url, name, alt: null, attribution: null }]));
  const key = context.keys.giphyApiKey;
  if (key) return fromApi(source.type, source.id, key, context);
  // The well-known addresses of the original files, the same for every GIF.
  const media = `https://media.giphy.com/media/${source.id}`;
  const candidate: MediaCandidate =
    source.type === 'clip'
      ? { url: `${media}/giphy.mp4`, name, alt: null, attribution: null }
      : { url: `https://i.giphy.com/${source.id}.gif`, fallbacks: [`${media}/giphy.gif`], name, alt: null, attribution: null };
  return Promise.resolve(found([candidate]));
}

async function fromApi(type: 'gif' | 'clip', id: string, key: string, context: ResolveContext): Promise<ResolveResult> {
  const api = new URL(`${API}${encodeURIComponent(id)}`);
  api.searchParams.set('api_key', key);
  const parsed = await fetchJson(
    context,
    {
      url: api,
      accept: 'application/json',
      label: LABEL,
      what: 'the GIF',
      // A key GIPHY does not know is a 401 (sometimes 403) with `{"message": "Unauthorized"}`.
      onStatus: (a) => (a.status === 401 || a.status === 403 ? fail('not_configured', `GIPHY rejected the key in ${KEY_VARIABLE}.`) : undefined),
    },
    answerSchema,
  );
  if (!parsed.ok) return parsed;
  const gif = parsed.value.data;
  if (Array.isArray(gif)) return fail('not_found', 'GIPHY says this does not exist (or no longer does).');
  const original = gif.images.original;
  const clip = Object.values(gif.video?.assets ?? {})
    .sort((a, b) => Number(b.width ?? 0) * Number(b.height ?? 0) - Number(a.width ?? 0) * Number(a.height ?? 0))
    .map((asset) => asset.url);
  // A clip's sound is only in its video assets; `original.mp4` is the silent loop, the last resort.
  const urls = (type === 'clip' ? [...clip, original.mp4] : [original.url, original.mp4]).filter((u): u is string => typeof u === 'string' && u !== '');
  const [url, ...fallbacks] = urls;
  if (url === undefined) return fail('no_media', 'GIPHY offers no file for this.');
  const username = cleanText(gif.user?.username) ?? cleanText(gif.username);
  const author = cleanText(gif.user?.display_name) ?? username;
  return found([
    {
      url,
      fallbacks,
      name: itemName('giphy', gif.id),
      alt: cleanText(gif.alt_text),
      attribution: author
        ? attribution({
            author,
            author_url: cleanText(gif.user?.profile_url) ?? (username ? `https://giphy.com/${encodeURIComponent(username)}/` : null),
            source: LABEL,
            page_url: cleanText(gif.url) ?? `https://giphy.com/${type === 'clip' ? 'clips' : 'gifs'}/${gif.id}`,
          })
        : null,
    },
  ]);
}

