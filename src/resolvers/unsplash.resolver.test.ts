import { describe, expect, it } from 'vitest';
import { unsplash } from './unsplash.resolver.js';

describe('unsplash.match', () => {
  it.each([
    ['a slug (the id is its last 11 characters)', 'https://unsplash.com/photos/a-close-up-of-a-cat-kaoHI0iHJPM', { slug: 'a-close-up-of-a-cat-kaoHI0iHJPM', id: 'kaoHI0iHJPM' }],
    ['an id with - and _ in it', 'https://unsplash.com/photos/red-door-a_Bc9xY-1Qz', { slug: 'red-door-a_Bc9xY-1Qz', id: 'a_Bc9xY-1Qz' }],
    ['a bare id', 'https://unsplash.com/photos/LBI7cgq3pbM', { slug: 'LBI7cgq3pbM', id: 'LBI7cgq3pbM' }],
    ['a localised page', 'https://unsplash.com/de/fotos/ein-berg-v9FQR4tbIq8', { slug: 'ein-berg-v9FQR4tbIq8', id: 'v9FQR4tbIq8' }],
    ['a regional locale', 'https://unsplash.com/pt-br/fotos/LBI7cgq3pbM', { slug: 'LBI7cgq3pbM', id: 'LBI7cgq3pbM' }],
    ['the download link', 'https://unsplash.com/photos/LBI7cgq3pbM/download?force=true', { slug: 'LBI7cgq3pbM', id: 'LBI7cgq3pbM' }],
    ['www. and a query', 'https://www.unsplash.com/photos/LBI7cgq3pbM?utm_source=x', { slug: 'LBI7cgq3pbM', id: 'LBI7cgq3pbM' }],
  ])('claims %s', (_label, url, params) => {
    expect(unsplash.match(new URL(url))).toEqual(params);
  });

  it.each([
    ['a look-alike host', 'https://unsplash.com.evil.net/photos/LBI7cgq3pbM'],
    ['a direct image (downloaded as it is)', 'https://images.unsplash.com/photo-1592194996308-7b43878e84a6?ixid=x'],
    ['a collection', 'https://unsplash.com/collections/123/cats'],
    ['a profile', 'https://unsplash.com/@jane'],
    ['search', 'https://unsplash.com/s/photos/cat'],
    ['another path under a photo', 'https://unsplash.com/photos/LBI7cgq3pbM/info'],
    ['a slug with odd characters', 'https://unsplash.com/photos/cat%20dog'],
  ])('refuses %s', (_label, url) => {
    expect(unsplash.match(new URL(url))).toBeNull();
  });
});
