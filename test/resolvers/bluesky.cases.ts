import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of the public AppView (`app.bsky.feed.getPostThread`), the PLC
 * directory and a PDS's `com.atproto.sync.getBlob`.
 */

const DID = 'did:plc:z72i7hdynmk6r22z27h6tvur';
const THREAD = 'public.api.bsky.app/xrpc/app.bsky.feed.getPostThread';
const PDS = 'https://morel.us-east.host.bsky.network';
const CDN = 'https://cdn.bsky.app/img/feed_fullsize/plain';

const author = { did: DID, handle: 'alice.example.com', displayName: 'Alice Example', avatar: `https://cdn.bsky.app/img/avatar/plain/${DID}/bafkavatar@jpeg` };
const credit = (rkey: string) => ({
  author: 'Alice Example',
  author_url: 'https://bsky.app/profile/alice.example.com',
  source: 'Bluesky',
  page_url: `https://bsky.app/profile/alice.example.com/post/${rkey}`,
});

function thread(rkey: string, embed: unknown) {
  return {
    thread: {
      $type: 'app.bsky.feed.defs#threadViewPost',
      post: {
        uri: `at://${DID}/app.bsky.feed.post/${rkey}`,
        cid: 'bafyreipost',
        author,
        record: { $type: 'app.bsky.feed.post', text: 'hello', createdAt: '2026-11-01T10:00:00.000Z' },
        embed,
        replyCount: 0,
        repostCount: 0,
        likeCount: 3,
        indexedAt: '2026-11-01T10:00:01.000Z',
        labels: [],
      },
      replies: [],
    },
  };
}

function imagesView(cids: readonly string[], alts: readonly string[]) {
  return {
    $type: 'app.bsky.embed.images#view',
    images: cids.map((cid, i) => ({
      thumb: `https://cdn.bsky.app/img/feed_thumbnail/plain/${DID}/${cid}@jpeg`,
      fullsize: `${CDN}/${DID}/${cid}@jpeg`,
      alt: alts[i] ?? '',
      aspectRatio: { width: 1200, height: 800 },
    })),
  };
}

async function images(web: FixtureWeb, rkey: string, alts: readonly string[], actor = DID): Promise<void> {
  const cids = alts.map((_, i) => `bafkimg${i + 1}`);
  web.json(`${THREAD}?uri=at://${actor}/app.bsky.feed.post/${rkey}`, thread(rkey, imagesView(cids, alts)));
  for (const cid of cids) await web.media(`${CDN}/${DID}/${cid}@jpeg`, 'jpeg');
}

function plcDocument(pds: string) {
  return {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: DID,
    alsoKnownAs: ['at://alice.example.com'],
    verificationMethod: [],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pds }],
  };
}

const videoView = {
  $type: 'app.bsky.embed.video#view',
  cid: 'bafkvideo1',
  playlist: `https://video.bsky.app/watch/${encodeURIComponent(DID)}/bafkvideo1/playlist.m3u8`,
  thumbnail: `https://video.bsky.app/watch/${encodeURIComponent(DID)}/bafkvideo1/thumbnail.jpg`,
  alt: 'A cat jumps',
  aspectRatio: { width: 1280, height: 720 },
};

export const cases: readonly ResolverCase[] = [
  {
    name: 'a four-picture post: four media in order, each with its alt and the author credited',
    url: `https://bsky.app/profile/${DID}/post/3kfour`,
    setup: (web) => images(web, '3kfour', ['First', 'Second', '', 'Fourth']),
    media: [
      { name: 'bluesky-3kfour-1.jpg', alt: 'First', attribution: credit('3kfour'), mime_type: 'image/jpeg' },
      { name: 'bluesky-3kfour-2.jpg', alt: 'Second', attribution: credit('3kfour') },
      { name: 'bluesky-3kfour-3.jpg', alt: null },
      { name: 'bluesky-3kfour-4.jpg', alt: 'Fourth' },
    ],
  },
  {
    name: 'a handle in the URL and a mirror domain reach the same post; one picture has no index in its name',
    url: 'https://fxbsky.app/profile/alice.example.com/post/3kone',
    setup: (web) => images(web, '3kone', ['Only one'], 'alice.example.com'),
    media: [{ name: 'bluesky-3kone.jpg', alt: 'Only one', attribution: credit('3kone') }],
  },
  {
    name: 'a video post: the original MP4 blob from the author PDS, found through the PLC directory',
    url: `https://bsky.app/profile/${DID}/post/3kvideo`,
    async setup(web) {
      web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kvideo`, thread('3kvideo', videoView));
      web.json(`https://plc.directory/${DID}`, plcDocument(PDS));
      await web.media(`${PDS}/xrpc/com.atproto.sync.getBlob?did=${DID}&cid=bafkvideo1`, 'mp4');
    },
    media: [{ name: 'bluesky-3kvideo.mp4', alt: 'A cat jumps', mime_type: 'video/mp4', attribution: credit('3kvideo') }],
  },
  {
    name: 'a video whose author has a DID document without a usable PDS is resolver_failed',
    url: `https://bsky.app/profile/${DID}/post/3kvideobad`,
    setup(web) {
      web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kvideobad`, thread('3kvideobad', videoView));
      web.json(`https://plc.directory/${DID}`, plcDocument('not a url'));
    },
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a quote post with pictures: the pictures of recordWithMedia',
    url: `https://bsky.app/profile/${DID}/post/3kquote`,
    async setup(web) {
      const embed = {
        $type: 'app.bsky.embed.recordWithMedia#view',
        record: { record: { $type: 'app.bsky.embed.record#viewRecord', uri: `at://${DID}/app.bsky.feed.post/3kother` } },
        media: imagesView(['bafkq1', 'bafkq2'], ['Quoted one', 'Quoted two']),
      };
      web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kquote`, thread('3kquote', embed));
      await web.media(`${CDN}/${DID}/bafkq1@jpeg`, 'jpeg');
      await web.media(`${CDN}/${DID}/bafkq2@jpeg`, 'jpeg');
    },
    media: [
      { name: 'bluesky-3kquote-1.jpg', alt: 'Quoted one' },
      { name: 'bluesky-3kquote-2.jpg', alt: 'Quoted two' },
    ],
  },
  {
    name: 'a Tenor GIF link card is the media, without the downscale parameters',
    url: `https://bsky.app/profile/${DID}/post/3kgif`,
    setup(web) {
      const embed = {
        $type: 'app.bsky.embed.external#view',
        external: { uri: 'https://media.tenor.com/AbCdEf/cat.gif?hh=280&ww=498', title: 'cat', description: 'Alt: a cat', thumb: '' },
      };
      web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kgif`, thread('3kgif', embed));
      web.route('https://media.tenor.com/AbCdEf/cat.gif', async (req, res) => {
        // Only the full-size request is served: a downscaled one would be a different file.
        if (req.url.search !== '') return void res.writeHead(400).end();
        const { gif } = await import('../helpers/media-fixtures.js');
        const bytes = await gif();
        res.writeHead(200, { 'content-type': 'image/gif', 'content-length': bytes.length }).end(bytes);
      });
    },
    media: [{ name: 'bluesky-3kgif.gif', mime_type: 'image/gif' }],
  },
  {
    name: 'a text-only post is no_media',
    url: `https://bsky.app/profile/${DID}/post/3ktext`,
    setup: (web) => web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3ktext`, thread('3ktext', undefined)),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a deleted post (XRPC NotFound) is not_found',
    url: `https://bsky.app/profile/${DID}/post/3kgone`,
    setup: (web) => web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kgone`, { error: 'NotFound', message: 'Post not found: at://…' }, 400),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a post only some accounts may see (blockedPost) is login_required',
    url: `https://bsky.app/profile/${DID}/post/3kblocked`,
    setup: (web) =>
      web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kblocked`, {
        thread: { $type: 'app.bsky.feed.defs#blockedPost', uri: `at://${DID}/app.bsky.feed.post/3kblocked`, blocked: true, author: { did: DID } },
      }),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'an answer in a shape the resolver does not know is resolver_failed',
    url: `https://bsky.app/profile/${DID}/post/3kodd`,
    setup: (web) => web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kodd`, { thread: { post: { uri: 5 } } }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a picture on a private address is blocked_address, and the other pictures are still imported',
    url: `https://bsky.app/profile/${DID}/post/3kssrf`,
    async setup(web) {
      const view = imagesView(['bafks1', 'bafks2'], ['Safe', 'Internal']);
      view.images[1]!.fullsize = 'http://127.0.0.1/latest/meta-data/';
      web.json(`${THREAD}?uri=at://${DID}/app.bsky.feed.post/3kssrf`, thread('3kssrf', view));
      await web.media(`${CDN}/${DID}/bafks1@jpeg`, 'jpeg');
    },
    media: [{ name: 'bluesky-3kssrf-1.jpg', alt: 'Safe' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/' }],
  },
];
