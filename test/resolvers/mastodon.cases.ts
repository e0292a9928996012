import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shapes of Mastodon's REST API (`GET /api/v1/statuses/<id>`: a Status with
 * MediaAttachments, also what Pleroma/Akkoma answer), Misskey's `POST /api/notes/show` (a Note
 * with DriveFiles), their error bodies, and an ordinary web site whose paths only look alike.
 */

const FILES = 'https://files.mastodon.social/media_attachments/files';

const alice = {
  id: '109302419981187011',
  username: 'alice',
  acct: 'alice',
  display_name: 'Alice Example',
  locked: false,
  bot: false,
  discoverable: true,
  group: false,
  created_at: '2022-11-08T00:00:00.000Z',
  note: '<p>Photos of harbours.</p>',
  url: 'https://mastodon.social/@alice',
  uri: 'https://mastodon.social/users/alice',
  avatar: 'https://files.mastodon.social/accounts/avatars/109/302/419/981/187/011/original/a1.png',
  followers_count: 210,
  following_count: 180,
  statuses_count: 940,
  emojis: [],
  fields: [],
};

function status(id: string, media: readonly Record<string, unknown>[], overrides: Record<string, unknown> = {}) {
  return {
    id,
    created_at: '2026-10-02T08:15:00.000Z',
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: 'public',
    language: 'en',
    uri: `https://mastodon.social/users/alice/statuses/${id}`,
    url: `https://mastodon.social/@alice/${id}`,
    replies_count: 2,
    reblogs_count: 5,
    favourites_count: 31,
    edited_at: null,
    content: '<p>Morning at the harbour</p>',
    reblog: null,
    application: { name: 'Web', website: null },
    account: alice,
    media_attachments: media,
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
    ...overrides,
  };
}

function attachment(type: string, url: string | null, description: string | null, extra: Record<string, unknown> = {}) {
  return {
    id: `1133${Math.abs(hash(url ?? description ?? type))}`,
    type,
    url,
    preview_url: url?.replace('/original/', '/small/') ?? null,
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta: { original: { width: 1600, height: 1200, size: '1600x1200', aspect: 1.333 }, small: { width: 640, height: 480, size: '640x480', aspect: 1.333 } },
    description,
    blurhash: 'UeKUpFxuo~R%0nW;WCnhF6RjaJt757oJodS$',
    ...extra,
  };
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

const credit = (id: string) => ({ author: 'Alice Example', author_url: 'https://mastodon.social/@alice', source: 'mastodon.social', page_url: `https://mastodon.social/@alice/${id}` });

const api = (id: string, host = 'mastodon.social') => `https://${host}/api/v1/statuses/${id}`;

/** A Misskey note as `notes/show` answers it to a visitor. */
function misskeyNote(id: string, files: readonly Record<string, unknown>[], overrides: Record<string, unknown> = {}) {
  return {
    id,
    createdAt: '2026-09-30T12:00:00.000Z',
    userId: '9a1b2c3d4e',
    user: { id: '9a1b2c3d4e', name: 'Lithla 🌙', username: 'lithla', host: null, avatarUrl: 'https://misskey.io/avatar/9a1b2c3d4e', isBot: false, isCat: true, emojis: {}, onlineStatus: 'unknown' },
    text: 'new drawing',
    cw: null,
    visibility: 'public',
    localOnly: false,
    renoteCount: 3,
    repliesCount: 1,
    reactionCount: 40,
    reactions: { '⭐': 40 },
    reactionEmojis: {},
    fileIds: files.map((f) => f.id),
    files,
    replyId: null,
    renoteId: null,
    ...overrides,
  };
}

function driveFile(id: string, type: string, url: string, comment: string | null) {
  return {
    id,
    createdAt: '2026-09-30T11:59:00.000Z',
    name: `${id}.${type.split('/')[1]}`,
    type,
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    size: 204800,
    isSensitive: false,
    blurhash: 'eQG*+]~p%2%2M{',
    properties: { width: 1200, height: 900 },
    url,
    thumbnailUrl: url.replace('/io/', '/io/thumbnail-'),
    comment,
    folderId: null,
    folder: null,
    userId: null,
    user: null,
  };
}

/** A page of an ordinary site, with the picture it declares. */
async function ordinaryPage(web: FixtureWeb, page: string): Promise<void> {
  web.html(page, '<!doctype html><html><head><meta property="og:image" content="https://www.example.com/img/garden.png"><meta property="og:image:alt" content="A garden"></head><body>Notes</body></html>');
  await web.media('https://www.example.com/img/garden.png', 'png');
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'a status with pictures and a GIF: the attachments in order, descriptions as alt, the account credited with the instance as source',
    url: 'https://mastodon.social/@alice/113300000000000001',
    async setup(web) {
      web.json(
        api('113300000000000001'),
        status('113300000000000001', [
          attachment('image', `${FILES}/113/300/000/000/000/001/original/2c25ade55a9d1af2.jpg`, 'Boats at sunrise'),
          attachment('image', `${FILES}/113/300/000/000/000/002/original/e12cde371c88c1b0.png`, null),
          attachment('gifv', `${FILES}/113/300/000/000/000/003/original/7a7b7c7d7e7f7071.mp4`, '  A gull   lands '),
        ]),
      );
      await web.media(`${FILES}/113/300/000/000/000/001/original/2c25ade55a9d1af2.jpg`, 'jpeg');
      await web.media(`${FILES}/113/300/000/000/000/002/original/e12cde371c88c1b0.png`, 'png');
      await web.media(`${FILES}/113/300/000/000/000/003/original/7a7b7c7d7e7f7071.mp4`, 'mp4');
    },
    media: [
      { name: 'mastodon-113300000000000001-1.jpg', alt: 'Boats at sunrise', attribution: credit('113300000000000001'), mime_type: 'image/jpeg' },
      { name: 'mastodon-113300000000000001-2.png', alt: null, attribution: credit('113300000000000001') },
      { name: 'mastodon-113300000000000001-3.mp4', alt: 'A gull lands', mime_type: 'video/mp4' },
    ],
  },
  {
    name: 'the /users/<user>/statuses/<id> form of a video post',
    url: 'https://mastodon.social/users/alice/statuses/113300000000000002',
    async setup(web) {
      web.json(api('113300000000000002'), status('113300000000000002', [attachment('video', `${FILES}/113/300/000/000/000/010/original/video.mp4`, 'Waves')]));
      await web.media(`${FILES}/113/300/000/000/000/010/original/video.mp4`, 'mp4');
    },
    media: [{ name: 'mastodon-113300000000000002.mp4', alt: 'Waves', mime_type: 'video/mp4', attribution: credit('113300000000000002') }],
  },
  {
    name: 'a remote post seen through this server: an uncached (unknown) file from its home server, the sound left out, the acct credited when there is no display name',
    url: 'https://mastodon.social/@bob@pixel.example.org/113300000000000003',
    async setup(web) {
      const bob = { ...alice, id: '1', username: 'bob', acct: 'bob@pixel.example.org', display_name: '', url: 'https://pixel.example.org/@bob' };
      web.json(
        api('113300000000000003'),
        status(
          '113300000000000003',
          [
            attachment('unknown', null, 'Night market', { remote_url: 'https://pixel.example.org/storage/m/night.jpg' }),
            attachment('audio', `${FILES}/113/300/000/000/000/020/original/song.mp3`, 'Song'),
          ],
          { account: bob, uri: 'https://pixel.example.org/p/bob/777', url: 'https://pixel.example.org/p/bob/777' },
        ),
      );
      await web.media('https://pixel.example.org/storage/m/night.jpg', 'jpeg');
    },
    media: [
      {
        name: 'mastodon-113300000000000003.jpg',
        alt: 'Night market',
        attribution: { author: 'bob@pixel.example.org', author_url: 'https://pixel.example.org/@bob', source: 'mastodon.social', page_url: 'https://pixel.example.org/p/bob/777' },
      },
    ],
    check(web) {
      expect(web.requestsTo('files.mastodon.social')).toEqual([]);
    },
  },
  {
    name: 'a cached copy that is gone falls back to the original on its home server',
    url: 'https://mastodon.social/@alice/113300000000000004',
    async setup(web) {
      const local = `${FILES}/113/300/000/000/000/030/original/gone.jpg`;
      web.json(api('113300000000000004'), status('113300000000000004', [attachment('image', local, 'Pier', { remote_url: 'https://pixel.example.org/storage/m/pier.jpg' })]));
      web.text(local, 'Not Found', 404);
      await web.media('https://pixel.example.org/storage/m/pier.jpg', 'jpeg');
    },
    media: [{ name: 'mastodon-113300000000000004.jpg', alt: 'Pier' }],
  },
  {
    name: "a boost: the boosted post's attachments, credited to its author",
    url: 'https://mastodon.social/@carol/113300000000000005',
    async setup(web) {
      const carol = { ...alice, id: '2', username: 'carol', acct: 'carol', display_name: 'Carol', url: 'https://mastodon.social/@carol' };
      const boosted = status('113200000000000099', [attachment('image', `${FILES}/113/200/000/000/000/099/original/boat.jpg`, 'A boat')]);
      web.json(api('113300000000000005'), status('113300000000000005', [], { account: carol, content: '', reblog: boosted, url: null }));
      await web.media(`${FILES}/113/200/000/000/000/099/original/boat.jpg`, 'jpeg');
    },
    media: [{ name: 'mastodon-113300000000000005.jpg', alt: 'A boat', attribution: credit('113200000000000099') }],
  },
  {
    name: 'a Pleroma /notice/<id> link asks the same API',
    url: 'https://pleroma.envs.net/notice/AbCdEf123456789xyZ',
    async setup(web) {
      const dana = { ...alice, id: 'AaBb', username: 'dana', acct: 'dana', display_name: 'Dana', url: 'https://pleroma.envs.net/users/dana' };
      const media = attachment('image', 'https://pleroma.envs.net/media/5e/5e1f2a.jpg', 'Snow', { pleroma: { mime_type: 'image/jpeg' }, remote_url: 'https://pleroma.envs.net/media/5e/5e1f2a.jpg' });
      web.json(api('AbCdEf123456789xyZ', 'pleroma.envs.net'), status('AbCdEf123456789xyZ', [media], { account: dana, url: 'https://pleroma.envs.net/notice/AbCdEf123456789xyZ' }));
      await web.media('https://pleroma.envs.net/media/5e/5e1f2a.jpg', 'jpeg');
    },
    media: [
      {
        name: 'mastodon-AbCdEf123456789xyZ.jpg',
        alt: 'Snow',
        attribution: { author: 'Dana', author_url: 'https://pleroma.envs.net/users/dana', source: 'pleroma.envs.net', page_url: 'https://pleroma.envs.net/notice/AbCdEf123456789xyZ' },
      },
    ],
  },
  {
    name: 'a Misskey note: POSTed noteId, the files in order with their comments as alt, the sound left out',
    url: 'https://misskey.io/notes/9bhqfo835v',
    async setup(web) {
      const cdn = 'https://media.misskeyusercontent.com/io';
      const files = [
        driveFile('9bhqf1', 'image/webp', `${cdn}/webpublic-a1b2.webp`, 'Sketch, first pass'),
        driveFile('9bhqf2', 'audio/mpeg', `${cdn}/c3d4.mp3`, 'Voice memo'),
        driveFile('9bhqf3', 'image/png', `${cdn}/e5f6.png`, null),
      ];
      web.route('https://misskey.io/api/notes/show', (req, res) => {
        const body = JSON.parse(req.body) as { noteId?: string };
        const known = req.method === 'POST' && body.noteId === '9bhqfo835v';
        res.writeHead(known ? 200 : 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify(known ? misskeyNote('9bhqfo835v', files) : { error: { message: 'No such note.', code: 'NO_SUCH_NOTE', id: '24fcbfc6', kind: 'client' } }));
      });
      await web.media(`${cdn}/webpublic-a1b2.webp`, 'webp');
      await web.media(`${cdn}/e5f6.png`, 'png');
    },
    media: [
      {
        name: 'mastodon-9bhqfo835v-1.webp',
        alt: 'Sketch, first pass',
        attribution: { author: 'Lithla 🌙', author_url: 'https://misskey.io/@lithla', source: 'misskey.io', page_url: 'https://misskey.io/notes/9bhqfo835v' },
      },
      { name: 'mastodon-9bhqfo835v-2.png', alt: null },
    ],
    check(web) {
      const asked = web.requestsTo('misskey.io', '/api/notes/show');
      expect(asked).toHaveLength(1);
      expect(asked[0]!.method).toBe('POST');
      expect(JSON.parse(asked[0]!.body)).toEqual({ noteId: '9bhqfo835v' });
    },
  },
  {
    name: "a Misskey renote of a remote user's note: the renoted files, credited to the remote user",
    url: 'https://misskey.io/notes/9brq7z1re6',
    async setup(web) {
      const remote = misskeyNote('9brq000001', [driveFile('9brqf1', 'image/jpeg', 'https://img.pawoo.net/media/q1.jpg', 'Rain')], {
        user: { id: '9x', name: null, username: 'blooddj', host: 'pawoo.net', avatarUrl: null, emojis: {} },
        uri: 'https://pawoo.net/users/blooddj/statuses/1131',
        url: 'https://pawoo.net/@blooddj/1131',
      });
      web.json('https://misskey.io/api/notes/show', misskeyNote('9brq7z1re6', [], { text: null, renoteId: '9brq000001', renote: remote }));
      await web.media('https://img.pawoo.net/media/q1.jpg', 'jpeg');
    },
    media: [
      {
        name: 'mastodon-9brq7z1re6.jpg',
        alt: 'Rain',
        attribution: { author: 'blooddj', author_url: 'https://misskey.io/@blooddj@pawoo.net', source: 'misskey.io', page_url: 'https://pawoo.net/@blooddj/1131' },
      },
    ],
  },
  {
    name: 'an ordinary site with a /notes/<word> page: not a fediverse server, so the page is read for its picture',
    url: 'https://www.example.com/notes/gardening2024',
    // Nothing answers /api/notes/show there: the fixture web's HTML 404, as a plain site would.
    setup: (web) => ordinaryPage(web, 'https://www.example.com/notes/gardening2024'),
    media: [{ name: 'garden.png', alt: 'A garden', mime_type: 'image/png' }],
    check(web) {
      expect(web.requestsTo('www.example.com', '/api/notes/show')).toHaveLength(1);
      expect(web.requestsTo('www.example.com', '/notes/gardening2024')).toHaveLength(1);
    },
  },
  {
    name: 'a site whose app answers every path with its page (200 HTML): the page is read for its picture',
    url: 'https://www.example.com/@team/2024',
    async setup(web) {
      web.html('https://www.example.com/api/v1/statuses/2024', '<!doctype html><html><head><title>App</title></head><body><div id="app"></div></body></html>');
      await ordinaryPage(web, 'https://www.example.com/@team/2024');
    },
    media: [{ name: 'garden.png', alt: 'A garden' }],
  },
  {
    name: 'an http: link to a site without HTTPS: the API is not there, so the page is read over http',
    url: 'http://www.example.com/@team/2025',
    async setup(web) {
      web.route('https://www.example.com/api/v1/statuses/2025', (req, res) => {
        // No TLS site on this host: the connection is dropped.
        res.destroy();
      });
      await ordinaryPage(web, 'http://www.example.com/@team/2025');
    },
    media: [{ name: 'garden.png', alt: 'A garden' }],
    check(web) {
      expect(web.requestsTo('www.example.com', '/api/v1/statuses/2025').map((r) => r.url.protocol)).toEqual(['https:']);
      expect(web.requestsTo('www.example.com', '/@team/2025').map((r) => r.url.protocol)).toEqual(['http:']);
    },
  },
  {
    name: 'a deleted or private status (the API JSON 404) is not_found',
    url: 'https://mastodon.social/@alice/113300000000000404',
    setup: (web) => web.json(api('113300000000000404'), { error: 'Record not found' }, 404),
    skipped: [{ code: 'not_found', message: /mastodon\.social says/ }],
  },
  {
    name: 'a server that answers only logged-in users (401 JSON) is login_required',
    url: 'https://social.example.org/@alice/113300000000000401',
    setup: (web) => web.json(api('113300000000000401', 'social.example.org'), { error: 'This method requires an authenticated user' }, 401),
    skipped: [{ code: 'login_required', message: /logged-in users/ }],
  },
  {
    name: 'a Misskey note that does not exist is not_found',
    url: 'https://misskey.io/notes/9zzzzzzzzz',
    setup: (web) => web.json('https://misskey.io/api/notes/show', { error: { message: 'No such note.', code: 'NO_SUCH_NOTE', id: '24fcbfc6-2e37-42b6-8388-c29b3861a08d', kind: 'client' } }, 400),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a Misskey note whose author shows notes only to signed-in users is login_required',
    url: 'https://misskey.io/notes/9ssssssss1',
    setup: (web) => web.json('https://misskey.io/api/notes/show', { error: { message: 'Signin required.', code: 'SIGNIN_REQUIRED', id: '8e75455b-738c-471d-9f80-62693f33372e', kind: 'client' } }, 400),
    skipped: [{ code: 'login_required', message: /signed-in users/ }],
  },
  {
    name: 'a text-only status is no_media',
    url: 'https://mastodon.social/@alice/113300000000000006',
    setup: (web) => web.json(api('113300000000000006'), status('113300000000000006', [])),
    skipped: [{ code: 'no_media' }],
  },
  {
    name: 'a status in a shape the resolver does not know is resolver_failed',
    url: 'https://mastodon.social/@alice/113300000000000007',
    setup: (web) => web.json(api('113300000000000007'), { id: '113300000000000007', media_attachments: 'none' }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'an attachment on a private address is blocked_address, and the other attachments are still imported',
    url: 'https://mastodon.social/@alice/113300000000000008',
    async setup(web) {
      web.json(
        api('113300000000000008'),
        status('113300000000000008', [
          attachment('image', `${FILES}/113/300/000/000/000/080/original/safe.jpg`, 'Safe'),
          attachment('image', 'http://127.0.0.1/latest/meta-data/inside.jpg', 'Internal'),
        ]),
      );
      await web.media(`${FILES}/113/300/000/000/000/080/original/safe.jpg`, 'jpeg');
    },
    media: [{ name: 'mastodon-113300000000000008-1.jpg', alt: 'Safe' }],
    skipped: [{ code: 'blocked_address', item_url: 'http://127.0.0.1/latest/meta-data/inside.jpg' }],
  },
];
