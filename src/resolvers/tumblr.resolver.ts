import { z } from 'zod';
import { fetchJson } from './support/api.js';
import { isWeb, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import { type Attribution, type MediaCandidate, defineResolver } from './types.js';

/**
 * Tumblr posts. With `INTAKE_TUMBLR_API_KEY` the API v2 in the Neue Post Format: the post's
 * image blocks (largest rendition, with the alt text) and Tumblr-hosted videos, reblogged
 * content included in the order the post shows it, each credited to the blog that posted it.
 * A video from another site (YouTube, …) is handed on as a link to follow. Tumblr has no API
 * without a key, so without one the post page itself is handed on: Intake then imports what
 * the page's OpenGraph tags show (usually the first picture only).
 */

const API = 'https://api.tumblr.com/v2/blog';
const BLOG = /^[A-Za-z0-9-]{1,32}$/;
const POST_ID = /^[0-9]{1,20}$/;
/** Tumblr's own hosts under tumblr.com, which are not blogs. */
const NOT_BLOGS = new Set(['www', 'api', 'api-http2', 'assets', 'static', 'media', 'embed', 'help', 'secure', 'at', 'tmblr']);
/** First path segments of www.tumblr.com that are site pages, not blog names. */
const SITE_PAGES = new Set([
  ...['blog', 'dashboard', 'explore', 'tagged', 'search', 'settings', 'likes', 'following', 'inbox', 'new'],
  ...['login', 'register', 'docs', 'policy', 'reblog', 'edit', 'communities', 'help', 'about', 'apps'],
]);

interface Post {
  readonly blog: string;
  readonly id: string;
}

const media = z.object({ url: z.string(), width: z.number().nullish(), height: z.number().nullish() });
const imageBlock = z.object({ type: z.literal('image'), media: z.array(media).min(1), alt_text: z.string().nullish() });
const videoBlock = z.object({ type: z.literal('video'), provider: z.string().nullish(), url: z.string().nullish(), media: media.nullish() });
/** Text, links, audio, polls… (Intake stores no audio). An image or video block must have its shape. */
const otherBlock = z.object({ type: z.string().refine((type) => type !== 'image' && type !== 'video') });
const block = z.union([imageBlock, videoBlock, otherBlock]);
type Block = z.infer<typeof block>;
// The union lets no image or video block through in another shape, so the type decides.
const isImage = (b: Block): b is z.infer<typeof imageBlock> => b.type === 'image';
const isVideo = (b: Block): b is z.infer<typeof videoBlock> => b.type === 'video';
const layout = z.array(z.object({ type: z.string(), display: z.array(z.object({ blocks: z.array(z.number()) })).nullish() })).nullish();
const blogRef = z.object({ name: z.string(), url: z.string().nullish() });
const postsSchema = z.object({
  response: z.object({
    posts: z.array(
      z.object({
        id_string: z.string(),
        blog_name: z.string(),
        blog: blogRef.nullish(),
        post_url: z.string().nullish(),
        content: z.array(block),
        layout,
        trail: z.array(z.object({ content: z.array(block), layout, blog: blogRef.nullish(), post: z.object({ id: z.string() }).nullish() })).nullish(),
      }),
    ),
  }),
});

export const tumblr = defineResolver<Post>({
  id: 'tumblr',
  label: 'Tumblr',
  key: { setting: 'tumblrApiKey', variable: 'INTAKE_TUMBLR_API_KEY', required: false },
  samples: [
    'https://garfield-69.tumblr.com/post/696499862852780032',
    'https://www.tumblr.com/rongzhi/707729381162958848/english-added-by-me',
    'https://at.tumblr.com/music/704177038274281472/n7x7pr7x4w2b',
  ],
  match(url) {
    if (!isWeb(url)) return null;
    const host = url.hostname.replace(/\.$/, '');
    const parts = segments(url);
    let blog: string | undefined;
    let id: string | undefined;
    if (host === 'www.tumblr.com' || host === 'tumblr.com') {
      if (parts[0] === 'blog' && parts[1] === 'view' && parts.length === 4) [, , blog, id] = parts;
      // `/<blog>/<id>` and `/<blog>/<id>/<slug>`.
      else if ((parts.length === 2 || parts.length === 3) && !SITE_PAGES.has(parts[0]!.toLowerCase())) [blog, id] = parts;
    } else if (host === 'at.tumblr.com') {
      // Share links: `at.tumblr.com/<blog>/<id>/<tracking code>`.
      if (parts.length === 2 || parts.length === 3) [blog, id] = parts;
    } else {
      const sub = /^([a-z0-9-]{1,32})\.tumblr\.com$/.exec(host)?.[1];
      if (!sub || NOT_BLOGS.has(sub)) return null;
      blog = sub;
      // `/post/<id>[/<slug>]` and the picture's own page `/image/<id>`.
      if (!((parts[0] === 'post' && (parts.length === 2 || parts.length === 3)) || (parts[0] === 'image' && parts.length === 2))) return null;
      id = parts[1];
    }
    const name = token(blog, BLOG);
    const post = token(id, POST_ID);
    return name && post ? { blog: name.toLowerCase(), id: post } : null;
  },
  async resolve({ blog, id }, context) {
    const page = `https://www.tumblr.com/${blog}/${id}`;
    const key = context.keys.tumblrApiKey;
    // No keyless API: the page is followed, and its OpenGraph media (often only the first
    // picture) are what Intake can import.
    if (!key) return found([{ url: page, follow: true }]);
    const api = new URL(`${API}/${blog}.tumblr.com/posts`);
    api.searchParams.set('id', id);
    api.searchParams.set('npf', 'true');
    api.searchParams.set('api_key', key);
    const answer = await fetchJson(
      context,
      {
        url: api,
        label: 'Tumblr',
        what: 'the post',
        onStatus: (a) => (a.status === 401 ? fail('not_configured', 'Tumblr rejected the API key in INTAKE_TUMBLR_API_KEY.') : undefined),
      },
      postsSchema,
    );
    if (!answer.ok) return answer;
    const post = answer.value.response.posts.find((p) => p.id_string === id);
    if (!post) return fail('not_found', 'Tumblr says this post does not exist (or no longer does).');

    const own = credit(post.blog_name, post.blog?.url, post.post_url ?? page);
    // Reblogged content shows above the reblogger's own, oldest first.
    const sources = [
      ...(post.trail ?? []).map((t) => ({
        blocks: ordered(t.content, t.layout),
        credit: t.blog && t.post ? credit(t.blog.name, t.blog.url, `https://www.tumblr.com/${t.blog.name}/${t.post.id}`) : own,
      })),
      { blocks: ordered(post.content, post.layout), credit: own },
    ];
    const items = sources.flatMap((s) => s.blocks.flatMap((b) => candidateOf(b, s.credit)));
    return found(items.map((item, index) => (item.follow ? item : { ...item, name: itemName('tumblr', id, index, items.length) })));
  },
});

function credit(blog: string, url: string | null | undefined, page: string): Attribution {
  return attribution({ author: blog, author_url: url ?? `https://${blog}.tumblr.com/`, source: 'Tumblr', page_url: page });
}

/** Blocks in display order: a `rows` layout may order them; blocks it leaves out follow in order. */
function ordered(content: readonly Block[], layouts: z.infer<typeof layout>): Block[] {
  const rows = layouts?.find((l) => l.type === 'rows')?.display ?? [];
  const order = [...new Set(rows.flatMap((row) => row.blocks).filter((i) => Number.isInteger(i) && i >= 0 && i < content.length))];
  for (let i = 0; i < content.length; i++) if (!order.includes(i)) order.push(i);
  return order.map((i) => content[i]!);
}

function candidateOf(b: Block, credited: Attribution): MediaCandidate[] {
  if (isImage(b)) {
    // Renditions are listed largest first, but not by contract.
    const largest = b.media.reduce((best, m) => ((m.width ?? 0) > (best.width ?? 0) ? m : best));
    return [{ url: largest.url, alt: cleanText(b.alt_text), attribution: credited }];
  }
  if (isVideo(b)) {
    if (b.media?.url) return [{ url: b.media.url, alt: null, attribution: credited }];
    // A video hosted elsewhere: its own resolver (or its page's media) takes over.
    if (b.url) return [{ url: b.url, follow: true }];
  }
  return [];
}
