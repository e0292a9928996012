import { describe, expect, it } from 'vitest';
import { imgur } from './imgur.resolver.js';

describe('imgur.match', () => {
  it.each([
    ['https://imgur.com/21yMxCS', { kind: 'image', hash: '21yMxCS', ext: null }],
    ['https://imgur.com/21yMxCS/', { kind: 'image', hash: '21yMxCS', ext: null }],
    ['https://www.imgur.com/21yMxCS?share=1', { kind: 'image', hash: '21yMxCS', ext: null }],
    ['https://m.imgur.com/21yMxCS', { kind: 'image', hash: '21yMxCS', ext: null }],
    ['https://IMGUR.com/21yMxCS', { kind: 'image', hash: '21yMxCS', ext: null }],
    ['https://imgur.io/zxaY6', { kind: 'image', hash: 'zxaY6', ext: null }],
    ['https://imgur.com/test-picture-21yMxCS', { kind: 'image', hash: '21yMxCS', ext: null }],
    ['https://m.imgur.com/r/Celebs/iHJ7tsM', { kind: 'image', hash: 'iHJ7tsM', ext: null }],
    ['https://i.imgur.com/21yMxCS.png', { kind: 'image', hash: '21yMxCS', ext: 'png' }],
    ['https://i.imgur.com/21yMxCS.JPG', { kind: 'image', hash: '21yMxCS', ext: 'jpg' }],
    ['https://i.imgur.io/21yMxCS.png', { kind: 'image', hash: '21yMxCS', ext: 'png' }],
    ['https://i.imgur.com/21yMxCSh.png', { kind: 'image', hash: '21yMxCS', ext: 'png' }],
    ['https://i.imgur.com/21yMxCS_d.webp?maxwidth=760&fidelity=grand', { kind: 'image', hash: '21yMxCS', ext: 'webp' }],
    ['https://i.imgur.com/zxaY6s.gif', { kind: 'image', hash: 'zxaY6', ext: 'gif' }],
    ['https://i.imgur.com/0gybAXR.gifv', { kind: 'image', hash: '0gybAXR', ext: 'mp4' }],
    ['https://imgur.com/a/TcBmP', { kind: 'album', hash: 'TcBmP' }],
    ['https://imgur.com/a/RhJXhVT/all', { kind: 'album', hash: 'RhJXhVT' }],
    ['https://imgur.io/a/cute-cats-RhJXhVT', { kind: 'album', hash: 'RhJXhVT' }],
    ['https://imgur.com/gallery/zf2fIms', { kind: 'gallery', hash: 'zf2fIms' }],
    ['https://imgur.com/gallery/a-cat-in-a-box-zf2fIms/', { kind: 'gallery', hash: 'zf2fIms' }],
    ['https://imgur.com/t/cat/qSB8NbN', { kind: 'gallery', hash: 'qSB8NbN' }],
  ])('takes %s', (url, params) => {
    expect(imgur.match(new URL(url))).toEqual(params);
  });

  it.each([
    'https://imgur.com/',
    'https://imgur.com/user/Miguenzo',
    'https://imgur.com/user/Miguenzo/favorites',
    'https://imgur.com/r/pics',
    'https://imgur.com/t/animals',
    'https://imgur.com/search?q=cute+cat',
    'https://imgur.com/upload',
    'https://imgur.com/privacy',
    'https://imgur.com/about',
    'https://imgur.com/gallery',
    'https://imgur.com/a/TcBmP/comment/123',
    'https://imgur.com/21yMxC',
    'https://imgur.com/21yMxCSab',
    'https://imgur.com/privacy-policy',
    'https://i.imgur.com/21yMxCS',
    'https://i.imgur.com/21yMxCS.exe',
    'https://i.imgur.com/a/21yMxCS.png',
    'https://i.stack.imgur.com/21yMxCS.png',
    'https://evil-imgur.com/21yMxCS',
    'https://imgur.com.evil.net/21yMxCS',
    'https://notimgur.io/21yMxCS',
  ])('refuses %s', (url) => {
    expect(imgur.match(new URL(url))).toBeNull();
  });
});
