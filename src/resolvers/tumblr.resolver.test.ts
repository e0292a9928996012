import { describe, expect, it } from 'vitest';
import { tumblr } from './tumblr.resolver.js';

describe('tumblr.match', () => {
  it.each([
    ['https://garfield-69.tumblr.com/post/696499862852780032', { blog: 'garfield-69', id: '696499862852780032' }],
    ['https://garfield-69.tumblr.com/post/696499862852780032/', { blog: 'garfield-69', id: '696499862852780032' }],
    ['https://garfield-69.tumblr.com/post/696499862852780032/a-slug?source=share', { blog: 'garfield-69', id: '696499862852780032' }],
    ['http://Garfield-69.Tumblr.com/post/696499862852780032', { blog: 'garfield-69', id: '696499862852780032' }],
    ['https://garfield-69.tumblr.com/image/696499862852780032', { blog: 'garfield-69', id: '696499862852780032' }],
    ['https://www.tumblr.com/rongzhi/707729381162958848', { blog: 'rongzhi', id: '707729381162958848' }],
    ['https://www.tumblr.com/rongzhi/707729381162958848/english-added-by-me?source=share', { blog: 'rongzhi', id: '707729381162958848' }],
    ['https://tumblr.com/rongzhi/707729381162958848/', { blog: 'rongzhi', id: '707729381162958848' }],
    ['https://www.tumblr.com/Rongzhi/707729381162958848', { blog: 'rongzhi', id: '707729381162958848' }],
    ['https://www.tumblr.com/blog/view/rongzhi/707729381162958848', { blog: 'rongzhi', id: '707729381162958848' }],
    ['https://at.tumblr.com/music/704177038274281472/n7x7pr7x4w2b', { blog: 'music', id: '704177038274281472' }],
    ['https://at.tumblr.com/music/704177038274281472', { blog: 'music', id: '704177038274281472' }],
  ])('takes %s', (url, params) => {
    expect(tumblr.match(new URL(url))).toEqual(params);
  });

  it.each([
    'https://garfield-69.tumblr.com/',
    'https://garfield-69.tumblr.com/archive',
    'https://garfield-69.tumblr.com/tagged/cats',
    'https://garfield-69.tumblr.com/post/abc',
    'https://garfield-69.tumblr.com/post/696499862852780032/slug/extra',
    'https://garfield-69.tumblr.com/image/696499862852780032/extra',
    'https://www.tumblr.com/rongzhi',
    'https://www.tumblr.com/rongzhi/tagged',
    'https://www.tumblr.com/tagged/123',
    'https://www.tumblr.com/search/123',
    'https://www.tumblr.com/explore/trending',
    'https://www.tumblr.com/dashboard',
    'https://www.tumblr.com/blog/view/rongzhi',
    'https://www.tumblr.com/reblog/rongzhi/707729381162958848/abcdef',
    'https://api.tumblr.com/v2/blog/x/123',
    'https://64.media.tumblr.com/abc/s1280x1920/x.jpg',
    'https://assets.tumblr.com/post/123',
    'https://evil-tumblr.com/rongzhi/707729381162958848',
    'https://tumblr.com.evil.net/rongzhi/707729381162958848',
    'https://garfield.tumblr.com.evil.net/post/696499862852780032',
    'https://www.tumblr.com/has_underscore/707729381162958848',
    'ftp://garfield-69.tumblr.com/post/696499862852780032',
  ])('refuses %s', (url) => {
    expect(tumblr.match(new URL(url))).toBeNull();
  });
});
