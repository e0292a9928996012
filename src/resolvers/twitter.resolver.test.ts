import { describe, expect, it } from 'vitest';
import { syndicationToken, twitter } from './twitter.resolver.js';

const ID = '1843301234567890123';

describe('twitter.match', () => {
  it.each([
    ['x.com', `https://x.com/alice/status/${ID}`, { id: ID, item: null }],
    ['twitter.com', `https://twitter.com/alice/status/${ID}`, { id: ID, item: null }],
    ['www.', `https://www.twitter.com/alice/status/${ID}`, { id: ID, item: null }],
    ['mobile.', `https://mobile.twitter.com/alice/status/${ID}`, { id: ID, item: null }],
    ['mobile.x.com', `https://mobile.x.com/alice/status/${ID}`, { id: ID, item: null }],
    ['fxtwitter.com', `https://fxtwitter.com/alice/status/${ID}`, { id: ID, item: null }],
    ['fixupx.com', `https://fixupx.com/alice/status/${ID}`, { id: ID, item: null }],
    ['vxtwitter.com', `https://vxtwitter.com/alice/status/${ID}`, { id: ID, item: null }],
    ['fixvx.com', `https://fixvx.com/alice/status/${ID}`, { id: ID, item: null }],
    ['nitter.net', `https://nitter.net/alice/status/${ID}#m`, { id: ID, item: null }],
    ['xcancel.com', `https://xcancel.com/alice/status/${ID}`, { id: ID, item: null }],
    ['/i/web/status', `https://x.com/i/web/status/${ID}`, { id: ID, item: null }],
    ['/i/status', `https://twitter.com/i/status/${ID}`, { id: ID, item: null }],
    ['/photo/<n> (1-based)', `https://x.com/alice/status/${ID}/photo/1`, { id: ID, item: 0 }],
    ['/video/<n>', `https://x.com/alice/status/${ID}/video/3`, { id: ID, item: 2 }],
    ['trailing slash', `https://x.com/alice/status/${ID}/`, { id: ID, item: null }],
    ['share query', `https://x.com/alice/status/${ID}?s=46&t=AbCdEfGh`, { id: ID, item: null }],
    ['mixed-case host', `https://X.COM/alice/status/${ID}`, { id: ID, item: null }],
    ['http', `http://twitter.com/alice/status/${ID}`, { id: ID, item: null }],
    ['a short old id', 'https://twitter.com/jack/status/20', { id: '20', item: null }],
  ])('claims %s', (_label, url, params) => {
    expect(twitter.match(new URL(url))).toEqual(params);
  });

  it.each([
    ['a look-alike host', `https://evil-x.com/alice/status/${ID}`],
    ['a host under another domain', `https://x.com.evil.net/alice/status/${ID}`],
    ['a host ending in the name', `https://notx.com/alice/status/${ID}`],
    ['an unlisted subdomain', `https://api.x.com/alice/status/${ID}`],
    ['a profile', 'https://x.com/alice'],
    ['a profile media tab', 'https://x.com/alice/media'],
    ['search', 'https://x.com/search?q=fox'],
    ['the home timeline', 'https://x.com/home'],
    ['a non-numeric id', 'https://x.com/alice/status/abc'],
    ['a 20-digit id', 'https://x.com/alice/status/18433012345678901234'],
    ['a user with a dot', `https://x.com/al.ice/status/${ID}`],
    ['/photo/0', `https://x.com/alice/status/${ID}/photo/0`],
    ['/photo/5', `https://x.com/alice/status/${ID}/photo/5`],
    ['/photo without n', `https://x.com/alice/status/${ID}/photo`],
    ['another tab of the post', `https://x.com/alice/status/${ID}/likes`],
    ['an ftp URL', `ftp://x.com/alice/status/${ID}`],
    ['a status path without a user', `https://x.com/status/${ID}`],
  ])('refuses %s', (_label, url) => {
    expect(twitter.match(new URL(url))).toBeNull();
  });
});

describe('syndicationToken', () => {
  // Pairs computed once with the formula X's embed script uses (id / 1e15 * π in base 36,
  // zeros and point removed); the first is also what other clients send for post 20.
  it.each([
    ['20', '6dq1a2xwd93'],
    ['1683920951807971329', '42y6zv7ufp'],
    ['463440424141459456', '14fxvks611f'],
  ])('of %s is %s', (id, expected) => {
    expect(syndicationToken(id)).toBe(expected);
  });
});
