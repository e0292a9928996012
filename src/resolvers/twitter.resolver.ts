import { z } from 'zod';
import { fetchJson } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import { type MediaCandidate, defineResolver } from './types.js';

const SYNDICATION = 'https://cdn.syndication.twimg.com/tweet-result';
/**
 * x.com and twitter.com (`www.`, `mobile.`, `m.` are dropped by `siteHost`), the embed-fixing
 * mirrors people paste instead (FxEmbed's fxtwitter.com/fixupx.com, BetterTwitFix's
 * vxtwitter.com/fixvx.com) and the Nitter front ends nitter.net and xcancel.com. Only the post
 * id is taken from these URLs: none of the mirrors is ever asked anything.
 */
const HOSTS = ['x.com', 'twitter.com', 'fxtwitter.com', 'fixupx.com', 'vxtwitter.com', 'fixvx.com', 'nitter.net', 'xcancel.com'];
/** Snowflake ids are at most 19 digits (a 64-bit signed integer). */
const POST_ID = /^\d{1,19}$/;
/** Screen names are 1–15 word characters; a little slack for old and mirror-specific ones. */
const USER = /^[A-Za-z0-9_]{1,50}$/;
/** A post has at most four media; `/photo/<n>` and `/video/<n>` count from 1. */
const ITEM = /^[1-4]$/;

interface Post {
  readonly id: string;
  /** The one item `/photo/<n>` or `/video/<n>` points at (0-based), or null for all. */
  readonly item: number | null;
}

/**
 * The `token` the syndication endpoint expects, as X's embed script computes it: the id over
 * 10^15 times π, in base 36, without its zeros and its point. Computed on a double like the
 * script does, so the precision lost on 19-digit ids is part of the formula.
 */
export function syndicationToken(id: string): string {
  return ((Number(id) / 1e15) * Math.PI).toString(36).replace(/(0+|\.)/g, '');
}

const variant = z.object({ bitrate: z.number().optional(), content_type: z.string(), url: z.string() });
const mediaDetail = z.object({
  type: z.string(),
  media_url_https: z.string(),
  ext_alt_text: z.string().nullish(),
  video_info: z.object({ variants: z.array(variant) }).optional(),
});
const tweetSchema = z.discriminatedUnion('__typename', [
  z.object({
    __typename: z.literal('Tweet'),
    user: z.object({ name: z.string().nullish(), screen_name: z.string() }),
    mediaDetails: z.array(mediaDetail).optional(),
  }),
  z.object({
    __typename: z.literal('TweetTombstone'),
    tombstone: z.object({ text: z.object({ text: z.string() }).partial().optional() }).partial().optional(),
  }),
]);

/**
 * Posts on X (Twitter), through the syndication endpoint X's own embed widget reads
 * (`cdn.syndication.twimg.com/tweet-result`): no key, no guest token, no cookies. It answers
 * for public posts only; age-restricted and protected posts come back as a tombstone.
 */
export const twitter = defineResolver<Post>({
  id: 'twitter',
  label: 'X',
  samples: [
    'https://x.com/PopCrave/status/1816260887147114696',
    'https://twitter.com/X/status/1697304622749086011',
    'https://vxtwitter.com/dustbin_nie/status/1624596567188717568',
    'https://x.com/PopCrave/status/1815960083475423235/photo/1',
  ],
  match(url) {
    if (!isWeb(url) || !onDomain(url, HOSTS)) return null;
    const parts = segments(url);
    // /<user>/status/<id>, and the user-less /i/web/status/<id> and /i/status/<id>.
    const at = parts[0] === 'i' && parts[1] === 'web' ? 2 : 1;
    if (parts[at] !== 'status' || (at === 1 && !token(parts[0], USER))) return null;
    const id = token(parts[at + 1], POST_ID);
    if (!id) return null;
    const rest = parts.slice(at + 2);
    if (rest.length === 0) return { id, item: null };
    // /photo/<n> and /video/<n> open one item of the post in X's media viewer.
    if (rest.length === 2 && (rest[0] === 'photo' || rest[0] === 'video') && token(rest[1], ITEM)) {
      return { id, item: Number(rest[1]) - 1 };
    }
    return null;
  },
  async resolve({ id, item }, context) {
    const api = new URL(SYNDICATION);
    api.searchParams.set('id', id);
    api.searchParams.set('lang', 'en');
    api.searchParams.set('token', syndicationToken(id));
    const answer = await fetchJson(
      context,
      {
        url: api,
        label: 'X',
        what: 'the post',
        // A post that never existed or was deleted is a bare 404; one X will not show
        // logged out is a tombstone (below).
        onStatus: (a) => (a.status === 404 ? fail('not_found', 'X says this post does not exist (or was deleted).') : undefined),
      },
      tweetSchema,
    );
    if (!answer.ok) return answer;
    const post = answer.value;
    if (post.__typename === 'TweetTombstone') return tombstoneFailure(post.tombstone?.text?.text ?? '');

    const details = post.mediaDetails ?? [];
    if (item !== null && item >= details.length) {
      return fail('not_found', `This X post has ${details.length} media item${details.length === 1 ? '' : 's'}; there is no item ${item + 1}.`);
    }
    const credit = attribution({
      author: cleanText(post.user.name) ?? post.user.screen_name,
      author_url: `https://x.com/${post.user.screen_name}`,
      source: 'X',
      page_url: `https://x.com/${post.user.screen_name}/status/${id}`,
    });
    const candidates: MediaCandidate[] = [];
    details.forEach((detail, index) => {
      if (item !== null && index !== item) return;
      const media = detail.type === 'photo' ? photo(detail.media_url_https) : video(detail.video_info?.variants ?? []);
      if (!media) return;
      // A picked item keeps its place in its name (`twitter-<id>-3`): it is one of several.
      candidates.push({ ...media, name: itemName('twitter', id, index, details.length), alt: cleanText(detail.ext_alt_text), attribution: credit });
    });
    if (candidates.length === 0 && (item !== null || details.length > 0)) {
      // Only videos without an MP4 rendition (a live broadcast's replay is HLS only).
      return fail('unsupported_type', 'X offers this video only as a stream, not as a file Intake can store.');
    }
    return found(candidates);
  },
});

/**
 * A photo at its original size. `name=orig` is refused for a few old uploads; the largest
 * named renditions stand in then. The format comes from the path (`….jpg`, `….png`).
 */
function photo(mediaUrl: string): Pick<MediaCandidate, 'url' | 'fallbacks'> | null {
  const sized = (name: string) => {
    const url = URL.parse(mediaUrl);
    if (!url) return null;
    url.searchParams.set('name', name);
    return url.href;
  };
  const [orig, ...fallbacks] = ['orig', '4096x4096', 'large'].map(sized);
  if (!orig) return null;
  return { url: orig, fallbacks: fallbacks.filter((f): f is string => f !== null) };
}

/** A video or an animated GIF (an MP4 too): its highest-bitrate MP4 variant. */
function video(variants: readonly z.infer<typeof variant>[]): Pick<MediaCandidate, 'url'> | null {
  const mp4 = variants.filter((v) => v.content_type === 'video/mp4');
  if (mp4.length === 0) return null;
  const best = mp4.reduce((a, b) => ((b.bitrate ?? 0) > (a.bitrate ?? 0) ? b : a));
  return { url: best.url };
}

/**
 * What a tombstone's text says: a post for logged-in or age-verified viewers only, or from an
 * account that limits its viewers, needs a login; any other (deleted, suspended, withheld,
 * removed for a rule) is gone as far as Intake can tell.
 */
function tombstoneFailure(text: string) {
  if (/age-restricted|adult content|limits who can view|log in|sign in|verify your age/i.test(text)) {
    return fail('login_required', 'X shows this post only to logged-in viewers (age-restricted, or the account limits who can see it).');
  }
  return fail('not_found', 'X says this post is unavailable (deleted, or from a suspended or deleted account).');
}
