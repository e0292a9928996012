import { describe, expect, it } from 'vitest';
import { mastodon } from './mastodon.resolver.js';

const status = (host: string, id: string, page: string, origin = `https://${host}`) => ({ api: 'mastodon', host, origin, id, page });
const note = (host: string, id: string, page: string) => ({ api: 'misskey', host, origin: `https://${host}`, id, page });

describe('mastodon.match', () => {
  it.each([
    ['https://mastodon.social/@jk/103794036899778366', status('mastodon.social', '103794036899778366', 'https://mastodon.social/@jk/103794036899778366')],
    ['https://mastodon.social/@jk/103794036899778366/', status('mastodon.social', '103794036899778366', 'https://mastodon.social/@jk/103794036899778366/')],
    [
      'https://mastodon.social/@ponapalt@ukadon.shillest.net/111111111111111111',
      status('mastodon.social', '111111111111111111', 'https://mastodon.social/@ponapalt@ukadon.shillest.net/111111111111111111'),
    ],
    [
      'https://Mastodon.Social/@jk/103794036899778366?utm_source=x#reply',
      status('mastodon.social', '103794036899778366', 'https://mastodon.social/@jk/103794036899778366?utm_source=x#reply'),
    ],
    ['https://mastodon.social/users/jk/statuses/103794036899778366', status('mastodon.social', '103794036899778366', 'https://mastodon.social/users/jk/statuses/103794036899778366')],
    ['https://pleroma.example.org/notice/AbCdEf123456789xyZ', status('pleroma.example.org', 'AbCdEf123456789xyZ', 'https://pleroma.example.org/notice/AbCdEf123456789xyZ')],
    ['https://gts.example.org/@kim/statuses/01HQZ3XKJ4M2N8P5R7S9T0V1W2', status('gts.example.org', '01HQZ3XKJ4M2N8P5R7S9T0V1W2', 'https://gts.example.org/@kim/statuses/01HQZ3XKJ4M2N8P5R7S9T0V1W2')],
    // The API is asked over HTTPS whatever the link said, and on the link's own port if it named one.
    ['http://mastodon.social/@jk/1', status('mastodon.social', '1', 'http://mastodon.social/@jk/1')],
    ['https://social.example.org:8443/@jk/42', status('social.example.org:8443', '42', 'https://social.example.org:8443/@jk/42')],
    ['http://social.example.org:8080/@jk/42', status('social.example.org:8080', '42', 'http://social.example.org:8080/@jk/42', 'http://social.example.org:8080')],
    ['https://mastodon.social./@jk/42', status('mastodon.social', '42', 'https://mastodon.social./@jk/42')],
    ['https://misskey.io/notes/9bhqfo835v', note('misskey.io', '9bhqfo835v', 'https://misskey.io/notes/9bhqfo835v')],
    ['https://sharkey.example.net/notes/a1b2c3d4e5f6g7h8/', note('sharkey.example.net', 'a1b2c3d4e5f6g7h8', 'https://sharkey.example.net/notes/a1b2c3d4e5f6g7h8/')],
  ])('takes %s', (url, params) => {
    expect(mastodon.match(new URL(url))).toEqual(params);
  });

  it.each([
    // Profiles, their tabs, and other pages of a server.
    'https://mastodon.social/@jk',
    'https://mastodon.social/@jk/media',
    'https://mastodon.social/@jk/with_replies',
    'https://mastodon.social/@jk/tagged/cats',
    'https://mastodon.social/@jk/103794036899778366/reblogs',
    'https://mastodon.social/users/jk',
    'https://mastodon.social/users/jk/statuses',
    'https://mastodon.social/users/jk/followers/103794036899778366',
    'https://mastodon.social/tags/cats',
    'https://mastodon.social/explore',
    'https://mastodon.social/notice/',
    'https://misskey.io/@lithla',
    'https://misskey.io/notes',
    // Bad ids.
    'https://mastodon.social/@jk/12ab',
    'https://mastodon.social/@jk/123456789012345678901',
    'https://mastodon.social/notice/abc-def',
    'https://mastodon.social/users/jk/statuses/1%2F2',
    'https://misskey.io/notes/short',
    'https://misskey.io/notes/hello-world',
    'https://mastodon.social/jk/103794036899778366',
    'https://mastodon.social/@/103794036899778366',
    'https://mastodon.social/@jk@/103794036899778366',
    // Hosts that are no public server, and links with credentials or other schemes.
    'https://localhost/@jk/1',
    'https://intranet/@jk/1',
    'https://[::1]/@jk/1',
    'https://user:pass@mastodon.social/@jk/1',
    'ftp://mastodon.social/@jk/1',
  ])('leaves %s', (url) => {
    expect(mastodon.match(new URL(url))).toBeNull();
  });
});
