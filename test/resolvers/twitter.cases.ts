import { expect } from 'vitest';
import { syndicationToken } from '../../src/resolvers/twitter.resolver.js';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of X's syndication endpoint (`cdn.syndication.twimg.com/tweet-result`,
 * what the embed widget reads): a `Tweet` with `mediaDetails`, or a `TweetTombstone`.
 */

const SYNDICATION = 'cdn.syndication.twimg.com/tweet-result';
const PBS = 'https://pbs.twimg.com';
const VIDEO = 'https://video.twimg.com';

const user = {
  id_str: '783214',
  name: 'Alice Example',
  profile_image_url_https: `${PBS}/profile_images/1683325380441128960/yRsRRjGO_normal.jpg`,
  profile_image_shape: 'Circle',
  screen_name: 'alice_example',
  verified: false,
  is_blue_verified: true,
};

const credit = (id: string) => ({
  author: 'Alice Example',
  author_url: 'https://x.com/alice_example',
  source: 'X',
  page_url: `https://x.com/alice_example/status/${id}`,
});

function photoDetail(key: string, alt?: string, ext = 'jpg') {
  return {
    display_url: 'pic.x.com/Ab3dEf9',
    expanded_url: 'https://x.com/alice_example/status/1/photo/1',
    ext_media_availability: { status: 'Available' },
    indices: [48, 71],
    media_url_https: `${PBS}/media/${key}.${ext}`,
    original_info: { width: 2048, height: 1536, focus_rects: [{ x: 0, y: 0, w: 2048, h: 1147 }] },
    sizes: { large: { h: 1536, w: 2048, resize: 'fit' }, medium: { h: 900, w: 1200, resize: 'fit' }, small: { h: 510, w: 680, resize: 'fit' }, thumb: { h: 150, w: 150, resize: 'crop' } },
    type: 'photo',
    url: 'https://t.co/Ab3dEf9',
    ...(alt === undefined ? {} : { ext_alt_text: alt }),
  };
}

function videoDetail(key: string, alt?: string) {
  const base = `${VIDEO}/ext_tw_video/${key}/pu`;
  return {
    display_url: 'pic.x.com/Vv9dEf1',
    expanded_url: 'https://x.com/alice_example/status/1/video/1',
    ext_media_availability: { status: 'Available' },
    indices: [30, 53],
    media_url_https: `${PBS}/ext_tw_video_thumb/${key}/pu/img/thumb.jpg`,
    original_info: { width: 1280, height: 720 },
    sizes: { large: { h: 720, w: 1280, resize: 'fit' } },
    type: 'video',
    url: 'https://t.co/Vv9dEf1',
    video_info: {
      aspect_ratio: [16, 9],
      duration_millis: 14_833,
      // In the order X sends them: the playlist first, then MP4s not sorted by bitrate.
      variants: [
        { content_type: 'application/x-mpegURL', url: `${base}/pl/playlist.m3u8?tag=12&v=cfc` },
        { bitrate: 256_000, content_type: 'video/mp4', url: `${base}/vid/avc1/480x270/low.mp4?tag=12` },
        { bitrate: 2_176_000, content_type: 'video/mp4', url: `${base}/vid/avc1/1280x720/high.mp4?tag=12` },
        { bitrate: 832_000, content_type: 'video/mp4', url: `${base}/vid/avc1/640x360/mid.mp4?tag=12` },
      ],
    },
    ...(alt === undefined ? {} : { ext_alt_text: alt }),
  };
}

function gifDetail(key: string) {
  return {
    display_url: 'pic.x.com/Gg9dEf2',
    media_url_https: `${PBS}/tweet_video_thumb/${key}.jpg`,
    original_info: { width: 498, height: 280 },
    type: 'animated_gif',
    url: 'https://t.co/Gg9dEf2',
    video_info: { aspect_ratio: [249, 140], variants: [{ bitrate: 0, content_type: 'video/mp4', url: `${VIDEO}/tweet_video/${key}.mp4` }] },
  };
}

function tweet(id: string, mediaDetails?: unknown[]) {
  return {
    __typename: 'Tweet',
    lang: 'en',
    favorite_count: 1021,
    possibly_sensitive: false,
    created_at: '2026-10-05T14:03:11.000Z',
    display_text_range: [0, 47],
    entities: { hashtags: [], urls: [], user_mentions: [], symbols: [] },
    id_str: id,
    text: 'Autumn in the hills, and a small dog in a big coat https://t.co/Ab3dEf9',
    user,
    edit_control: { edit_tweet_ids: [id], editable_until_msecs: '1791209591000', is_edit_eligible: true, edits_remaining: '5' },
    ...(mediaDetails ? { mediaDetails } : {}),
    conversation_count: 12,
    news_action_type: 'conversation',
    isEdited: false,
    isStaleEdit: false,
  };
}

function tombstone(text: string) {
  return {
    __typename: 'TweetTombstone',
    tombstone: {
      text: {
        text,
        entities: [{ from_index: text.length - 10, to_index: text.length, ref: { __typename: 'TimelineUrl', url: 'https://help.x.com/rules-and-policies/notices-on-x', url_type: 'ExternalUrl' } }],
        rtl: false,
      },
    },
  };
}

const answer = (web: FixtureWeb, id: string, body: unknown, status = 200) => web.json(`${SYNDICATION}?id=${id}`, body, status);
const photoAt = (web: FixtureWeb, key: string, ext: 'jpeg' | 'png' = 'jpeg') =>
  web.media(`${PBS}/media/${key}.${ext === 'jpeg' ? 'jpg' : 'png'}?name=orig`, ext);

export const cases: readonly ResolverCase[] = [
  {
    name: 'four mixed media in order: photos at their original size, the best MP4 of a video, a GIF as MP4; each with its alt and the author credited',
    url: 'https://x.com/alice_example/status/1843301234567890123',
    async setup(web) {
      const id = '1843301234567890123';
      answer(web, id, tweet(id, [photoDetail('GZa1', 'A red fox in the snow'), photoDetail('GZb2', undefined, 'png'), videoDetail('1843300000000000001', 'The fox runs off'), gifDetail('GZg4')]));
      await photoAt(web, 'GZa1');
      await photoAt(web, 'GZb2', 'png');
      await web.media(`${VIDEO}/ext_tw_video/1843300000000000001/pu/vid/avc1/1280x720/high.mp4?tag=12`, 'mp4');
      await web.media(`${VIDEO}/tweet_video/GZg4.mp4`, 'mp4');
    },
    media: [
      { name: 'twitter-1843301234567890123-1.jpg', alt: 'A red fox in the snow', attribution: credit('1843301234567890123'), mime_type: 'image/jpeg' },
      { name: 'twitter-1843301234567890123-2.png', alt: null, attribution: credit('1843301234567890123'), mime_type: 'image/png' },
      { name: 'twitter-1843301234567890123-3.mp4', alt: 'The fox runs off', mime_type: 'video/mp4' },
      { name: 'twitter-1843301234567890123-4.mp4', alt: null, mime_type: 'video/mp4' },
    ],
    check(web) {
      const asked = web.requestsTo('cdn.syndication.twimg.com', '/tweet-result');
      expect(asked).toHaveLength(1);
      expect(asked[0]!.url.searchParams.get('id')).toBe('1843301234567890123');
      expect(asked[0]!.url.searchParams.get('token')).toBe(syndicationToken('1843301234567890123'));
      // Only the highest-bitrate MP4 is downloaded: not the playlist, not the smaller files.
      expect(web.requestsTo('video.twimg.com').map((r) => r.url.pathname)).toEqual([
        '/ext_tw_video/1843300000000000001/pu/vid/avc1/1280x720/high.mp4',
        '/tweet_video/GZg4.mp4',
      ]);
      // The post's page is never fetched: the syndication answer is all that is read.
      expect(web.requestsTo('x.com')).toEqual([]);
    },
  },
  {
    name: 'one photo has no index in its name; when the original size is refused, the 4096x4096 rendition stands in',
    url: 'https://twitter.com/alice_example/status/1843301234567890200?s=20&t=AbCdEf',
    async setup(web) {
      const id = '1843301234567890200';
      answer(web, id, tweet(id, [photoDetail('GZone', 'Only one')]));
      web.text(`${PBS}/media/GZone.jpg?name=orig`, 'Not Found', 404);
      await web.media(`${PBS}/media/GZone.jpg?name=4096x4096`, 'jpeg');
    },
    media: [{ name: 'twitter-1843301234567890200.jpg', alt: 'Only one', attribution: credit('1843301234567890200') }],
    check(web) {
      expect(web.requestsTo('pbs.twimg.com', '/media/GZone.jpg').map((r) => r.url.searchParams.get('name'))).toEqual(['orig', '4096x4096']);
    },
  },
  {
    name: 'a video post from a mirror domain (fxtwitter.com): the MP4, and the mirror is never asked',
    url: 'https://fxtwitter.com/alice_example/status/1843301234567890300',
    async setup(web) {
      const id = '1843301234567890300';
      answer(web, id, tweet(id, [videoDetail('1843300000000000003')]));
      await web.media(`${VIDEO}/ext_tw_video/1843300000000000003/pu/vid/avc1/1280x720/high.mp4?tag=12`, 'mp4');
    },
    media: [{ name: 'twitter-1843301234567890300.mp4', alt: null, mime_type: 'video/mp4', attribution: credit('1843301234567890300') }],
    check(web) {
      expect(web.requestsTo('fxtwitter.com')).toEqual([]);
      expect(web.requestsTo('api.fxtwitter.com')).toEqual([]);
    },
  },
  {
    name: '/photo/2 on vxtwitter.com imports only the second item, named for its place',
    url: 'https://vxtwitter.com/alice_example/status/1843301234567890400/photo/2',
    async setup(web) {
      const id = '1843301234567890400';
      answer(web, id, tweet(id, [photoDetail('GZp1', 'First'), photoDetail('GZp2', 'Second'), photoDetail('GZp3', 'Third')]));
      await photoAt(web, 'GZp1');
      await photoAt(web, 'GZp2');
      await photoAt(web, 'GZp3');
    },
    media: [{ name: 'twitter-1843301234567890400-2.jpg', alt: 'Second' }],
    check(web) {
      expect(web.requestsTo('pbs.twimg.com').map((r) => r.url.pathname)).toEqual(['/media/GZp2.jpg']);
    },
  },
  {
    name: 'a user-less /i/web/status link on mobile.twitter.com',
    url: 'https://mobile.twitter.com/i/web/status/1843301234567890500',
    async setup(web) {
      const id = '1843301234567890500';
      answer(web, id, tweet(id, [photoDetail('GZw1', 'Web')]));
      await photoAt(web, 'GZw1');
    },
    media: [{ name: 'twitter-1843301234567890500.jpg', alt: 'Web', attribution: credit('1843301234567890500') }],
  },
  {
    name: 'a Nitter front end (nitter.net) reaches the same post',
    url: 'https://nitter.net/alice_example/status/1843301234567890600#m',
    async setup(web) {
      const id = '1843301234567890600';
      answer(web, id, tweet(id, [photoDetail('GZn1', 'Mirrored')]));
      await photoAt(web, 'GZn1');
    },
    media: [{ name: 'twitter-1843301234567890600.jpg', alt: 'Mirrored' }],
    check(web) {
      expect(web.requestsTo('nitter.net')).toEqual([]);
    },
  },
  {
    name: '/photo/4 of a post with two media is not_found',
    url: 'https://x.com/alice_example/status/1843301234567890700/photo/4',
    setup: (web) => answer(web, '1843301234567890700', tweet('1843301234567890700', [photoDetail('GZq1'), photoDetail('GZq2')])),
    skipped: [{ code: 'not_found', message: /there is no item 4/ }],
  },
  {
    name: 'a text-only post is no_media',
    url: 'https://x.com/alice_example/status/1843301234567890800',
    setup: (web) => answer(web, '1843301234567890800', tweet('1843301234567890800')),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a post that does not exist (404) is not_found',
    url: 'https://x.com/alice_example/status/9487653',
    setup: (web) => web.text(`${SYNDICATION}?id=9487653`, '', 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a deleted post (tombstone) is not_found',
    url: 'https://x.com/alice_example/status/1843301234567890900',
    setup: (web) => answer(web, '1843301234567890900', tombstone('This Post was deleted by the Post author. Learn more')),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'an age-restricted post (tombstone) is login_required',
    url: 'https://x.com/alice_example/status/1843301234567891000',
    setup: (web) =>
      answer(
        web,
        '1843301234567891000',
        tombstone('Age-restricted adult content. This content might not be appropriate for people under 18 years old. To view this media, you’ll need to log in to X. Learn more'),
      ),
    skipped: [{ code: 'login_required', message: /logged-in/ }],
  },
  {
    name: 'a protected account’s post (tombstone) is login_required',
    url: 'https://x.com/alice_example/status/1843301234567891100',
    setup: (web) =>
      answer(web, '1843301234567891100', tombstone('You’re unable to view this Post because this account owner limits who can view their Posts. Learn more')),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'a video offered only as a stream (no MP4 variant) is unsupported_type',
    url: 'https://x.com/alice_example/status/1843301234567891200',
    setup(web) {
      const detail = videoDetail('1843300000000000012');
      detail.video_info.variants = detail.video_info.variants.slice(0, 1);
      answer(web, '1843301234567891200', tweet('1843301234567891200', [detail]));
    },
    skipped: [{ code: 'unsupported_type' }],
  },
  {
    name: 'an answer in a shape the resolver does not know is resolver_failed',
    url: 'https://x.com/alice_example/status/1843301234567891300',
    setup: (web) => answer(web, '1843301234567891300', { __typename: 'Tweet', id_str: '1843301234567891300', mediaDetails: 'none' }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'X limiting the rate (429) is http_error',
    url: 'https://x.com/alice_example/status/1843301234567891400',
    setup: (web) => answer(web, '1843301234567891400', { errors: [{ message: 'Rate limit exceeded', code: 88 }] }, 429),
    skipped: [{ code: 'http_error', message: /limiting/ }],
  },
  {
    name: 'a photo on a private address is blocked_address, and the other photo is still imported',
    url: 'https://x.com/alice_example/status/1843301234567891500',
    async setup(web) {
      const internal = { ...photoDetail('GZs2', 'Internal'), media_url_https: 'http://127.0.0.1/latest/meta-data/iam.jpg' };
      answer(web, '1843301234567891500', tweet('1843301234567891500', [photoDetail('GZs1', 'Safe'), internal]));
      await photoAt(web, 'GZs1');
    },
    media: [{ name: 'twitter-1843301234567891500-1.jpg', alt: 'Safe' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/iam.jpg?name=orig' }],
  },
];
