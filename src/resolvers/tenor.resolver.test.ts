import { describe, expect, it } from 'vitest';
import { tenor } from './tenor.resolver.js';

const claimed: ReadonlyArray<readonly [string, unknown]> = [
  ['https://tenor.com/view/moving-gif-8525772382434057283', { kind: 'view', id: '8525772382434057283', slug: 'moving-gif-8525772382434057283' }],
  ['https://tenor.com/view/moving-gif-8525772382434057283/', { kind: 'view', id: '8525772382434057283', slug: 'moving-gif-8525772382434057283' }],
  ['https://www.tenor.com/view/moving-gif-8525772382434057283?utm_source=share#x', { kind: 'view', id: '8525772382434057283', slug: 'moving-gif-8525772382434057283' }],
  ['https://TENOR.com/view/26058715', { kind: 'view', id: '26058715', slug: '26058715' }],
  ['http://tenor.com/view/i-miss-you-missing-you-gif-26058715.gif', { kind: 'view', id: '26058715', slug: 'i-miss-you-missing-you-gif-26058715' }],
  ['https://tenor.com/ja/view/moving-gif-8525772382434057283', { kind: 'view', id: '8525772382434057283', slug: 'moving-gif-8525772382434057283' }],
  ['https://tenor.com/en-GB/view/moving-gif-8525772382434057283', { kind: 'view', id: '8525772382434057283', slug: 'moving-gif-8525772382434057283' }],
  [
    'https://tenor.com/view/vtuber-hololive-%E3%83%9B%E3%83%AD%E3%83%A9%E3%82%A4%E3%83%96-gif-26058046',
    { kind: 'view', id: '26058046', slug: 'vtuber-hololive-ホロライブ-gif-26058046' },
  ],
  ['https://tenor.com/kjYh53rdMGt.gif', { kind: 'short', code: 'kjYh53rdMGt' }],
  ['https://tenor.com/bVvd1.gif', { kind: 'short', code: 'bVvd1' }],
];

const refused = [
  'https://eviltenor.com/view/moving-gif-8525772382434057283',
  'https://tenor.com.evil.net/view/moving-gif-8525772382434057283',
  'https://media.tenor.com/dlGgz3LRXEMAAAAC/moving.gif',
  'https://media1.tenor.com/m/dlGgz3LRXEMAAAAC/moving.gif',
  'https://tenor.com/',
  'https://tenor.com/search/trees-gifs',
  'https://tenor.com/en-GB/search/trees-gifs',
  'https://tenor.com/users/annetv',
  'https://tenor.com/official/rwrbonprime',
  'https://tenor.com/view/moving-gif',
  'https://tenor.com/view/moving-gif-8525772382434057283/embed',
  'https://tenor.com/xx-xx-xx/view/moving-gif-8525772382434057283',
  'https://tenor.com/kjYh53rdMGt.mp4',
  'https://tenor.com/a.gif',
  'https://tenor.com/gifapi/documentation',
  'ftp://tenor.com/view/moving-gif-8525772382434057283',
];

describe('tenor.match', () => {
  it.each(claimed)('takes %s', (url, params) => {
    expect(tenor.match(new URL(url))).toEqual(params);
  });

  it.each(refused)('leaves %s', (url) => {
    expect(tenor.match(new URL(url))).toBeNull();
  });

  it('claims its own samples', () => {
    for (const sample of tenor.samples) expect(tenor.match(new URL(sample)), sample).not.toBeNull();
  });
});
