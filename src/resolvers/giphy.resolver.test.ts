import { describe, expect, it } from 'vitest';
import { giphy } from './giphy.resolver.js';

const ID = 'l2JIcQ4UH5SoPtMJi';

const claimed: ReadonlyArray<readonly [string, unknown]> = [
  [`https://giphy.com/gifs/${ID}`, { kind: 'page', type: 'gif', id: ID }],
  [`https://giphy.com/gifs/catsmusical-excited-cats-${ID}`, { kind: 'page', type: 'gif', id: ID }],
  [`https://www.giphy.com/gifs/catsmusical-excited-cats-${ID}/`, { kind: 'page', type: 'gif', id: ID }],
  [`https://GIPHY.COM/gifs/excited-${ID}?utm_source=iframe&utm_medium=embed#top`, { kind: 'page', type: 'gif', id: ID }],
  ['http://giphy.com/stickers/mario-PFxFYEZNUavG8', { kind: 'page', type: 'gif', id: 'PFxFYEZNUavG8' }],
  ['https://giphy.com/embed/00xGP4zv8xENZ2tc3Y', { kind: 'page', type: 'gif', id: '00xGP4zv8xENZ2tc3Y' }],
  ['https://giphy.com/clips/southpark-south-park-episode-4-season-20-YyOPrvilA8FdiuSiQi', { kind: 'page', type: 'clip', id: 'YyOPrvilA8FdiuSiQi' }],
  ['https://giphy.com/videos/quinnxcii-coffee-VG8PNQDwsfOzU4mQAL', { kind: 'page', type: 'clip', id: 'VG8PNQDwsfOzU4mQAL' }],
  ['https://media.giphy.com/media/2rj8VysAig8QE/giphy.gif', { kind: 'file', id: '2rj8VysAig8QE', url: 'https://media.giphy.com/media/2rj8VysAig8QE/giphy.gif' }],
  [
    'https://media3.giphy.com/media/kMI3z7b9RWrYQbsXd2/giphy.mp4?cid=f663cea5&rid=giphy.mp4&ct=g',
    { kind: 'file', id: 'kMI3z7b9RWrYQbsXd2', url: 'https://media3.giphy.com/media/kMI3z7b9RWrYQbsXd2/giphy.mp4?cid=f663cea5&rid=giphy.mp4&ct=g' },
  ],
  [
    'https://media3.giphy.com/media/v1.Y2lkPWE3NWZmMjg5/B6SyssSlTgPXq/200w.webp',
    { kind: 'file', id: 'B6SyssSlTgPXq', url: 'https://media3.giphy.com/media/v1.Y2lkPWE3NWZmMjg5/B6SyssSlTgPXq/200w.webp' },
  ],
  ['https://media.giphy.com/media/UGUqsAtHh3T1e/source.gif', { kind: 'file', id: 'UGUqsAtHh3T1e', url: 'https://media.giphy.com/media/UGUqsAtHh3T1e/source.gif' }],
  ['https://i.giphy.com/l41m1wcjpWJZi5w7S.gif', { kind: 'file', id: 'l41m1wcjpWJZi5w7S', url: 'https://i.giphy.com/l41m1wcjpWJZi5w7S.gif' }],
  ['https://i.giphy.com/media/oY7zuBsNna7CM/giphy.mp4', { kind: 'file', id: 'oY7zuBsNna7CM', url: 'https://i.giphy.com/media/oY7zuBsNna7CM/giphy.mp4' }],
  ['https://gph.is/1ZhShKr', { kind: 'short', url: 'https://gph.is/1ZhShKr' }],
  ['http://gph.is/g/Z5G3nMp?x=1', { kind: 'short', url: 'https://gph.is/g/Z5G3nMp' }],
];

const refused = [
  `https://evilgiphy.com/gifs/${ID}`,
  `https://giphy.com.evil.net/gifs/${ID}`,
  `https://media.giphy.com.evil.net/media/${ID}/giphy.gif`,
  `https://evil-gph.is/1ZhShKr`,
  'https://giphy.com/',
  'https://giphy.com/catsmusical/',
  'https://giphy.com/channel/catsmusical',
  'https://giphy.com/search/cats',
  'https://giphy.com/explore/cats',
  'https://giphy.com/constructor/abcdef12345',
  'https://giphy.com/__proto__/abcdef12345',
  'https://giphy.com/southpark/reactions/lol',
  `https://giphy.com/gifs/${ID}/fullscreen`,
  'https://giphy.com/gifs/cats',
  `https://giphy.com/embed/excited-${ID}`,
  'https://media.giphy.com/avatars/catsmusical/Zx1.gif',
  `https://media.giphy.com/media/${ID}/giphy.html`,
  `https://media.giphy.com/media/${ID}/`,
  `https://i.giphy.com/${ID}.png`,
  'https://gph.is/',
  'https://gph.is/a/b/c',
  `ftp://giphy.com/gifs/${ID}`,
];

describe('giphy.match', () => {
  it.each(claimed)('takes %s', (url, params) => {
    expect(giphy.match(new URL(url))).toEqual(params);
  });

  it.each(refused)('leaves %s', (url) => {
    expect(giphy.match(new URL(url))).toBeNull();
  });

  it('claims its own samples', () => {
    for (const sample of giphy.samples) expect(giphy.match(new URL(sample)), sample).not.toBeNull();
  });
});
