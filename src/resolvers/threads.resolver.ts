import { z } from 'zod';
import { fetchSite, isSuccess, parseJson, statusFailure } from './support/api.js';
import { BROWSER_NAVIGATION_HEADERS, BROWSER_PAGE_ACCEPT } from './support/browser.js';
import { scriptTexts, visibleText } from './support/html.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, unexpected } from './support/results.js';
import { type Attribution, type MediaCandidate, defineResolver } from './types.js';

const LABEL = 'Threads';
const HOSTS = ['threads.com', 'threads.net'];
const USER = /^[A-Za-z0-9._]{1,30}$/;
/** Threads posts use Instagram's shortcodes. */
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
/** Pages hold a few MB of data; the post's own comes first, replies after. */
const PAGE_MAX_BYTES = 8 * 1024 * 1024;
/** A bound on the walk through a page's data, whatever its shape. */
const MAX_NODES = 2_000_000;
/** Quoted and linked posts are followed this deep for media of their own. */
const MAX_DEPTH = 2;

/**
 * A browser's navigation: without the whole set Threads answers a logged-out shell with no
 * data in it.
 */
/** A first visit, never served from a cache: Threads answers anything less with a logged-out shell. */
const NAVIGATION_HEADERS = { ...BROWSER_NAVIGATION_HEADERS, 'cache-control': 'no-cache', pragma: 'no-cache', priority: 'u=0, i' };
const NOT_AVAILABLE = /Sorry, this page isn(?:'|’)t available|This (?:post|thread) is unavailable/i;

interface Target {
  readonly user: string;
  readonly code: string;
}

const versions = z.array(z.object({ url: z.string() }));
const media = z.object({
  media_type: z.number().nullish(),
  image_versions2: z.object({ candidates: versions }).nullish(),
  video_versions: versions.nullish(),
  accessibility_caption: z.string().nullish(),
});
const rendition = z.object({ url: z.string() }).nullish();
const postSchema = media.extend({
  code: z.string(),
  user: z.object({ username: z.string(), full_name: z.string().nullish() }),
  carousel_media: z.array(media).nullish(),
  giphy_media_info: z.object({ images: z.object({ original: rendition, fixed_height: rendition }) }).nullish(),
  text_post_app_info: z
    .object({
      linked_inline_media: z.unknown(),
      share_info: z.object({ quoted_attachment_post: z.unknown(), reposted_post: z.unknown() }).nullish(),
    })
    .nullish(),
});
type Post = z.infer<typeof postSchema>;

/**
 * Threads posts, keyless and best effort: the post page, asked for as a browser would, carries
 * the post in its `data-sjs` JSON (with its parents and replies). Pictures, videos, carousels
 * and GIFs; a post without media of its own gives those of the post it quotes.
 */
export const threads = defineResolver<Target>({
  id: 'threads',
  label: LABEL,
  samples: [
    'https://www.threads.com/@soren.iverson/post/C8PdJ59pMLr',
    'https://www.threads.net/@zuck/post/CzecNnZPaxr',
    'https://www.threads.com/@snazzahguy/post/C8Q7UZDseWz/media',
  ],
  match(url) {
    if (!isWeb(url) || !onDomain(url, HOSTS)) return null;
    // /@<user>/post/<code>, and /media after it (the media viewer).
    const parts = segments(url);
    if (!(parts.length === 3 || (parts.length === 4 && parts[3] === 'media')) || parts[1] !== 'post' || !parts[0]!.startsWith('@')) return null;
    const user = token(parts[0]!.slice(1), USER);
    const code = token(parts[2], CODE);
    return user && code ? { user, code } : null;
  },
  async resolve({ user, code }, context) {
    const answer = await fetchSite(context, {
      url: `https://www.threads.com/@${user}/post/${code}/`,
      headers: NAVIGATION_HEADERS,
      accept: BROWSER_PAGE_ACCEPT,
      maxBytes: PAGE_MAX_BYTES,
      truncate: true,
    });
    if (!answer.ok) return answer;
    if (/^\/(?:accounts\/)?login\b/.test(answer.url.pathname)) return fail('login_required', 'Threads shows this post only to logged-in users.');
    // Threads answers 403 as often as 429 when it limits a client.
    if (answer.status === 403 || answer.status === 429) return fail('http_error', 'Threads is limiting how often Intake may ask; try again later.');
    if (!isSuccess(answer.status)) return statusFailure(answer.status, LABEL);
    const candidates = threadPosts(answer.text);
    const raw = candidates.find((post) => (post as { code?: unknown }).code === code);
    if (raw === undefined) {
      if (NOT_AVAILABLE.test(visibleText(answer.text))) return fail('not_found', 'Threads says this post does not exist (or was deleted).');
      if (candidates.length > 0) return unexpected(context, 'a post page without the post', { posts: candidates.length });
      // No data at all: the logged-out shell Threads serves when it will not show the post.
      context.log.warn({ status: answer.status, bytes: answer.text.length }, 'threads: the post page had no post data');
      return fail('login_required', 'Threads did not show this post to a visitor who is not logged in.');
    }
    const post = postSchema.safeParse(raw);
    if (!post.success) return unexpected(context, 'the post has an unexpected shape', { issues: post.error.issues.slice(0, 10) });
    const items = postMedia(post.data, 0);
    if (items === null) return unexpected(context, 'a picture or video without media', { code });
    return found(items.map((item, index) => ({ ...item, name: itemName('threads', code, index, items.length) })));
  },
});

type Item = Pick<MediaCandidate, 'url' | 'alt' | 'attribution'>;

/** The post's media in order; those of a quoted or linked post when it has none; null when unreadable. */
function postMedia(post: Post, depth: number): Item[] | null {
  const credit = attribution({
    author: cleanText(post.user.full_name) ?? post.user.username,
    author_url: `https://www.threads.com/@${post.user.username}`,
    source: LABEL,
    page_url: `https://www.threads.com/@${post.user.username}/post/${post.code}`,
  });
  const gif = post.giphy_media_info?.images;
  const gifUrl = gif?.original?.url ?? gif?.fixed_height?.url;
  if (gifUrl) return [{ url: gifUrl, alt: null, attribution: credit }];
  if (post.carousel_media?.length) {
    const items = post.carousel_media.map((item) => mediaItem(item, credit));
    return items.some((item) => item === null) ? null : items.filter((item) => item !== null);
  }
  const own = mediaItem(post, credit);
  if (own) return [own];
  // A post that says it is a picture or a video (media_type 1, 2) and shows none is unreadable;
  // a text post (19) may quote or link one that has media.
  if (post.media_type === 1 || post.media_type === 2) return null;
  if (depth >= MAX_DEPTH) return [];
  const info = post.text_post_app_info;
  for (const inner of [info?.linked_inline_media, info?.share_info?.quoted_attachment_post, info?.share_info?.reposted_post]) {
    const parsed = postSchema.safeParse(inner);
    if (!parsed.success) continue;
    const items = postMedia(parsed.data, depth + 1);
    if (items === null || items.length > 0) return items;
  }
  return [];
}

/**
 * A video as its first version (they are one file at several addresses), a picture as its first
 * candidate (largest first). A video without versions is not replaced by its cover.
 */
function mediaItem(item: z.infer<typeof media>, credit: Attribution): Item | null {
  const url = item.video_versions?.[0]?.url ?? (item.media_type === 2 ? undefined : item.image_versions2?.candidates[0]?.url);
  return url ? { url, alt: cleanText(item.accessibility_caption), attribution: credit } : null;
}

/** Every `thread_items[].post` in the page's `data-sjs` JSON: the post, its parents, its replies. */
function threadPosts(html: string): unknown[] {
  const posts: unknown[] = [];
  let visited = 0;
  for (const text of scriptTexts(html, (a) => a.type === 'application/json' && a['data-sjs'] !== undefined)) {
    const stack: unknown[] = [parseJson(text)];
    while (stack.length > 0 && visited < MAX_NODES) {
      visited += 1;
      const value = stack.pop();
      if (value === null || typeof value !== 'object') continue;
      const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
      const items = (value as { thread_items?: unknown }).thread_items;
      if (Array.isArray(items)) {
        for (const item of items as unknown[]) {
          const post = item !== null && typeof item === 'object' ? (item as { post?: unknown }).post : undefined;
          if (post !== null && typeof post === 'object') posts.push(post);
        }
      }
      for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]);
    }
  }
  return posts;
}
