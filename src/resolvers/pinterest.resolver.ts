import { z } from 'zod';
import { fetchJson } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName } from './support/results.js';
import { expandShortLink } from './support/short-link.js';
import { type MediaCandidate, type ResolveContext, type ResolveResult, defineResolver } from './types.js';

/**
 * The country domains Pinterest serves pins on (`www.pinterest.de/pin/…`); any one-label
 * subdomain (`www.`, `in.`, `br.`) of them. A list, not a pattern: `pinterest.com.evil.net`
 * must not pass.
 */
const TLDS = new Set(
  ('com ca co.uk uk de fr es it pt nl be at ch dk se ie ru jp kr co.kr cl co mx com.mx pe com.pe ec com.ec ' +
    'com.au nz co.nz ph th vn com.vn in co.in id tw hu info com.uy com.py com.bo co.at')
    .split(' '),
);
const PIN_ID = /^\d{1,20}$/;
const SHORT_CODE = /^[A-Za-z0-9_-]{1,40}$/;
const PIMG_SIZE = /^(https:\/\/i\.pinimg\.com\/)[^/]+(\/.+?)(\.[a-z0-9]+)?$/i;

type Pin = { readonly kind: 'pin'; readonly id: string } | { readonly kind: 'short'; readonly code: string };
type Item = Pick<MediaCandidate, 'url' | 'fallbacks'> & { readonly alt?: string | null };

const image = z.object({ url: z.string(), width: z.number().nullish() });
const imageMap = z.record(z.string(), image.nullish());
const videoList = z.record(z.string(), z.object({ url: z.string(), width: z.number().nullish() }).nullish());
const block = z.object({
  type: z.string().nullish(),
  image_signature: z.string().nullish(),
  image: z.object({ images: imageMap.nullish() }).nullish(),
  video: z.object({ video_list: videoList.nullish() }).nullish(),
});
const pinSchema = z.object({
  id: z.string(),
  title: z.string().nullish(),
  grid_title: z.string().nullish(),
  alt_text: z.string().nullish(),
  auto_alt_text: z.string().nullish(),
  images: imageMap.nullish(),
  videos: z.object({ video_list: videoList.nullish() }).nullish(),
  carousel_data: z.object({ carousel_slots: z.array(z.object({ title: z.string().nullish(), images: imageMap.nullish() })) }).nullish(),
  story_pin_data: z.object({ pages: z.array(z.object({ image_signature: z.string().nullish(), blocks: z.array(block).nullish() })) }).nullish(),
  pinner: z.object({ username: z.string(), full_name: z.string().nullish() }).nullish(),
});
const resourceSchema = z.object({ resource_response: z.object({ data: pinSchema.nullish() }) });
type PinData = z.infer<typeof pinSchema>;

/** A pin's id from a pin page URL on any Pinterest domain: `/pin/<id>/…`, `/pin/<slug>--<id>/`. */
function pinId(url: URL): string | null {
  const host = /^(?:[a-z0-9-]{1,30}\.)?pinterest\.([a-z.]+?)\.?$/.exec(url.hostname);
  if (!isWeb(url) || !host || !TLDS.has(host[1]!)) return null;
  const parts = segments(url);
  if (parts[0] !== 'pin' || parts[1] === undefined) return null;
  // Titled pin URLs put a slug first; the id follows its last `--`.
  const value = parts[1];
  return token(value.includes('--') ? value.slice(value.lastIndexOf('--') + 2) : value, PIN_ID);
}

/**
 * Pinterest pins, through the resource endpoint the website's own scripts read
 * (`/resource/PinResource/get/`, no login): an image pin's original, every slide of a
 * carousel, the pages of an idea (story) pin, a video pin's 720p MP4 (not its HLS playlist).
 * `pin.it` short links are expanded and taken only when they lead to a pin.
 */
export const pinterest = defineResolver<Pin>({
  id: 'pinterest',
  label: 'Pinterest',
  samples: [
    'https://www.pinterest.com/pin/412994228343400946/',
    'https://www.pinterest.ca/pin/70437485604616/',
    'https://www.pinterest.com/pin/gadget-cool-products-amazon-product-technology-kitchen-gadgets--1084663891475263837/',
    'https://pin.it/Hvt8hgT',
  ],
  match(url) {
    if (isWeb(url) && onDomain(url, ['pin.it'])) {
      const parts = segments(url);
      const code = parts.length === 1 ? token(parts[0], SHORT_CODE) : null;
      return code ? { kind: 'short', code } : null;
    }
    const id = pinId(url);
    return id ? { kind: 'pin', id } : null;
  },
  async resolve(pin, context) {
    if (pin.kind === 'pin') return resolvePin(pin.id, context);
    const expanded = await expandShortLink(context, `https://pin.it/${pin.code}`, 'Pinterest');
    if (!expanded.ok) return expanded;
    const id = pinId(expanded.value.url);
    if (!id) return fail('no_media', 'This Pinterest short link leads to a board or a profile, not a pin; Intake imports pins.');
    return resolvePin(id, context);
  },
});

async function resolvePin(id: string, context: ResolveContext): Promise<ResolveResult> {
  const api = new URL('https://www.pinterest.com/resource/PinResource/get/');
  api.searchParams.set('source_url', `/pin/${id}/`);
  // The field set the logged-out pin page asks for.
  api.searchParams.set('data', JSON.stringify({ options: { id, field_set_key: 'unauth_react_main_pin' }, context: {} }));
  const answer = await fetchJson(
    context,
    {
      url: api,
      // What the site's own scripts send with this call (an XHR from the pin page).
      headers: { 'x-requested-with': 'XMLHttpRequest', 'x-pinterest-pws-handler': 'www/pin/[id].js' },
      accept: 'application/json, text/javascript, */*; q=0.01',
      label: 'Pinterest',
      what: 'the pin',
      onStatus: (a) => (a.status === 404 ? fail('not_found', 'Pinterest says this pin does not exist (or was deleted).') : undefined),
    },
    resourceSchema,
  );
  if (!answer.ok) return answer;
  const data = answer.value.resource_response.data;
  if (!data) return fail('not_found', 'Pinterest says this pin does not exist (or was deleted).');
  const items = pinItems(data);
  if (items === 'stream-only') return fail('unsupported_type', 'Pinterest offers this video only as a stream, not as a file Intake can store.');
  const credit = data.pinner
    ? attribution({
        author: cleanText(data.pinner.full_name) ?? data.pinner.username,
        author_url: `https://www.pinterest.com/${encodeURIComponent(data.pinner.username)}/`,
        source: 'Pinterest',
        page_url: `https://www.pinterest.com/pin/${id}/`,
      })
    : null;
  const pinAlt = cleanText(data.alt_text) ?? cleanText(data.auto_alt_text) ?? cleanText(data.title) ?? cleanText(data.grid_title);
  return found(items.map((item, index) => ({ ...item, alt: item.alt ?? pinAlt, name: itemName('pinterest', id, index, items.length), attribution: credit })));
}

/** The pin's media in its order: an idea pin's pages, a carousel's slides, a video, the image. */
function pinItems(pin: PinData): Item[] | 'stream-only' {
  const pages = pin.story_pin_data?.pages ?? [];
  if (pages.length > 0) {
    const items: Item[] = [];
    let streamOnly = false;
    for (const page of pages) {
      const blocks = page.blocks ?? [];
      for (const b of blocks) {
        if (b.video?.video_list) {
          const video = mp4(b.video.video_list);
          if (video) items.push(video);
          else streamOnly = true;
        } else if (b.type === 'story_pin_image_block') {
          // A one-image idea pin is the pin's own image; else each block's original.
          const only = pages.length === 1 && blocks.length === 1 ? original(pin.images) : null;
          const item = only ?? original(b.image?.images) ?? fromSignature(b.image_signature ?? page.image_signature);
          if (item) items.push(item);
        }
        // Text, sticker and music blocks are not media of their own.
      }
    }
    return items.length === 0 && streamOnly ? 'stream-only' : items;
  }
  const slots = pin.carousel_data?.carousel_slots ?? [];
  if (slots.length > 0) {
    return slots.flatMap((slot) => {
      const item = original(slot.images);
      return item ? [{ ...item, alt: cleanText(slot.title) }] : [];
    });
  }
  if (pin.videos?.video_list) {
    const video = mp4(pin.videos.video_list);
    return video ? [video] : 'stream-only';
  }
  const item = original(pin.images);
  return item ? [item] : [];
}

/** A video's 720p MP4, else its widest MP4; never the HLS playlists beside them. */
function mp4(list: z.infer<typeof videoList>): Item | null {
  if (list.V_720P && isMp4(list.V_720P.url)) return { url: list.V_720P.url };
  const files = present(Object.values(list)).filter((v) => isMp4(v.url));
  return files.length === 0 ? null : { url: widest(files).url };
}

const isMp4 = (url: string) => /\.mp4(?:$|\?)/i.test(url);
const present = <T>(values: readonly (T | null | undefined)[]): T[] => values.filter((v): v is T => v !== null && v !== undefined);
const widest = <T extends { readonly width?: number | null }>(values: readonly T[]): T => values.reduce((a, b) => ((b.width ?? 0) > (a.width ?? 0) ? b : a));

/**
 * The original of an image from a map of its sizes. `orig`/`originals` name it with its real
 * extension; a sized rendition (`736x`, always a JPEG) is rewritten to `/originals/`, where
 * the file may be a PNG, WebP or GIF instead: each is tried, and the rendition itself last.
 */
function original(images: z.infer<typeof imageMap> | null | undefined): Item | null {
  if (!images) return null;
  const known = images.orig ?? images.originals;
  const sized = present(Object.values(images)).filter((i) => i !== known);
  if (known) return { url: known.url, ...(sized.length > 0 ? { fallbacks: [widest(sized).url] } : {}) };
  if (sized.length === 0) return null;
  const largest = widest(sized);
  const parts = PIMG_SIZE.exec(largest.url);
  if (!parts) return { url: largest.url };
  const [first, ...rest] = extensions(parts[3]).map((ext) => `${parts[1]}originals${parts[2]}${ext}`);
  return { url: first!, fallbacks: [...rest, largest.url] };
}

/** An idea-pin image known only by its signature: `originals/ab/cd/ef/<signature>.<ext>`. */
function fromSignature(signature: string | null | undefined): Item | null {
  const sig = token(signature, /^[0-9a-f]{32}$/);
  if (!sig) return null;
  const [first, ...fallbacks] = extensions(undefined).map((ext) => `https://i.pinimg.com/originals/${sig.slice(0, 2)}/${sig.slice(2, 4)}/${sig.slice(4, 6)}/${sig}${ext}`);
  return { url: first!, fallbacks };
}

/** The extensions an original may have, the given one first. */
function extensions(given: string | undefined): string[] {
  const all = ['.jpg', '.png', '.webp', '.gif'];
  const first = given?.toLowerCase();
  return first && all.includes(first) ? [first, ...all.filter((e) => e !== first)] : all;
}
