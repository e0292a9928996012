import { describe, expect, it } from 'vitest';
import { pixabay } from './pixabay.resolver.js';

const claimed: ReadonlyArray<readonly [string, { kind: 'image' | 'video'; id: string }]> = [
  ['https://pixabay.com/photos/daffodils-spring-2020-03-07-garden-4910149/', { kind: 'image', id: '4910149' }],
  ['https://pixabay.com/photos/daffodils-spring-4910149', { kind: 'image', id: '4910149' }],
  ['https://www.pixabay.com/photos/4910149/', { kind: 'image', id: '4910149' }],
  ['https://PIXABAY.com/photos/daffodils-4910149/?utm_source=x#comments', { kind: 'image', id: '4910149' }],
  ['http://pixabay.com/illustrations/question-mark-important-sign-1872665/', { kind: 'image', id: '1872665' }],
  ['https://pixabay.com/vectors/detective-searching-man-search-1424831/', { kind: 'image', id: '1424831' }],
  ['https://pixabay.com/videos/ocean-sunset-coastline-drone-174472/', { kind: 'video', id: '174472' }],
  ['https://pixabay.com/videos/id-125/', { kind: 'video', id: '125' }],
  ['https://pixabay.com/de/photos/werkzeuge-werkzeugkasten-3411589/', { kind: 'image', id: '3411589' }],
  ['https://pixabay.com/zh/videos/%E6%B5%B7-174472/', { kind: 'video', id: '174472' }],
];

const refused = [
  'https://evilpixabay.com/photos/daffodils-4910149/',
  'https://pixabay.com.evil.net/photos/daffodils-4910149/',
  'https://cdn.pixabay.com/photo/2020/03/07/15/52/daffodils-4910149_150.jpg',
  'https://pixabay.com/get/g52e9d4434b56a514f1dc8460962930791439dbe_640.jpg',
  'https://pixabay.com/',
  'https://pixabay.com/users/meatle-9394834/',
  'https://pixabay.com/de/users/meatle-9394834/',
  'https://pixabay.com/images/search/daffodils/',
  'https://pixabay.com/music/beats-chill-123456/',
  'https://pixabay.com/photos/daffodils/',
  'https://pixabay.com/photos/daffodils-4910149/download/',
  'https://pixabay.com/photos/daffodils-49101491234567/',
  'https://pixabay.com/xx-xx-xx/photos/daffodils-4910149/',
  'ftp://pixabay.com/photos/daffodils-4910149/',
];

describe('pixabay.match', () => {
  it.each(claimed)('takes %s', (url, params) => {
    expect(pixabay.match(new URL(url))).toEqual(params);
  });

  it.each(refused)('leaves %s', (url) => {
    expect(pixabay.match(new URL(url))).toBeNull();
  });

  it('claims its own samples', () => {
    for (const sample of pixabay.samples) expect(pixabay.match(new URL(sample)), sample).not.toBeNull();
  });
});
