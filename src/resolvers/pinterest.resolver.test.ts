import { describe, expect, it } from 'vitest';
import { pinterest } from './pinterest.resolver.js';

const ID = '412994228343400946';
const pin = { kind: 'pin', id: ID };

describe('pinterest.match', () => {
  it.each([
    ['a pin', `https://www.pinterest.com/pin/${ID}/`, pin],
    ['without www.', `https://pinterest.com/pin/${ID}`, pin],
    ['a country subdomain', `https://in.pinterest.com/pin/${ID}/`, pin],
    ['.co.uk', `https://www.pinterest.co.uk/pin/${ID}/`, pin],
    ['.de', `https://www.pinterest.de/pin/${ID}/`, pin],
    ['.ca', `https://www.pinterest.ca/pin/${ID}/`, pin],
    ['.fr', `https://www.pinterest.fr/pin/${ID}/`, pin],
    ['.com.au', `https://www.pinterest.com.au/pin/${ID}/`, pin],
    ['.com.mx', `https://www.pinterest.com.mx/pin/${ID}/`, pin],
    ['.jp', `https://www.pinterest.jp/pin/${ID}/`, pin],
    ['a titled pin (slug--id)', `https://www.pinterest.com/pin/reading-nook-under-the-stairs--${ID}/`, pin],
    ['a slug with its own dashes', `https://www.pinterest.com/pin/blue--lagoon-nails--${ID}`, pin],
    ['a shared pin (/sent/ and an invite code)', `https://www.pinterest.com/pin/${ID}/sent/?invite_code=0f1e2d&sfo=1`, pin],
    ['a query', `https://www.pinterest.com/pin/${ID}/?utm_source=test`, pin],
    ['mixed-case host', `https://WWW.Pinterest.COM/pin/${ID}/`, pin],
    ['a short link', 'https://pin.it/Hvt8hgT', { kind: 'short', code: 'Hvt8hgT' }],
    ['a short link with a query', 'https://pin.it/5MxsDY0?tracking=value', { kind: 'short', code: '5MxsDY0' }],
  ])('claims %s', (_label, url, params) => {
    expect(pinterest.match(new URL(url))).toEqual(params);
  });

  it.each([
    ['a look-alike host', `https://evil-pinterest.com/pin/${ID}/`],
    ['a host under another domain', `https://www.pinterest.com.evil.net/pin/${ID}/`],
    ['an unknown TLD', `https://www.pinterest.evil/pin/${ID}/`],
    ['two subdomain labels', `https://a.b.pinterest.com/pin/${ID}/`],
    ['a look-alike short host', 'https://pin.it.evil.net/Hvt8hgT'],
    ['a profile', 'https://www.pinterest.com/studio_oak/'],
    ['a board', 'https://www.pinterest.com/studio_oak/small-spaces/'],
    ['search', 'https://www.pinterest.com/search/pins/?q=nook'],
    ['the pin-it button', 'https://www.pinterest.com/pin/create/button/?url=https%3A%2F%2Fexample.com'],
    ['a pin path without an id', 'https://www.pinterest.com/pin/'],
    ['a non-numeric id', 'https://www.pinterest.com/pin/eeeeeee/'],
    ['a slug without an id', 'https://www.pinterest.com/pin/reading-nook--/'],
    ['a short link with more path', 'https://pin.it/Hvt8hgT/extra'],
    ['a short link without a code', 'https://pin.it/'],
    ['an ftp URL', `ftp://www.pinterest.com/pin/${ID}/`],
  ])('refuses %s', (_label, url) => {
    expect(pinterest.match(new URL(url))).toBeNull();
  });
});
