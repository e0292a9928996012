import { Parser } from 'htmlparser2';
import { z } from 'zod';
import { fetchSite, isSuccess, parseJson, statusFailure } from './support/api.js';
import { BROWSER_NAVIGATION_HEADERS, BROWSER_PAGE_ACCEPT } from './support/browser.js';
import { scriptTexts, visibleText } from './support/html.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, unexpected } from './support/results.js';
import { expandShortLink } from './support/short-link.js';
import { type MediaCandidate, type ResolveContext, type ResolveFailure, defineResolver } from './types.js';

const LABEL = 'Instagram';
/** instagram.com (www., m. too), its old short domain, and the embed-fixing mirror people paste. */
const HOSTS = ['instagram.com', 'instagr.am', 'ddinstagram.com', 'd.ddinstagram.com', 'g.ddinstagram.com'];
/** Shortcodes are base64url; a private post's carries 28 more characters (see `shortcodeToMediaId`). */
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const USER = /^[A-Za-z0-9._]{1,30}$/;
/** First segments that are Instagram's own pages, never a user's name in `/<user>/p/<code>`. */
const RESERVED = new Set(['p', 'reel', 'reels', 'tv', 'share', 'stories', 'explore', 'accounts', 'direct', 'about', 'legal', 'developer']);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PRIVATE_SUFFIX = 28;

/** What the mobile API answers to: Instagram's Android app (an old version it still serves). */
const APP_HEADERS = {
  'user-agent': 'Instagram 275.0.0.27.98 Android (33/13; 280dpi; 720x1423; Xiaomi; Redmi 7; onclite; qcom; en_US; 458229237)',
  'accept-language': 'en-US',
  'x-ig-app-locale': 'en_US',
  'x-ig-device-locale': 'en_US',
  'x-ig-mapped-locale': 'en_US',
  'x-fb-http-engine': 'Liger',
  'x-fb-client-ip': 'True',
  'x-fb-server-cluster': 'True',
};
/** The web's 404 page, served with a 200 to some clients. */
const NOT_AVAILABLE = /Sorry, this page isn['’]t available/i;

type Target = { readonly kind: 'post'; readonly code: string } | { readonly kind: 'share'; readonly path: string } | { readonly kind: 'story' };

/**
 * The numeric media id a shortcode stands for (the mobile API wants the id): the shortcode is the
 * id in base 64 (`A–Z a–z 0–9 - _`). A private post's shortcode has 28 more characters after
 * the id's. Null when the code has another character.
 */
export function shortcodeToMediaId(shortcode: string): string | null {
  const code = shortcode.length > PRIVATE_SUFFIX ? shortcode.slice(0, -PRIVATE_SUFFIX) : shortcode;
  if (code === '') return null;
  let id = 0n;
  for (const char of code) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    id = id * 64n + BigInt(digit);
  }
  return id.toString();
}

/** The shortcode of a media id (`3178493740264538415` or the API's `<id>_<owner>` form), or null. */
export function mediaIdToShortcode(mediaId: string): string | null {
  const digits = /^(\d{1,40})(?:_\d{1,40})?$/.exec(mediaId)?.[1];
  if (digits === undefined) return null;
  let id = BigInt(digits);
  let code = '';
  do {
    code = ALPHABET[Number(id % 64n)]! + code;
    id /= 64n;
  } while (id > 0n);
  return code;
}

function matchTarget(url: URL): Target | null {
  if (!isWeb(url) || !onDomain(url, HOSTS)) return null;
  const parts = segments(url);
  if (parts[0] === 'share') {
    // /share/<id>, /share/p/<id>, /share/reel/<id>: opaque ids that Instagram redirects.
    const rest = parts.slice(1);
    const kind = rest.length === 2 && ['p', 'reel', 'reels', 'tv'].includes(rest[0]!) ? `${rest[0]!}/` : '';
    const id = token(rest.length === 1 ? rest[0] : kind ? rest[1] : null, CODE);
    return id ? { kind: 'share', path: `${kind}${id}` } : null;
  }
  if (parts[0] === 'stories') {
    // /stories/<user>/<id> and /stories/highlights/<id>: taken to say plainly why not.
    const ok = parts.length === 3 && token(parts[1], USER) && token(parts[2], /^\d{1,30}$/);
    return ok ? { kind: 'story' } : null;
  }
  // /<user>/p/<code> and /<user>/reel/<code> are the same posts under their owner's name.
  const owned = parts.length === 3 && !RESERVED.has(parts[0]!) && USER.test(parts[0]!) && (parts[1] === 'p' || parts[1] === 'reel');
  let rest = owned ? parts.slice(1) : parts;
  // The embed's own address (/p/<code>/embed/, …/embed/captioned/) names the post too.
  if (rest[2] === 'embed' && (rest.length === 3 || (rest.length === 4 && rest[3] === 'captioned'))) rest = rest.slice(0, 2);
  if (rest.length !== 2 || !['p', 'reel', 'reels', 'tv'].includes(rest[0]!)) return null;
  const code = token(rest[1], CODE);
  return code ? { kind: 'post', code } : null;
}

const sized = z.array(z.object({ url: z.string(), width: z.number().nullish(), height: z.number().nullish() }));
const ownerSchema = z.object({ username: z.string(), full_name: z.string().nullish() });
const mobileMedia = z.object({ image_versions2: z.object({ candidates: sized }).nullish(), video_versions: sized.nullish(), accessibility_caption: z.string().nullish() });
const mobileInfo = z.object({ items: z.array(mobileMedia.extend({ user: ownerSchema.nullish(), carousel_media: z.array(mobileMedia).nullish() })) });
const apiError = z.object({ message: z.string().nullish(), require_login: z.boolean().nullish() });

const embedNode = z.object({ is_video: z.boolean().nullish(), display_url: z.string().nullish(), video_url: z.string().nullish(), accessibility_caption: z.string().nullish() });
const embedMedia = embedNode.extend({ owner: ownerSchema.nullish(), edge_sidecar_to_children: z.object({ edges: z.array(z.object({ node: embedNode })) }).nullish() });
const embedContext = z.object({ gql_data: z.object({ shortcode_media: embedMedia.nullish() }).nullish() });

type Item = Pick<MediaCandidate, 'url' | 'alt'>;
type Owner = z.infer<typeof ownerSchema>;
/** What one step of the chain learnt: the media, or a reason with how sure it is. */
type Step =
  | { readonly kind: 'media'; readonly items: Item[]; readonly owner: Owner | null }
  | { readonly kind: 'login' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'broken' }
  | { readonly kind: 'failed'; readonly failure: ResolveFailure }
  | { readonly kind: 'odd'; readonly what: string; readonly detail: unknown };

/**
 * Instagram posts, reels and share links, keyless and best effort: the mobile API as the app
 * asks it, then the embed page (its `contextJSON`, else its one picture). Instagram refuses
 * anonymous callers often; that is `login_required`, never a stored login page.
 */
export const instagram = defineResolver<Target>({
  id: 'instagram',
  label: LABEL,
  samples: ['https://www.instagram.com/p/CvYrSgnsKjv/', 'https://www.instagram.com/reel/DFQe23tOWKz/', 'https://ddinstagram.com/p/CmCVWoIr9OH/'],
  match: matchTarget,
  async resolve(target, context) {
    if (target.kind === 'story') return fail('login_required', 'Instagram shows stories only to logged-in users, and Intake does not log in to Instagram.');
    let code: string;
    if (target.kind === 'share') {
      const expanded = await expandShare(target.path, context);
      if (!expanded.ok) return expanded;
      code = expanded.code;
    } else code = target.code;
    // The chain stops at the first step that yields media; the embed page is asked even when
    // the API refused, as the API refuses anonymous callers for posts the embed still shows.
    const mobile = await fromMobileApi(code, context);
    const step = mobile.kind === 'media' ? mobile : await fromEmbed(code, context);
    if (step.kind === 'media') {
      const { items, owner } = step;
      const credit = owner
        ? attribution({
            author: cleanText(owner.full_name) ?? owner.username,
            author_url: `https://www.instagram.com/${owner.username}/`,
            source: LABEL,
            page_url: `https://www.instagram.com/p/${code}/`,
          })
        : null;
      return found(items.map((item, index) => ({ ...item, name: itemName('instagram', code, index, items.length), attribution: credit })));
    }
    return verdict(mobile, step, context);
  },
});

/** Why there is nothing, from the API's and the embed page's answers, the surer one first. */
function verdict(mobile: Step, embed: Exclude<Step, { kind: 'media' }>, context: ResolveContext): ResolveFailure {
  if (mobile.kind === 'missing' || embed.kind === 'missing') return fail('not_found', 'Instagram says this post does not exist (or was deleted).');
  if (embed.kind === 'broken') {
    return fail('login_required', 'Instagram shows this post only on its own site: it may be private, age-restricted or removed, or its owner turned embedding off.');
  }
  if (embed.kind === 'login' || mobile.kind === 'login') {
    if (embed.kind === 'odd') context.log.warn({ detail: embed.detail }, `instagram: ${embed.what}`);
    return fail('login_required', 'Instagram shows this post only to logged-in users.');
  }
  return embed.kind === 'failed' ? embed.failure : unexpected(context, embed.what, embed.detail);
}

async function expandShare(path: string, context: ResolveContext): Promise<{ ok: true; code: string } | ResolveFailure> {
  // Instagram redirects a share link only for clients that are not browsers.
  const expanded = await expandShortLink(context, `https://www.instagram.com/share/${path}/`, LABEL, { headers: { 'user-agent': 'curl/8.5.0' } });
  if (!expanded.ok) return expanded;
  let landed: URL | null = expanded.value.url;
  // The post page may itself send an anonymous client on to the login page, naming the post.
  if (isLoginPage(landed)) landed = URL.parse(landed.searchParams.get('next') ?? '', 'https://www.instagram.com/');
  const target = landed && matchTarget(landed);
  if (target?.kind === 'post') return { ok: true, code: target.code };
  if (target?.kind === 'share') return unexpected(context, 'a share link Instagram did not redirect', { landed: landed?.href });
  return fail('no_media', 'This Instagram share link does not lead to a post or a reel.');
}

function isLoginPage(url: URL): boolean {
  return url.pathname.startsWith('/accounts/login') || url.pathname.startsWith('/challenge');
}

async function fromMobileApi(code: string, context: ResolveContext): Promise<Step> {
  const id = shortcodeToMediaId(code);
  if (id === null) return { kind: 'missing' };
  const answer = await fetchSite(context, { url: `https://i.instagram.com/api/v1/media/${id}/info/`, headers: APP_HEADERS, accept: 'application/json' });
  if (!answer.ok) return { kind: 'failed', failure: answer };
  const json = parseJson(answer.text);
  const error = apiError.safeParse(json);
  const message = (error.success && error.data.message) || '';
  if (isLoginPage(answer.url) || (error.success && error.data.require_login) || /login_required|checkpoint_required|challenge_required/.test(message)) {
    return { kind: 'login' };
  }
  // Only the API's own words: a bare 404 may as well mean the endpoint moved.
  if (/not found|does not exist|invalid media/i.test(message)) return { kind: 'missing' };
  if (answer.status === 401 || answer.status === 403) return { kind: 'login' };
  if (!isSuccess(answer.status)) return { kind: 'failed', failure: statusFailure(answer.status, LABEL) };
  const info = mobileInfo.safeParse(json);
  const post = info.success ? info.data.items[0] : undefined;
  if (info.success && !post) return { kind: 'missing' };
  const items = post && (post.carousel_media?.length ? post.carousel_media : [post]).map(mobileItem);
  if (!post || !items || items.some((item) => item === null)) {
    // Not final: the embed page may still read; the operator hears of it anyway.
    context.log.warn({ status: answer.status, issues: info.error?.issues.slice(0, 5) }, 'instagram: the media info has an unexpected shape');
    return { kind: 'odd', what: 'the media info', detail: null };
  }
  return { kind: 'media', items: items.filter((item) => item !== null), owner: post.user ?? null };
}

/** A video as its largest rendition, a picture as its first candidate (the API lists largest first). */
function mobileItem(media: z.infer<typeof mobileMedia>): Item | null {
  const videos = media.video_versions ?? [];
  const video = videos.reduce<(typeof videos)[number] | undefined>((best, v) => (!best || area(v) > area(best) ? v : best), undefined);
  const url = video?.url ?? media.image_versions2?.candidates[0]?.url;
  return url ? { url, alt: cleanText(media.accessibility_caption) } : null;
}

function area(size: { width?: number | null; height?: number | null }): number {
  return (size.width ?? 0) * (size.height ?? 0);
}

async function fromEmbed(code: string, context: ResolveContext): Promise<Step> {
  // Reels too are embedded under /p/; /reel/<code>/embed/ is an empty shell.
  const url = `https://www.instagram.com/p/${code}/embed/captioned/`;
  const answer = await fetchSite(context, { url, headers: BROWSER_NAVIGATION_HEADERS, accept: BROWSER_PAGE_ACCEPT, maxBytes: 3 * 1024 * 1024, truncate: true });
  if (!answer.ok) return { kind: 'failed', failure: answer };
  if (isLoginPage(answer.url)) return { kind: 'login' };
  if (answer.status === 404 || answer.status === 410) return { kind: 'missing' };
  if (!isSuccess(answer.status)) return { kind: 'failed', failure: statusFailure(answer.status, LABEL) };
  const media = embedContext.safeParse(contextJson(answer.text) ?? {});
  const post = media.success ? media.data.gql_data?.shortcode_media : null;
  if (post) {
    const nodes = post.edge_sidecar_to_children?.edges.map((edge) => edge.node) ?? [post];
    // A video the embed will not play (`video_blocked`) comes without its URL.
    if (nodes.some((node) => node.is_video && !node.video_url)) return { kind: 'login' };
    const items = nodes.map((node) => (node.is_video ? node.video_url : node.display_url));
    if (items.every((url) => url)) {
      return { kind: 'media', items: nodes.map((node, i) => ({ url: items[i]!, alt: cleanText(node.accessibility_caption) })), owner: post.owner ?? null };
    }
  }
  const page = readEmbedPage(answer.text);
  if (page.missing) return { kind: 'missing' };
  if (page.broken) return { kind: 'broken' };
  // A single picture's embed carries no data, only the picture: its alt is boilerplate
  // ("Instagram post shared by @…"). A carousel's or a video's picture is not the media.
  if (page.image && (page.type === null || page.type === 'GraphImage')) {
    return { kind: 'media', items: [{ url: page.image, alt: null }], owner: page.username ? { username: page.username } : null };
  }
  return { kind: 'odd', what: 'the embed page has no media data', detail: { status: answer.status, type: page.type, context: media.success ? 'empty' : media.error.issues.slice(0, 5) } };
}

/** The embed's `contextJSON`: a JSON string inside the page's script, holding JSON. */
function contextJson(html: string): unknown {
  const key = '"contextJSON":"';
  for (const text of scriptTexts(html, () => true)) {
    const start = text.indexOf(key);
    if (start < 0) continue;
    const from = start + key.length - 1;
    for (let i = from + 1; i < text.length; i += 1) {
      if (text[i] === '\\') i += 1;
      else if (text[i] === '"') {
        const inner = parseJson(text.slice(from, i + 1));
        return typeof inner === 'string' ? parseJson(inner) : undefined;
      }
    }
  }
  return undefined;
}

/** What the embed page's markup shows: its picture, owner, media type, or a notice that there is none. */
function readEmbedPage(html: string): { image: string | null; username: string | null; type: string | null; broken: boolean; missing: boolean } {
  const page = { image: null as string | null, username: null as string | null, type: null as string | null, broken: false, missing: false };
  let name: string[] | null = null;
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        const classes = (attributes.class ?? '').split(/\s+/);
        if (classes.includes('EmbedBrokenMedia')) page.broken = true;
        if (classes.includes('Embed') && attributes['data-media-type']) page.type ??= attributes['data-media-type'];
        if (tag === 'img' && classes.includes('EmbeddedMediaImage') && attributes.src) page.image ??= attributes.src;
        if (classes.includes('UsernameText') && page.username === null) name = [];
      },
      ontext(text) {
        name?.push(text);
      },
      onclosetag() {
        if (name === null) return;
        page.username = token(cleanText(name.join('')), USER);
        name = null;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  // The notice is read in the page's text only: scripts carry the same words as translations.
  page.missing = NOT_AVAILABLE.test(visibleText(html));
  return page;
}
