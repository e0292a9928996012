import { describe, expect, it } from 'vitest';
import { reddit } from './reddit.resolver.js';

describe('reddit.match', () => {
  it.each([
    ['https://www.reddit.com/r/pics/comments/abc123/a_title/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/r/pics/comments/abc123', { kind: 'post', id: 'abc123' }],
    ['https://reddit.com/comments/abc123', { kind: 'post', id: 'abc123' }],
    ['https://old.reddit.com/r/pics/comments/abc123/a_title/', { kind: 'post', id: 'abc123' }],
    ['https://new.reddit.com/r/pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://np.reddit.com/r/pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://m.reddit.com/r/pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://de.reddit.com/r/pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://WWW.Reddit.COM/r/pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com./r/pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['http://www.reddit.com/r/pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/r/pics/comments/abc123/a_title/?utm_source=share&utm_medium=web2x#top', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/r/pics/comments/abc123/a_title/kx9c2d1/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/r/pics/comments/abc123/comment/kx9c2d1/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/user/alice_pics/comments/abc123/a_title/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/u/alice_pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/r/u_alice_pics/comments/abc123/', { kind: 'post', id: 'abc123' }],
    ['https://www.reddit.com/gallery/hrrh23', { kind: 'post', id: 'hrrh23' }],
    ['https://redd.it/2a00np', { kind: 'post', id: '2a00np' }],
    ['https://redd.it/2a00np/', { kind: 'post', id: '2a00np' }],
    ['https://www.reddit.com/r/analog/s/hKrTTvFVwZ', { kind: 'redirect', url: 'https://www.reddit.com/r/analog/s/hKrTTvFVwZ' }],
    ['https://old.reddit.com/r/analog/s/hKrTTvFVwZ/?share_id=x', { kind: 'redirect', url: 'https://www.reddit.com/r/analog/s/hKrTTvFVwZ' }],
    ['https://www.reddit.com/u/Tailhook91/s/w4yAMbtOYm', { kind: 'redirect', url: 'https://www.reddit.com/u/Tailhook91/s/w4yAMbtOYm' }],
    ['https://www.reddit.com/user/Tailhook91/s/w4yAMbtOYm', { kind: 'redirect', url: 'https://www.reddit.com/user/Tailhook91/s/w4yAMbtOYm' }],
    ['https://v.redd.it/gyh95hiqc0b11', { kind: 'redirect', url: 'https://www.reddit.com/video/gyh95hiqc0b11' }],
    ['https://V.REDD.IT/gyh95hiqc0b11/', { kind: 'redirect', url: 'https://www.reddit.com/video/gyh95hiqc0b11' }],
    ['https://www.reddit.com/video/gyh95hiqc0b11', { kind: 'redirect', url: 'https://www.reddit.com/video/gyh95hiqc0b11' }],
  ])('takes %s', (url, params) => {
    expect(reddit.match(new URL(url))).toEqual(params);
  });

  it.each([
    // Look-alike hosts.
    'https://evil-reddit.com/r/pics/comments/abc123/',
    'https://reddit.com.evil.net/r/pics/comments/abc123/',
    'https://notreddit.com/comments/abc123',
    'https://redd.it.evil.net/abc123',
    'https://xredd.it/abc123',
    // Reddit's own media hosts: direct files, not posts.
    'https://i.redd.it/upjtjcx2npzz.jpg',
    'https://preview.redd.it/00af44lpn0u51.jpg?width=960',
    'https://v.redd.it/gyh95hiqc0b11/DASH_720.mp4',
    // Pages that are not one post.
    'https://www.reddit.com/',
    'https://www.reddit.com/r/pics/',
    'https://www.reddit.com/r/pics/top/?t=month',
    'https://www.reddit.com/user/alice_pics/',
    'https://www.reddit.com/u/alice_pics/',
    'https://www.reddit.com/search/?q=cats',
    'https://www.reddit.com/r/pics/search/?q=cats',
    'https://www.reddit.com/r/pics/wiki/index',
    'https://www.reddit.com/s/hKrTTvFVwZ',
    'https://www.reddit.com/r/pics/gallery/hrrh23',
    // Bad ids.
    'https://www.reddit.com/r/pics/comments/ABC123/',
    'https://www.reddit.com/r/pics/comments/abc-123/',
    'https://www.reddit.com/comments/',
    'https://www.reddit.com/r/pics/comments/abcdefghijklmnopq/',
    'https://www.reddit.com/r/pi$cs/comments/abc123/',
    'https://redd.it/abc_123',
    'https://redd.it/',
    'https://redd.it/abc123/extra',
    'https://www.reddit.com/r/analog/s/a-b',
    'https://v.redd.it/a',
    // Other schemes.
    'ftp://www.reddit.com/r/pics/comments/abc123/',
  ])('leaves %s', (url) => {
    expect(reddit.match(new URL(url))).toBeNull();
  });
});
