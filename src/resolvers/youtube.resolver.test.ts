import { describe, expect, it } from 'vitest';
import { youtube } from './youtube.resolver.js';

const ID = 'vPwaXytZcgI';

describe('youtube.match', () => {
  it.each([
    ['watch?v=', `https://www.youtube.com/watch?v=${ID}`],
    ['watch?v= without www.', `https://youtube.com/watch?v=${ID}`],
    ['watch?v= among other parameters', `https://www.youtube.com/watch?feature=share&v=${ID}&list=PLx&t=42s`],
    ['m.', `https://m.youtube.com/watch?v=${ID}`],
    ['music.', `https://music.youtube.com/watch?v=${ID}&feature=share`],
    ['youtu.be', `https://youtu.be/${ID}`],
    ['youtu.be with share parameters', `https://youtu.be/${ID}?si=Xy12AbCd&t=10`],
    ['/shorts/', `https://www.youtube.com/shorts/${ID}`],
    ['/live/', `https://www.youtube.com/live/${ID}?feature=shared`],
    ['/embed/', `https://www.youtube.com/embed/${ID}?start=30`],
    ['/v/', `https://www.youtube.com/v/${ID}`],
    ['/watch/<id>', `https://www.youtube.com/watch/${ID}`],
    ['youtube-nocookie.com', `https://www.youtube-nocookie.com/embed/${ID}`],
    ['trailing slash', `https://www.youtube.com/shorts/${ID}/`],
    ['mixed-case host', `https://WWW.YouTube.COM/watch?v=${ID}`],
  ])('claims %s', (_label, url) => {
    expect(youtube.match(new URL(url))).toEqual({ id: ID });
  });

  it('keeps the case, - and _ of an id', () => {
    expect(youtube.match(new URL('https://youtu.be/a-_Z09zz-_A'))).toEqual({ id: 'a-_Z09zz-_A' });
  });

  it.each([
    ['a look-alike host', `https://evil-youtube.com/watch?v=${ID}`],
    ['a host under another domain', `https://youtube.com.evil.net/watch?v=${ID}`],
    ['a look-alike short host', `https://youtu.be.evil.net/${ID}`],
    ['another YouTube subdomain', `https://studio.youtube.com/watch?v=${ID}`],
    ['a channel', 'https://www.youtube.com/@alpinefilms'],
    ['a channel by id', 'https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv'],
    ['a playlist', 'https://www.youtube.com/playlist?list=PL1234567890'],
    ['search', 'https://www.youtube.com/results?search_query=alps'],
    ['the playlist embed (eleven characters, not a video)', 'https://www.youtube.com/embed/videoseries?list=PL1234567890'],
    ['the live-stream embed (eleven characters, not a video)', 'https://www.youtube.com/embed/live_stream?channel=UCabc'],
    ['watch without v', 'https://www.youtube.com/watch?list=PL1234567890'],
    ['a ten-character id', 'https://www.youtube.com/watch?v=vPwaXytZcg'],
    ['a twelve-character id', 'https://youtu.be/vPwaXytZcgII'],
    ['an id with other characters', 'https://www.youtube.com/watch?v=vPwaXytZc.I'],
    ['youtu.be with more path', `https://youtu.be/${ID}/extra`],
    ['shorts without an id', 'https://www.youtube.com/shorts/'],
    ['an ftp URL', `ftp://www.youtube.com/watch?v=${ID}`],
  ])('refuses %s', (_label, url) => {
    expect(youtube.match(new URL(url))).toBeNull();
  });
});
