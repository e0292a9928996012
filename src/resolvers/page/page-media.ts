import { Parser } from 'htmlparser2';
import type { Attribution, MediaCandidate } from '../types.js';
import { cleanText, jsonLdMedia } from './json-ld.js';

/**
 * What a downloaded HTML page says its media is. The fallback for any page no site resolver
 * takes: storing the media the page points at, never the page itself.
 */
export interface PageMedia {
  /**
   * What to import: every candidate of the first source that found any (JSON-LD, then video
   * tags, then all og:image, then twitter:image, then image_src). A page's poster image or its
   * Twitter crop is not stored beside the video or picture it stands for.
   */
  readonly best: MediaCandidate[];
  /** Media found on the page, best first within each kind, in page order, deduplicated by absolute URL. */
  readonly candidates: MediaCandidate[];
  /** oEmbed endpoints the page advertises (absolute URLs), JSON first; the caller may fetch one. */
  readonly oembed: string[];
  /** og:site_name / og:title, for names and attribution. */
  readonly title: string | null;
  readonly siteName: string | null;
}

/** More is a gallery or a hostile page; the first 20 in priority order are the ones worth having. */
const MAX_CANDIDATES = 20;
const MAX_OEMBED = 10;
/** Longer "URLs" in a meta tag are junk (data: URIs are dropped anyway); real ones stay far below. */
const MAX_URL_LENGTH = 8192;
/** Used only when `og:video:type` is absent: a player page has no such extension. */
const VIDEO_EXTENSION = /\.(?:mp4|m4v|webm|mov|ogv|mkv)$/i;

/** The tags a page's media is declared in, in page order; everything else is skipped while parsing. */
interface Scan {
  base: string | null;
  readonly metas: { readonly key: string; readonly content: string }[];
  readonly imageSrc: string[];
  readonly oembedJson: string[];
  readonly oembedXml: string[];
  readonly jsonLd: string[];
  htmlTitle: string | null;
}

/** One `og:image` or `og:video` with the structured properties that follow it (OGP "arrays"). */
interface OgGroup {
  url: string | null;
  secure: string | null;
  alt: string | null;
  type: string | null;
}

/**
 * Reads a page's media declarations; pure, never throws, linear in the page size.
 *
 * - URLs resolve against the first `<base href>` (itself resolved against `pageUrl`; an
 *   unusable base is ignored), else `pageUrl`. Only `http:`/`https:` results are kept
 *   (`data:`, `javascript:`, … are dropped), fragments are removed, and a URL naming the page
 *   itself is dropped: storing the HTML instead of its media is what this module exists to stop.
 * - Attribute values arrive with HTML entities decoded by the parser (`&amp;` → `&`).
 * - Meta tags are read from `property` or `name` (any case; RDFa's space-separated
 *   `property="og:image twitter:image"` counts for both), value from `content` (or the `value`
 *   some old Twitter-card markup uses).
 * - Priority: JSON-LD `ImageObject`/`VideoObject` (see `jsonLdMedia`), then `og:video` when its
 *   type is `video/*` (or absent and the URL has a video extension; Flash and `text/html`
 *   players are pages, not media), then `twitter:player:stream` (never `twitter:player`, an
 *   iframe page), then every `og:image` in page order, then `twitter:image`, then
 *   `<link rel="image_src">`. `<img>` tags are not scanned: icons, ads and avatars outnumber
 *   the one picture that matters.
 * - Deduplicated by absolute URL: the first occurrence wins and takes the alt of a later one
 *   when it had none. At most `MAX_CANDIDATES`.
 */
export function readPageMedia(html: string, pageUrl: URL): PageMedia {
  const scan = scanHtml(html);
  const base = baseUrl(scan.base, pageUrl);
  const page = withoutHash(pageUrl);
  const found = new Candidates(base, page);

  // Where each source's new candidates end in the deduplicated list.
  const boundaries: number[] = [];
  const mark = () => boundaries.push(found.list().length);
  for (const media of jsonLdMedia(scan.jsonLd)) found.add(media.url, media.alt);
  mark();

  const og = readMetas(scan.metas);
  for (const video of og.videos) {
    const url = preferHttps(resolve(video.url, base), resolve(video.secure, base));
    if (url && isVideo(video.type, url)) found.addUrl(url, null);
  }
  for (const stream of og.streams) found.add(stream, null);
  mark();
  for (const image of og.images) found.addUrl(preferHttps(resolve(image.url, base), resolve(image.secure, base)), image.alt);
  // Twitter cards carry one image; its alt pairs by position, whichever tag comes first.
  mark();
  og.twitterImages.forEach((url, index) => found.add(url, og.twitterAlts[index] ?? null));
  mark();
  for (const href of scan.imageSrc) found.add(href, null);
  mark();

  const all = found.list();
  let start = 0;
  let best: MediaCandidate[] = [];
  for (const end of boundaries) {
    if (end > start) {
      best = all.slice(start, end);
      break;
    }
    start = end;
  }

  return {
    best,
    candidates: all,
    oembed: endpoints([...scan.oembedJson, ...scan.oembedXml], base),
    title: og.title ?? og.twitterTitle ?? scan.htmlTitle,
    siteName: og.siteName,
  };
}

/**
 * The media an oEmbed answer names: a `photo` gives its `url`; `video`/`rich` only have an
 * iframe `html`, so their `thumbnail_url` is the best file there is; `link` gives nothing.
 * `author_name`/`author_url`/`provider_name` become the attribution. Unknown shapes give [].
 */
export function oembedCandidates(json: unknown, pageUrl: URL): MediaCandidate[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const answer = json as Record<string, unknown>;
  const type = text(answer, 'type')?.trim().toLowerCase();
  const key = type === 'photo' ? 'url' : type === 'video' || type === 'rich' ? 'thumbnail_url' : null;
  if (key === null) return [];
  const page = withoutHash(pageUrl);
  const url = resolve(text(answer, key), page);
  if (!url) return [];
  const author = cleanText(text(answer, 'author_name'));
  const authorUrl = resolve(text(answer, 'author_url'), page)?.href ?? null;
  const source = cleanText(text(answer, 'provider_name'));
  const attribution: Attribution | null =
    author === null && authorUrl === null && source === null ? null : { author, author_url: authorUrl, source, page_url: page.href };
  return [{ url: url.href, alt: null, attribution }];
}

function scanHtml(html: string): Scan {
  const scan: Scan = { base: null, metas: [], imageSrc: [], oembedJson: [], oembedXml: [], jsonLd: [], htmlTitle: null };
  // Text is captured only inside a JSON-LD script or the first <title>; everything else is skipped.
  let capture: { readonly tag: 'script' | 'title'; readonly chunks: string[] } | null = null;
  let sawTitle = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        switch (name) {
          case 'base':
            if (scan.base === null && attributes.href !== undefined) scan.base = attributes.href;
            break;
          case 'meta': {
            const content = attributes.content ?? attributes.value;
            if (content === undefined) break;
            const keys = new Set(`${attributes.property ?? ''} ${attributes.name ?? ''}`.toLowerCase().split(/\s+/));
            keys.delete('');
            for (const key of keys) scan.metas.push({ key, content });
            break;
          }
          case 'link': {
            const href = attributes.href;
            if (href === undefined) break;
            const rel = (attributes.rel ?? '').toLowerCase().split(/\s+/);
            const type = mimeOf(attributes.type);
            if (rel.includes('image_src')) scan.imageSrc.push(href);
            // The spec says rel="alternate"; the type alone is unambiguous, and some sites omit the rel.
            if (type === 'application/json+oembed') scan.oembedJson.push(href);
            else if (type === 'text/xml+oembed' || type === 'application/xml+oembed') scan.oembedXml.push(href);
            break;
          }
          case 'script':
            if (mimeOf(attributes.type) === 'application/ld+json') capture = { tag: 'script', chunks: [] };
            break;
          case 'title':
            if (!sawTitle) capture = { tag: 'title', chunks: [] };
            sawTitle = true;
            break;
        }
      },
      ontext(data) {
        capture?.chunks.push(data);
      },
      onclosetag(name) {
        if (capture === null || capture.tag !== name) return;
        if (capture.tag === 'script') scan.jsonLd.push(capture.chunks.join(''));
        else scan.htmlTitle = cleanText(capture.chunks.join(''));
        capture = null;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return scan;
}

interface MetaReading {
  readonly images: OgGroup[];
  readonly videos: OgGroup[];
  readonly streams: string[];
  readonly twitterImages: string[];
  readonly twitterAlts: string[];
  readonly title: string | null;
  readonly twitterTitle: string | null;
  readonly siteName: string | null;
}

/**
 * Groups OGP structured properties: `og:image:secure_url`, `:alt`, `:type` belong to the
 * latest `og:image` (resp. `og:video`). `og:image:url` is a synonym of `og:image`: it starts a
 * new image unless it repeats the current one (`og:image` then `og:image:url`, same URL) or
 * fills an item begun by a lone `:secure_url`.
 */
function readMetas(metas: Scan['metas']): MetaReading {
  const images: OgGroup[] = [];
  const videos: OgGroup[] = [];
  const reading = { images, videos, streams: [] as string[], twitterImages: [] as string[], twitterAlts: [] as string[] };
  let title: string | null = null;
  let twitterTitle: string | null = null;
  let siteName: string | null = null;
  for (const { key, content } of metas) {
    const [, kind, property] = /^og:(image|video)(?::(url|secure_url|alt|type))?$/.exec(key) ?? [];
    if (kind === 'image' || kind === 'video') {
      const groups = kind === 'image' ? images : videos;
      const current = groups.at(-1);
      if (property === undefined) {
        groups.push({ url: content, secure: null, alt: null, type: null });
      } else if (property === 'url') {
        if (current && (current.url === null || current.url === content)) current.url = content;
        else groups.push({ url: content, secure: null, alt: null, type: null });
      } else if (property === 'secure_url') {
        if (current && current.secure === null) current.secure = content;
        else groups.push({ url: null, secure: content, alt: null, type: null });
      } else if (current) {
        // Only the first alt/type of an item counts; a repeated one without a new og:image is noise.
        if (property === 'alt') current.alt ??= cleanText(content);
        else current.type ??= mimeOf(content);
      }
      continue;
    }
    switch (key) {
      case 'twitter:player:stream':
        reading.streams.push(content);
        break;
      case 'twitter:image':
      case 'twitter:image:src':
        reading.twitterImages.push(content);
        break;
      case 'twitter:image:alt':
        reading.twitterAlts.push(content);
        break;
      case 'og:title':
        title ??= cleanText(content);
        break;
      case 'twitter:title':
        twitterTitle ??= cleanText(content);
        break;
      case 'og:site_name':
        siteName ??= cleanText(content);
        break;
    }
  }
  return { ...reading, title, twitterTitle, siteName };
}

/** Candidates in the order added, one per absolute URL. */
class Candidates {
  private readonly byUrl = new Map<string, { url: string; alt: string | null }>();

  constructor(
    private readonly base: URL,
    private readonly page: URL,
  ) {}

  add(raw: string | null, alt: string | null): void {
    this.addUrl(resolve(raw, this.base), alt);
  }

  addUrl(url: URL | null, alt: string | null): void {
    if (url === null || url.href === this.page.href) return;
    const cleanAlt = cleanText(alt);
    const seen = this.byUrl.get(url.href);
    if (seen) seen.alt ??= cleanAlt;
    else if (this.byUrl.size < MAX_CANDIDATES) this.byUrl.set(url.href, { url: url.href, alt: cleanAlt });
  }

  list(): MediaCandidate[] {
    return [...this.byUrl.values()].map(({ url, alt }) => ({ url, alt }));
  }
}

/** An absolute `http:`/`https:` URL without its fragment, or null for anything else. */
function resolve(raw: string | null | undefined, base: URL): URL | null {
  const trimmed = raw?.trim();
  // An empty value would resolve to the base itself: the page, not its media.
  if (!trimmed || trimmed.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return withoutHash(url);
}

function withoutHash(url: URL): URL {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy;
}

/** `<base href>` counts only if it is itself a usable web URL (a `data:` base would poison every link). */
function baseUrl(href: string | null, pageUrl: URL): URL {
  return resolve(href, pageUrl) ?? pageUrl;
}

/** The same image under `og:image` and `og:image:secure_url`: the https one, else whichever exists. */
function preferHttps(url: URL | null, secure: URL | null): URL | null {
  if (url?.protocol === 'https:') return url;
  if (secure?.protocol === 'https:') return secure;
  return url ?? secure;
}

function isVideo(type: string | null, url: URL): boolean {
  if (type !== null) return type.startsWith('video/');
  return VIDEO_EXTENSION.test(url.pathname);
}

/** `Video/MP4; codecs=…` → `video/mp4`. */
function mimeOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const mime = value.split(';', 1)[0]?.trim().toLowerCase();
  return mime ? mime : null;
}

function endpoints(hrefs: readonly string[], base: URL): string[] {
  const out = new Set<string>();
  for (const href of hrefs) {
    const url = resolve(href, base);
    if (url && out.size < MAX_OEMBED) out.add(url.href);
  }
  return [...out];
}

function text(record: Record<string, unknown>, key: string): string | null {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' ? value : null;
}
