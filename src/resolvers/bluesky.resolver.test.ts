import { describe, expect, it } from 'vitest';
import { bluesky } from './bluesky.resolver.js';

const DID = 'did:plc:z72i7hdynmk6r22z27h6tvur';

describe('bluesky.match', () => {
  it.each([
    ['a handle', 'https://bsky.app/profile/alice.bsky.social/post/3l6oveex3ii2l', { actor: 'alice.bsky.social', rkey: '3l6oveex3ii2l' }],
    ['a did:plc', `https://bsky.app/profile/${DID}/post/3kgxftwvetl2q`, { actor: DID, rkey: '3kgxftwvetl2q' }],
    ['a did:web', 'https://bsky.app/profile/did:web:example.com/post/3kabc', { actor: 'did:web:example.com', rkey: '3kabc' }],
    ['www.', 'https://www.bsky.app/profile/alice.bsky.social/post/3kabc', { actor: 'alice.bsky.social', rkey: '3kabc' }],
    ['fxbsky.app', 'https://fxbsky.app/profile/alice.bsky.social/post/3kabc', { actor: 'alice.bsky.social', rkey: '3kabc' }],
    ['vxbsky.app', 'https://vxbsky.app/profile/alice.bsky.social/post/3kabc', { actor: 'alice.bsky.social', rkey: '3kabc' }],
    ['bskye.app', 'https://bskye.app/profile/alice.bsky.social/post/3kabc', { actor: 'alice.bsky.social', rkey: '3kabc' }],
    ['a trailing slash and a query', 'https://bsky.app/profile/alice.bsky.social/post/3kabc/?ref=x', { actor: 'alice.bsky.social', rkey: '3kabc' }],
    ['a mixed-case host', 'https://BSKY.App/profile/alice.bsky.social/post/3kabc', { actor: 'alice.bsky.social', rkey: '3kabc' }],
  ])('claims %s', (_label, url, params) => {
    expect(bluesky.match(new URL(url))).toEqual(params);
  });

  it.each([
    ['a look-alike host', 'https://bsky.app.evil.net/profile/alice.bsky.social/post/3kabc'],
    ['another domain ending the same', 'https://notbsky.app/profile/alice.bsky.social/post/3kabc'],
    ['a profile', 'https://bsky.app/profile/alice.bsky.social'],
    ['a feed', 'https://bsky.app/profile/alice.bsky.social/feed/whats-hot'],
    ['a list', 'https://bsky.app/profile/alice.bsky.social/lists/3kabc'],
    ['a post without its key', 'https://bsky.app/profile/alice.bsky.social/post/'],
    ['an actor with a slash encoded in it', 'https://bsky.app/profile/alice%2Fbob/post/3kabc'],
    ['a key with characters records never have', 'https://bsky.app/profile/alice.bsky.social/post/3k%20abc'],
    ['another scheme', 'ftp://bsky.app/profile/alice.bsky.social/post/3kabc'],
  ])('refuses %s', (_label, url) => {
    expect(bluesky.match(new URL(url))).toBeNull();
  });
});
