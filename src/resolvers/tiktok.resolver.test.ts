import { describe, expect, it } from 'vitest';
import { tiktok } from './tiktok.resolver.js';

const ID = '7195741644585454894';

describe('tiktok.match: posts', () => {
  it.each([
    `https://www.tiktok.com/@fatfatmillycat/video/${ID}`,
    `https://www.tiktok.com/@fatfatmillycat/video/${ID}/`,
    `https://www.tiktok.com/@fatfatmillycat/video/${ID}?is_from_webapp=1&sender_device=pc&web_id=123`,
    `https://www.tiktok.com/@fat.fat_milly.cat/photo/${ID}`,
    `https://tiktok.com/@fatfatmillycat/video/${ID}`,
    `https://WWW.TikTok.COM/@FatFatMillyCat/video/${ID}#comments`,
    `http://www.tiktok.com/@fatfatmillycat/video/${ID}`,
    `https://www.tiktok.com/@/video/${ID}`,
    `https://m.tiktok.com/v/${ID}.html`,
    `https://m.tiktok.com/v/${ID}.html?u_code=abc&preview_pb=0`,
    `https://www.tiktok.com/embed/v2/${ID}`,
    `https://www.tiktok.com/embed/${ID}?lang=en-US`,
    `https://www.tiktok.com/share/video/${ID}`,
    `https://www.tiktok.com/i18n/share/video/${ID}`,
  ])('%s', (url) => {
    expect(tiktok.match(new URL(url))).toEqual({ kind: 'post', id: ID });
  });
});

describe('tiktok.match: short links, to be expanded', () => {
  it.each<[string, string]>([
    ['https://vm.tiktok.com/ZTR45GpSF/', 'https://vm.tiktok.com/ZTR45GpSF/'],
    ['https://vm.tiktok.com/ZTR45GpSF', 'https://vm.tiktok.com/ZTR45GpSF/'],
    ['http://VM.TikTok.com/ZTR45GpSF/?utm=x', 'https://vm.tiktok.com/ZTR45GpSF/'],
    ['https://vt.tiktok.com/ZSe4FqkKd/', 'https://vt.tiktok.com/ZSe4FqkKd/'],
    ['https://www.tiktok.com/t/ZTRav7308/', 'https://www.tiktok.com/t/ZTRav7308/'],
    ['https://tiktok.com/t/ZTRav7308', 'https://www.tiktok.com/t/ZTRav7308/'],
  ])('%s', (url, expanded) => {
    expect(tiktok.match(new URL(url))).toEqual({ kind: 'short', url: expanded });
  });
});

describe('tiktok.match: refused', () => {
  it.each([
    `https://evil-tiktok.com/@fatfatmillycat/video/${ID}`,
    `https://tiktok.com.evil.net/@fatfatmillycat/video/${ID}`,
    `https://nottiktok.com/@fatfatmillycat/video/${ID}`,
    'https://vm.tiktok.com.evil.net/ZTR45GpSF/',
    'https://www.tiktok.com/',
    'https://www.tiktok.com/@fatfatmillycat',
    'https://www.tiktok.com/@fatfatmillycat/live',
    'https://www.tiktok.com/search?q=cats',
    'https://www.tiktok.com/tag/cat',
    'https://www.tiktok.com/music/original-sound-7195741660000000000',
    'https://www.tiktok.com/@fatfatmillycat/video/notanid',
    'https://www.tiktok.com/@fatfatmillycat/video/123',
    'https://www.tiktok.com/@fatfatmillycat/video/1234567890123456789012345',
    `https://www.tiktok.com/@fat$cat/video/${ID}`,
    `https://www.tiktok.com/fatfatmillycat/video/${ID}`,
    `https://www.tiktok.com/@fatfatmillycat/video/${ID}/extra`,
    `https://m.tiktok.com/v/${ID}`,
    'https://m.tiktok.com/v/abc.html',
    'https://vm.tiktok.com/',
    'https://vm.tiktok.com/ZTR45GpSF/extra',
    'https://vm.tiktok.com/bad!code/',
    'https://www.tiktok.com/t/',
    `ftp://www.tiktok.com/@fatfatmillycat/video/${ID}`,
  ])('%s', (url) => {
    expect(tiktok.match(new URL(url))).toBeNull();
  });
});
