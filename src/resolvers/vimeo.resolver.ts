import { z } from 'zod';
import { fetchJson } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import { type MediaCandidate, defineResolver } from './types.js';

const VIDEO_ID = /^\d{1,11}$/;
/** The hash of an unlisted video's link (`vimeo.com/<id>/<hash>`, `?h=<hash>` on the player). */
const HASH = /^[0-9a-f]{6,32}$/;

interface Video {
  readonly id: string;
  readonly hash: string | null;
}

const oembedSchema = z.object({
  type: z.string(),
  title: z.string().nullish(),
  author_name: z.string().nullish(),
  author_url: z.string().nullish(),
  thumbnail_url: z.string().nullish(),
  /** Set (403) on the cut-down answer for a video its owner lets play on some sites only. */
  domain_status_code: z.number().optional(),
});

const restricted = () =>
  fail('login_required', 'Vimeo shows this video only where its owner embeds it, or behind a password or a login.');

/**
 * Vimeo videos, imported as their thumbnail (the video is HLS/DASH behind a player config that
 * blocks datacenter clients, or needs app credentials). oEmbed needs no key and gives the
 * thumbnail, the title (the alt) and the author (the credit); an unlisted video needs its
 * hash in the URL asked about.
 */
export const vimeo = defineResolver<Video>({
  id: 'vimeo',
  label: 'Vimeo',
  samples: [
    'https://vimeo.com/288386543',
    'https://vimeo.com/903115595/f14d06da38',
    'https://player.vimeo.com/video/967252742',
    'https://vimeo.com/showcase/9954564/video/767158063',
  ],
  match(url) {
    if (!isWeb(url)) return null;
    const parts = segments(url);
    if (onDomain(url, ['player.vimeo.com'])) {
      // The embed player: /video/<id>, an unlisted one with ?h=<hash>.
      if (parts.length !== 2 || parts[0] !== 'video') return null;
      const id = token(parts[1], VIDEO_ID);
      const h = url.searchParams.get('h');
      const hash = h === null ? null : token(h, HASH);
      return id && (h === null || hash) ? { id, hash } : null;
    }
    if (!onDomain(url, ['vimeo.com'])) return null;
    const [first, second, third, fourth] = parts;
    let id: string | undefined;
    let hash: string | null = null;
    if (parts.length === 1) id = first; // /<id>
    else if (parts.length === 2 && first === 'video') id = second; // /video/<id>
    else if (parts.length === 2 && token(first, VIDEO_ID)) {
      // /<id>/<hash>: an unlisted video's link.
      id = first;
      hash = token(second, HASH);
      if (!hash) return null;
    } else if (parts.length === 3 && first === 'channels') id = third; // /channels/<channel>/<id>
    else if (parts.length === 4 && first === 'groups' && third === 'videos') id = fourth; // /groups/<group>/videos/<id>
    else if (parts.length === 4 && (first === 'showcase' || first === 'album') && third === 'video') id = fourth; // /showcase/<s>/video/<id>
    const valid = token(id, VIDEO_ID);
    return valid ? { id: valid, hash } : null;
  },
  async resolve({ id, hash }, context) {
    const page = hash ? `https://vimeo.com/${id}/${hash}` : `https://vimeo.com/${id}`;
    const api = new URL('https://vimeo.com/api/oembed.json');
    api.searchParams.set('url', page);
    const answer = await fetchJson(
      context,
      {
        url: api,
        label: 'Vimeo',
        what: 'the oEmbed answer',
        onStatus: (a) => {
          if (a.status === 404) return fail('not_found', 'Vimeo says this video does not exist (or is unlisted and the link lacks its hash).');
          // 403: private, or its owner allows embedding nowhere.
          if (a.status === 403) return restricted();
          return undefined;
        },
      },
      oembedSchema,
    );
    if (!answer.ok) return answer;
    const video = answer.value;
    // Domain-restricted and password-protected videos get a cut-down answer with neither title
    // nor thumbnail.
    if (video.domain_status_code === 403 || !video.thumbnail_url) return restricted();
    return found([
      {
        ...largest(video.thumbnail_url),
        name: itemName('vimeo', id),
        alt: cleanText(video.title),
        attribution: video.author_name
          ? attribution({ author: cleanText(video.author_name), author_url: vimeoUrl(video.author_url), source: 'Vimeo', page_url: page })
          : null,
      },
    ]);
  },
});

/**
 * The thumbnail at its full size. oEmbed names a small rendition (`…-d_295x166`, or
 * `…_640.jpg` on older videos); Vimeo's image CDN gives the frame as uploaded when the size
 * suffix is left off. The URL as given stays as the fallback.
 */
function largest(thumbnail: string): Pick<MediaCandidate, 'url' | 'fallbacks'> {
  const url = URL.parse(thumbnail);
  const sized = url?.hostname === 'i.vimeocdn.com' ? /^(\/video\/.+?)_\d{2,5}(?:x\d{2,5})?(\.(?:jpg|jpeg|png|webp))?$/i.exec(url.pathname) : null;
  if (!url || !sized) return { url: thumbnail };
  url.pathname = `${sized[1]}${sized[2] ?? ''}`;
  return { url: url.href, fallbacks: [thumbnail] };
}

/** The author link oEmbed gives, when it is one of Vimeo's own pages. */
function vimeoUrl(value: string | null | undefined): string | null {
  const url = value ? URL.parse(value) : null;
  return url && url.protocol === 'https:' && onDomain(url, ['vimeo.com']) ? url.href : null;
}
