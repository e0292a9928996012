import { describe, expect, it } from 'vitest';
import { vimeo } from './vimeo.resolver.js';

describe('vimeo.match', () => {
  it.each([
    ['a video page', 'https://vimeo.com/288386543', { id: '288386543', hash: null }],
    ['www.', 'https://www.vimeo.com/288386543', { id: '288386543', hash: null }],
    ['an unlisted video with its hash', 'https://vimeo.com/903115595/f14d06da38', { id: '903115595', hash: 'f14d06da38' }],
    ['/video/<id>', 'https://vimeo.com/video/288386543', { id: '288386543', hash: null }],
    ['a channel video', 'https://vimeo.com/channels/staffpicks/967252742', { id: '967252742', hash: null }],
    ['a group video', 'https://vimeo.com/groups/shortfilms/videos/967252742', { id: '967252742', hash: null }],
    ['a showcase video', 'https://vimeo.com/showcase/9954564/video/767158063', { id: '767158063', hash: null }],
    ['an album video', 'https://vimeo.com/album/9954564/video/767158063', { id: '767158063', hash: null }],
    ['the player', 'https://player.vimeo.com/video/288386543', { id: '288386543', hash: null }],
    ['the player with ?h=', 'https://player.vimeo.com/video/903115595?h=f14d06da38&badge=0', { id: '903115595', hash: 'f14d06da38' }],
    ['trailing slash', 'https://vimeo.com/288386543/', { id: '288386543', hash: null }],
    ['a query', 'https://vimeo.com/288386543?share=copy#t=30s', { id: '288386543', hash: null }],
    ['mixed-case host', 'https://Player.VIMEO.com/video/288386543', { id: '288386543', hash: null }],
  ])('claims %s', (_label, url, params) => {
    expect(vimeo.match(new URL(url))).toEqual(params);
  });

  it.each([
    ['a look-alike host', 'https://evil-vimeo.com/288386543'],
    ['a host under another domain', 'https://vimeo.com.evil.net/288386543'],
    ['another Vimeo subdomain', 'https://api.vimeo.com/videos/288386543'],
    ['the image CDN', 'https://i.vimeocdn.com/video/288386543'],
    ['a profile', 'https://vimeo.com/martacosta'],
    ['a channel', 'https://vimeo.com/channels/staffpicks'],
    ['search', 'https://vimeo.com/search?q=train'],
    ['on-demand pages', 'https://vimeo.com/ondemand/nighttrain'],
    ['a tab of a video', 'https://vimeo.com/288386543/likes'],
    ['a hash with other characters', 'https://vimeo.com/903115595/F14D-06DA38'],
    ['a bad hash on the player', 'https://player.vimeo.com/video/903115595?h=<script>'],
    ['a player path without the video', 'https://player.vimeo.com/288386543'],
    ['a too-long id', 'https://vimeo.com/123456789012'],
    ['an ftp URL', 'ftp://vimeo.com/288386543'],
  ])('refuses %s', (_label, url) => {
    expect(vimeo.match(new URL(url))).toBeNull();
  });
});
