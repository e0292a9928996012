import { describe, expect, it } from 'vitest';
import { pexels } from './pexels.resolver.js';

const claimed: ReadonlyArray<readonly [string, { kind: 'photo' | 'video'; id: string; path: string }]> = [
  ['https://www.pexels.com/photo/red-canoes-on-sea-dock-1619317/', { kind: 'photo', id: '1619317', path: '/photo/red-canoes-on-sea-dock-1619317/' }],
  ['https://www.pexels.com/photo/red-canoes-on-sea-dock-1619317', { kind: 'photo', id: '1619317', path: '/photo/red-canoes-on-sea-dock-1619317/' }],
  ['https://pexels.com/photo/1619317/', { kind: 'photo', id: '1619317', path: '/photo/1619317/' }],
  ['https://WWW.Pexels.COM/photo/red-canoes-1619317/?utm_source=x#top', { kind: 'photo', id: '1619317', path: '/photo/red-canoes-1619317/' }],
  ['http://www.pexels.com/video/seal-on-the-beach-1526909/', { kind: 'video', id: '1526909', path: '/video/seal-on-the-beach-1526909/' }],
  ['https://www.pexels.com/ru-ru/video/2909914/', { kind: 'video', id: '2909914', path: '/ru-ru/video/2909914/' }],
  ['https://www.pexels.com/de-de/foto/die-gluhbirne-577514/', { kind: 'photo', id: '577514', path: '/de-de/foto/die-gluhbirne-577514/' }],
  ['https://www.pexels.com/pl-pl/zdjecie/szary-stol-3356416/', { kind: 'photo', id: '3356416', path: '/pl-pl/zdjecie/szary-stol-3356416/' }],
  ['https://www.pexels.com/tr-tr/fotograf/anemon-15402787/', { kind: 'photo', id: '15402787', path: '/tr-tr/fotograf/anemon-15402787/' }],
  ['https://www.pexels.com/fi-fi/kuva/1943411/', { kind: 'photo', id: '1943411', path: '/fi-fi/kuva/1943411/' }],
  ['https://www.pexels.com/nb-no/bilde/silhuett-bakke-14061015/', { kind: 'photo', id: '14061015', path: '/nb-no/bilde/silhuett-bakke-14061015/' }],
  ['https://www.pexels.com/ja-jp/photo/%E7%8C%AB-4587955/', { kind: 'photo', id: '4587955', path: '/ja-jp/photo/%E7%8C%AB-4587955/' }],
];

const refused = [
  'https://evil-pexels.com/photo/red-canoes-1619317/',
  'https://pexels.com.evil.net/photo/red-canoes-1619317/',
  'https://images.pexels.com/photos/1619317/pexels-photo-1619317.jpeg',
  'ftp://www.pexels.com/photo/red-canoes-1619317/',
  'https://www.pexels.com/',
  'https://www.pexels.com/@jane-doe-1234/',
  'https://www.pexels.com/de-de/@rachel-claire',
  'https://www.pexels.com/search/garden/',
  'https://www.pexels.com/collections/summer-solstice-j2zdph3/',
  'https://www.pexels.com/photo/red-canoes/',
  'https://www.pexels.com/photo/red-canoes-1619317/download/',
  'https://www.pexels.com/photo/red-canoes-16193171234567/',
  'https://www.pexels.com/photos/red-canoes-1619317/',
  'https://www.pexels.com/xx-xx-xx/foto/red-canoes-1619317/',
  'https://www.pexels.com/de-de/lizenz/',
  'https://www.pexels.com/download/video/1526909/',
];

describe('pexels.match', () => {
  it.each(claimed)('takes %s', (url, params) => {
    expect(pexels.match(new URL(url))).toEqual(params);
  });

  it.each(refused)('leaves %s', (url) => {
    expect(pexels.match(new URL(url))).toBeNull();
  });

  it('claims its own samples', () => {
    for (const sample of pexels.samples) expect(pexels.match(new URL(sample)), sample).not.toBeNull();
  });
});
