import { z } from 'zod';
import { fetchSite, type Got, isSuccess, parseJson, readShape, type SiteAnswer, statusFailure } from './support/api.js';
import { isWeb, onDomain, segments, siteHost, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, unexpected } from './support/results.js';
import { expandShortLink } from './support/short-link.js';
import { type MediaCandidate, type ResolveContext, type ResolveFailure, type ResolveResult, defineResolver } from './types.js';

/**
 * Reddit posts, through the post's public JSON (`/comments/<id>.json`, no key): single
 * pictures, galleries, Reddit-hosted videos and crossposts; a link post hands its link on to
 * the other resolvers (an Imgur album) or to the page reader (an article's picture).
 * Share links (`/r/<sub>/s/<code>`) and `v.redd.it` links are expanded first.
 */

/** Post ids are base 36, lower case. */
const POST_ID = /^[a-z0-9]{1,13}$/;
const VIDEO_ID = /^[a-z0-9]{5,20}$/;
const SHARE_CODE = /^[A-Za-z0-9]{4,20}$/;
const SUBREDDIT = /^[A-Za-z0-9_]{1,64}$/;
const USER = /^[A-Za-z0-9_-]{1,64}$/;
/** Hosts whose files are the post's own media, not a page it links to. */
const MEDIA_HOSTS = new Set(['i.redd.it', 'preview.redd.it', 'i.reddituploads.com']);
/** The text of the page Reddit serves to the servers it refuses. */
const BLOCK_PAGE = /blocked by network security|whoa there, pardner|blocked due to unusual activity/i;

type Params = { readonly kind: 'post'; readonly id: string } | { readonly kind: 'redirect'; readonly url: string };

const mediaItem = z.object({
  status: z.string(),
  e: z.string().optional(),
  s: z.object({ u: z.string().optional(), gif: z.string().optional(), mp4: z.string().optional() }).optional(),
});
const redditVideo = z.object({ fallback_url: z.string() });
/** `secure_media` is also an oEmbed card of another site; only its `reddit_video` is ours. */
const mediaEmbed = z.object({ reddit_video: redditVideo.optional() }).nullish();

const basePost = z.object({
  id: z.string(),
  author: z.string().nullish(),
  permalink: z.string(),
  url: z.string().nullish(),
  url_overridden_by_dest: z.string().nullish(),
  is_self: z.boolean().optional(),
  is_gallery: z.boolean().optional(),
  removed_by_category: z.string().nullish(),
  selftext: z.string().nullish(),
  // `null` when the gallery was deleted.
  gallery_data: z.object({ items: z.array(z.object({ media_id: z.string(), caption: z.string().nullish() })) }).nullish(),
  media_metadata: z.record(z.string(), mediaItem).nullish(),
  secure_media: mediaEmbed,
  media: mediaEmbed,
});
type Post = z.infer<typeof basePost>;
const postSchema = basePost.extend({ crosspost_parent_list: z.array(basePost).nullish() });

const listingSchema = z
  .array(z.object({ kind: z.literal('Listing'), data: z.object({ children: z.array(z.object({ kind: z.string(), data: z.unknown() })) }) }))
  .min(1);

/** What Reddit's API says instead of a post: `{"message": "Forbidden", "error": 403, "reason": "private"}`. */
const apiError = z.object({ error: z.number(), message: z.string().optional(), reason: z.string().nullish() });

/** Reddit posts on reddit.com (any subdomain), `redd.it` and `v.redd.it`, share links included. */
export const reddit = defineResolver<Params>({
  id: 'reddit',
  label: 'Reddit',
  samples: [
    'https://www.reddit.com/r/lavaporn/comments/8cqhub/',
    'https://old.reddit.com/r/lavaporn/comments/2a00np/',
    'https://redd.it/2a00np',
    'https://www.reddit.com/r/analog/s/hKrTTvFVwZ',
  ],
  match: matchUrl,
  async resolve(params, context) {
    let id: string;
    if (params.kind === 'redirect') {
      const target = await expandToPost(params.url, context);
      if (!target.ok) return target;
      id = target.value;
    } else id = params.id;
    return resolvePost(id, context);
  },
});

function matchUrl(url: URL): Params | null {
  if (!isWeb(url)) return null;
  const parts = segments(url);
  const host = siteHost(url);
  if (host === 'redd.it') {
    const id = parts.length === 1 ? token(parts[0], POST_ID) : null;
    return id ? { kind: 'post', id } : null;
  }
  if (host === 'v.redd.it') {
    // A video's own id, not the post's: Reddit redirects `/video/<id>` to the post.
    const video = parts.length === 1 ? token(parts[0], VIDEO_ID) : null;
    return video ? { kind: 'redirect', url: `https://www.reddit.com/video/${video}` } : null;
  }
  if (!onDomain(url, ['reddit.com'], true)) return null;
  return matchPath(parts);
}

/** `/comments/<id>`, `/gallery/<id>`, `/video/<id>`, and under `/r/<sub>`, `/u/<user>`, `/user/<user>`. */
function matchPath(parts: readonly string[]): Params | null {
  let rest = parts;
  let owner: string | null = null;
  if (parts[0] === 'r' || parts[0] === 'u' || parts[0] === 'user') {
    const name = token(parts[1], parts[0] === 'r' ? SUBREDDIT : USER);
    if (!name) return null;
    owner = `${parts[0]}/${name}`;
    rest = parts.slice(2);
  }
  const [kind, value] = rest;
  // A post, and its comments' permalinks (`/comments/<id>/<title>/<comment>/`).
  if (kind === 'comments' && rest.length <= 5) {
    const id = token(value, POST_ID);
    return id ? { kind: 'post', id } : null;
  }
  if (rest.length !== 2) return null;
  if (kind === 'gallery' && owner === null) {
    const id = token(value, POST_ID);
    return id ? { kind: 'post', id } : null;
  }
  if (kind === 'video' && owner === null) {
    const video = token(value, VIDEO_ID);
    return video ? { kind: 'redirect', url: `https://www.reddit.com/video/${video}` } : null;
  }
  // The app's share links: a redirect to the post, with tracking the post does not need.
  if (kind === 's' && owner !== null) {
    const code = token(value, SHARE_CODE);
    return code ? { kind: 'redirect', url: `https://www.reddit.com/${owner}/s/${code}` } : null;
  }
  return null;
}

/** The post a share or video link leads to; anything else it leads to is refused. */
async function expandToPost(url: string, context: ResolveContext): Promise<Got<string>> {
  const expanded = await expandShortLink(context, url, 'Reddit');
  if (!expanded.ok) return expanded;
  const target = matchUrl(expanded.value.url);
  if (target?.kind === 'post') return { ok: true, value: target.id };
  if (BLOCK_PAGE.test(expanded.value.text)) return refused();
  if (onDomain(expanded.value.url, ['reddit.com'], true) && /^\/(?:login|account\/login)\b/.test(expanded.value.url.pathname)) {
    return fail('login_required', 'Reddit asks for a login before it shows where this link leads.');
  }
  return fail('not_found', 'This Reddit link does not lead to a post.');
}

function refused(): ResolveFailure {
  return fail(
    'login_required',
    'Reddit refused to answer this server (it blocks many servers unless they log in); try again later or from another network.',
  );
}

async function resolvePost(id: string, context: ResolveContext): Promise<ResolveResult> {
  // `raw_json=1`: URLs as they are, not HTML-escaped (`&amp;`), so signed preview links work.
  const answer = await fetchSite(context, { url: `https://www.reddit.com/comments/${id}.json?raw_json=1`, accept: 'application/json' });
  if (!answer.ok) return answer;
  const json = parseJson(answer.text);
  const error = apiError.safeParse(json);
  if (error.success) return errorFailure(error.data);
  if (!isSuccess(answer.status)) return statusFailureOf(answer);
  // A web page instead of JSON: the block page, a login wall or an age gate.
  if (json === undefined) return refused();
  const listing = readShape(context, answer, listingSchema, 'the post listing');
  if (!listing.ok) return listing;
  const child = listing.value[0]!.data.children[0];
  if (!child) return fail('not_found', 'Reddit says this post does not exist.');
  const post = postSchema.safeParse(child.data);
  if (!post.success) return unexpected(context, 'the post has an unexpected shape', { id, issues: post.error.issues.slice(0, 10) });
  const top = post.data;
  // `deleted` by its author, or removed by `moderator`, `reddit`, `copyright_takedown`, …
  if (top.removed_by_category) return fail('not_found', 'Reddit says this post was removed or deleted.');
  // A crosspost carries no media of its own: it lives on the post it shares.
  const source = top.crosspost_parent_list?.at(-1) ?? top;
  const items = postMedia(source);
  if (!items.ok) return items;
  const credit = attribution({
    author: source.author && source.author !== '[deleted]' ? `u/${source.author}` : null,
    author_url: source.author && source.author !== '[deleted]' ? `https://www.reddit.com/user/${source.author}` : null,
    source: 'Reddit',
    page_url: source.permalink.startsWith('/') ? `https://www.reddit.com${source.permalink}` : null,
  });
  const list = items.value;
  return found(
    list.map((item, index): MediaCandidate => ({
      ...item,
      // A link post's link is someone else's page: named, not credited to the poster.
      name: itemName('reddit', id, index, list.length),
      attribution: item.follow ? null : credit,
    })),
  );
}

/** Why Reddit's API refused a post, by the `reason` it gives. */
const REASONS: ReadonlyMap<string, ResolveFailure> = new Map([
  ['private', fail('login_required', 'Reddit says this community is private.')],
  ['quarantined', fail('login_required', 'Reddit shows this quarantined community only to logged-in users who opt in.')],
  ['gold_only', fail('login_required', 'Reddit shows this community only to premium members.')],
  ['banned', fail('not_found', 'Reddit says this community was banned.')],
]);

function errorFailure(error: z.infer<typeof apiError>): ResolveFailure {
  const known = error.reason ? REASONS.get(error.reason) : undefined;
  if (known) return known;
  if (error.error === 404) return fail('not_found', 'Reddit says this post does not exist.');
  if (error.error === 403) return refused();
  return statusFailure(error.error, 'Reddit');
}

function statusFailureOf(answer: SiteAnswer): ResolveFailure {
  if (answer.status === 403 || BLOCK_PAGE.test(answer.text)) return refused();
  return statusFailure(answer.status, 'Reddit');
}

type Item = Omit<MediaCandidate, 'name' | 'attribution'>;

function postMedia(post: Post): Got<Item[]> {
  if (post.is_gallery || post.gallery_data !== undefined) {
    if (!post.gallery_data) return fail('not_found', 'Reddit says this gallery was deleted.');
    const metadata = post.media_metadata ?? {};
    const items = post.gallery_data.items.flatMap((entry) => {
      const media = Object.hasOwn(metadata, entry.media_id) ? metadata[entry.media_id] : undefined;
      const item = media ? galleryItem(media) : null;
      return item ? [{ ...item, alt: cleanText(entry.caption) }] : [];
    });
    return { ok: true, value: items };
  }
  // Reddit serves its video and its sound as separate files, and `fallback_url` is the video
  // alone: Intake stores that file as it is and cannot merge the sound in, so it is silent.
  const video = post.secure_media?.reddit_video ?? post.media?.reddit_video;
  if (video) return { ok: true, value: [{ url: video.fallback_url, alt: null }] };
  const link = URL.parse(post.url_overridden_by_dest ?? post.url ?? '');
  if (link && MEDIA_HOSTS.has(link.hostname)) return { ok: true, value: [{ ...original(link.href), alt: null }] };
  if (post.is_self) return { ok: true, value: inlineMedia(post) };
  // A link to another site: the Imgur resolver takes an album, and an article gives its picture.
  if (link && isWeb(link) && !onDomain(link, ['reddit.com', 'redd.it'], true)) return { ok: true, value: [{ url: link.href, follow: true, alt: null }] };
  return { ok: true, value: [] };
}

/** One gallery item: an image, or an animated one as MP4 (the GIF if there is none). */
function galleryItem(media: z.infer<typeof mediaItem>): Pick<MediaCandidate, 'url' | 'fallbacks'> | null {
  // `failed`/`unprocessed` uploads have no file; gallery videos exist only as DASH/HLS playlists.
  if (media.status !== 'valid' || !media.s) return null;
  if (media.e === 'AnimatedImage') {
    const [first, ...rest] = [media.s.mp4, media.s.gif].filter((u): u is string => !!u);
    return first ? { url: first, ...(rest.length > 0 ? { fallbacks: rest } : {}) } : null;
  }
  if (media.e === 'Image' && media.s.u) return original(media.s.u);
  return null;
}

/**
 * `preview.redd.it` serves resized, signed copies; the same name on `i.redd.it` is the file as
 * uploaded. The preview stays as the fallback should the original be gone.
 */
function original(href: string): Pick<MediaCandidate, 'url' | 'fallbacks'> {
  const url = URL.parse(href);
  if (url?.hostname !== 'preview.redd.it') return { url: href };
  return { url: `https://i.redd.it${url.pathname}`, fallbacks: [href] };
}

/** Pictures in a text post, in the order the text shows them. */
function inlineMedia(post: Post): Item[] {
  const text = post.selftext ?? '';
  const position = (id: string) => {
    const at = text.indexOf(id);
    return at === -1 ? Number.MAX_SAFE_INTEGER : at;
  };
  return Object.entries(post.media_metadata ?? {})
    .map(([id, media]) => ({ id, item: galleryItem(media) }))
    .filter((entry): entry is { id: string; item: Pick<MediaCandidate, 'url' | 'fallbacks'> } => entry.item !== null)
    .sort((a, b) => position(a.id) - position(b.id))
    .map(({ item }) => ({ ...item, alt: null }));
}
