import { describe, expect, it } from 'vitest';
import { instagram, mediaIdToShortcode, shortcodeToMediaId } from './instagram.resolver.js';

const post = (code: string) => ({ kind: 'post', code });
const share = (path: string) => ({ kind: 'share', path });

describe('instagram.match', () => {
  it.each([
    ['https://www.instagram.com/p/CvYrSgnsKjv/', post('CvYrSgnsKjv')],
    ['https://www.instagram.com/p/CvYrSgnsKjv', post('CvYrSgnsKjv')],
    ['https://instagram.com/reel/DFQe23tOWKz/?igsh=MWtxNWJ0Z2xj', post('DFQe23tOWKz')],
    ['https://www.instagram.com/reels/DFQe23tOWKz/', post('DFQe23tOWKz')],
    ['https://www.instagram.com/tv/CmCVWoIr9OH/', post('CmCVWoIr9OH')],
    ['https://m.instagram.com/p/CrO-T7Qo6rq/?img_index=2#comments', post('CrO-T7Qo6rq')],
    ['https://WWW.Instagram.COM/p/CvYrSgnsKjv/', post('CvYrSgnsKjv')],
    ['http://www.instagram.com/p/Dc3y-dKvO5A/', post('Dc3y-dKvO5A')],
    ['https://www.instagram.com/nasa/p/DdEy97xj9P-/', post('DdEy97xj9P-')],
    ['https://www.instagram.com/alice.example/reel/DFQe23tOWKz/', post('DFQe23tOWKz')],
    ['https://www.instagram.com/p/C5_A1TQNPrYw4c2g9KAUTPUl8RVHqiAdAcOOSY0', post('C5_A1TQNPrYw4c2g9KAUTPUl8RVHqiAdAcOOSY0')],
    ['https://ddinstagram.com/p/CmCVWoIr9OH/', post('CmCVWoIr9OH')],
    ['https://d.ddinstagram.com/p/CmCVWoIr9OH/', post('CmCVWoIr9OH')],
    ['https://g.ddinstagram.com/reel/CmCVWoIr9OH', post('CmCVWoIr9OH')],
    ['https://instagr.am/p/CmCVWoIr9OH/', post('CmCVWoIr9OH')],
    ['https://www.instagram.com/p/CmCVWoIr9OH/embed/', post('CmCVWoIr9OH')],
    ['https://www.instagram.com/p/CmCVWoIr9OH/embed/captioned/', post('CmCVWoIr9OH')],
    ['https://www.instagram.com/share/BAHx2bQk9Zs', share('BAHx2bQk9Zs')],
    ['https://www.instagram.com/share/p/BAHx2bQk9Zs/', share('p/BAHx2bQk9Zs')],
    ['https://www.instagram.com/share/reel/_j8VKKUfE?igsh=abc', share('reel/_j8VKKUfE')],
    ['https://www.instagram.com/stories/alice.example/3412719965523274048/', { kind: 'story' }],
    ['https://www.instagram.com/stories/highlights/17912345678901234/', { kind: 'story' }],
  ])('takes %s', (url, params) => {
    expect(instagram.match(new URL(url))).toEqual(params);
  });

  it.each([
    // Look-alike and unrelated hosts.
    'https://evil-instagram.com/p/CvYrSgnsKjv/',
    'https://instagram.com.evil.net/p/CvYrSgnsKjv/',
    'https://notinstagram.com/p/CvYrSgnsKjv/',
    'https://x.ddinstagram.com/p/CvYrSgnsKjv/',
    'https://cdninstagram.com/p/CvYrSgnsKjv/',
    'ftp://www.instagram.com/p/CvYrSgnsKjv/',
    // Pages that are not a post.
    'https://www.instagram.com/',
    'https://www.instagram.com/alice.example/',
    'https://www.instagram.com/explore/tags/sea/',
    'https://www.instagram.com/explore/p/CvYrSgnsKjv/',
    'https://www.instagram.com/accounts/login/',
    'https://www.instagram.com/p/',
    'https://www.instagram.com/p/CvYrSgnsKjv/embed/extra',
    'https://www.instagram.com/p/CvYrSgnsKjv/liked_by/',
    'https://www.instagram.com/alice.example/tv/CvYrSgnsKjv/',
    'https://www.instagram.com/stories/alice.example/',
    'https://www.instagram.com/share/',
    'https://www.instagram.com/share/x/BAHx2bQk9Zs',
    // Bad ids.
    'https://www.instagram.com/p/Cv%20Yr/',
    'https://www.instagram.com/p/Cv.Yr/',
    `https://www.instagram.com/p/${'A'.repeat(65)}/`,
    'https://www.instagram.com/stories/alice.example/not-a-number/',
  ])('refuses %s', (url) => {
    expect(instagram.match(new URL(url))).toBeNull();
  });
});

describe('shortcode and media id', () => {
  // Pairs as Instagram's own embed pages show them (`data-media-id` next to the shortcode).
  it.each([
    ['DdEy97xj9P-', '3982532128898274302'],
    ['Dc3zNGWlIpy', '3978873996351670898'],
    ['Dc3y-dKvO5A', '3978872990056902208'],
    ['A', '0'],
    ['B', '1'],
    ['_', '63'],
    ['BA', '64'],
  ])('%s is %s', (code, id) => {
    expect(shortcodeToMediaId(code)).toBe(id);
    expect(mediaIdToShortcode(id)).toBe(code);
  });

  it("reads a private post's long shortcode by its first characters", () => {
    expect(shortcodeToMediaId('C5_A1TQNPrYw4c2g9KAUTPUl8RVHqiAdAcOOSY0')).toBe(shortcodeToMediaId('C5_A1TQNPrY'));
    expect(shortcodeToMediaId(`DdEy97xj9P-${'A'.repeat(28)}`)).toBe('3982532128898274302');
  });

  it("takes the API's <id>_<owner> form", () => {
    expect(mediaIdToShortcode('3982532128898274302_528817151')).toBe('DdEy97xj9P-');
  });

  it('refuses what is not a shortcode or an id', () => {
    expect(shortcodeToMediaId('')).toBeNull();
    expect(shortcodeToMediaId('Cv.Yr')).toBeNull();
    expect(mediaIdToShortcode('')).toBeNull();
    expect(mediaIdToShortcode('12a')).toBeNull();
    expect(mediaIdToShortcode('-5')).toBeNull();
  });
});
