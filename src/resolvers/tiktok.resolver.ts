import { z } from 'zod';
import { fetchSite, type Got, isSuccess, parseJson, statusFailure } from './support/api.js';
import { BROWSER_USER_AGENT } from './support/browser.js';
import { scriptTexts } from './support/html.js';
import { isWeb, onDomain, segments, siteHost, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, unexpected } from './support/results.js';
import { expandShortLink } from './support/short-link.js';
import { type MediaCandidate, type ResolveContext, defineResolver } from './types.js';

/**
 * TikTok videos and photo posts, best effort: TikTok has no public API for this. The post's
 * web page carries the data it is built from in `__UNIVERSAL_DATA_FOR_REHYDRATION__`; a video is
 * its `playAddr`, which TikTok's CDN serves only with the cookies the page set (passed on as
 * the candidate's headers, which go to that host only), and a photo post is its pictures in
 * order. Short links are expanded first and must land on a TikTok post.
 */

const LABEL = 'TikTok';
const SCRIPT_ID = '__UNIVERSAL_DATA_FOR_REHYDRATION__';
/** Post ids are 19 digits today; a little room either way for older and future ones. */
const POST_ID = /^[0-9]{5,21}$/;
/** `@handle` (letters, digits, `_`, `.`); the post is found by its id whatever the handle says. */
const USER = /^@[A-Za-z0-9_.-]{0,64}$/;
const SHORT_CODE = /^[A-Za-z0-9_-]{4,24}$/;
const SHORT_HOSTS = ['vm.tiktok.com', 'vt.tiktok.com'];
/**
 * TikTok answers an anonymous client that does not look like a browser with a different page
 * (or none): the page is asked with a browser's User-Agent. A short link is asked with a cut
 * one, so that TikTok answers a redirect rather than a script-driven page.
 */
const SHORT_LINK_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)';
/** The page is large (its data sits in the body); a longer one is cut and its data found broken. */
const PAGE_BYTES = 4 * 1024 * 1024;
/** Hosts that may receive the page's cookies: TikTok's own and its CDNs. */
const TIKTOK_DOMAINS = ['tiktok.com', 'tiktokcdn.com', 'tiktokcdn-us.com', 'tiktokcdn-eu.com', 'tiktokv.com', 'tiktokv.us', 'tiktokv.eu', 'ibyteimg.com'];
/** Status codes of `webapp.video-detail` that mean "private" (others mean unavailable). */
const PRIVATE_STATUS = new Set([10216, 10222]);
/** What TikTok shows instead of a post to a client it does not trust: a captcha or a sign-in. */
const WALL = /_wafchallengeid|captcha|verify-bar|tiktok-verify-page|Please wait\.\.\./i;
/** cookie-pair of RFC 6265: a token name and a value without separators or controls. */
const COOKIE_PAIR = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+=[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

type TikTokLink = { readonly kind: 'post'; readonly id: string } | { readonly kind: 'short'; readonly url: string };

const addresses = z.object({ urlList: z.array(z.string()) });
const itemSchema = z.object({
  id: z.string(),
  isContentClassified: z.boolean().optional(),
  author: z.object({ uniqueId: z.string(), nickname: z.string().nullish() }),
  video: z
    .object({
      playAddr: z.string().nullish(),
      downloadAddr: z.string().nullish(),
      bitrateInfo: z.array(z.object({ PlayAddr: z.object({ UrlList: z.array(z.string()) }).nullish() })).nullish(),
    })
    .nullish(),
  imagePost: z.object({ images: z.array(z.object({ imageURL: addresses })) }).nullish(),
});
const detailSchema = z.object({
  statusCode: z.number().optional(),
  statusMsg: z.string().optional(),
  itemInfo: z.object({ itemStruct: itemSchema }).optional(),
});
const universalSchema = z.object({ __DEFAULT_SCOPE__: z.record(z.string(), z.unknown()) });

export const tiktok = defineResolver<TikTokLink>({
  id: 'tiktok',
  label: LABEL,
  samples: [
    'https://www.tiktok.com/@fatfatmillycat/video/7195741644585454894',
    'https://www.tiktok.com/@matryoshk4/video/7231234675476532526',
    'https://m.tiktok.com/v/7195741644585454894.html',
    'https://vm.tiktok.com/ZTR45GpSF/',
  ],
  match: matchLink,
  async resolve(link, context) {
    const post = link.kind === 'post' ? { ok: true as const, value: link.id } : await expand(link.url, context);
    if (!post.ok) return post;
    const id = post.value;
    // TikTok serves any post at "/@<any handle>/video/<id>", photo posts included: the id is enough.
    const page = await fetchSite(context, {
      url: `https://www.tiktok.com/@i/video/${id}`,
      headers: { 'user-agent': BROWSER_USER_AGENT, 'accept-language': 'en-US,en;q=0.9' },
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      maxBytes: PAGE_BYTES,
      truncate: true,
    });
    if (!page.ok) return page;
    const script = scriptTexts(page.text, (a) => a.id === SCRIPT_ID)[0];
    if (script === undefined) {
      if (!isSuccess(page.status)) return statusFailure(page.status, LABEL);
      // A captcha or a sign-in instead of the post: TikTok refuses this client, not a site
      // change, so it is the user's login_required. A page that is neither is a change in
      // TikTok's pages an operator must hear of.
      if (WALL.test(page.text) || page.url.pathname.startsWith('/login')) {
        return fail('login_required', 'TikTok showed a captcha or a sign-in page instead of the post; Intake cannot pass it.');
      }
      return unexpected(context, 'a post page without its data', { status: page.status, url: page.url.href, body: page.text.slice(0, 300) });
    }
    const universal = universalSchema.safeParse(parseJson(script));
    if (!universal.success) return unexpected(context, 'page data that is not the expected JSON', { issues: universal.error.issues.slice(0, 5) });
    const scope = universal.data.__DEFAULT_SCOPE__;
    const detail = detailSchema.safeParse(scope['webapp.video-detail'] ?? scope['webapp.photo-detail']);
    if (!detail.success) return unexpected(context, 'post data of an unexpected shape', { issues: detail.error.issues.slice(0, 10) });
    const { statusCode = 0, statusMsg, itemInfo } = detail.data;
    if (statusCode !== 0) {
      if (PRIVATE_STATUS.has(statusCode) || /private/i.test(statusMsg ?? '')) return fail('login_required', 'TikTok says this post is private.');
      context.log.debug({ statusCode, statusMsg }, 'tiktok: post unavailable');
      return fail('not_found', 'TikTok says this post is not available (deleted, removed, or never there).');
    }
    if (!itemInfo) return unexpected(context, 'post data without the post', { keys: Object.keys(detail.data) });
    const item = itemInfo.itemStruct;
    if (item.isContentClassified) return fail('login_required', 'TikTok shows this post only to signed-in adults (age-restricted).');
    const cookie = cookieHeader(page.headerAll('set-cookie'));
    const headers: Record<string, string> = { referer: 'https://www.tiktok.com/', ...(cookie ? { cookie } : {}) };
    const images = item.imagePost?.images ?? [];
    const photo = images.length > 0;
    // A photo post's pictures, in order: the JPEG rendition first (others may be HEIC or WebP).
    // Its background sound is not imported (audio is not a stored type).
    const sources = photo
      ? images.map((image) => orderedUrls(image.imageURL.urlList, (u) => u.includes('.jpeg?')))
      : [orderedUrls([item.video?.playAddr, item.video?.downloadAddr, ...(item.video?.bitrateInfo ?? []).flatMap((b) => b.PlayAddr?.UrlList ?? [])], () => false)];
    const usable = sources.filter((urls) => urls.length > 0);
    const credit = attribution({
      author: cleanText(item.author.nickname) ?? item.author.uniqueId,
      author_url: `https://www.tiktok.com/@${item.author.uniqueId}`,
      source: LABEL,
      page_url: `https://www.tiktok.com/@${item.author.uniqueId}/${photo ? 'photo' : 'video'}/${id}`,
    });
    return found(usable.map((urls, index) => ({ ...withHeaders(urls, headers), name: itemName('tiktok', id, index, usable.length), alt: null, attribution: credit })));
  },
});

/** Host and path → a post id or a short link to expand. Pure. */
function matchLink(url: URL): TikTokLink | null {
  if (!isWeb(url)) return null;
  const parts = segments(url);
  if (onDomain(url, SHORT_HOSTS)) {
    const code = parts.length === 1 ? token(parts[0], SHORT_CODE) : null;
    return code ? { kind: 'short', url: `https://${siteHost(url)}/${code}/` } : null;
  }
  if (!onDomain(url, ['tiktok.com'])) return null;
  const post = (id: string | undefined): TikTokLink | null => {
    const valid = token(id, POST_ID);
    return valid ? { kind: 'post', id: valid } : null;
  };
  const [first, second, third, fourth] = parts;
  switch (parts.length) {
    case 2:
      // /t/<code> (short link), /v/<id>.html (mobile), /embed/<id>.
      if (first === 't') {
        const code = token(second, SHORT_CODE);
        return code ? { kind: 'short', url: `https://www.tiktok.com/t/${code}/` } : null;
      }
      if (first === 'v') return post(/^(\d+)\.html$/.exec(second ?? '')?.[1]);
      return first === 'embed' ? post(second) : null;
    case 3:
      // /@user/video/<id>, /@user/photo/<id>, /embed/v2/<id>, /share/video/<id>.
      if (token(first, USER) && (second === 'video' || second === 'photo')) return post(third);
      if (first === 'embed' && second === 'v2') return post(third);
      return first === 'share' && second === 'video' ? post(third) : null;
    case 4:
      return first === 'i18n' && second === 'share' && third === 'video' ? post(fourth) : null;
    default:
      return null;
  }
}

/**
 * Where a short link leads: the URL TikTok redirected to, or the link in the body TikTok
 * sometimes answers instead (`<a href="https://www.tiktok.com/@…/video/<id>?…">`). Only a
 * TikTok post is accepted.
 */
async function expand(url: string, context: ResolveContext): Promise<Got<string>> {
  const answer = await expandShortLink(context, url, LABEL, { headers: { 'user-agent': SHORT_LINK_AGENT } });
  if (!answer.ok) return answer;
  const anchor = /^\s*<a\s+href="([^"]{1,2048})"/i.exec(answer.value.text)?.[1];
  for (const landed of [answer.value.url, URL.parse(anchor?.replace(/&amp;/g, '&') ?? '')]) {
    const link = landed ? matchLink(landed) : null;
    if (link?.kind === 'post') return { ok: true, value: link.id };
  }
  return fail('not_found', 'This TikTok short link does not lead to a post (it may have expired).');
}

/** The web URLs among `urls`, deduplicated, the first that `preferred` accepts first. */
function orderedUrls(urls: readonly (string | null | undefined)[], preferred: (url: string) => boolean): string[] {
  const web = [...new Set(urls.filter((u): u is string => typeof u === 'string' && u !== ''))].filter((u) => {
    const parsed = URL.parse(u);
    return parsed !== null && isWeb(parsed);
  });
  const best = web.findIndex(preferred);
  return best > 0 ? [web[best]!, ...web.slice(0, best), ...web.slice(best + 1)] : web;
}

/**
 * A candidate whose URL gets the page's cookies and Referer only when it is on TikTok's own
 * hosts; its fallbacks are kept only on the same kind of host, as they get the same headers.
 */
function withHeaders(urls: readonly string[], headers: Readonly<Record<string, string>>): Pick<MediaCandidate, 'url' | 'fallbacks' | 'headers'> {
  const [url, ...rest] = urls as [string, ...string[]];
  const own = isTikTok(url);
  const fallbacks = rest.filter((u) => isTikTok(u) === own).slice(0, 3);
  return { url, ...(fallbacks.length > 0 ? { fallbacks } : {}), ...(own ? { headers } : {}) };
}

function isTikTok(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && onDomain(parsed, TIKTOK_DOMAINS, true);
}

/** The `Cookie` header for the page's `Set-Cookie` lines: each name once, malformed ones dropped. */
function cookieHeader(lines: readonly string[]): string | null {
  const pairs = new Map<string, string>();
  for (const line of lines) {
    const pair = (line.split(';', 1)[0] ?? '').trim();
    if (!COOKIE_PAIR.test(pair)) continue;
    pairs.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  let header = '';
  for (const pair of pairs.values()) {
    if (header.length + pair.length + 2 > 4096) break;
    header = header === '' ? pair : `${header}; ${pair}`;
  }
  return header === '' ? null : header;
}
