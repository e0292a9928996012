import { z } from 'zod';
import { fetchJson, type Got, parseJson } from './support/api.js';
import { isWeb, onDomain, segments, token } from './support/match.js';
import { attribution, cleanText, fail, found, itemName, unexpected } from './support/results.js';
import { type MediaCandidate, type ResolveContext, defineResolver } from './types.js';

/**
 * Bluesky posts, through the public AppView (no key): `app.bsky.feed.getPostThread` gives the
 * post with its embed resolved to CDN links. Pictures come from the CDN's `feed_fullsize`
 * rendition; a video comes as its original MP4 blob from the author's PDS (the AppView only
 * offers an HLS playlist), found through the author's DID document.
 */

const APPVIEW = 'https://public.api.bsky.app';
/** bsky.app and the embed-fixing mirrors people paste (fxbsky.app, vxbsky.app, bskye.app, …). */
const HOSTS = ['bsky.app', 'fxbsky.app', 'vxbsky.app', 'bskye.app', 'bskx.app', 'cbsky.app', 'main.bsky.dev'];
const ACTOR = /^(?:did:(?:plc|web):[A-Za-z0-9._:%-]{1,256}|[A-Za-z0-9][A-Za-z0-9.-]{0,252})$/;
const RKEY = /^[A-Za-z0-9._~:-]{1,512}$/;

interface Post {
  readonly actor: string;
  readonly rkey: string;
}

const image = z.object({ fullsize: z.string(), alt: z.string().nullish() });
const imagesView = z.object({ $type: z.literal('app.bsky.embed.images#view'), images: z.array(image) });
const videoView = z.object({ $type: z.literal('app.bsky.embed.video#view'), cid: z.string(), alt: z.string().nullish() });
const externalView = z.object({ $type: z.literal('app.bsky.embed.external#view'), external: z.object({ uri: z.string() }) });
const mediaView = z.discriminatedUnion('$type', [imagesView, videoView, externalView]);
const otherView = z.object({ $type: z.string() });
const embedView = z.union([
  mediaView,
  z.object({ $type: z.literal('app.bsky.embed.recordWithMedia#view'), media: z.union([mediaView, otherView]) }),
  otherView,
]);

const threadSchema = z.object({
  thread: z.union([
    z.object({
      $type: z.literal('app.bsky.feed.defs#threadViewPost').optional(),
      post: z.object({
        uri: z.string(),
        author: z.object({ did: z.string(), handle: z.string(), displayName: z.string().nullish() }),
        embed: embedView.optional(),
      }),
    }),
    z.object({ $type: z.enum(['app.bsky.feed.defs#notFoundPost', 'app.bsky.feed.defs#blockedPost']) }),
  ]),
});

const didDocument = z.object({
  service: z.array(z.object({ id: z.string(), type: z.string(), serviceEndpoint: z.union([z.string(), z.record(z.string(), z.unknown())]) })).optional(),
});

const xrpcError = z.object({ error: z.string(), message: z.string().optional() });

export const bluesky = defineResolver<Post>({
  id: 'bluesky',
  label: 'Bluesky',
  samples: [
    'https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l',
    'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kgxftwvetl2q',
    'https://fxbsky.app/profile/jay.bsky.team/post/3lgthbhhaqk2b',
  ],
  match(url) {
    const parts = segments(url);
    if (!isWeb(url) || !onDomain(url, HOSTS) || parts.length !== 4 || parts[0] !== 'profile' || parts[2] !== 'post') return null;
    const actor = token(parts[1], ACTOR);
    const rkey = token(parts[3], RKEY);
    return actor && rkey ? { actor, rkey } : null;
  },
  async resolve({ actor, rkey }, context) {
    const api = new URL('/xrpc/app.bsky.feed.getPostThread', APPVIEW);
    api.searchParams.set('uri', `at://${actor}/app.bsky.feed.post/${rkey}`);
    api.searchParams.set('depth', '0');
    api.searchParams.set('parentHeight', '0');
    const answer = await fetchJson(
      context,
      {
        url: api,
        label: 'Bluesky',
        what: 'the post thread',
        // XRPC errors are a 400 with a name: NotFound for a deleted post, InvalidRequest for an
        // unknown handle ("Profile not found"), and others for what the API refused.
        onStatus: (a) => {
          const error = xrpcError.safeParse(parseJson(a.text));
          if (!error.success) return undefined;
          if (error.data.error === 'NotFound' || /not found/i.test(error.data.message ?? '')) {
            return fail('not_found', 'Bluesky says this post does not exist (or was deleted).');
          }
          return undefined;
        },
      },
      threadSchema,
    );
    if (!answer.ok) return answer;
    const thread = answer.value.thread;
    if (!('post' in thread)) {
      return thread.$type === 'app.bsky.feed.defs#blockedPost'
        ? fail('login_required', 'Bluesky shows this post only to some accounts (the author blocks or limits viewers).')
        : fail('not_found', 'Bluesky says this post does not exist (or was deleted).');
    }
    const { post } = thread;
    const credit = attribution({
      author: cleanText(post.author.displayName) ?? post.author.handle,
      author_url: `https://bsky.app/profile/${post.author.handle}`,
      source: 'Bluesky',
      page_url: `https://bsky.app/profile/${post.author.handle}/post/${rkey}`,
    });
    const embed = post.embed && 'media' in post.embed ? post.embed.media : post.embed;
    const media = await embedMedia(embed, post.author.did, context);
    if (!media.ok) return media;
    const items = media.value;
    return found(items.map((item, index) => ({ ...item, name: itemName('bluesky', rkey, index, items.length), attribution: credit })));
  },
});

async function embedMedia(embed: unknown, did: string, context: ResolveContext): Promise<Got<Omit<MediaCandidate, 'name'>[]>> {
  const view = mediaView.safeParse(embed);
  if (!view.success) return { ok: true, value: [] };
  switch (view.data.$type) {
    case 'app.bsky.embed.images#view':
      return { ok: true, value: view.data.images.map((img) => ({ url: img.fullsize, alt: cleanText(img.alt) })) };
    case 'app.bsky.embed.video#view': {
      const pds = await personalDataServer(did, context);
      if (!pds.ok) return pds;
      const blob = new URL('/xrpc/com.atproto.sync.getBlob', pds.value);
      blob.searchParams.set('did', did);
      blob.searchParams.set('cid', view.data.cid);
      return { ok: true, value: [{ url: blob.href, alt: cleanText(view.data.alt) }] };
    }
    case 'app.bsky.embed.external#view': {
      // A link card is the post's media only when it is a GIF from Tenor (Bluesky's GIF picker);
      // the size parameters ask Tenor for a smaller rendition.
      const link = URL.parse(view.data.external.uri);
      if (link?.hostname !== 'media.tenor.com') return { ok: true, value: [] };
      link.search = '';
      return { ok: true, value: [{ url: link.href, alt: null }] };
    }
  }
}

/** The author's PDS, from their DID document (did:plc at the PLC directory, did:web on its host). */
async function personalDataServer(did: string, context: ResolveContext): Promise<Got<URL>> {
  let documentUrl: string;
  if (did.startsWith('did:plc:')) documentUrl = `https://plc.directory/${did}`;
  else if (did.startsWith('did:web:')) documentUrl = `https://${decodeURIComponent(did.slice('did:web:'.length))}/.well-known/did.json`;
  else return unexpected(context, 'an author DID of an unknown method', { did });
  const document = await fetchJson(context, { url: documentUrl, label: 'The DID directory', what: 'the DID document' }, didDocument);
  if (!document.ok) return document;
  const pds = document.value.service?.find((s) => s.id.endsWith('#atproto_pds') && s.type === 'AtprotoPersonalDataServer');
  const endpoint = typeof pds?.serviceEndpoint === 'string' ? URL.parse(pds.serviceEndpoint) : null;
  if (!endpoint) return unexpected(context, 'a DID document without a usable PDS', { did });
  return { ok: true, value: endpoint };
}
