/** A media reference found in JSON-LD, before it is resolved against the page. */
export interface JsonLdMedia {
  readonly url: string;
  readonly alt: string | null;
}

/** Nesting we follow: real pages stay under 6; deeper is a hostile or broken document. */
const MAX_DEPTH = 16;
/** Values visited across all of a page's JSON-LD blocks, so the walk stays linear-ish. */
const MAX_NODES = 20_000;

/**
 * Types whose `image` is not the page's media: an author's avatar, a publisher's logo, a site
 * icon. Yoast puts a `Person` with a gravatar `ImageObject` in every WordPress `@graph`.
 */
const NOT_MEDIA_OWNERS = new Set(['Person', 'Brand', 'WebSite', 'Corporation', 'LocalBusiness', 'NGO']);

/** Keys of other types that lead to the page's own media, followed in the object's order. */
const FOLLOW: ReadonlyMap<string, Context> = new Map<string, Context>([
  ['@graph', 'root'],
  ['mainEntity', 'root'],
  ['associatedMedia', 'root'],
  ['image', 'image'],
  ['video', 'video'],
]);

/** What a value stands for where it was found: under `image` a bare string is an image URL. */
type Context = 'root' | 'image' | 'video';

/**
 * Media from the text of `<script type="application/ld+json">` blocks, in document order:
 * `ImageObject`/`VideoObject` anywhere at the top, in arrays or `@graph`, and the `image`/`video`
 * of other types (`Article`, `Product`, …) given as a URL string, an object or an array.
 * Malformed blocks are skipped; this never throws.
 */
export function jsonLdMedia(blocks: readonly string[]): JsonLdMedia[] {
  const out: JsonLdMedia[] = [];
  const budget = { nodes: MAX_NODES };
  for (const block of blocks) {
    const document = parseJsonLd(block);
    if (document !== undefined) walk(document, 'root', 0, budget, out);
  }
  return out;
}

/**
 * JSON.parse with the two repairs the web needs most: blocks wrapped in `<!-- … -->` or
 * CDATA for old browsers, and raw newlines or tabs inside strings (invalid JSON, common in
 * CMS templates). Anything else that does not parse is dropped.
 */
function parseJsonLd(block: string): unknown {
  const text = unwrap(block.trim());
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      // Control characters are whitespace between tokens and illegal inside strings: both become a space.
      return JSON.parse(text.replace(/[\u0000-\u001f]/g, ' ')) as unknown;
    } catch {
      return undefined;
    }
  }
}

function unwrap(text: string): string {
  let out = text;
  for (const [open, close] of [
    ['<!--', '-->'],
    ['//<![CDATA[', '//]]>'],
    ['<![CDATA[', ']]>'],
  ] as const) {
    if (out.startsWith(open)) out = out.slice(open.length);
    if (out.endsWith(close)) out = out.slice(0, -close.length);
    out = out.trim();
  }
  return out;
}

function walk(value: unknown, context: Context, depth: number, budget: { nodes: number }, out: JsonLdMedia[]): void {
  if (depth > MAX_DEPTH || budget.nodes <= 0) return;
  budget.nodes -= 1;
  if (typeof value === 'string') {
    // A bare URL counts only where the key says what it is (`"image": "https://…"`).
    if (context !== 'root') push(out, value, null);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walk(item, context, depth + 1, budget, out);
    return;
  }
  if (!isRecord(value)) return;

  const types = typesOf(value);
  const untyped = types.length === 0;
  if (types.includes('VideoObject') || (untyped && context === 'video')) {
    // `embedUrl` is a player page, never the media; the thumbnail stands in when there is no file.
    push(out, firstString(field(value, 'contentUrl')) ?? firstString(field(value, 'thumbnailUrl')), altOf(value));
    return;
  }
  if (types.includes('ImageObject') || (untyped && context === 'image')) {
    // Google's guidance lets an ImageObject name its file in `url` instead of `contentUrl`.
    push(out, firstString(field(value, 'contentUrl')) ?? firstString(field(value, 'url')), altOf(value));
    return;
  }
  if (types.some((type) => NOT_MEDIA_OWNERS.has(type) || type.endsWith('Organization'))) return;
  for (const [key, child] of Object.entries(value)) {
    const next = FOLLOW.get(key);
    if (next !== undefined) walk(child, next, depth + 1, budget, out);
  }
}

function push(out: JsonLdMedia[], url: string | null, alt: string | null): void {
  // WordPress and others HTML-escape inside JSON-LD; a literal `&amp;` in a media URL is never meant.
  if (url !== null) out.push({ url: url.replaceAll('&amp;', '&'), alt });
}

/** `ImageObject` from `"ImageObject"`, `["ImageObject"]`, `"schema:ImageObject"` or `"https://schema.org/ImageObject"`. */
function typesOf(node: Record<string, unknown>): string[] {
  const raw = field(node, '@type');
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list.filter((type): type is string => typeof type === 'string').map((type) => type.slice(Math.max(type.lastIndexOf('/'), type.lastIndexOf('#'), type.lastIndexOf(':')) + 1));
}

function altOf(node: Record<string, unknown>): string | null {
  return cleanText(firstString(field(node, 'caption')) ?? firstString(field(node, 'description')));
}

function firstString(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (Array.isArray(value)) {
    const found: unknown = value.find((item) => typeof item === 'string' && item.trim() !== '');
    return typeof found === 'string' ? found : null;
  }
  return null;
}

/** Own properties only: `JSON.parse` may have made a `__proto__` key, and prototypes are not data. */
function field(node: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collapses whitespace; an empty result is no text at all. */
export function cleanText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const cleaned = text.replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}
