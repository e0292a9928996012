import { describe, expect, it } from 'vitest';
import { decodeFlickrShortCode, encodeFlickrShortCode, flickr } from './flickr.resolver.js';

describe('flickr.match', () => {
  it.each([
    ['https://www.flickr.com/photos/bees/2362225867/', { id: '2362225867', user: 'bees' }],
    ['https://www.flickr.com/photos/bees/2362225867', { id: '2362225867', user: 'bees' }],
    ['https://flickr.com/photos/bees/2362225867/?utm_source=x', { id: '2362225867', user: 'bees' }],
    ['https://m.flickr.com/photos/bees/2362225867/', { id: '2362225867', user: 'bees' }],
    ['https://secure.flickr.com/photos/departingyyz/16089302239', { id: '16089302239', user: 'departingyyz' }],
    ['https://WWW.Flickr.COM/photos/bees/2362225867/', { id: '2362225867', user: 'bees' }],
    ['http://www.flickr.com/photos/bees/2362225867/#comments', { id: '2362225867', user: 'bees' }],
    ['https://www.flickr.com/photos/12345678@N00/2362225867/', { id: '2362225867', user: '12345678@N00' }],
    ['https://www.flickr.com/photos/bees/2362225867/in/photostream/', { id: '2362225867', user: 'bees' }],
    ['https://www.flickr.com/photos/bees/2362225867/in/album-72157650686499888/', { id: '2362225867', user: 'bees' }],
    ['https://www.flickr.com/photos/bees/2362225867/in/photostream/lightbox/', { id: '2362225867', user: 'bees' }],
    ['https://www.flickr.com/photos/bees/2362225867/sizes/l/', { id: '2362225867', user: 'bees' }],
    ['https://flic.kr/p/4AK2sc', { id: '2362225867', user: null }],
    ['http://flic.kr/p/QWhZSL/', { id: '32119532132', user: null }],
  ])('takes %s', (url, params) => {
    expect(flickr.match(new URL(url))).toEqual(params);
  });

  it.each([
    'https://www.flickr.com/photos/bees/',
    'https://www.flickr.com/photos/bees/albums/72157650686499888',
    'https://www.flickr.com/photos/bees/sets/72157650686499888',
    'https://www.flickr.com/photos/bees/favorites',
    'https://www.flickr.com/photos/tags/cat',
    'https://www.flickr.com/groups/bird_headshots/',
    'https://www.flickr.com/search/?text=mountain',
    'https://www.flickr.com/photos/bees/0123/',
    'https://www.flickr.com/photos/bees/2362225867/comments/x/y/z',
    'https://www.flickr.com/photos/be%20es/2362225867/',
    'https://flic.kr/s/aHsk8hUbqq',
    'https://flic.kr/ps/abc',
    'https://flic.kr/p/0OIl',
    'https://flic.kr/p/',
    'https://evil-flickr.com/photos/bees/2362225867/',
    'https://flickr.com.evil.net/photos/bees/2362225867/',
    'https://live.staticflickr.com/3040/2362225867_4a87ab8baf_b.jpg',
    'ftp://www.flickr.com/photos/bees/2362225867/',
  ])('refuses %s', (url) => {
    expect(flickr.match(new URL(url))).toBeNull();
  });
});

describe('flic.kr short codes', () => {
  // Pairs as Flickr itself gives them (`web_page_short_url` of its oEmbed answers).
  it.each([
    ['4AK2sc', '2362225867'],
    ['4yVr8K', '2341623661'],
    ['7APwoy', '4332173964'],
    ['rgQ2v', '286000639'],
    ['QWhZSL', '32119532132'],
  ])('%s is photo %s, both ways', (code, id) => {
    expect(decodeFlickrShortCode(code)).toBe(id);
    expect(encodeFlickrShortCode(id)).toBe(code);
  });

  it.each(['', '0', 'O1', 'Il', 'abc-d', 'zzzzzzzzzzzzz'])('refuses %j', (code) => {
    expect(decodeFlickrShortCode(code)).toBeNull();
  });
});
