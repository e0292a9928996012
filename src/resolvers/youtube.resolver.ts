import { z } from 'zod';
import { fetchSite, isSuccess, readShape, statusFailure } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import { type Attribution, defineResolver } from './types.js';

/** `www.` and `m.` are dropped by `siteHost`; `music.` shows the same videos. */
const HOSTS = ['youtube.com', 'music.youtube.com', 'youtube-nocookie.com'];
const SHORT_HOST = 'youtu.be';
/** `/shorts/<id>`, `/live/<id>`, `/embed/<id>`, `/v/<id>` (old Flash embeds), `/watch/<id>`. */
const ID_PATHS = new Set(['shorts', 'live', 'embed', 'v', 'watch']);
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
/** Embed paths of exactly eleven characters that are not videos: a playlist, a channel's live stream. */
const NOT_VIDEOS = new Set(['videoseries', 'live_stream']);
/**
 * Thumbnail names, largest first. `maxresdefault` (1280 wide) exists only for videos uploaded
 * in HD, `sddefault` (640) not for every old one; `hqdefault` (480) always does. A missing one
 * answers 404 with a grey placeholder JPEG, so only the status tells it apart.
 */
const THUMBNAILS = ['maxresdefault', 'sddefault', 'hqdefault'];

interface Video {
  readonly id: string;
}

const oembedSchema = z.object({
  title: z.string(),
  author_name: z.string(),
  author_url: z.string().optional(),
});

/**
 * YouTube videos, imported as their thumbnail: the video itself needs YouTube's private player
 * API, signature deciphering and proof-of-origin tokens. oEmbed (no key) says whether the
 * video exists and gives its title (the alt) and channel (the credit); the picture comes from
 * `i.ytimg.com` by its well-known names, the largest first.
 */
export const youtube = defineResolver<Video>({
  id: 'youtube',
  label: 'YouTube',
  samples: [
    'https://www.youtube.com/watch?v=vPwaXytZcgI',
    'https://youtu.be/hEdzv7D4CbQ',
    'https://www.youtube.com/shorts/r5FpeOJItbw',
    'https://music.youtube.com/watch?v=5rGTsvZCEdk&feature=share',
  ],
  match(url) {
    if (!isWeb(url)) return null;
    const parts = segments(url);
    let candidate: string | null | undefined;
    if (onDomain(url, [SHORT_HOST])) {
      // youtu.be/<id>: the id is the whole path; `?si=` and `?t=` are the share sheet's.
      candidate = parts.length === 1 ? parts[0] : null;
    } else if (onDomain(url, HOSTS)) {
      if (parts.length === 1 && parts[0] === 'watch') candidate = url.searchParams.get('v');
      else if (parts.length === 2 && ID_PATHS.has(parts[0]!)) candidate = parts[1];
    }
    const id = token(candidate, VIDEO_ID);
    return id && !NOT_VIDEOS.has(id) ? { id } : null;
  },
  async resolve({ id }, context) {
    const page = `https://www.youtube.com/watch?v=${id}`;
    const api = new URL('https://www.youtube.com/oembed');
    api.searchParams.set('url', page);
    api.searchParams.set('format', 'json');
    const answer = await fetchSite(context, { url: api, accept: 'application/json' });
    if (!answer.ok) return answer;
    // For a while YouTube answered a private video with 200 and the bare word as the body.
    const bare = answer.text.trim();
    const status = answer.status === 200 && bare === 'Forbidden' ? 403 : answer.status === 200 && bare === 'Unauthorized' ? 401 : answer.status;

    let alt: string | null = null;
    let credit: Attribution | null = null;
    if (status === 401) {
      // 401 is YouTube's answer for a video whose owner turned embedding off. The video is
      // public and so is its thumbnail: it is imported, without the title and channel that
      // oEmbed keeps to itself then. (A video that is private after all has no thumbnail
      // either, and ends as the thumbnail host's 404.)
      context.log.info({ status }, 'youtube: embedding is disabled; importing the thumbnail without title and channel');
    } else if (status === 403) {
      return fail('login_required', 'YouTube says this video is private.');
    } else if (status === 404 || status === 400) {
      // 400 is how oEmbed answers an id it cannot place at all.
      return fail('not_found', 'YouTube says this video does not exist (or was removed).');
    } else if (!isSuccess(status)) {
      return statusFailure(status, 'YouTube');
    } else {
      const video = readShape(context, answer, oembedSchema, 'the oEmbed answer');
      if (!video.ok) return video;
      alt = cleanText(video.value.title);
      credit = attribution({
        author: cleanText(video.value.author_name),
        author_url: channelUrl(video.value.author_url),
        source: 'YouTube',
        page_url: page,
      });
    }
    const [first, ...fallbacks] = THUMBNAILS.map((name) => `https://i.ytimg.com/vi/${id}/${name}.jpg`);
    return found([{ url: first!, fallbacks, name: itemName('youtube', id), alt, attribution: credit }]);
  },
});

/** The channel link oEmbed gives, when it is one of YouTube's own (it is shown as a link). */
function channelUrl(value: string | undefined): string | null {
  const url = value === undefined ? null : URL.parse(value);
  return url && url.protocol === 'https:' && onDomain(url, ['youtube.com']) ? url.href : null;
}
