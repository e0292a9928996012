import { z } from 'zod';
import { fetchSite, isSuccess, statusFailure } from './support/api.js';
import { jsonScriptById } from './support/html.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { expandShortLink } from './support/short-link.js';
import { attribution, cleanText, fail, found, itemName, unexpected } from './support/results.js';
import { type ResolveContext, type ResolveResult, defineResolver } from './types.js';

/**
 * Tenor GIF pages, keyless: Tenor's API was shut down in 2026, but its pages still carry the
 * data they are built from in `<script id="store-cache">` (what gallery-dl reads), with every
 * rendition of the GIF (`media_formats`) and its description. The GIF itself is preferred: it is
 * what people share Tenor links for; the MP4 and other renditions are its fallbacks.
 */

const LABEL = 'Tenor';
const SITE = 'https://tenor.com';
/** `/view/<slug>-<id>` (also with `.gif`, the form some apps share); the id is numeric. */
const VIEW = /^(?:[^/?#]{1,300}-)?(\d{1,25})(?:\.gif)?$/u;
const ID = /^\d{1,25}$/;
/** `tenor.com/<code>.gif`: the share link of the mobile keyboards. */
const SHORT = /^([A-Za-z0-9]{2,20})\.gif$/;
/** `/de/view/…`, `/en-GB/view/…`. */
const LOCALE = /^[a-z]{2}(?:-[a-z]{2})?$/i;
/** Where Tenor's files are (`media.tenor.com`, `media1.tenor.com`, the older `c.tenor.com`). */
const MEDIA_HOST = /^(?:media\d*|c)\.tenor\.com$/;
/** Renditions by preference: the full GIF, a smaller GIF, then the video forms of the same loop. */
const FORMATS = ['gif', 'mediumgif', 'mp4', 'webm', 'webp'] as const;

interface View {
  readonly kind: 'view';
  readonly id: string;
  /** The last path segment without `.gif`. */
  readonly slug: string;
}
type Link = View | { readonly kind: 'short'; readonly code: string };

const storeSchema = z.object({
  gifs: z.object({ byId: z.record(z.string(), z.object({ results: z.array(z.unknown()).optional() })) }),
});

const resultSchema = z.object({
  id: z.string(),
  itemurl: z.string().nullish(),
  content_description: z.string().nullish(),
  media_formats: z.record(z.string(), z.object({ url: z.string(), dims: z.array(z.number()).optional() })),
  user: z.object({ username: z.string().nullish(), partnername: z.string().nullish(), url: z.string().nullish() }).nullish(),
});

const withId = z.object({ id: z.string() });

function matchView(url: URL): View | null {
  const parts = segments(url);
  const rest = parts.length === 3 && LOCALE.test(parts[0]!) ? parts.slice(1) : parts;
  if (rest.length !== 2 || rest[0] !== 'view') return null;
  const slug = rest[1]!;
  const id = token(VIEW.exec(slug)?.[1], ID);
  return id ? { kind: 'view', id, slug: slug.replace(/\.gif$/, '') } : null;
}

/** Tenor GIF pages (`tenor.com/view/<slug>-<id>`, localised ones) and `tenor.com/<code>.gif` share links. */
export const tenor = defineResolver<Link>({
  id: 'tenor',
  label: LABEL,
  samples: [
    'https://tenor.com/view/moving-gif-8525772382434057283',
    'https://tenor.com/ja/view/moving-gif-8525772382434057283',
    'https://tenor.com/kjYh53rdMGt.gif',
  ],
  match(url) {
    if (!isWeb(url) || !onDomain(url, ['tenor.com'])) return null;
    const parts = segments(url);
    const code = parts.length === 1 ? token(SHORT.exec(parts[0]!)?.[1], /^[A-Za-z0-9]{2,20}$/) : null;
    return code ? { kind: 'short', code } : matchView(url);
  },
  resolve(link, context) {
    return link.kind === 'view' ? fromView(link.id, link.slug, context) : fromShortLink(link.code, context);
  },
});

async function fromShortLink(code: string, context: ResolveContext): Promise<ResolveResult> {
  const short = `${SITE}/${code}.gif`;
  const expanded = await expandShortLink(context, short, LABEL);
  if (!expanded.ok) return expanded;
  const target = expanded.value.url;
  const view = onDomain(target, ['tenor.com']) ? matchView(target) : null;
  if (view) return fromView(view.id, view.slug, context);
  // A share link may lead straight to the file; or Tenor may answer it itself.
  if (MEDIA_HOST.test(target.hostname) || target.href === short) {
    return found([{ url: target.href, name: itemName('tenor', code), alt: null, attribution: null }]);
  }
  return fail('not_found', 'This Tenor link does not lead to a GIF (it may have been removed).');
}

async function fromView(id: string, slug: string, context: ResolveContext): Promise<ResolveResult> {
  // The page without its locale: the same data, and the canonical address to credit.
  const page = `${SITE}/view/${encodeURIComponent(slug)}`;
  const answer = await fetchSite(context, { url: page, accept: 'text/html, */*;q=0.5' });
  if (!answer.ok) return answer;
  if (!isSuccess(answer.status)) return statusFailure(answer.status, LABEL);
  const data = jsonScriptById(answer.text, 'store-cache');
  if (data === undefined) return unexpected(context, 'a page without its store-cache script', { status: answer.status, url: answer.url.href });
  const store = storeSchema.safeParse(data);
  if (!store.success) return unexpected(context, 'store-cache data of an unexpected shape', { url: answer.url.href, issues: store.error.issues.slice(0, 10) });
  // The cache holds the page's GIF among others (related ones): the one with the URL's id.
  const raw = Object.values(store.data.gifs.byId)
    .flatMap((entry) => entry.results ?? [])
    .find((r) => withId.safeParse(r).data?.id === id);
  if (raw === undefined) return unexpected(context, 'store-cache data without the GIF of the page', { url: answer.url.href, id });
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success) return unexpected(context, 'a GIF of an unexpected shape', { url: answer.url.href, issues: parsed.error.issues.slice(0, 10) });
  const gif = parsed.data;
  const [url, ...fallbacks] = FORMATS.flatMap((format) => {
    const rendition = gif.media_formats[format]?.url;
    return rendition ? [rendition] : [];
  });
  if (url === undefined) return fail('no_media', 'Tenor offers no GIF or video file of this post.');
  const author = cleanText(gif.user?.partnername) ?? cleanText(gif.user?.username);
  return found([
    {
      url,
      fallbacks,
      name: itemName('tenor', gif.id),
      alt: cleanText(gif.content_description),
      attribution: author ? attribution({ author, author_url: gif.user?.url, source: LABEL, page_url: gif.itemurl ?? page }) : null,
    },
  ]);
}
